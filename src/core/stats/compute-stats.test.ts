import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { onnx } from '../onnx/codec.js';
import { DataType, Long, decodeModelProto, toNumber } from '../onnx/codec.js';
import { buildGraph } from '../graph/build-graph.js';
import { floatTensor, graph, int64Tensor, model } from '../graph/test-models.js';
import type { ModelSpec } from '../graph/test-models.js';
import { inferShapes, inferShapesIR } from '../shape/infer-shapes.js';
import { computeStats, computeStatsIR } from './compute-stats.js';
import type { ModelStats } from './compute-stats.js';

const CORPUS = fileURLToPath(new URL('../../../../shared/corpus/', import.meta.url));
const hasCorpus = existsSync(CORPUS);
const note = hasCorpus ? '' : ` — SKIPPED: the test corpus is not at ${CORPUS}`;
const { FLOAT, INT8, FLOAT16 } = DataType;

const cache = new Map<string, { m: onnx.IModelProto; s: ModelStats }>();
function corpusStats(file: string): { m: onnx.IModelProto; s: ModelStats } {
  let hit = cache.get(file);
  if (!hit) {
    const m = decodeModelProto(new Uint8Array(readFileSync(`${CORPUS}models/${file}`)));
    const ir = buildGraph(m);
    hit = { m, s: computeStatsIR(ir, inferShapesIR(ir)) };
    cache.set(file, hit);
  }
  return hit;
}

/** Elements of initializers + tensor Constants, walking protos independently of the IR. */
function protoParams(g: onnx.IGraphProto): number {
  const count = (t: onnx.ITensorProto | null | undefined): number => (t?.dims ?? []).reduce((a: number, d) => a * toNumber(d), 1);
  let n = (g.initializer ?? []).reduce((a, t) => a + count(t), 0);
  for (const node of g.node ?? []) {
    for (const a of node.attribute ?? []) {
      if (node.opType === 'Constant' && a.name === 'value' && a.t) n += count(a.t);
      if (node.opType === 'Constant' && (a.name === 'value_floats' || a.name === 'value_ints')) n += (a.floats?.length ?? 0) + (a.ints?.length ?? 0);
      if (node.opType === 'Constant' && (a.name === 'value_float' || a.name === 'value_int')) n += 1;
      if (a.g) n += protoParams(a.g);
    }
  }
  return n;
}

describe(`computeStats on the corpus${note}`, () => {
  const facts: Array<{ file: string; nodes: number; macs?: [number, number]; unknownMacNodes?: number }> = [
    // Conv 8·28·28·1·25 + Conv 16·14·14·8·25 + MatMul 256·10, computed by hand.
    { file: 'mnist-8_cntk.onnx', nodes: 12, macs: [786_560, 786_560], unknownMacNodes: 0 },
    // torchvision MobileNetV2 is ~300M MACs at 224×224 (per sample: batch counted as 1).
    { file: 'mobilenet_v2_random_op13.onnx', nodes: 209, macs: [295e6, 305e6], unknownMacNodes: 0 },
    { file: 'squeezenet1_1_random_op13.onnx', nodes: 83, macs: [340e6, 360e6], unknownMacNodes: 0 },
    { file: 'ultraface_rfb320.onnx', nodes: 126, macs: [90e6, 110e6], unknownMacNodes: 0 },
    { file: 'digits_cnn_op13.onnx', nodes: 7, unknownMacNodes: 0 },
    { file: 'digits_attn_op14.onnx', nodes: 246, unknownMacNodes: 0 },
    // Two top-level nodes, 248 more inside 18 If branches.
    { file: 'silero_vad_legacy.onnx', nodes: 250 },
  ];
  it.skipIf(!hasCorpus).each(facts)('$file: $nodes nodes, parameters from every weight, MACs', ({ file, nodes, macs, unknownMacNodes }) => {
    const { m, s } = corpusStats(file);
    expect(s.nodeCount).toBe(nodes);
    expect(Object.values(s.opHistogram).reduce((a, b) => a + b, 0)).toBe(nodes);
    expect(s.parameterCount).toBe(protoParams(m.graph as onnx.IGraphProto));
    expect(Object.values(s.byDtype).reduce((a, t) => a + t.elements, 0)).toBe(s.parameterCount);
    expect(Object.values(s.byDtype).reduce((a, t) => a + t.bytes, 0)).toBe(s.weightBytes);
    if (macs) {
      expect(s.totalMacs).toBeGreaterThanOrEqual(macs[0]);
      expect(s.totalMacs).toBeLessThanOrEqual(macs[1]);
    }
    if (unknownMacNodes !== undefined) expect(s.unknownMacNodes).toBe(unknownMacNodes);
  });

  it.skipIf(!hasCorpus)('mnist-8: every Conv has MACs and the per-node parameters add up', () => {
    const { s } = corpusStats('mnist-8_cntk.onnx');
    const convs = s.nodes.filter((n) => n.op === 'Conv');
    expect(convs.map((n) => n.macs)).toEqual([156_800, 627_200]);
    expect(convs.every((n) => n.macStatus === 'known')).toBe(true);
    expect(convs.map((n) => n.params)).toEqual([200, 3200]);
    expect(s.macsByOp).toEqual({ Conv: 784_000, MatMul: 2_560 });
    expect(s.assumedSymbols).toEqual([]);
    // Six float weights and the two int64 Reshape targets (also initializers in this IR 3 model).
    expect(s.byDtype).toEqual({ float32: { tensors: 6, elements: 5994, bytes: 23_976 }, int64: { tensors: 2, elements: 4, bytes: 32 } });
  });

  it.skipIf(!hasCorpus)('silero VAD: subgraph nodes, weights and MACs are counted', () => {
    const { s } = corpusStats('silero_vad_legacy.onnx');
    expect(s.subgraphCount).toBe(18);
    expect(s.opHistogram).toMatchObject({ If: 9, LSTM: 8, Conv: 36, Equal: 7 });
    expect(s.nodes.filter((n) => n.id.includes('/')).length).toBe(248);
    const lstm = s.nodes.filter((n) => n.op === 'LSTM');
    // W [1, 256, 64] + R [1, 256, 64] + B [1, 512]; the number of time steps derives from the audio
    // length through strided convs, so their MACs are unknown (and counted as such, not as zero).
    expect(lstm.map((n) => n.params)).toEqual(new Array(8).fill(33_280));
    expect(lstm.every((n) => n.macStatus === 'unknown')).toBe(true);
    expect(s.unknownMacNodes).toBeGreaterThanOrEqual(8);
    // Convs after the feature extractor have known channels and a symbolic length: counted per step.
    expect(s.macNodes).toBeGreaterThan(0);
    expect(s.totalMacs).toBe(s.nodes.reduce((a, n) => a + n.macs, 0));
  });

  it.skipIf(!hasCorpus)('mobilenet_v2: Identity-shared weights count as the layer\'s parameters, once in the total', () => {
    const { s } = corpusStats('mobilenet_v2_random_op13.onnx');
    const convs = s.nodes.filter((n) => n.op === 'Conv');
    // First conv: 32 × 3 × 3 × 3 weights + 32 folded-BN biases, the bias reached through an Identity.
    expect(convs[0]?.params).toBe(32 * 27 + 32);
    const gemm = s.nodes.find((n) => n.op === 'Gemm');
    expect(gemm?.params).toBe(1280 * 1000 + 1000);
    // Layers sharing a weight each count it; the model total counts it once.
    const perLayer = convs.reduce((a, n) => a + n.params, 0) + (gemm?.params ?? 0);
    expect(perLayer).toBeGreaterThan(s.parameterCount);
    expect(s.parameterCount).toBe(3_475_078);
    expect(s.assumedSymbols).toEqual(['batch']);
  });
});

const base = (over: Partial<ModelSpec>): onnx.IModelProto => model({ nodes: [], ...over });

describe('computeStats on synthetic models', () => {
  it('MACs of Gemm (transB), batched MatMul, ConvTranspose and bidirectional LSTM', () => {
    const m = base({
      inputs: [['a', FLOAT, [8, 32]], ['q', FLOAT, [2, 4, 5, 16]], ['k', FLOAT, [2, 4, 16, 7]], ['x', FLOAT, [1, 4, 5, 5]], ['s', FLOAT, [6, 3, 10]]],
      initializers: [floatTensor('w', [10, 32]), floatTensor('wt', [4, 2, 3, 3]), floatTensor('W', [2, 64, 10]), floatTensor('R', [2, 64, 16])],
      nodes: [
        { op: 'Gemm', inputs: ['a', 'w'], outputs: ['g'], attrs: { transB: 1 } },
        { op: 'MatMul', inputs: ['q', 'k'], outputs: ['mm'] },
        { op: 'ConvTranspose', inputs: ['x', 'wt'], outputs: ['ct'], attrs: { strides: [2, 2], group: 2 } },
        { op: 'LSTM', inputs: ['s', 'W', 'R'], outputs: ['y'], attrs: { hidden_size: 16, direction: 'bidirectional' } },
      ],
    });
    const s = computeStats(m, inferShapes(m));
    expect(s.nodes.map((n) => n.macs)).toEqual([
      8 * 10 * 32,
      2 * 4 * 5 * 7 * 16,
      1 * 4 * 25 * 2 * 9,
      6 * 3 * 2 * 4 * 16 * (10 + 16),
    ]);
    expect(s.nodes.map((n) => n.params)).toEqual([320, 0, 72, 2 * 64 * 10 + 2 * 64 * 16]);
    expect(s.totalMacs).toBe(s.nodes.reduce((a, n) => a + n.macs, 0));
  });

  it('counts sparse initializers by stored values, Constant nodes of every form, and subgraph weights', () => {
    const sparse: onnx.ISparseTensorProto = {
      values: { name: 'sp', dataType: INT8, dims: [Long.fromNumber(4)], rawData: new Uint8Array(4) },
      indices: int64Tensor('', [4], [0, 3, 7, 9]),
      dims: [Long.fromNumber(100)],
    };
    const sub = graph({ nodes: [{ op: 'Constant', inputs: [], outputs: ['inner'], attrs: { value_floats: { floats: [1, 2, 3] } } }], outputs: [['inner', FLOAT, [3]]] });
    const m = base({
      inputs: [['c', DataType.BOOL, []]],
      initializers: [{ ...floatTensor('h', [2, 5]), dataType: FLOAT16, rawData: new Uint8Array(20) }],
      sparseInitializers: [sparse],
      nodes: [
        { op: 'Constant', inputs: [], outputs: ['k'], attrs: { value_ints: [1, 2, 3, 4, 5] } },
        { op: 'Constant', inputs: [], outputs: ['f'], attrs: { value_float: { f: 0.5 } } },
        { op: 'If', inputs: ['c'], outputs: ['o'], attrs: { then_branch: { g: sub }, else_branch: { g: sub } } },
      ],
    });
    const s = computeStats(m, inferShapes(m));
    // 10 (float16) + 4 (sparse values) + 5 + 1 + 3 · 2 branches
    expect(s.parameterCount).toBe(26);
    expect(s.byDtype).toEqual({
      float16: { tensors: 1, elements: 10, bytes: 20 },
      int8: { tensors: 1, elements: 4, bytes: 4 + 4 * 8 },
      int64: { tensors: 1, elements: 5, bytes: 40 },
      float32: { tensors: 3, elements: 7, bytes: 28 },
    });
    expect(s.nodeCount).toBe(5);
    expect(s.subgraphCount).toBe(2);
    expect(s.totalMacs).toBeNull();
    expect(s.unknownMacNodes).toBe(0);
  });

  it('keys ops outside the default domain as domain.OpType, ai.onnx as the default', () => {
    const m = base({
      opsets: { 'ai.onnx': 17, 'com.microsoft': 1 },
      inputs: [['x', FLOAT, [2, 3]]],
      nodes: [
        { op: 'Relu', domain: 'ai.onnx', inputs: ['x'], outputs: ['a'] },
        { op: 'Relu', inputs: ['a'], outputs: ['b'] },
        { op: 'FusedGemm', domain: 'com.microsoft', inputs: ['b', 'b'], outputs: ['c'] },
      ],
    });
    expect(computeStats(m, inferShapes(m)).opHistogram).toEqual({ Relu: 2, 'com.microsoft.FusedGemm': 1 });
  });

  it('a MAC-bearing node with unknown shapes is counted as unknown, not as zero', () => {
    const m = base({
      inputs: [['x', FLOAT, undefined]],
      initializers: [floatTensor('w', [4, 4])],
      nodes: [{ op: 'MatMul', inputs: ['x', 'w'], outputs: ['y'] }, { op: 'Conv', inputs: ['x', 'w'], outputs: ['z'] }],
    });
    const s = computeStats(m, inferShapes(m));
    expect(s.totalMacs).toBeNull();
    expect(s.unknownMacNodes).toBe(2);
    expect(s.nodes.map((n) => n.macStatus)).toEqual(['unknown', 'unknown']);
  });
});
