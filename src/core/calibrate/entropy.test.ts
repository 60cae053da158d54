/**
 * The prefix-sum entropy search against a direct evaluation of the same definition (build P and Q
 * for every candidate, smooth, KL bin by bin), on histograms of different shapes.
 */
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../util/seeded-random.js';
import { entropySearch, EPSILON } from './entropy.js';
import { StreamingHistogram } from './histogram.js';

function directSearch(h: StreamingHistogram, levels = 128): { halfBins: number; kl: number } {
  const counts = h.counts;
  const B = h.bins;
  const center = B / 2;
  let best = { halfBins: center, kl: Infinity };
  for (let i = levels / 2; i <= center; i++) {
    const start = center - i;
    const length = 2 * i;
    const slice = Array.from(counts.subarray(start, start + length));
    const p = [...slice];
    p[0] = (p[0] as number) + counts.subarray(0, start).reduce((a, b) => a + b, 0);
    p[length - 1] = (p[length - 1] as number) + counts.subarray(start + length).reduce((a, b) => a + b, 0);
    const q = new Array<number>(length).fill(0);
    const merged = Math.floor(length / levels);
    for (let level = 0; level < levels; level++) {
      const from = level * merged;
      const to = level === levels - 1 ? length : from + merged;
      let sum = 0;
      let nz = 0;
      for (let k = from; k < to; k++) {
        sum += slice[k] as number;
        if ((p[k] as number) > 0) nz++;
      }
      for (let k = from; k < to; k++) if ((p[k] as number) > 0 && nz > 0) q[k] = sum / nz;
    }
    const ps = p.map((x) => x || EPSILON);
    const qs = q.map((x) => x || EPSILON);
    const sp = ps.reduce((a, b) => a + b, 0);
    const sq = qs.reduce((a, b) => a + b, 0);
    let kl = 0;
    for (let k = 0; k < length; k++) kl += ((ps[k] as number) / sp) * Math.log(((ps[k] as number) / sp) / ((qs[k] as number) / sq));
    if (kl < best.kl) best = { halfBins: i, kl };
  }
  return best;
}

function histogramOf(values: ArrayLike<number>, bins: number): StreamingHistogram {
  const h = new StreamingHistogram('signed', bins);
  h.add(values);
  return h;
}

const r = seededRandom(21);
const normal = (): number => Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());

const CASES: Array<{ name: string; values: () => number[]; bins: number }> = [
  { name: 'gaussian with outliers', bins: 512, values: () => [...Array.from({ length: 50_000 }, normal), 30, -25] },
  { name: 'uniform', bins: 512, values: () => Array.from({ length: 50_000 }, () => 2 * r() - 1) },
  { name: 'one-sided (ReLU of a gaussian)', bins: 1024, values: () => Array.from({ length: 50_000 }, () => Math.max(0, normal())) },
  { name: 'a few distinct values (sparse histogram)', bins: 512, values: () => Array.from({ length: 5_000 }, () => [-3, 0, 0.5, 1, 8][Math.floor(r() * 5)] as number) },
  { name: 'heavy tail (exp of a gaussian)', bins: 2048, values: () => Array.from({ length: 50_000 }, () => Math.exp(2 * normal())) },
];

describe('entropySearch', () => {
  it.each(CASES)('matches the direct evaluation: $name', ({ values, bins }) => {
    const h = histogramOf(values(), bins);
    const fast = entropySearch(h);
    const direct = directSearch(h);
    expect(fast?.halfBins).toBe(direct.halfBins);
    expect(fast?.kl).toBeCloseTo(direct.kl, 9);
  });
});
