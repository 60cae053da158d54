import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { onnx } from '../onnx/codec.js';
import { DataType, decodeModelProto } from '../onnx/codec.js';
import { floatTensor, graph, int64Tensor, model } from '../graph/test-models.js';
import type { AttrValue, NodeSpec, ValueSpec } from '../graph/test-models.js';
import { inferShapes } from './infer-shapes.js';
import type { Dim } from './types.js';

const CORPUS = fileURLToPath(new URL('../../../../shared/corpus/', import.meta.url));
const hasCorpus = existsSync(CORPUS);
const note = hasCorpus ? '' : ` — SKIPPED: the test corpus is not at ${CORPUS}`;
const { FLOAT, INT64, BOOL, UINT8, INT32, FLOAT16 } = DataType;

/** The model with every declared output shape and value_info removed, so only inference can find them. */
function undeclared(m: onnx.IModelProto): onnx.IModelProto {
  const strip = (g: onnx.IGraphProto): void => {
    g.valueInfo = [];
    for (const o of g.output ?? []) if (o.type?.tensorType) o.type.tensorType = { elemType: 0, shape: null };
    for (const n of g.node ?? []) for (const a of n.attribute ?? []) if (a.g) strip(a.g);
  };
  strip(m.graph as onnx.IGraphProto);
  return m;
}

describe(`inferShapes on the corpus models, declarations removed${note}`, () => {
  const cases: Array<{ file: string; output: string; shape: Dim[]; dtype?: number }> = [
    { file: 'mnist-8_cntk.onnx', output: 'Plus214_Output_0', shape: [1, 10] },
    { file: 'digits_cnn_op13.onnx', output: 'logits', shape: ['batch', 10] },
    { file: 'digits_mlp_op13.onnx', output: 'logits', shape: ['batch', 10] },
    // Symbolic batch flows through Shape → Gather → Unsqueeze → Concat → Reshape chains and attention.
    { file: 'digits_attn_op14.onnx', output: 'logits', shape: ['batch', 10] },
    { file: 'mobilenet_v2_random_op13.onnx', output: 'logits', shape: ['batch', 1000] },
    { file: 'squeezenet1_1_random_op13.onnx', output: 'logits', shape: ['batch', 1000] },
    { file: 'ultraface_rfb320.onnx', output: 'scores', shape: [1, 4420, 2] },
    { file: 'ultraface_rfb320.onnx', output: 'boxes', shape: [1, 4420, 4] },
    { file: 'embedding_model.onnx', output: 'conv2d_19', shape: ['unk__314', 1, 1, 96] },
    // Through If branches, LSTMs and their outer-scope references.
    { file: 'silero_vad_legacy.onnx', output: 'hn', shape: [2, 'batch', 64] },
    { file: 'silero_vad_legacy.onnx', output: 'cn', shape: [2, 'batch', 64] },
    { file: 'silero_vad_legacy.onnx', output: 'output', shape: ['batch', 1] },
    { file: 'melspectrogram.onnx', output: 'output', shape: ['batch_size', 1, null, 32] },
  ];
  it.skipIf(!hasCorpus).each(cases)('$file: $output is $shape', ({ file, output, shape }) => {
    const m = undeclared(decodeModelProto(new Uint8Array(readFileSync(`${CORPUS}models/${file}`))));
    const shapes = inferShapes(m);
    expect(shapes.get(output)).toEqual({ dtype: FLOAT, shape });
  });

  it.skipIf(!hasCorpus)('digits_attn: every value has a fully known rank, and batch reaches the attention scores', () => {
    const m = undeclared(decodeModelProto(new Uint8Array(readFileSync(`${CORPUS}models/digits_attn_op14.onnx`))));
    const shapes = inferShapes(m);
    const unknown = [...shapes].filter(([, v]) => !v.shape || v.shape.includes(null)).map(([k]) => k);
    expect(unknown).toEqual([]);
    const softmax = m.graph?.node?.find((n) => n.opType === 'Softmax')?.output?.[0] as string;
    expect(shapes.get(softmax)?.shape?.[0]).toBe('batch');
  });

  it.skipIf(!hasCorpus)('silero VAD: every value of every scope gets an entry, most with a known rank', () => {
    const m = undeclared(decodeModelProto(new Uint8Array(readFileSync(`${CORPUS}models/silero_vad_legacy.onnx`))));
    const shapes = inferShapes(m);
    const names: string[] = [];
    const walk = (g: onnx.IGraphProto): void => {
      for (const n of g.node ?? []) {
        names.push(...(n.output ?? []).filter(Boolean));
        for (const a of n.attribute ?? []) if (a.g) walk(a.g);
      }
    };
    walk(m.graph as onnx.IGraphProto);
    expect(names.filter((n) => !shapes.has(n))).toEqual([]);
    const ranked = names.filter((n) => shapes.get(n)?.shape !== undefined).length;
    expect(ranked / names.length).toBeGreaterThan(0.95);
  });

  it.skipIf(!hasCorpus)('options.symbols fixes symbolic dims', () => {
    const m = decodeModelProto(new Uint8Array(readFileSync(`${CORPUS}models/digits_cnn_op13.onnx`)));
    expect(inferShapes(m, { symbols: { batch: 3 } }).get('logits')?.shape).toEqual([3, 10]);
  });
});

interface RuleCase {
  readonly label: string;
  readonly op: string;
  readonly inputs: ValueSpec[];
  /** Constant inputs (initializers), by name. */
  readonly consts?: onnx.ITensorProto[];
  readonly attrs?: Record<string, AttrValue>;
  readonly opset?: number;
  readonly outputs?: number;
  readonly domain?: string;
  /** Expected [dtype, shape] per output (shape undefined = unknown rank). */
  readonly expect: Array<[number, Dim[] | undefined]>;
}

const i64 = int64Tensor;
const RULES: RuleCase[] = [
  { label: 'broadcast keeps symbols against 1 and known sizes', op: 'Add', inputs: [['a', FLOAT, ['n', 1, 4]], ['b', FLOAT, [3, 1]]], expect: [[FLOAT, ['n', 3, 4]]] },
  { label: 'broadcast of two different symbols is unknown', op: 'Mul', inputs: [['a', FLOAT, ['n', 4]], ['b', FLOAT, ['m', 4]]], expect: [[FLOAT, [null, 4]]] },
  { label: 'comparison gives bool', op: 'Less', inputs: [['a', FLOAT, [2, 3]], ['b', FLOAT, [3]]], expect: [[BOOL, [2, 3]]] },
  { label: 'Where takes X type', op: 'Where', inputs: [['c', BOOL, [2, 1]], ['x', INT64, [1, 5]], ['y', INT64, [1]]], expect: [[INT64, [2, 5]]] },
  { label: 'legacy broadcast (opset 6) keeps A', op: 'Add', opset: 6, inputs: [['a', FLOAT, [2, 3, 4]], ['b', FLOAT, [3]]], attrs: { broadcast: 1, axis: 1 }, expect: [[FLOAT, [2, 3, 4]]] },
  { label: 'Conv explicit pads, stride, dilation', op: 'Conv', inputs: [['x', FLOAT, ['n', 3, 32, 30]], ['w', FLOAT, [16, 3, 3, 3]]], attrs: { pads: [1, 1, 1, 1], strides: [2, 2], dilations: [1, 2] }, expect: [[FLOAT, ['n', 16, 16, 14]]] },
  { label: 'Conv SAME_UPPER', op: 'Conv', inputs: [['x', FLOAT, [1, 3, 33, 33]], ['w', FLOAT, [8, 3, 3, 3]]], attrs: { auto_pad: 'SAME_UPPER', strides: [2, 2] }, expect: [[FLOAT, [1, 8, 17, 17]]] },
  { label: 'Conv "same" padding keeps a symbolic size', op: 'Conv', inputs: [['x', FLOAT, [1, 8, 'len']], ['w', FLOAT, [8, 1, 5]]], attrs: { pads: [2, 2], group: 8 }, expect: [[FLOAT, [1, 8, 'len']]] },
  { label: 'ConvTranspose with output_padding', op: 'ConvTranspose', inputs: [['x', FLOAT, [1, 4, 5, 5]], ['w', FLOAT, [4, 2, 3, 3]]], attrs: { strides: [2, 2], pads: [1, 1, 1, 1], output_padding: [1, 1], group: 2 }, expect: [[FLOAT, [1, 4, 10, 10]]] },
  { label: 'ConvTranspose output_shape', op: 'ConvTranspose', inputs: [['x', FLOAT, [1, 4, 5, 5]], ['w', FLOAT, [4, 2, 3, 3]]], attrs: { strides: [2, 2], output_shape: [11, 12] }, expect: [[FLOAT, [1, 2, 11, 12]]] },
  { label: 'MaxPool ceil_mode with indices', op: 'MaxPool', inputs: [['x', FLOAT, [1, 1, 5, 5]]], attrs: { kernel_shape: [2, 2], strides: [2, 2], ceil_mode: 1 }, outputs: 2, expect: [[FLOAT, [1, 1, 3, 3]], [INT64, [1, 1, 3, 3]]] },
  { label: 'GlobalAveragePool', op: 'GlobalAveragePool', inputs: [['x', FLOAT, ['n', 64, 7, 7]]], expect: [[FLOAT, ['n', 64, 1, 1]]] },
  { label: 'Gemm transB', op: 'Gemm', inputs: [['a', FLOAT, ['n', 128]], ['b', FLOAT, [10, 128]], ['c', FLOAT, [10]]], attrs: { transB: 1 }, expect: [[FLOAT, ['n', 10]]] },
  { label: 'Gemm transA', op: 'Gemm', inputs: [['a', FLOAT, [128, 4]], ['b', FLOAT, [128, 10]]], attrs: { transA: 1 }, expect: [[FLOAT, [4, 10]]] },
  { label: 'MatMul batched broadcast', op: 'MatMul', inputs: [['a', FLOAT, ['b', 1, 5, 8]], ['w', FLOAT, [3, 8, 2]]], expect: [[FLOAT, ['b', 3, 5, 2]]] },
  { label: 'MatMul 1-D × 2-D', op: 'MatMul', inputs: [['a', FLOAT, [8]], ['w', FLOAT, [8, 2]]], expect: [[FLOAT, [2]]] },
  { label: 'MatMul 3-D × 1-D', op: 'MatMul', inputs: [['a', FLOAT, [4, 5, 8]], ['w', FLOAT, [8]]], expect: [[FLOAT, [4, 5]]] },
  { label: 'Reshape 0 and -1 with a symbol', op: 'Reshape', inputs: [['x', FLOAT, ['b', 4, 16]], ['s', INT64, [2]]], consts: [i64('s', [2], [0, -1])], expect: [[FLOAT, ['b', 64]]] },
  { label: 'Reshape -1 cancels a symbol', op: 'Reshape', inputs: [['x', FLOAT, ['b', 'seq', 64]], ['s', INT64, [4]]], consts: [i64('s', [4], [0, -1, 4, 16])], expect: [[FLOAT, ['b', 'seq', 4, 16]]] },
  { label: 'Reshape with an unknown target keeps its rank', op: 'Reshape', inputs: [['x', FLOAT, [2, 6]], ['s', INT64, [3]]], expect: [[FLOAT, [null, null, null]]] },
  { label: 'Flatten axis 2', op: 'Flatten', inputs: [['x', FLOAT, ['n', 3, 4, 5]]], attrs: { axis: 2 }, expect: [[FLOAT, [null, 20]]] },
  { label: 'Flatten axis 1 keeps a symbolic batch', op: 'Flatten', inputs: [['x', FLOAT, ['n', 3, 4, 5]]], expect: [[FLOAT, ['n', 60]]] },
  { label: 'Transpose default reverses', op: 'Transpose', inputs: [['x', FLOAT, [1, 2, 3]]], expect: [[FLOAT, [3, 2, 1]]] },
  { label: 'Squeeze attribute (opset 11)', op: 'Squeeze', opset: 11, inputs: [['x', FLOAT, [1, 3, 1, 5]]], attrs: { axes: [0, -2] }, expect: [[FLOAT, [3, 5]]] },
  { label: 'Squeeze input (opset 13)', op: 'Squeeze', opset: 13, inputs: [['x', FLOAT, [1, 3, 1, 5]], ['a', INT64, [1]]], consts: [i64('a', [1], [2])], expect: [[FLOAT, [1, 3, 5]]] },
  { label: 'Squeeze without axes', op: 'Squeeze', opset: 13, inputs: [['x', FLOAT, [1, 'n', 1, 5]]], expect: [[FLOAT, ['n', 5]]] },
  { label: 'Unsqueeze attribute (opset 11)', op: 'Unsqueeze', opset: 11, inputs: [['x', FLOAT, [3, 5]]], attrs: { axes: [0, 3] }, expect: [[FLOAT, [1, 3, 5, 1]]] },
  { label: 'Unsqueeze input (opset 13)', op: 'Unsqueeze', opset: 13, inputs: [['x', FLOAT, [3, 5]], ['a', INT64, [1]]], consts: [i64('a', [1], [-1])], expect: [[FLOAT, [3, 5, 1]]] },
  { label: 'Concat sums the axis', op: 'Concat', inputs: [['a', FLOAT, ['n', 3, 4]], ['b', FLOAT, ['n', 5, 4]]], attrs: { axis: 1 }, expect: [[FLOAT, ['n', 8, 4]]] },
  { label: 'Split by num_outputs (opset 18)', op: 'Split', opset: 18, inputs: [['x', FLOAT, [2, 7]]], attrs: { axis: 1, num_outputs: 3 }, outputs: 3, expect: [[FLOAT, [2, 3]], [FLOAT, [2, 3]], [FLOAT, [2, 1]]] },
  { label: 'Split by split attribute (opset 11)', op: 'Split', opset: 11, inputs: [['x', FLOAT, [6]]], attrs: { split: [2, 4] }, outputs: 2, expect: [[FLOAT, [2]], [FLOAT, [4]]] },
  { label: 'Split equally', op: 'Split', opset: 13, inputs: [['x', FLOAT, [6, 2]]], outputs: 3, expect: [[FLOAT, [2, 2]], [FLOAT, [2, 2]], [FLOAT, [2, 2]]] },
  { label: 'Slice inputs with negative step', op: 'Slice', inputs: [['x', FLOAT, [20, 10, 5]], ['s', INT64, [2]], ['e', INT64, [2]], ['a', INT64, [2]], ['t', INT64, [2]]], consts: [i64('s', [2], [-1, 1]), i64('e', [2], [-1000, 1000]), i64('a', [2], [0, 1]), i64('t', [2], [-1, 3])], expect: [[FLOAT, [20, 3, 5]]] },
  { label: 'Slice attributes (opset 9)', op: 'Slice', opset: 9, inputs: [['x', FLOAT, [20, 10, 5]]], attrs: { starts: [0, 2], ends: [3, -1], axes: [0, 1] }, expect: [[FLOAT, [3, 7, 5]]] },
  { label: 'Slice to the end keeps a symbol', op: 'Slice', inputs: [['x', FLOAT, ['n', 10]], ['s', INT64, [1]], ['e', INT64, [1]], ['a', INT64, [1]]], consts: [i64('s', [1], [2]), i64('e', [1], [2 ** 53]), i64('a', [1], [1])], expect: [[FLOAT, ['n', 8]]] },
  { label: 'Gather with a scalar index', op: 'Gather', inputs: [['x', FLOAT, [5, 6, 7]], ['i', INT64, []]], attrs: { axis: 1 }, expect: [[FLOAT, [5, 7]]] },
  { label: 'Gather with an index matrix', op: 'Gather', inputs: [['x', FLOAT, [100, 16]], ['i', INT64, ['b', 'len']]], expect: [[FLOAT, ['b', 'len', 16]]] },
  { label: 'ReduceMean axes attribute, keepdims', op: 'ReduceMean', opset: 13, inputs: [['x', FLOAT, ['n', 8, 4]]], attrs: { axes: [-1] }, expect: [[FLOAT, ['n', 8, 1]]] },
  { label: 'ReduceSum axes input (opset 13), no keepdims', op: 'ReduceSum', opset: 13, inputs: [['x', FLOAT, [2, 3, 4]], ['a', INT64, [1]]], consts: [i64('a', [1], [1])], attrs: { keepdims: 0 }, expect: [[FLOAT, [2, 4]]] },
  { label: 'ReduceMax noop_with_empty_axes (opset 18)', op: 'ReduceMax', opset: 18, inputs: [['x', FLOAT, [2, 3]]], attrs: { noop_with_empty_axes: 1 }, expect: [[FLOAT, [2, 3]]] },
  { label: 'ReduceMax all axes (opset 18)', op: 'ReduceMax', opset: 18, inputs: [['x', FLOAT, [2, 3]]], expect: [[FLOAT, [1, 1]]] },
  { label: 'ArgMax no keepdims', op: 'ArgMax', inputs: [['x', FLOAT, [2, 3, 4]]], attrs: { axis: 1, keepdims: 0 }, expect: [[INT64, [2, 4]]] },
  { label: 'Resize by scales', op: 'Resize', opset: 13, inputs: [['x', FLOAT, [1, 3, 10, 10]], ['r', FLOAT, [0]], ['sc', FLOAT, [4]]], consts: [floatTensor('r', [0], []), floatTensor('sc', [4], [1, 1, 2, 0.6])], expect: [[FLOAT, [1, 3, 20, 6]]] },
  { label: 'Resize by sizes', op: 'Resize', opset: 13, inputs: [['x', FLOAT, [1, 3, 10, 10]], ['r', FLOAT, [0]], ['sc', FLOAT, [0]], ['sz', INT64, [4]]], consts: [floatTensor('r', [0], []), floatTensor('sc', [0], []), i64('sz', [4], [1, 3, 7, 9])], expect: [[FLOAT, [1, 3, 7, 9]]] },
  { label: 'Upsample scales attribute (opset 7)', op: 'Upsample', opset: 7, inputs: [['x', FLOAT, [1, 3, 4, 4]]], attrs: { scales: { floats: [1, 1, 2, 3] } }, expect: [[FLOAT, [1, 3, 8, 12]]] },
  { label: 'Cast', op: 'Cast', inputs: [['x', FLOAT, ['n', 2]]], attrs: { to: FLOAT16 }, expect: [[FLOAT16, ['n', 2]]] },
  { label: 'CastLike', op: 'CastLike', inputs: [['x', FLOAT, [2]], ['t', INT32, [1]]], expect: [[INT32, [2]]] },
  { label: 'Shape with start/end', op: 'Shape', opset: 15, inputs: [['x', FLOAT, ['n', 3, 4, 5]]], attrs: { start: 1, end: -1 }, expect: [[INT64, [2]]] },
  { label: 'Size', op: 'Size', inputs: [['x', FLOAT, [3, 4]]], expect: [[INT64, []]] },
  { label: 'ConstantOfShape', op: 'ConstantOfShape', inputs: [['s', INT64, [3]]], consts: [i64('s', [3], [2, 3, 4])], attrs: { value: { t: int64Tensor('', [1], [7]) } }, expect: [[INT64, [2, 3, 4]]] },
  { label: 'Expand', op: 'Expand', inputs: [['x', FLOAT, [3, 1]], ['s', INT64, [3]]], consts: [i64('s', [3], [2, 1, 6])], expect: [[FLOAT, [2, 3, 6]]] },
  { label: 'Tile', op: 'Tile', inputs: [['x', FLOAT, [2, 'n']], ['r', INT64, [2]]], consts: [i64('r', [2], [3, 1])], expect: [[FLOAT, [6, 'n']]] },
  { label: 'Pad input (opset 13)', op: 'Pad', opset: 13, inputs: [['x', FLOAT, [1, 3, 4, 4]], ['p', INT64, [8]]], consts: [i64('p', [8], [0, 0, 1, 2, 0, 0, 3, 4])], expect: [[FLOAT, [1, 3, 8, 10]]] },
  { label: 'Pad attribute (opset 2)', op: 'Pad', opset: 2, inputs: [['x', FLOAT, [2, 2]]], attrs: { pads: [1, 0, 1, 0] }, expect: [[FLOAT, [4, 2]]] },
  { label: 'LSTM bidirectional, all outputs', op: 'LSTM', inputs: [['x', FLOAT, ['seq', 'b', 10]], ['w', FLOAT, [2, 64, 10]], ['r', FLOAT, [2, 64, 16]]], attrs: { hidden_size: 16, direction: 'bidirectional' }, outputs: 3, expect: [[FLOAT, ['seq', 2, 'b', 16]], [FLOAT, [2, 'b', 16]], [FLOAT, [2, 'b', 16]]] },
  { label: 'GRU batch-first layout', op: 'GRU', opset: 14, inputs: [['x', FLOAT, [4, 7, 10]], ['w', FLOAT, [1, 48, 10]], ['r', FLOAT, [1, 48, 16]]], attrs: { layout: 1 }, outputs: 2, expect: [[FLOAT, [4, 7, 1, 16]], [FLOAT, [4, 1, 16]]] },
  { label: 'Einsum explicit', op: 'Einsum', opset: 12, inputs: [['a', FLOAT, ['b', 4, 5]], ['c', FLOAT, ['b', 5, 6]]], attrs: { equation: 'bij,bjk->bik' }, expect: [[FLOAT, ['b', 4, 6]]] },
  { label: 'Einsum implicit with ellipsis', op: 'Einsum', opset: 12, inputs: [['a', FLOAT, [2, 3, 4, 5]]], attrs: { equation: '...ji' }, expect: [[FLOAT, [2, 3, 5, 4]]] },
  { label: 'TopK', op: 'TopK', inputs: [['x', FLOAT, [3, 10]], ['k', INT64, [1]]], consts: [i64('k', [1], [4])], outputs: 2, expect: [[FLOAT, [3, 4]], [INT64, [3, 4]]] },
  { label: 'NonZero has an unknown count', op: 'NonZero', inputs: [['x', FLOAT, [3, 4]]], expect: [[INT64, [2, null]]] },
  { label: 'QuantizeLinear takes the zero point type', op: 'QuantizeLinear', inputs: [['x', FLOAT, [2, 3]], ['s', FLOAT, []], ['z', UINT8, []]], expect: [[UINT8, [2, 3]]] },
  { label: 'DequantizeLinear gives float', op: 'DequantizeLinear', inputs: [['x', UINT8, [2, 3]], ['s', FLOAT, []], ['z', UINT8, []]], expect: [[FLOAT, [2, 3]]] },
  { label: 'Range with constant bounds', op: 'Range', inputs: [['a', INT64, []], ['b', INT64, []], ['d', INT64, []]], consts: [i64('a', [], [1]), i64('b', [], [10]), i64('d', [], [3])], expect: [[INT64, [3]]] },
  { label: 'LayerNormalization outputs', op: 'LayerNormalization', inputs: [['x', FLOAT, ['n', 5, 8]], ['g', FLOAT, [8]]], attrs: { axis: -1 }, outputs: 3, expect: [[FLOAT, ['n', 5, 8]], [FLOAT, ['n', 5, 1]], [FLOAT, ['n', 5, 1]]] },
  { label: 'BatchNormalization', op: 'BatchNormalization', inputs: [['x', FLOAT, ['n', 4, 6, 6]], ['s', FLOAT, [4]], ['b', FLOAT, [4]], ['m', FLOAT, [4]], ['v', FLOAT, [4]]], expect: [[FLOAT, ['n', 4, 6, 6]]] },
  { label: 'Dropout mask is bool (opset 12)', op: 'Dropout', opset: 12, inputs: [['x', FLOAT, [2, 3]]], outputs: 2, expect: [[FLOAT, [2, 3]], [BOOL, [2, 3]]] },
  { label: 'an unknown op leaves its outputs unknown', op: 'FancyOp', domain: 'custom.domain', inputs: [['x', FLOAT, [2, 3]]], outputs: 2, expect: [[0, undefined], [0, undefined]] },
];

function ruleModel(c: RuleCase): onnx.IModelProto {
  const outs = Array.from({ length: c.outputs ?? 1 }, (_, k) => `y${k}`);
  const node: NodeSpec = { op: c.op, inputs: c.inputs.map(([n]) => n), outputs: outs, ...(c.attrs ? { attrs: c.attrs } : {}), ...(c.domain ? { domain: c.domain } : {}) };
  return model({
    opsets: c.domain ? { '': c.opset ?? 17, [c.domain]: 1 } : { '': c.opset ?? 17 },
    inputs: c.inputs,
    initializers: c.consts ?? [],
    nodes: [node],
  });
}

describe('shape rules, one op at a time', () => {
  it.each(RULES)('$op: $label', (c) => {
    const shapes = inferShapes(ruleModel(c));
    const got = c.expect.map((_, k) => {
      const info = shapes.get(`y${k}`);
      return [info?.dtype, info?.shape];
    });
    expect(got).toEqual(c.expect);
  });
});

describe('constant propagation and subgraphs', () => {
  it('Shape → Gather → Unsqueeze → Concat → Reshape resolves, keeping the symbol', () => {
    const m = model({
      inputs: [['x', FLOAT, ['batch', 4, 16]]],
      initializers: [i64('zero', [], [0]), i64('axes', [1], [0]), i64('rest', [1], [-1])],
      nodes: [
        { op: 'Shape', inputs: ['x'], outputs: ['s'] },
        { op: 'Gather', inputs: ['s', 'zero'], outputs: ['b'], attrs: { axis: 0 } },
        { op: 'Unsqueeze', inputs: ['b', 'axes'], outputs: ['b1'] },
        { op: 'Concat', inputs: ['b1', 'rest'], outputs: ['target'], attrs: { axis: 0 } },
        { op: 'Reshape', inputs: ['x', 'target'], outputs: ['y'] },
      ],
    });
    expect(inferShapes(m).get('y')).toEqual({ dtype: FLOAT, shape: ['batch', 64] });
  });

  it('Resize sizes computed from Shape · scale → Floor → Cast', () => {
    const m = model({
      inputs: [['x', FLOAT, [1, 3, 10, 15]]],
      initializers: [i64('start', [1], [2]), i64('end', [1], [4]), floatTensor('scale', [], [1.5]), i64('nc', [2], [1, 3])],
      nodes: [
        { op: 'Shape', inputs: ['x'], outputs: ['s'] },
        { op: 'Slice', inputs: ['s', 'start', 'end'], outputs: ['hw'] },
        { op: 'Cast', inputs: ['hw'], outputs: ['hwf'], attrs: { to: FLOAT } },
        { op: 'Mul', inputs: ['hwf', 'scale'], outputs: ['scaled'] },
        { op: 'Floor', inputs: ['scaled'], outputs: ['fl'] },
        { op: 'Cast', inputs: ['fl'], outputs: ['hwi'], attrs: { to: INT64 } },
        { op: 'Concat', inputs: ['nc', 'hwi'], outputs: ['sizes'], attrs: { axis: 0 } },
        { op: 'Resize', inputs: ['x', '', '', 'sizes'], outputs: ['y'] },
      ],
    });
    expect(inferShapes(m).get('y')?.shape).toEqual([1, 3, 15, 22]);
  });

  const branch = (op: string, out: string): onnx.IGraphProto =>
    graph({ nodes: [{ op, inputs: ['x'], outputs: [out] }], outputs: [[out, 0, undefined]] });

  it('If with a known condition takes that branch; otherwise keeps what both agree on', () => {
    const body = (cond: onnx.ITensorProto): onnx.IModelProto =>
      model({
        inputs: [['x', FLOAT, ['n', 1, 5]]],
        initializers: [cond, i64('ax', [1], [1])],
        nodes: [
          {
            op: 'If',
            inputs: ['c'],
            outputs: ['y'],
            attrs: {
              then_branch: { g: graph({ nodes: [{ op: 'Squeeze', inputs: ['x', 'ax'], outputs: ['t'] }], outputs: [['t', 0, undefined]] }) },
              else_branch: { g: branch('Identity', 'e') },
            },
          },
        ],
      });
    const known = (v: number): onnx.ITensorProto => ({ ...i64('c', [], [v]), dataType: BOOL, int64Data: [], int32Data: [v] });
    expect(inferShapes(body(known(1))).get('y')?.shape).toEqual(['n', 5]);
    expect(inferShapes(body(known(0))).get('y')?.shape).toEqual(['n', 1, 5]);
    const unknownCond = model({
      inputs: [['x', FLOAT, ['n', 4]], ['c', BOOL, []]],
      nodes: [{ op: 'If', inputs: ['c'], outputs: ['y'], attrs: { then_branch: { g: branch('Relu', 't') }, else_branch: { g: branch('Neg', 'e') } } }],
    });
    const shapes = inferShapes(unknownCond);
    expect(shapes.get('y')).toEqual({ dtype: FLOAT, shape: ['n', 4] });
    // Values inside subgraphs are reported too.
    expect(shapes.get('t')?.shape).toEqual(['n', 4]);
  });

  it('Loop: carried values keep their shape, scan outputs stack on the trip count', () => {
    const body = graph({
      inputs: [['i', INT64, []], ['cond', BOOL, []], ['acc', 0, undefined]],
      nodes: [
        { op: 'Identity', inputs: ['cond'], outputs: ['cond_out'] },
        { op: 'Add', inputs: ['acc', 'x'], outputs: ['acc_out'] },
        { op: 'Relu', inputs: ['acc_out'], outputs: ['scan'] },
      ],
      outputs: [['cond_out', BOOL, []], ['acc_out', 0, undefined], ['scan', 0, undefined]],
    });
    const m = model({
      inputs: [['x', FLOAT, [2, 3]], ['a0', FLOAT, [2, 3]]],
      initializers: [i64('trip', [], [5])],
      nodes: [{ op: 'Loop', inputs: ['trip', '', 'a0'], outputs: ['final', 'stacked'], attrs: { body: { g: body } } }],
    });
    const shapes = inferShapes(m);
    expect(shapes.get('final')).toEqual({ dtype: FLOAT, shape: [2, 3] });
    expect(shapes.get('stacked')).toEqual({ dtype: FLOAT, shape: [5, 2, 3] });
  });

  it('Scan: state and stacked outputs', () => {
    const body = graph({
      inputs: [['sum', 0, undefined], ['row', 0, undefined]],
      nodes: [
        { op: 'Add', inputs: ['sum', 'row'], outputs: ['sum_out'] },
        { op: 'Identity', inputs: ['sum_out'], outputs: ['each'] },
      ],
      outputs: [['sum_out', 0, undefined], ['each', 0, undefined]],
    });
    const m = model({
      opsets: { '': 11 },
      inputs: [['init', FLOAT, [2]], ['xs', FLOAT, [7, 2]]],
      nodes: [{ op: 'Scan', inputs: ['init', 'xs'], outputs: ['total', 'partials'], attrs: { body: { g: body }, num_scan_inputs: 1 } }],
    });
    const shapes = inferShapes(m);
    expect(shapes.get('total')?.shape).toEqual([2]);
    expect(shapes.get('partials')?.shape).toEqual([7, 2]);
  });

  it('declared value_info fills what inference cannot know', () => {
    const m = model({
      inputs: [['x', FLOAT, [2, 3]]],
      valueInfo: [['y', FLOAT, ['k', 3]]],
      nodes: [{ op: 'NonZero', inputs: ['x'], outputs: ['nz'] }, { op: 'Custom', domain: 'x.y', inputs: ['x'], outputs: ['y'] }],
      opsets: { '': 17, 'x.y': 1 },
    });
    expect(inferShapes(m).get('y')).toEqual({ dtype: FLOAT, shape: ['k', 3] });
  });
});
