/**
 * Per-node columns by label onto real views (the sample digits models and, when present, corpus
 * models): every drawn main-graph op gets the value keyed by its report label (name, or #index when
 * unnamed), inputs/outputs and unknown labels stay NaN, subgraph views are left alone, and the merge
 * is cheap next to building the view.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeModelProto } from '../../../core/onnx/codec.js';
import { buildGraph } from '../../../core/graph/build-graph.js';
import { inferShapesIR } from '../../../core/shape/infer-shapes.js';
import { computeStatsIR } from '../../../core/stats/compute-stats.js';
import { buildViewGraph } from '../../../core/graph-view/build-view-graph.js';
import type { ViewGraph } from '../../../core/graph-view/types.js';
import { MODELS_DIR, SAMPLES_DIR } from '../../../test-support/models.js';
import { nodeLabel, withNodeColumns } from './node-columns';
import { NodeKind } from './graph-kinds';

function view(path: string, scope = ''): { view: ViewGraph; labels: string[] } {
  const model = decodeModelProto(new Uint8Array(readFileSync(path)));
  const ir = buildGraph(model);
  const shapes = inferShapesIR(ir);
  // Report labels of the main graph's nodes, as GraphScope.nodeLabel and ORT's profile name them.
  const labels = (model.graph?.node ?? []).map((n, i) => (n.name ? n.name : `#${i}`));
  return { view: buildViewGraph(ir, shapes, computeStatsIR(ir, shapes), scope), labels };
}

const CASES = [
  { name: 'digits_cnn.onnx', path: join(SAMPLES_DIR, 'digits_cnn.onnx') },
  { name: 'digits_mlp.onnx', path: join(SAMPLES_DIR, 'digits_mlp.onnx') },
  { name: 'squeezenet1_1_random_op13.onnx', path: join(MODELS_DIR, 'squeezenet1_1_random_op13.onnx') },
  { name: 'mobilenet_v2_random_op13.onnx', path: join(MODELS_DIR, 'mobilenet_v2_random_op13.onnx') },
  { name: 'ultraface_rfb320.onnx', path: join(MODELS_DIR, 'ultraface_rfb320.onnx') },
];

describe('withNodeColumns', () => {
  it.each(CASES)('$name: each drawn op gets the value of its label', ({ path }) => {
    if (!existsSync(path)) {
      console.warn(`SKIPPED: ${path} is not there (the corpus lives in ../shared/corpus)`);
      return;
    }
    const { view: v, labels } = view(path);
    // Value = the node's index in the graph's node list, keyed by label; plus a label no node has.
    const column = new Map(labels.map((l, i) => [l, i]));
    column.set('no such node', -1);
    const merged = withNodeColumns(v, { kernelUs: column });
    expect(merged).not.toBe(v);
    expect(merged.ids).toBe(v.ids);
    expect(Object.keys(merged.metrics)).toEqual([...Object.keys(v.metrics), 'kernelUs']);
    const values = merged.metrics.kernelUs as Float64Array;
    let ops = 0;
    for (let i = 0; i < v.nodeCount; i++) {
      if (v.kinds[i] !== NodeKind.Op) {
        expect(values[i]).toBeNaN();
        expect(nodeLabel(v, i)).toBeUndefined();
        continue;
      }
      ops++;
      expect(values[i], nodeLabel(v, i)).toBe(Number(v.ids[i]));
    }
    expect(ops).toBeGreaterThan(0);
  });

  it('no columns, or a subgraph view: the same view back', () => {
    const { view: v } = view(join(SAMPLES_DIR, 'digits_cnn.onnx'));
    expect(withNodeColumns(v, {})).toBe(v);
    expect(withNodeColumns({ ...v, scopePath: '3/body' }, { kernelUs: new Map([['#0', 1]]) }).metrics.kernelUs).toBeUndefined();
  });
});
