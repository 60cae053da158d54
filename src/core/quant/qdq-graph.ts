/**
 * What the QDQ planner needs to know about one graph: who produces and who reads each value, which
 * inputs are constants (initializers, Constant nodes, or either behind an Identity — torch exports put
 * Conv weights behind Identity nodes), and the layer facts the speed rules look at (conv group,
 * reduction depth, the row count M of a MatMul/Gemm).
 */
import type { onnx } from '../onnx/codec.js';
import { DataType } from '../onnx/codec.js';
import { attrInt, attrFloat } from '../graph/attributes.js';
import { tensorDims, tensorToNumbers } from '../onnx/tensor.js';
import type { GraphScope, WeightRef } from '../transform/graph-edit.js';
import type { ShapeMap } from '../shape/index.js';

export interface GraphIndex {
  readonly producer: ReadonlyMap<string, onnx.INodeProto>;
  readonly consumers: ReadonlyMap<string, readonly onnx.INodeProto[]>;
  readonly graphOutputs: ReadonlySet<string>;
}

export function indexGraph(graph: onnx.IGraphProto): GraphIndex {
  const producer = new Map<string, onnx.INodeProto>();
  const consumers = new Map<string, onnx.INodeProto[]>();
  for (const n of graph.node ?? []) {
    for (const o of n.output ?? []) if (o) producer.set(o, n);
    for (const i of new Set(n.input ?? [])) {
      if (!i) continue;
      const list = consumers.get(i);
      if (list) list.push(n);
      else consumers.set(i, [n]);
    }
  }
  return { producer, consumers, graphOutputs: new Set((graph.output ?? []).map((o) => o.name ?? '')) };
}

/** A constant input, possibly reached through Identity nodes (`via`: the Identity nodes passed). */
export interface ConstInput {
  readonly ref: WeightRef;
  readonly via: readonly onnx.INodeProto[];
}

export function resolveConst(scope: GraphScope, index: GraphIndex, name: string): ConstInput | undefined {
  const via: onnx.INodeProto[] = [];
  let current = name;
  for (let hops = 0; hops < 8; hops++) {
    const ref = scope.weight(current);
    if (ref) return { ref, via };
    const p = index.producer.get(current);
    if (!p || p.opType !== 'Identity' || (p.domain ?? '') !== '') return undefined;
    via.push(p);
    current = p.input?.[0] ?? '';
  }
  return undefined;
}

export function constNumbers(c: ConstInput): Float64Array | undefined {
  return tensorToNumbers(c.ref.tensor);
}

/** Clip's bounds: attributes before opset 11, optional constant inputs from 11 on. */
export function clipBounds(scope: GraphScope, index: GraphIndex, node: onnx.INodeProto): { lo: number; hi: number } | undefined {
  if ((node.input ?? []).length <= 1) {
    return { lo: attrFloat(node, 'min', -Infinity), hi: attrFloat(node, 'max', Infinity) };
  }
  const read = (i: number, fallback: number): number | undefined => {
    const name = node.input?.[i];
    if (!name) return fallback;
    const c = resolveConst(scope, index, name);
    const v = c ? constNumbers(c) : undefined;
    return v && v.length === 1 ? (v[0] as number) : undefined;
  };
  const lo = read(1, -Infinity);
  const hi = read(2, Infinity);
  return lo === undefined || hi === undefined ? undefined : { lo, hi };
}

/** Facts about a Conv/MatMul/Gemm that the speed rules decide on. */
export interface LayerFacts {
  readonly op: 'Conv' | 'MatMul' | 'Gemm';
  /** The constant weight input (Conv W, MatMul B, Gemm B), when there is one. */
  readonly weightIndex?: number;
  readonly weight?: ConstInput;
  readonly weightDims?: readonly number[];
  /** Conv: group, input channels, kernel spatial size, reduction depth (Cin/group · ∏kernel). */
  readonly group?: number;
  readonly inChannels?: number;
  readonly kernel?: readonly number[];
  readonly reductionDepth?: number;
  readonly depthwise?: boolean;
  /** MatMul/Gemm: rows of A (product of its leading dims; symbolic batch counted as 1), undefined if unknown. */
  readonly rows?: number;
  /** MatMul/Gemm: inner (K) and output (N) sizes. */
  readonly k?: number;
  readonly n?: number;
  /** Per-channel axis of the weight for this op. */
  readonly channelAxis?: number;
  /** Indices of float activation inputs. */
  readonly activationInputs: readonly number[];
  /** Conv/Gemm bias input index, when constant, 1-D and quantizable. */
  readonly biasIndex?: number;
  readonly bias?: ConstInput;
  /** Why it cannot be quantized at all (non-constant weight, odd attributes), if so. */
  readonly unsupported?: string;
}

const isFloatTensor = (t: onnx.ITensorProto): boolean => (t.dataType ?? 0) === DataType.FLOAT;

function rowsOf(shapes: ShapeMap, name: string): number | undefined {
  const shape = shapes.get(name)?.shape;
  if (!shape || shape.length === 0) return undefined;
  let rows = 1;
  // Free dimensions (batch) count as 1: the studio runs and benchmarks models at batch 1.
  for (const d of shape.slice(0, -1)) rows *= typeof d === 'number' ? d : 1;
  return rows;
}

export function layerFacts(scope: GraphScope, index: GraphIndex, shapes: ShapeMap, node: onnx.INodeProto): LayerFacts | undefined {
  const op = node.opType ?? '';
  if ((node.domain ?? '') !== '' && node.domain !== 'ai.onnx') return undefined;
  const inputs = node.input ?? [];
  if (op === 'Conv') {
    const w = inputs[1] ? resolveConst(scope, index, inputs[1]) : undefined;
    const x = inputs[0] ?? '';
    if (!w || !isFloatTensor(w.ref.tensor)) return { op, activationInputs: [0], unsupported: 'its weight is not a constant float32 tensor' };
    const dims = tensorDims(w.ref.tensor);
    if (dims.length < 3) return { op, activationInputs: [0], unsupported: 'unexpected weight rank' };
    if (index.producer.get(x) === undefined && scope.weight(x)) return { op, activationInputs: [], unsupported: 'its input is a constant' };
    const group = attrInt(node, 'group', 1);
    const kernel = dims.slice(2);
    const cinPerGroup = dims[1] as number;
    const reductionDepth = cinPerGroup * kernel.reduce((a, b) => a * b, 1);
    const bias = inputs[2] ? resolveConst(scope, index, inputs[2]) : undefined;
    if (inputs[2] && !bias) return { op, activationInputs: [0], unsupported: 'its bias is not constant' };
    return {
      op,
      weightIndex: 1,
      weight: w,
      weightDims: dims,
      group,
      inChannels: cinPerGroup * group,
      kernel,
      reductionDepth,
      depthwise: group > 1 && cinPerGroup === 1,
      channelAxis: 0,
      activationInputs: [0],
      ...(bias ? { biasIndex: 2, bias } : {}),
    };
  }
  if (op === 'MatMul') {
    const a = inputs[0] ?? '';
    const b = inputs[1] ?? '';
    const ca = resolveConst(scope, index, a);
    const cb = resolveConst(scope, index, b);
    if (ca) return { op, activationInputs: [], unsupported: 'its first input is a constant (only B weights are quantized)' };
    const rows = rowsOf(shapes, a);
    if (!cb) return { op, activationInputs: [0, 1], ...(rows !== undefined ? { rows } : {}) };
    if (!isFloatTensor(cb.ref.tensor)) return { op, activationInputs: [0], unsupported: 'its weight is not float32' };
    const dims = tensorDims(cb.ref.tensor);
    // Per channel along the output columns (axis 1 of a 2-D B), as ORT's quantizer does for MatMul.
    const channelAxis = dims.length === 2 ? 1 : -1;
    return { op, weightIndex: 1, weight: cb, weightDims: dims, channelAxis, activationInputs: [0], ...(rows !== undefined ? { rows } : {}), k: dims[dims.length - 2] ?? 0, n: dims[dims.length - 1] ?? 0 };
  }
  if (op === 'Gemm') {
    const b = inputs[1] ? resolveConst(scope, index, inputs[1]) : undefined;
    if (!b || !isFloatTensor(b.ref.tensor)) return { op, activationInputs: [0], unsupported: 'its B input is not a constant float32 tensor' };
    if (attrInt(node, 'transA', 0) !== 0) return { op, activationInputs: [0], unsupported: 'transA = 1 is not quantized' };
    const dims = tensorDims(b.ref.tensor);
    if (dims.length !== 2) return { op, activationInputs: [0], unsupported: 'B is not 2-D' };
    const transB = attrInt(node, 'transB', 0) !== 0;
    const n = (transB ? dims[0] : dims[1]) ?? 0;
    const k = (transB ? dims[1] : dims[0]) ?? 0;
    const c = inputs[2] ? resolveConst(scope, index, inputs[2]) : undefined;
    if (inputs[2] && !c) return { op, activationInputs: [0], unsupported: 'its C input is not constant' };
    const alpha = attrFloat(node, 'alpha', 1);
    const beta = attrFloat(node, 'beta', 1);
    // An int32 bias folds into the accumulator only when it is a plain per-output vector added once.
    const cDims = c ? tensorDims(c.ref.tensor) : [];
    const biasOk = c !== undefined && alpha === 1 && beta === 1 && isFloatTensor(c.ref.tensor) && cDims.length === 1 && cDims[0] === n;
    if (c && !biasOk) return { op, activationInputs: [0], unsupported: 'its C input is not a per-output bias vector (or alpha/beta ≠ 1)' };
    const rows = rowsOf(shapes, inputs[0] ?? '');
    return { op, weightIndex: 1, weight: b, weightDims: dims, channelAxis: transB ? 0 : 1, activationInputs: [0], ...(rows !== undefined ? { rows } : {}), k, n, ...(c ? { biasIndex: 2, bias: c } : {}) };
  }
  return undefined;
}
