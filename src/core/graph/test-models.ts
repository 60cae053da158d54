/**
 * Small in-memory model builders for tests and benchmarks (pure; no file access): a terse way to
 * write a graph, and a generator of large transformer-like graphs for timing.
 */
import type { onnx } from '../onnx/codec.js';
import { AttributeType, DataType, Long } from '../onnx/codec.js';

export type AttrValue =
  | number
  | number[]
  | string
  | { readonly f: number }
  | { readonly floats: number[] }
  | { readonly t: onnx.ITensorProto }
  | { readonly g: onnx.IGraphProto };

export interface NodeSpec {
  readonly op: string;
  readonly inputs: string[];
  readonly outputs: string[];
  readonly attrs?: Readonly<Record<string, AttrValue>>;
  readonly domain?: string;
  readonly name?: string;
}

/** A declared tensor: [name, dtype code, dims] (dims may hold symbolic names; undefined = no shape). */
export type ValueSpec = readonly [string, number, readonly (number | string)[] | undefined];

export interface GraphSpec {
  readonly nodes: NodeSpec[];
  readonly inputs?: ValueSpec[];
  readonly outputs?: ValueSpec[];
  readonly initializers?: onnx.ITensorProto[];
  readonly sparseInitializers?: onnx.ISparseTensorProto[];
  readonly valueInfo?: ValueSpec[];
  readonly name?: string;
}

export interface ModelSpec extends GraphSpec {
  /** Domain → version; default { '': 17 }. */
  readonly opsets?: Readonly<Record<string, number>>;
  readonly irVersion?: number;
}

const L = (n: number): Long => Long.fromNumber(n);

export function attribute(name: string, v: AttrValue): onnx.IAttributeProto {
  if (typeof v === 'number') return { name, type: AttributeType.INT, i: L(v) };
  if (typeof v === 'string') return { name, type: AttributeType.STRING, s: new TextEncoder().encode(v) };
  if (Array.isArray(v)) return { name, type: AttributeType.INTS, ints: v.map(L) };
  if ('f' in v) return { name, type: AttributeType.FLOAT, f: v.f };
  if ('floats' in v) return { name, type: AttributeType.FLOATS, floats: v.floats };
  if ('t' in v) return { name, type: AttributeType.TENSOR, t: v.t };
  return { name, type: AttributeType.GRAPH, g: v.g };
}

export function node(spec: NodeSpec): onnx.INodeProto {
  return {
    opType: spec.op,
    domain: spec.domain ?? '',
    name: spec.name ?? '',
    input: spec.inputs,
    output: spec.outputs,
    attribute: Object.entries(spec.attrs ?? {}).map(([k, v]) => attribute(k, v)),
  };
}

export function valueInfo([name, dtype, dims]: ValueSpec): onnx.IValueInfoProto {
  const shape = dims === undefined ? null : { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: L(d) } : { dimParam: d })) };
  return { name, type: { tensorType: { elemType: dtype, shape } } };
}

export function graph(spec: GraphSpec): onnx.IGraphProto {
  return {
    name: spec.name ?? 'g',
    node: spec.nodes.map(node),
    input: (spec.inputs ?? []).map(valueInfo),
    output: (spec.outputs ?? []).map(valueInfo),
    initializer: spec.initializers ?? [],
    sparseInitializer: spec.sparseInitializers ?? [],
    valueInfo: (spec.valueInfo ?? []).map(valueInfo),
  };
}

export function model(spec: ModelSpec): onnx.IModelProto {
  const opsets = spec.opsets ?? { '': 17 };
  return {
    irVersion: L(spec.irVersion ?? 8),
    producerName: 'test',
    opsetImport: Object.entries(opsets).map(([domain, version]) => ({ domain, version: L(version) })),
    graph: graph(spec),
  };
}

export function int64Tensor(name: string, dims: number[], values: number[]): onnx.ITensorProto {
  return { name, dataType: DataType.INT64, dims: dims.map(L), int64Data: values.map(L) };
}

/** A float tensor without data (dims only) unless values are given: enough for shapes and statistics. */
export function floatTensor(name: string, dims: number[], values?: number[]): onnx.ITensorProto {
  const count = dims.reduce((a, b) => a * b, 1);
  return values
    ? { name, dataType: DataType.FLOAT, dims: dims.map(L), floatData: values }
    : { name, dataType: DataType.FLOAT, dims: dims.map(L), rawData: new Uint8Array(count * 4) };
}

/**
 * A transformer-like graph of about `targetNodes` nodes: repeated attention blocks over an input
 * [batch, seq, 64], each with the Shape → Gather → Unsqueeze → Concat → Reshape chains of PyTorch
 * exports, MatMuls, Softmax, LayerNormalization and Constant nodes.
 */
export function syntheticTransformer(targetNodes: number, hidden = 64, heads = 4): onnx.IModelProto {
  const FLOAT = DataType.FLOAT;
  const head = hidden / heads;
  const nodes: NodeSpec[] = [];
  const initializers: onnx.ITensorProto[] = [
    int64Tensor('c0', [], [0]),
    int64Tensor('c1', [], [1]),
    int64Tensor('axes0', [1], [0]),
    int64Tensor('heads', [1], [heads]),
    int64Tensor('headDim', [1], [head]),
    int64Tensor('merge', [3], [0, 0, hidden]),
  ];
  let x = 'input';
  let b = 0;
  while (nodes.length < targetNodes) {
    const p = `b${b}_`;
    initializers.push(floatTensor(`${p}w`, [hidden, hidden]), floatTensor(`${p}bias`, [hidden]), floatTensor(`${p}gamma`, [hidden]), floatTensor(`${p}beta`, [hidden]));
    nodes.push(
      { op: 'Shape', inputs: [x], outputs: [`${p}shape`] },
      { op: 'Gather', inputs: [`${p}shape`, 'c0'], outputs: [`${p}batch`], attrs: { axis: 0 } },
      { op: 'Gather', inputs: [`${p}shape`, 'c1'], outputs: [`${p}seq`], attrs: { axis: 0 } },
      { op: 'Unsqueeze', inputs: [`${p}batch`, 'axes0'], outputs: [`${p}batch1`] },
      { op: 'Unsqueeze', inputs: [`${p}seq`, 'axes0'], outputs: [`${p}seq1`] },
      { op: 'Concat', inputs: [`${p}batch1`, `${p}seq1`, 'heads', 'headDim'], outputs: [`${p}split`], attrs: { axis: 0 } },
      { op: 'MatMul', inputs: [x, `${p}w`], outputs: [`${p}proj`] },
      { op: 'Add', inputs: [`${p}proj`, `${p}bias`], outputs: [`${p}projb`] },
      { op: 'Reshape', inputs: [`${p}projb`, `${p}split`], outputs: [`${p}q`] },
      { op: 'Transpose', inputs: [`${p}q`], outputs: [`${p}qt`], attrs: { perm: [0, 2, 1, 3] } },
      { op: 'Transpose', inputs: [`${p}qt`], outputs: [`${p}kt`], attrs: { perm: [0, 1, 3, 2] } },
      { op: 'MatMul', inputs: [`${p}qt`, `${p}kt`], outputs: [`${p}scores`] },
      { op: 'Constant', inputs: [], outputs: [`${p}scale`], attrs: { value: { t: floatTensor('', [], [1 / Math.sqrt(head)]) } } },
      { op: 'Mul', inputs: [`${p}scores`, `${p}scale`], outputs: [`${p}scaled`] },
      { op: 'Softmax', inputs: [`${p}scaled`], outputs: [`${p}probs`], attrs: { axis: -1 } },
      { op: 'MatMul', inputs: [`${p}probs`, `${p}qt`], outputs: [`${p}ctx`] },
      { op: 'Transpose', inputs: [`${p}ctx`], outputs: [`${p}ctxt`], attrs: { perm: [0, 2, 1, 3] } },
      { op: 'Reshape', inputs: [`${p}ctxt`, 'merge'], outputs: [`${p}merged`] },
      { op: 'Add', inputs: [x, `${p}merged`], outputs: [`${p}res`] },
      { op: 'LayerNormalization', inputs: [`${p}res`, `${p}gamma`, `${p}beta`], outputs: [`${p}out`], attrs: { axis: -1 } },
    );
    x = `${p}out`;
    b++;
  }
  return model({
    opsets: { '': 17 },
    nodes,
    inputs: [['input', FLOAT, ['batch', 'seq', hidden]]],
    outputs: [[x, FLOAT, undefined]],
    initializers,
  });
}
