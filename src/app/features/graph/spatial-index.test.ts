/**
 * The spatial index at benchmark scale (generated 20,000-node graphs, deep and wide): queries equal
 * brute force, long skip edges land in the overflow list, and a viewport query touches only a
 * small part of the graph.
 */
import { describe, expect, it } from 'vitest';
import { buildSpatialIndex, hitTest, queryRect } from './spatial-index';
import { buildScene } from './scene';
import { fakeGraph } from './dev/fake-graph';

const GRAPHS = [
  { name: '20,000 nodes, one deep chain', nodes: 20000, chains: 1 },
  { name: '20,000 nodes, 8 chains with cross links', nodes: 20000, chains: 8 },
  { name: '1,000 nodes, 2 chains', nodes: 1000, chains: 2 },
];

describe('spatial index at scale', () => {
  it.each(GRAPHS)('$name: viewport queries equal brute force and stay local', ({ nodes, chains }) => {
    const { view, layout } = fakeGraph(nodes, { chains, seed: 3 });
    const scene = buildScene(view, layout);
    const out = new Uint32Array(view.nodeCount);
    const b = scene.bounds;
    for (let q = 0; q < 25; q++) {
      // A 1280×800 viewport at zoom 0.5 somewhere in the graph.
      const x0 = b.x0 + ((b.x1 - b.x0) * q) / 25 - 600;
      const y0 = b.y0 + ((b.y1 - b.y0) * ((q * 7) % 25)) / 25;
      const x1 = x0 + 2560;
      const y1 = y0 + 1600;
      const n = queryRect(scene.nodeIndex, x0, y0, x1, y1, out);
      const got = Array.from(out.subarray(0, n)).sort((a, c) => a - c);
      const want: number[] = [];
      for (let i = 0; i < view.nodeCount; i++) {
        const o = i * 4;
        if ((scene.nodeBoxes[o] as number) <= x1 && (scene.nodeBoxes[o + 2] as number) >= x0 && (scene.nodeBoxes[o + 1] as number) <= y1 && (scene.nodeBoxes[o + 3] as number) >= y0) want.push(i);
      }
      expect(got).toEqual(want);
      if (nodes >= 20000) expect(n).toBeLessThan(view.nodeCount / 10);
    }
    const cells = scene.nodeIndex.cols * scene.nodeIndex.rows;
    expect(cells).toBeLessThanOrEqual(4 * view.nodeCount + 16);
  });

  it('items spanning more than MAX_CELLS_PER_ITEM cells go to the overflow list and are still found', () => {
    // A 20×20 grid of small boxes plus one box covering them all (a skip edge across the graph).
    const boxes = new Float32Array(401 * 4);
    for (let i = 0; i < 400; i++) boxes.set([(i % 20) * 100, Math.floor(i / 20) * 100, (i % 20) * 100 + 50, Math.floor(i / 20) * 100 + 50], i * 4);
    boxes.set([0, 0, 2000, 2000], 1600);
    const index = buildSpatialIndex(boxes, 401);
    expect(Array.from(index.overflow)).toEqual([400]);
    expect(index.cellStart[index.cols * index.rows] as number).toBeLessThanOrEqual(400 * 4);
    const out = new Uint32Array(401);
    const n = queryRect(index, 120, 110, 130, 120, out);
    expect(Array.from(out.subarray(0, n)).sort((a, c) => a - c)).toEqual([21, 400]);
    // The topmost (last drawn) box wins a hit test; slop reaches a box just outside.
    expect(hitTest(index, 125, 125)).toBe(400);
    expect(hitTest(index, 2500, 20)).toBe(-1);
    expect(hitTest(index, 2003, 20, 4)).toBe(400);
    expect(hitTest(index, 2003, 20)).toBe(-1);
  });

  it('an empty index answers nothing', () => {
    const index = buildSpatialIndex(new Float32Array(0), 0);
    expect(queryRect(index, -1e9, -1e9, 1e9, 1e9, new Uint32Array(0))).toBe(0);
    expect(hitTest(index, 0, 0)).toBe(-1);
  });
});
