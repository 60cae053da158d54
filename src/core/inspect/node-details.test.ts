import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { onnx } from '../onnx/codec.js';
import { DataType, Long, decodeModelProto, encodeModelProto } from '../onnx/codec.js';
import { tensorToNumbers } from '../onnx/tensor.js';
import { buildGraph } from '../graph/build-graph.js';
import type { GraphIR } from '../graph/ir.js';
import { resolveWeightThroughIdentity } from '../graph/resolve.js';
import { floatTensor, model } from '../graph/test-models.js';
import { inferShapesIR } from '../shape/infer-shapes.js';
import type { ShapeMap } from '../shape/types.js';
import { computeStatsIR } from '../stats/compute-stats.js';
import type { ModelStats } from '../stats/compute-stats.js';
import { qdqVariant } from '../diff/model-variants.js';
import { nodeDetails } from './node-details.js';
import type { NodeDetails, PortDetails } from './types.js';

const CORPUS = fileURLToPath(new URL('../../../../shared/corpus/', import.meta.url));
const hasCorpus = existsSync(CORPUS);
const note = hasCorpus ? '' : ` — SKIPPED: the test corpus is not at ${CORPUS}`;

interface Loaded {
  readonly proto: onnx.IModelProto;
  readonly ir: GraphIR;
  readonly shapes: ShapeMap;
  readonly stats: ModelStats;
}

function analyse(proto: onnx.IModelProto): Loaded {
  const ir = buildGraph(proto);
  const shapes = inferShapesIR(ir);
  return { proto, ir, shapes, stats: computeStatsIR(ir, shapes) };
}

const cache = new Map<string, Loaded>();
function corpus(file: string): Loaded {
  let hit = cache.get(file);
  if (!hit) {
    hit = analyse(decodeModelProto(new Uint8Array(readFileSync(`${CORPUS}models/${file}`))));
    cache.set(file, hit);
  }
  return hit;
}

/** The QDQ copy as a file would hold it: built, encoded and decoded again. */
function qdq(file: string): { loaded: Loaded; report: ReturnType<typeof qdqVariant>['report'] } {
  const { model: m, report } = qdqVariant(corpus(file).proto);
  return { loaded: analyse(decodeModelProto(encodeModelProto(m))), report };
}

const details = (l: Loaded, id: string): NodeDetails => nodeDetails(l.ir, l.shapes, l.stats, id);
const port = (d: NodeDetails, name: string): PortDetails => {
  const p = d.inputs.find((x) => x.port === name);
  if (!p) throw new Error(`${d.opType} ${d.name} has no input port ${name}: ${d.inputs.map((x) => x.port).join(', ')}`);
  return p;
};

const SCHEMA_PORTS: Record<string, string[]> = {
  Conv: ['X', 'W', 'B'],
  Gemm: ['A', 'B', 'C'],
  MatMul: ['A', 'B'],
  LSTM: ['X', 'W', 'R', 'B', 'sequence_lens', 'initial_h', 'initial_c', 'P'],
  Reshape: ['data', 'shape'],
  Gather: ['data', 'indices'],
  Add: ['A', 'B'],
  Clip: ['input', 'min', 'max'],
  Slice: ['data', 'starts', 'ends', 'axes', 'steps'],
  QuantizeLinear: ['x', 'y_scale', 'y_zero_point'],
  DequantizeLinear: ['x', 'x_scale', 'x_zero_point'],
};

const MODELS = [
  'mnist-8_cntk.onnx',
  'digits_cnn_op13.onnx',
  'digits_attn_op14.onnx',
  'melspectrogram.onnx',
  'silero_vad_legacy.onnx',
  'ultraface_rfb320.onnx',
  'squeezenet1_1_random_op13.onnx',
  'mobilenet_v2_random_op13.onnx',
];

describe(`nodeDetails on every node of the corpus models${note}`, () => {
  it.skipIf(!hasCorpus).each(MODELS)('%s: ports, weights, types, params and MACs agree with the graph, shapes and stats', (file) => {
    const l = corpus(file);
    let weights = 0;
    for (const [i, node] of l.ir.nodes.entries()) {
      const d = details(l, node.id);
      expect(d.opType).toBe(node.opType);
      expect(d.inputs.map((p) => p.name)).toEqual(node.inputs);
      expect(d.outputs.map((p) => p.name)).toEqual(node.outputs);
      expect(d.attributes.map((a) => a.name)).toEqual((node.proto.attribute ?? []).map((a) => a.name));
      const schema = node.domain === '' ? SCHEMA_PORTS[node.opType] : undefined;
      if (schema) expect(d.inputs.map((p) => p.port)).toEqual(schema.slice(0, node.inputs.length));
      if (node.opType === 'Concat') expect(d.inputs.map((p) => p.port)).toEqual(node.inputs.map((_, k) => `inputs[${k}]`));
      // Every input that is a weight (directly or through Identity) shows it, with the weight's own facts.
      node.inputs.forEach((name, k) => {
        const w = name ? resolveWeightThroughIdentity(node.scope, name) : undefined;
        const p = d.inputs[k] as PortDetails;
        if (!w) return;
        weights++;
        expect(p.weight?.name).toBe(w.name);
        expect(p.weight?.shape).toEqual(w.dims);
        expect(p.weight?.elements).toBe(w.elements);
        expect(p.dtype).toBe(p.weight?.dtype);
      });
      // Outputs carry the inferred type where inference knows it.
      node.outputs.forEach((name, k) => {
        const info = l.shapes.get(name);
        const p = d.outputs[k] as PortDetails;
        if (info?.shape && !p.weight) expect(p.shape).toEqual(info.shape);
      });
      const s = l.stats.nodes[i];
      expect(d.params).toBe(s?.params);
      expect(d.macs).toBe(s?.macStatus === 'known' ? s.macs : null);
      expect(d.subgraphs.map((g) => g.path)).toEqual(node.subgraphs.map((g) => g.path));
      for (const g of d.subgraphs) expect(g.nodes).toBe(l.ir.scopes.find((s2) => s2.path === g.path)?.nodes.length);
    }
    expect(weights).toBeGreaterThan(0);
  });

  it.skipIf(!hasCorpus)('mnist Convolution28: attributes, W, MACs and output shape as computed by hand', () => {
    const l = corpus('mnist-8_cntk.onnx');
    const conv = l.ir.nodes.find((n) => n.name === 'Convolution28');
    if (!conv) throw new Error('Convolution28 missing');
    const d = details(l, conv.id);
    const attrs = Object.fromEntries(d.attributes.map((a) => [a.name, `${a.type} ${a.value}`]));
    expect(attrs).toEqual({ kernel_shape: 'INTS [5, 5]', strides: 'INTS [1, 1]', auto_pad: 'STRING SAME_UPPER', group: 'INT 1', dilations: 'INTS [1, 1]' });
    const w = port(d, 'W');
    expect(w.weight).toMatchObject({ name: 'Parameter5', kind: 'initializer', dtype: 'float32', shape: [8, 1, 5, 5], elements: 200, bytes: 800 });
    expect(port(d, 'X')).toMatchObject({ name: 'Input3', dtype: 'float32', shape: [1, 1, 28, 28], weight: null });
    expect(d.outputs[0]).toMatchObject({ port: 'Y', dtype: 'float32', shape: [1, 8, 28, 28] });
    // 8 output channels × 28 × 28 positions × (1 input channel × 5 × 5).
    expect(d.macs).toBe(8 * 28 * 28 * 25);
    expect(d.params).toBe(200);
  });

  it.skipIf(!hasCorpus)('silero: the If shows both branches to enter, an LSTM inside shows its ports and weights', () => {
    const l = corpus('silero_vad_legacy.onnx');
    const iff = l.ir.root?.nodes.find((n) => n.opType === 'If');
    if (!iff) throw new Error('no If');
    const d = details(l, iff.id);
    expect(d.subgraphs).toEqual([
      { attribute: 'else_branch', path: `${iff.id}/else_branch`, nodes: 88 },
      { attribute: 'then_branch', path: `${iff.id}/then_branch`, nodes: 88 },
    ]);
    expect(d.attributes.map((a) => a.value)).toEqual(['graph (88 nodes)', 'graph (88 nodes)']);
    const lstm = l.ir.nodes.find((n) => n.opType === 'LSTM');
    if (!lstm) throw new Error('no LSTM');
    const ld = details(l, lstm.id);
    expect(ld.inputs.map((p) => p.port)).toEqual(['X', 'W', 'R', 'B', 'sequence_lens', 'initial_h', 'initial_c']);
    expect(port(ld, 'sequence_lens')).toMatchObject({ name: '', weight: null });
    // Weights of a subgraph node live in the outer scopes; their dims come from the initializers.
    for (const name of ['W', 'R', 'B']) {
      const p = port(ld, name);
      const w = resolveWeightThroughIdentity(lstm.scope, p.name);
      expect(p.weight?.shape).toEqual(w?.dims);
      expect(p.weight?.stats).not.toBeNull();
    }
    expect(ld.outputs.map((p) => p.port)).toEqual(['Y', 'Y_h', 'Y_c'].slice(0, lstm.outputs.length));
  });

  it.skipIf(!hasCorpus)('melspectrogram: Cast.to names its type, a Constant shows its value as a weight', () => {
    const l = corpus('melspectrogram.onnx');
    const cast = l.ir.nodes.find((n) => n.opType === 'Cast');
    const constant = l.ir.nodes.find((n) => n.opType === 'Constant');
    if (!cast || !constant) throw new Error('missing nodes');
    expect(details(l, cast.id).attributes).toEqual([{ name: 'to', type: 'INT', value: '1 (float32)' }]);
    const cd = details(l, constant.id);
    const values = tensorToNumbers(constant.proto.attribute?.[0]?.t ?? {});
    expect(cd.attributes[0]?.value).toBe(`int64 [${values?.length}] = [${Array.from(values ?? []).join(', ')}]`);
    expect(cd.outputs[0]?.weight).toMatchObject({ kind: 'constant', dtype: 'int64', stats: { min: values?.[0] } });
  });

  it.skipIf(!hasCorpus)('mobilenet: a bias shared through Identity is shown via Identity', () => {
    const l = corpus('mobilenet_v2_random_op13.onnx');
    const conv = l.ir.nodes.find((n) => n.opType === 'Conv' && l.ir.root?.producer.get(n.inputs[2] ?? '')?.opType === 'Identity');
    if (!conv) throw new Error('no Conv with an Identity bias');
    const b = port(details(l, conv.id), 'B');
    expect(b.weight?.via).toEqual(['Identity']);
    expect(b.weight?.name).toBe(l.ir.root?.producer.get(conv.inputs[2] ?? '')?.inputs[0]);
  });
});

describe(`quantization facts on QDQ copies of corpus models${note}`, () => {
  it.skipIf(!hasCorpus).each(['mnist-8_cntk.onnx', 'digits_cnn_op13.onnx', 'squeezenet1_1_random_op13.onnx', 'digits_attn_op14.onnx'])('%s', (file) => {
    const { loaded: l, report } = qdq(file);
    expect(report.weights.length).toBeGreaterThan(0);
    for (const [name, { q, scale, original, axis }] of report.quantized) {
      const dq = l.ir.nodes.find((n) => n.opType === 'DequantizeLinear' && n.inputs[0] === `${name}_quantized`);
      if (!dq) throw new Error(`no DequantizeLinear for ${name}`);
      const x = port(details(l, dq.id), 'x');
      const quant = x.weight?.quant;
      if (!quant) throw new Error(`${name}: no quantization facts`);
      // Expected range computed here from the int8 values and the scales: min/max of q * scale[channel].
      const channels = scale.length;
      const inner = q.length / channels;
      let lo = Infinity;
      let hi = -Infinity;
      for (let i = 0; i < q.length; i++) {
        const r = (q[i] as number) * (scale[Math.floor(i / inner)] as number);
        lo = Math.min(lo, r);
        hi = Math.max(hi, r);
      }
      expect(x.weight?.dtype).toBe('int8');
      expect(quant.count).toBe(channels);
      expect(quant.axis).toBe(axis >= 0 ? axis : null);
      expect(quant.scale).toEqual(Array.from(scale.subarray(0, 64)));
      expect(quant.zeroPoint.every((z) => z === 0)).toBe(true);
      expect(quant.dequantMin).toBeCloseTo(lo, 12);
      expect(quant.dequantMax).toBeCloseTo(hi, 12);
      // Symmetric int8: the dequantized range is the float range, within half a step.
      const maxStep = scale.reduce((a, b) => Math.max(a, b), 0);
      const fmin = original.reduce((a, b) => Math.min(a, b), Infinity);
      const fmax = original.reduce((a, b) => Math.max(a, b), -Infinity);
      expect(Math.abs(quant.dequantMin - fmin)).toBeLessThanOrEqual(maxStep / 2 + 1e-7);
      expect(Math.abs(quant.dequantMax - fmax)).toBeLessThanOrEqual(maxStep / 2 + 1e-7);
      // The float op reading the DequantizeLinear output shows the int8 weight behind it.
      for (const user of dq.scope.consumers.get(dq.outputs[0] ?? '') ?? []) {
        const w = details(l, user.id).inputs.find((p) => p.name === dq.outputs[0]);
        expect(w?.weight?.via).toEqual(['DequantizeLinear']);
        expect(w?.weight?.quant).toEqual(quant);
      }
    }
    // Activations are not weights: their QuantizeLinear/DequantizeLinear ports show no weight.
    for (const act of report.activations) {
      const qn = l.ir.nodes.find((n) => n.opType === 'QuantizeLinear' && n.inputs[0] === act);
      if (!qn) throw new Error(`no QuantizeLinear for ${act}`);
      expect(port(details(l, qn.id), 'x').weight).toBeNull();
      expect(port(details(l, qn.id), 'y_zero_point').weight).toMatchObject({ dtype: 'uint8', stats: { min: 128, max: 128 } });
    }
  });
});

describe('quantization facts of other quantized forms (small graphs built here)', () => {
  const L = (n: number): Long => Long.fromNumber(n);
  const int8 = (name: string, dims: number[], values: number[], dtype: number = DataType.INT8): onnx.ITensorProto => ({
    name,
    dataType: dtype,
    dims: dims.map(L),
    rawData: Uint8Array.from(values, (v) => v & 0xff),
  });
  const int4 = (name: string, dims: number[], values: number[]): onnx.ITensorProto => {
    const raw = new Uint8Array(Math.ceil(values.length / 2));
    values.forEach((v, i) => {
      raw[i >> 1] = (raw[i >> 1] as number) | ((v & 0xf) << ((i & 1) * 4));
    });
    return { name, dataType: DataType.INT4, dims: dims.map(L), rawData: raw };
  };
  const only = (m: onnx.IModelProto, op: string): NodeDetails => {
    const l = analyse(m);
    const n = l.ir.nodes.find((x) => x.opType === op);
    if (!n) throw new Error(`no ${op}`);
    return details(l, n.id);
  };

  it('QLinearConv: w per output channel (axis 0) with its zero points', () => {
    const w = [-10, 0, 10, 20, -20, 5, 6, 7];
    const d = only(model({
      opsets: { '': 13 },
      nodes: [{ op: 'QLinearConv', inputs: ['x', 'xs', 'xz', 'w', 'ws', 'wz', 'ys', 'yz'], outputs: ['y'] }],
      inputs: [['x', DataType.UINT8, [1, 2, 2, 2]]],
      outputs: [['y', DataType.UINT8, undefined]],
      initializers: [floatTensor('xs', [], [0.1]), int8('xz', [], [128], DataType.UINT8), int8('w', [2, 1, 2, 2], w), floatTensor('ws', [2], [0.5, 0.25]), int8('wz', [2], [0, 5]), floatTensor('ys', [], [0.2]), int8('yz', [], [0], DataType.UINT8)],
    }), 'QLinearConv');
    const quant = port(d, 'w').weight?.quant;
    // Channel 0: (q - 0) * 0.5 over [-10, 0, 10, 20] → [-5, 10]; channel 1: (q - 5) * 0.25 over [-20, 5, 6, 7] → [-6.25, 0.5].
    expect(quant).toMatchObject({ scale: [0.5, 0.25], zeroPoint: [0, 5], count: 2, axis: 0, dequantMin: -6.25, dequantMax: 10, source: 'QLinearConv' });
    expect(port(d, 'x_scale').weight?.quant).toBeNull();
  });

  it('QuantizeLinear on a float weight (fake-quantized export): range after rounding and saturation', () => {
    const d = only(model({
      opsets: { '': 13 },
      nodes: [{ op: 'QuantizeLinear', inputs: ['w', 's', 'z'], outputs: ['q'] }],
      outputs: [['q', DataType.INT8, [4]]],
      initializers: [floatTensor('w', [4], [-3, -0.26, 0.5, 100]), floatTensor('s', [], [0.5]), int8('z', [], [0])],
    }), 'QuantizeLinear');
    // -3/0.5 = -6 → -3; 100/0.5 = 200 saturates at 127 → 63.5.
    expect(port(d, 'x').weight?.quant).toMatchObject({ count: 1, axis: null, dequantMin: -3, dequantMax: 63.5 });
  });

  it('ConvInteger: zero point only, with a note that the scale comes later', () => {
    const d = only(model({
      opsets: { '': 13 },
      nodes: [{ op: 'ConvInteger', inputs: ['x', 'w', '', 'wz'], outputs: ['y'] }],
      inputs: [['x', DataType.UINT8, [1, 1, 2, 2]]],
      outputs: [['y', DataType.INT32, undefined]],
      initializers: [int8('w', [1, 1, 2, 2], [0, 10, 200, 255], DataType.UINT8), int8('wz', [], [128], DataType.UINT8)],
    }), 'ConvInteger');
    const quant = port(d, 'w').weight?.quant;
    expect(quant).toMatchObject({ scale: [], zeroPoint: [128], dequantMin: -128, dequantMax: 127, axis: null });
    expect(quant?.note).toMatch(/scale is applied after/);
  });

  it('blocked int4 DequantizeLinear (opset 21): each block uses its own scale', () => {
    // x [2, 4] int4, axis 1, block_size 2 → scale [2, 2].
    const q = [-8, 7, 1, 2, 3, -4, 0, 5];
    const scales = [1, 2, 3, 4];
    const d = only(model({
      opsets: { '': 21 },
      irVersion: 10,
      nodes: [{ op: 'DequantizeLinear', inputs: ['x', 's'], outputs: ['y'], attrs: { axis: 1, block_size: 2 } }],
      outputs: [['y', DataType.FLOAT, [2, 4]]],
      initializers: [int4('x', [2, 4], q), floatTensor('s', [2, 2], scales)],
    }), 'DequantizeLinear');
    let lo = Infinity;
    let hi = -Infinity;
    q.forEach((v, i) => {
      const row = Math.floor(i / 4);
      const block = Math.floor((i % 4) / 2);
      const r = v * (scales[row * 2 + block] as number);
      lo = Math.min(lo, r);
      hi = Math.max(hi, r);
    });
    const x = port(d, 'x').weight;
    expect(x?.dtype).toBe('int4');
    expect(x?.stats).toMatchObject({ min: -8, max: 7 });
    expect(x?.quant).toMatchObject({ count: 4, axis: 1, blockSize: 2, dequantMin: lo, dequantMax: hi });
  });
});

describe('attribute formatting', () => {
  it('formats every attribute kind', () => {
    const sub = { name: 'g', node: [{ opType: 'Identity', input: ['a'], output: ['b'] }, { opType: 'Identity', input: ['b'], output: ['c'] }] };
    const d = (() => {
      const l = analyse(model({
        nodes: [{
          op: 'Custom',
          domain: 'test',
          inputs: ['x'],
          outputs: ['y'],
          attrs: {
            i: 3,
            f: { f: 0.1 },
            fs: { floats: [0.5, 1e-7, 2] },
            is: Array.from({ length: 20 }, (_, k) => k),
            s: 'SAME_UPPER',
            t: { t: floatTensor('', [3], [0.1, 0.2, 0.3]) },
            ts: { t: floatTensor('', [], [2.5]) },
            g: { g: sub },
          },
        }],
        inputs: [['x', DataType.FLOAT, [1]]],
        outputs: [['y', DataType.FLOAT, [1]]],
        opsets: { '': 17, test: 1 },
      }));
      return details(l, '0');
    })();
    expect(Object.fromEntries(d.attributes.map((a) => [a.name, [a.type, a.value]]))).toEqual({
      i: ['INT', '3'],
      f: ['FLOAT', '0.1'],
      fs: ['FLOATS', '[0.5, 1e-7, 2]'],
      is: ['INTS', '[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, … (20 values)]'],
      s: ['STRING', 'SAME_UPPER'],
      t: ['TENSOR', 'float32 [3] = [0.1, 0.2, 0.3]'],
      ts: ['TENSOR', 'float32 [] = 2.5'],
      g: ['GRAPH', 'graph (2 nodes)'],
    });
    expect(d.inputs[0]?.port).toBe('input 0');
    expect(d.outputs[0]?.port).toBe('output 0');
  });
});
