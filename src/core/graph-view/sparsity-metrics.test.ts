/**
 * The graph overlays' columns (sparsity-metrics.ts) and the zero counting under them
 * (stats/weight-zeros.ts), checked against independent counts: weight zeros against decoded values
 * (weightMagnitudes) for every weight of real models and for hand-made float16/double/misaligned/sparse
 * tensors; the sparsity column of magnitude-pruned models against the node's weights counted by hand;
 * "Channels removed" of channel-pruned models against the Conv weights' output dims.
 */
import { describe, expect, it } from 'vitest';
import type { onnx } from '../onnx/codec.js';
import { DataType, Long } from '../onnx/codec.js';
import { buildGraph } from '../graph/build-graph.js';
import type { IRNode, Weight } from '../graph/ir.js';
import { model as buildModel } from '../graph/test-models.js';
import { analyseModel } from '../model/summary.js';
import { weightMagnitudes } from '../prune/weights.js';
import { weightZeros } from '../stats/weight-zeros.js';
import { resolveOptions } from '../transform/options.js';
import type { PassDefinition, PassOptions } from '../transform/types.js';
import { pruneMagnitudePass } from '../transform/passes/prune-magnitude.js';
import { pruneChannelsPass } from '../transform/passes/prune-channels.js';
import { corpusModel, hasCorpus, sampleModel } from '../../test-support/models.js';
import { buildViewGraph } from './build-view-graph.js';
import { channelsRemovedColumn, outputChannels, sparsityColumn } from './sparsity-metrics.js';
import type { ZeroCache } from './sparsity-metrics.js';
import { NodeKind } from './types.js';
import type { ViewGraph } from './types.js';

const corpus = hasCorpus();
const note = corpus ? '' : ' (SKIPPED: ../shared/corpus is absent)';

/** Sample models always; corpus models when the corpus is there. */
const MODELS: ReadonlyArray<{ readonly name: string; readonly load: () => onnx.IModelProto }> = [
  { name: 'digits_cnn.onnx', load: () => sampleModel('digits_cnn.onnx').model },
  { name: 'digits_transformer.onnx', load: () => sampleModel('digits_transformer.onnx').model },
  ...(corpus
    ? ['mobilenet_v2_random_op13.onnx', 'squeezenet1_1_random_op13.onnx', 'mnist-8_cntk.onnx', 'silero_vad_legacy.onnx'].map((f) => ({ name: f, load: () => corpusModel(f).model }))
    : []),
];

function applyPass(pass: PassDefinition, m: onnx.IModelProto, given: PassOptions): onnx.IModelProto {
  const options = resolveOptions(pass.id, pass.options, given);
  if (!options.ok) throw new Error(options.error);
  const out = pass.apply(m, options.value, { progress: () => undefined });
  if (!out.ok) throw new Error(out.error);
  return out.value.model;
}

function mainView(m: onnx.IModelProto): { view: ViewGraph; analysis: ReturnType<typeof analyseModel> } {
  const analysis = analyseModel(m);
  return { analysis, view: buildViewGraph(analysis.ir, analysis.shapes, analysis.stats, '') };
}

const decoded = new WeakMap<Weight, number | undefined>();
/** The independent count: decode the values and compare with 0. */
function decodedZeros(w: Weight): number | undefined {
  if (!decoded.has(w)) {
    const mags = w.tensor ? weightMagnitudes(w.tensor) : undefined;
    decoded.set(w, mags ? mags.filter((v) => v === 0).length : undefined);
  }
  return decoded.get(w);
}

describe(`weight zeros on the stored bits${note}`, () => {
  it.each(MODELS)('$name: every float weight matches its decoded values', ({ load }) => {
    const ir = buildGraph(load());
    let checked = 0;
    for (const w of ir.weights) {
      const expected = w.dtype === DataType.FLOAT || w.dtype === DataType.FLOAT16 || w.dtype === DataType.DOUBLE ? decodedZeros(w) : undefined;
      const got = weightZeros(w);
      if (expected === undefined) {
        if (w.dtype !== DataType.FLOAT) expect(got).toBeUndefined();
        continue;
      }
      expect(got, w.name).toEqual({ zeros: expected, elements: w.elements });
      checked++;
    }
    expect(checked).toBeGreaterThan(0);
  });

  const f32 = (values: number[], offset: number): onnx.ITensorProto => {
    // raw_data at an odd offset inside a larger buffer, as a decoded file gives it.
    const buf = new Uint8Array(values.length * 4 + offset + 3);
    new DataView(buf.buffer).setUint32(0, 0xdeadbeef);
    values.forEach((v, i) => new DataView(buf.buffer).setFloat32(offset + i * 4, v, true));
    return { name: 'w', dataType: DataType.FLOAT, dims: [Long.fromNumber(values.length)], rawData: buf.subarray(offset, offset + values.length * 4) };
  };
  const f16 = (bits: number[]): onnx.ITensorProto => ({ name: 'w', dataType: DataType.FLOAT16, dims: [Long.fromNumber(bits.length)], int32Data: bits });
  const f64 = (values: number[]): onnx.ITensorProto => ({ name: 'w', dataType: DataType.DOUBLE, dims: [Long.fromNumber(values.length)], doubleData: values });
  const big = Array.from({ length: 70_000 }, (_, i) => (i % 3 === 0 ? 0 : i % 7 === 0 ? -0 : i * 1e-3));
  const bigZeros = big.filter((v) => v === 0).length;

  it.each([
    ['float32 aligned', f32([0, -0, 1, 1e-45, -2, 0], 0), 3],
    ['float32 misaligned', f32([0, -0, 1, 1e-45, -2, 0], 1), 3],
    ['float32 misaligned, more than one chunk', f32(big, 3), bigZeros],
    // 0x8000 is −0, 0x0001 the smallest subnormal (not zero), 0x7c00 +∞.
    ['float16 from int32_data', f16([0, 0x8000, 0x0001, 0x3c00, 0x7c00]), 2],
    ['double, tiny values are not zeros', f64([0, -0, 5e-324, 1]), 2],
  ])('%s', (_label, tensor, zeros) => {
    const m = buildModel({ nodes: [{ op: 'Identity', inputs: ['w'], outputs: ['y'] }], initializers: [tensor], outputs: [['y', tensor.dataType ?? 0, undefined]] });
    const [w] = buildGraph(m).weights;
    if (!w) throw new Error('no weight');
    expect(weightZeros(w)).toEqual({ zeros, elements: w.elements });
  });

  it('a sparse initializer counts the elements it does not store as zeros', () => {
    const values: onnx.ITensorProto = { name: 's', dataType: DataType.FLOAT, dims: [Long.fromNumber(3)], floatData: [1, 0, 2] };
    const indices: onnx.ITensorProto = { name: 's_i', dataType: DataType.INT64, dims: [Long.fromNumber(3)], int64Data: [0, 5, 9].map((v) => Long.fromNumber(v)) };
    const m = buildModel({
      nodes: [{ op: 'Identity', inputs: ['s'], outputs: ['y'] }],
      sparseInitializers: [{ values, indices, dims: [Long.fromNumber(10)] }],
      outputs: [['y', DataType.FLOAT, [10]]],
    });
    const w = buildGraph(m).weights.find((x) => x.name === 's');
    if (!w) throw new Error('no sparse weight');
    expect(weightZeros(w)).toEqual({ zeros: 8, elements: 10 });
  });
});

/** By hand: zeros and elements of the float initializers a node reads, directly or through Identity. */
function handCount(analysis: ReturnType<typeof analyseModel>, node: IRNode): { zeros: number; elements: number } {
  let zeros = 0;
  let elements = 0;
  const names = new Set<string>();
  for (let name of node.inputs) {
    for (let producer = node.scope.producer.get(name); producer?.opType === 'Identity'; producer = node.scope.producer.get(name)) name = producer.inputs[0] ?? '';
    names.add(name);
  }
  for (const name of names) {
    const w = node.scope.weights.get(name) ?? analysis.ir.weights.find((x) => x.name === name);
    if (!w?.tensor || w.dtype !== DataType.FLOAT) continue;
    const z = w ? decodedZeros(w) : undefined;
    if (!w || z === undefined) continue;
    zeros += z;
    elements += w.elements;
  }
  return { zeros, elements };
}

function opNodes(analysis: ReturnType<typeof analyseModel>, view: ViewGraph): Array<[number, IRNode | undefined]> {
  return Array.from({ length: view.nodeCount }, (_, i) => [i, view.kinds[i] === NodeKind.Op ? analysis.ir.nodeById.get(view.ids[i] ?? '') : undefined]);
}

describe(`"Weight sparsity" column${note}`, () => {
  // MobileNetV2 is left out here: pruning it (with its gzip measurement) takes seconds, and its weights are counted above.
  const PRUNED = MODELS.filter((m) => m.name !== 'mobilenet_v2_random_op13.onnx');
  it.each(PRUNED)('$name: offered only when a node has zeros; per node after 50 % magnitude pruning', ({ load }) => {
    const original = load();
    const dense = mainView(original);
    const denseColumn = sparsityColumn(dense.analysis.ir, dense.view, new Map());
    const anyZero = opNodes(dense.analysis, dense.view).some(([, n]) => n !== undefined && handCount(dense.analysis, n).zeros > 0);
    expect(denseColumn !== undefined).toBe(anyZero);

    const pruned = applyPass(pruneMagnitudePass, original, { sparsity: 0.5 });
    const { view, analysis } = mainView(pruned);
    const cache: ZeroCache = new Map();
    const column = sparsityColumn(analysis.ir, view, cache);
    const expected = opNodes(analysis, view).some(([, n]) => n !== undefined && handCount(analysis, n).zeros > 0);
    expect(column !== undefined).toBe(expected);
    // silero_vad keeps its prunable weights inside If subgraphs: its main scope has nothing to colour.
    if (!column) return;
    let prunedNodes = 0;
    for (const [i, node] of opNodes(analysis, view)) {
      const hand = node ? handCount(analysis, node) : { zeros: 0, elements: 0 };
      if (hand.elements === 0) {
        // No float initializer read directly or through Identity (Cast/DequantizeLinear-fed ones aside).
        if (!node) expect(column[i]).toBeNaN();
        continue;
      }
      expect(column[i], node?.name).toBeCloseTo(hand.zeros / hand.elements, 12);
      if ((column[i] ?? 0) > 0.4) prunedNodes++;
    }
    expect(prunedNodes).toBeGreaterThan(0);
    // A second view (another scope, a re-render) reuses the counts.
    const size = cache.size;
    sparsityColumn(analysis.ir, view, cache);
    expect(cache.size).toBe(size);
  });
});

describe(`"Channels removed" column${note}`, () => {
  const CNNS = MODELS.filter((m) => ['digits_cnn.onnx', 'mobilenet_v2_random_op13.onnx', 'squeezenet1_1_random_op13.onnx'].includes(m.name));
  it.each(CNNS)('$name at 30 %: each Conv loses what its weight lost; unchanged nodes 0', ({ load }) => {
    const original = load();
    const pruned = applyPass(pruneChannelsPass, original, { ratio: 0.3 });
    const base = analyseModel(original);
    const { view, analysis } = mainView(pruned);
    const column = channelsRemovedColumn(analysis, view, base);
    const baseByName = new Map(base.ir.nodes.map((n) => [n.name, n]));
    let convs = 0;
    let removedSomewhere = 0;
    for (let i = 0; i < view.nodeCount; i++) {
      const node = view.kinds[i] === NodeKind.Op ? analysis.ir.nodeById.get(view.ids[i] ?? '') : undefined;
      if (!node) {
        expect(column[i]).toBeNaN();
        continue;
      }
      const orig = baseByName.get(node.name);
      if (node.opType === 'Conv' && orig) {
        const dim0 = (n: typeof node, a: typeof base): number | undefined => a.ir.weights.find((w) => w.name === n.inputs[1])?.dims[0];
        const before = dim0(orig, base);
        const after = dim0(node, analysis);
        if (before !== undefined && after !== undefined) {
          expect(column[i], node.name).toBe(before - after);
          convs++;
          if (before > after) removedSomewhere++;
        }
      }
      const after = outputChannels(node, analysis.shapes);
      if (orig && after !== undefined && outputChannels(orig, base.shapes) === after) expect(column[i]).toBe(0);
    }
    expect(convs).toBeGreaterThan(0);
    expect(removedSomewhere).toBeGreaterThan(0);
  });

  it('the original against itself removes nothing', () => {
    const m = sampleModel('digits_cnn.onnx').model;
    const { view, analysis } = mainView(m);
    const column = channelsRemovedColumn(analysis, view, analysis);
    const ops = [...column].filter((_, i) => view.kinds[i] === NodeKind.Op);
    expect(ops.length).toBeGreaterThan(0);
    expect(ops.every((v) => v === 0)).toBe(true);
  });
});
