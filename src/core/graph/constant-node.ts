/**
 * Constant nodes as tensors. Per the ONNX Constant operator (opset 1–23) exactly one of these
 * attributes holds the value: value (TensorProto), sparse_value (SparseTensorProto, opset 11),
 * value_float / value_floats / value_int / value_ints / value_string / value_strings (opset 12).
 * Exporters (PyTorch above all) put real weights in Constant nodes, so the rest of core treats a
 * tensor-valued Constant like an initializer.
 */
import type { onnx } from '../onnx/codec.js';
import { DataType, Long } from '../onnx/codec.js';
import { findAttr } from './attributes.js';

export type ConstantPayload =
  | { readonly kind: 'dense'; readonly tensor: onnx.ITensorProto; readonly attribute: string }
  | { readonly kind: 'sparse'; readonly sparse: onnx.ISparseTensorProto; readonly attribute: string };

const dim = (n: number): Long => Long.fromNumber(n);

export function isConstantOp(node: onnx.INodeProto): boolean {
  return node.opType === 'Constant' && (!node.domain || node.domain === 'ai.onnx');
}

/**
 * The value of a Constant node. The `value` tensor is returned as is (no copy); the scalar/list forms
 * are wrapped in a small TensorProto that shares the attribute's arrays.
 */
export function constantPayload(node: onnx.INodeProto): ConstantPayload | undefined {
  if (!isConstantOp(node)) return undefined;
  const value = findAttr(node, 'value');
  if (value?.t) return { kind: 'dense', tensor: value.t, attribute: 'value' };
  const sparse = findAttr(node, 'sparse_value');
  if (sparse?.sparseTensor) return { kind: 'sparse', sparse: sparse.sparseTensor, attribute: 'sparse_value' };
  const f = findAttr(node, 'value_float');
  if (f) return { kind: 'dense', tensor: { dataType: DataType.FLOAT, dims: [], floatData: [f.f ?? 0] }, attribute: 'value_float' };
  const fs = findAttr(node, 'value_floats');
  if (fs) {
    const floats = fs.floats ?? [];
    return { kind: 'dense', tensor: { dataType: DataType.FLOAT, dims: [dim(floats.length)], floatData: floats }, attribute: 'value_floats' };
  }
  const i = findAttr(node, 'value_int');
  if (i) return { kind: 'dense', tensor: { dataType: DataType.INT64, dims: [], int64Data: [i.i ?? Long.ZERO] }, attribute: 'value_int' };
  const is = findAttr(node, 'value_ints');
  if (is) {
    const ints = is.ints ?? [];
    return { kind: 'dense', tensor: { dataType: DataType.INT64, dims: [dim(ints.length)], int64Data: ints }, attribute: 'value_ints' };
  }
  return undefined;
}

/** String constants are values, not weights: they describe labels or vocabularies, not parameters. */
export function constantStrings(node: onnx.INodeProto): { dims: number[]; strings: Uint8Array[] } | undefined {
  if (!isConstantOp(node)) return undefined;
  const s = findAttr(node, 'value_string');
  if (s) return { dims: [], strings: [s.s ?? new Uint8Array(0)] };
  const ss = findAttr(node, 'value_strings');
  if (ss) return { dims: [(ss.strings ?? []).length], strings: ss.strings ?? [] };
  return undefined;
}
