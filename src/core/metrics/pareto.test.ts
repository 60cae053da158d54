/**
 * The Pareto front: hand-made cases with known answers (ties, NaN, one point, dominated original),
 * the shapes the digits models produce in practice, and a brute-force cross-check against the
 * definition (no point on the front is dominated; every point off it is) on seeded random sets.
 */
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../util/seeded-random.js';
import type { ParetoPoint } from './pareto.js';
import { dominates, paretoFront } from './pareto.js';

const p = (id: string, cost: number, value: number): ParetoPoint => ({ id, cost, value });

const CASES: ReadonlyArray<{ name: string; points: ParetoPoint[]; front: string[] }> = [
  { name: 'no points', points: [], front: [] },
  { name: 'one point', points: [p('a', 1, 0.9)], front: ['a'] },
  // The usual lab picture: fp16 as accurate as the original and as fast; int8 faster, slightly worse.
  { name: 'original, fp16 (slower), int8 (faster, less accurate)', points: [p('orig', 0.2, 0.9944), p('fp16', 0.25, 0.9944), p('int8', 0.1, 0.9917)], front: ['int8', 'orig'] },
  { name: 'a variant better on both axes hides the original', points: [p('orig', 0.2, 0.98), p('v', 0.1, 0.99)], front: ['v'] },
  { name: 'equal latency: the more accurate wins', points: [p('a', 1, 0.5), p('b', 1, 0.7)], front: ['b'] },
  { name: 'equal accuracy: the faster wins', points: [p('a', 1, 0.7), p('b', 2, 0.7)], front: ['a'] },
  { name: 'identical points both stay', points: [p('a', 1, 0.7), p('b', 1, 0.7), p('c', 3, 0.6)], front: ['a', 'b'] },
  { name: 'staircase, unsorted input', points: [p('c', 3, 0.99), p('a', 1, 0.9), p('x', 2.5, 0.91), p('b', 2, 0.95)], front: ['a', 'b', 'c'] },
  { name: 'NaN (not measured) is never on the front', points: [p('a', NaN, 1), p('b', 2, NaN), p('c', 3, 0.5)], front: ['c'] },
  { name: 'negative values (e.g. a drop in points)', points: [p('a', 1, -2), p('b', 2, -0.5), p('c', 3, -1)], front: ['a', 'b'] },
];

describe('paretoFront', () => {
  it.each(CASES)('$name', ({ points, front }) => {
    expect(paretoFront(points)).toEqual(front);
  });

  it('agrees with the definition on random sets (brute force)', () => {
    const random = seededRandom(7);
    for (let trial = 0; trial < 200; trial++) {
      const n = 1 + Math.floor(random() * 12);
      // Coarse grid values so that ties happen often.
      const points = Array.from({ length: n }, (_, i) => p(`m${i}`, Math.round(random() * 5), Math.round(random() * 5) / 5));
      const front = new Set(paretoFront(points));
      for (const q of points) {
        const dominated = points.some((o) => o !== q && dominates(o, q));
        expect(front.has(q.id), `${q.id} (${q.cost}, ${q.value}) in ${JSON.stringify(points)}`).toBe(!dominated);
      }
      // Drawn left to right.
      const costs = paretoFront(points).map((id) => points.find((q) => q.id === id)?.cost ?? NaN);
      expect(costs).toEqual([...costs].sort((a, b) => a - b));
    }
  });
});
