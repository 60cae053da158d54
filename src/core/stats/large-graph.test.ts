/**
 * A generated 20,000-node transformer-like model goes through buildGraph + inferShapes + computeStats
 * with the symbols flowing end to end. How long it takes is measured by `npm run bench:analysis`,
 * not asserted here (the machine is shared and noisy).
 */
import { describe, expect, it } from 'vitest';
import { buildGraph } from '../graph/build-graph.js';
import { syntheticTransformer } from '../graph/test-models.js';
import { inferShapesIR } from '../shape/infer-shapes.js';
import { computeStatsIR } from './compute-stats.js';

describe('a 20,000-node graph', () => {
  it('is indexed, shape-inferred and counted, with the symbols flowing through', () => {
    const model = syntheticTransformer(20_000);
    const ir = buildGraph(model);
    const shapes = inferShapesIR(ir);
    const stats = computeStatsIR(ir, shapes);
    expect(ir.nodes.length).toBe(20_000);
    expect(shapes.get(model.graph?.output?.[0]?.name ?? '')?.shape).toEqual(['batch', 'seq', 64]);
    expect(stats.unknownMacNodes).toBe(0);
    // Three MatMuls per block of 20 nodes: 64·64 + 2 · 4·16 MACs per (batch, seq) position (symbols as 1).
    expect(stats.totalMacs).toBe(1000 * (64 * 64 + 4 * 16 + 4 * 16));
  });
});
