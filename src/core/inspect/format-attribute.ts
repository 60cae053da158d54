/**
 * Attribute values as display text: int lists as '[3, 3]', floats with 6 significant digits, strings
 * as written, tensors summarised by dtype, shape and first values ('float32 [64] = [0.1, 0.2, …]'),
 * subgraphs by size ('graph (12 nodes)'). Only a few leading tensor elements are ever decoded.
 */
import type { onnx } from '../onnx/codec.js';
import { AttributeType, DataType, toNumber } from '../onnx/codec.js';
import { dtypeName, storageBytes } from '../onnx/dtypes.js';
import { bytesToNumbers, elementCount, isExternal, tensorBytes, tensorDims, tensorStrings } from '../onnx/tensor.js';
import type { ExternalFiles } from '../onnx/tensor.js';
import type { AttributeDetails } from './types.js';

const utf8 = new TextDecoder();
/** Elements shown for lists and tensors before '…'. */
const SHOWN = 8;
const MAX_STRING = 200;

const TYPE_NAMES: Record<number, string> = {
  [AttributeType.FLOAT]: 'FLOAT',
  [AttributeType.INT]: 'INT',
  [AttributeType.STRING]: 'STRING',
  [AttributeType.TENSOR]: 'TENSOR',
  [AttributeType.GRAPH]: 'GRAPH',
  [AttributeType.SPARSE_TENSOR]: 'SPARSE_TENSOR',
  [AttributeType.TYPE_PROTO]: 'TYPE_PROTO',
  [AttributeType.FLOATS]: 'FLOATS',
  [AttributeType.INTS]: 'INTS',
  [AttributeType.STRINGS]: 'STRINGS',
  [AttributeType.TENSORS]: 'TENSORS',
  [AttributeType.GRAPHS]: 'GRAPHS',
  [AttributeType.SPARSE_TENSORS]: 'SPARSE_TENSORS',
  [AttributeType.TYPE_PROTOS]: 'TYPE_PROTOS',
};

/** Attributes whose INT value is a TensorProto.DataType code (Cast.to, EyeLike.dtype, QuantizeLinear.output_dtype, …). */
const DTYPE_ATTRIBUTES = new Set(['to', 'dtype', 'output_dtype', 'saturate_dtype']);

/** 6 significant digits, no trailing zeros: float32 attribute values print as written (0.1, not 0.100000001). */
export function formatNumber(v: number): string {
  if (Number.isNaN(v)) return 'NaN';
  if (!Number.isFinite(v)) return v > 0 ? 'inf' : '-inf';
  if (Number.isInteger(v) && Math.abs(v) < 1e15) return String(v);
  return String(Number(v.toPrecision(6)));
}

function list(values: readonly string[], total: number): string {
  const more = total > values.length ? `, … (${total} values)` : '';
  return `[${values.join(', ')}${more}]`;
}

function clip(s: string): string {
  return s.length > MAX_STRING ? `${s.slice(0, MAX_STRING)}…` : s;
}

/** The attribute's type: its declared type, or (old models leave it UNDEFINED) the field that is set. */
export function attributeType(a: onnx.IAttributeProto): number {
  if (a.type) return a.type;
  if (a.g) return AttributeType.GRAPH;
  if (a.t) return AttributeType.TENSOR;
  if (a.sparseTensor) return AttributeType.SPARSE_TENSOR;
  if (a.graphs && a.graphs.length > 0) return AttributeType.GRAPHS;
  if (a.tensors && a.tensors.length > 0) return AttributeType.TENSORS;
  if (a.floats && a.floats.length > 0) return AttributeType.FLOATS;
  if (a.ints && a.ints.length > 0) return AttributeType.INTS;
  if (a.strings && a.strings.length > 0) return AttributeType.STRINGS;
  if (a.s && a.s.length > 0) return AttributeType.STRING;
  if (a.f) return AttributeType.FLOAT;
  return AttributeType.INT;
}

/** 'float32 [64] = [0.1, 0.2, …]'; 'float32 [] = 0.5' for a scalar; no values when they cannot be read. */
export function summarizeTensor(t: onnx.ITensorProto, external?: ExternalFiles): string {
  const dtype = t.dataType ?? 0;
  const dims = tensorDims(t);
  const head = `${dtypeName(dtype)} [${dims.join(', ')}]`;
  const count = elementCount(dims);
  if (count === 0) return head;
  let shown: string[];
  if (dtype === DataType.STRING) {
    shown = tensorStrings(t).slice(0, SHOWN).map((s) => JSON.stringify(clip(s)));
  } else {
    const n = Math.min(count, SHOWN);
    const bytes = tensorBytes(t, external);
    const need = storageBytes(dtype, n);
    // Decode only the leading elements: a 100 MB tensor attribute costs no more than a small one.
    const values = bytes && bytes.byteLength >= need ? bytesToNumbers(dtype, bytes.subarray(0, need), n) : undefined;
    if (!values) return isExternal(t) ? `${head} (external data)` : head;
    shown = Array.from(values, formatNumber);
  }
  if (dims.length === 0) return `${head} = ${shown[0] ?? ''}`;
  return `${head} = ${list(shown, count)}`;
}

function summarizeSparse(sp: onnx.ISparseTensorProto): string {
  const values = sp.values;
  const dims = (sp.dims ?? []).map((d) => toNumber(d));
  const nnz = values ? elementCount(tensorDims(values)) : 0;
  return `sparse ${dtypeName(values?.dataType ?? 0)} [${dims.join(', ')}] (${nnz} stored values)`;
}

function graphText(g: onnx.IGraphProto): string {
  const n = (g.node ?? []).length;
  return `graph (${n} node${n === 1 ? '' : 's'})`;
}

export function formatAttributeValue(a: onnx.IAttributeProto, external?: ExternalFiles): string {
  const type = attributeType(a);
  switch (type) {
    case AttributeType.FLOAT:
      return formatNumber(a.f ?? 0);
    case AttributeType.INT: {
      const v = toNumber(a.i);
      const name = a.name ?? '';
      return DTYPE_ATTRIBUTES.has(name) && v > 0 ? `${v} (${dtypeName(v)})` : String(v);
    }
    case AttributeType.STRING:
      return clip(utf8.decode(a.s ?? new Uint8Array(0)));
    case AttributeType.FLOATS: {
      const fs = a.floats ?? [];
      return list(fs.slice(0, SHOWN * 2).map(formatNumber), fs.length);
    }
    case AttributeType.INTS: {
      const is = a.ints ?? [];
      return list(is.slice(0, SHOWN * 2).map((v) => String(toNumber(v))), is.length);
    }
    case AttributeType.STRINGS: {
      const ss = a.strings ?? [];
      return list(ss.slice(0, SHOWN).map((b) => JSON.stringify(clip(utf8.decode(b)))), ss.length);
    }
    case AttributeType.TENSOR:
      return a.t ? summarizeTensor(a.t, external) : '';
    case AttributeType.TENSORS: {
      const ts = a.tensors ?? [];
      return `${ts.length} tensors: ${ts.slice(0, 3).map((t) => summarizeTensor(t, external)).join('; ')}${ts.length > 3 ? '; …' : ''}`;
    }
    case AttributeType.SPARSE_TENSOR:
      return a.sparseTensor ? summarizeSparse(a.sparseTensor) : '';
    case AttributeType.SPARSE_TENSORS:
      return `${(a.sparseTensors ?? []).length} sparse tensors`;
    case AttributeType.GRAPH:
      return a.g ? graphText(a.g) : '';
    case AttributeType.GRAPHS: {
      const gs = a.graphs ?? [];
      return `${gs.length} graphs (${gs.map((g) => (g.node ?? []).length).join(', ')} nodes)`;
    }
    case AttributeType.TYPE_PROTO:
      return 'type';
    case AttributeType.TYPE_PROTOS:
      return `${(a.typeProtos ?? []).length} types`;
    default:
      return '';
  }
}

export function attributeDetails(a: onnx.IAttributeProto, external?: ExternalFiles): AttributeDetails {
  const type = attributeType(a);
  return { name: a.name ?? '', type: TYPE_NAMES[type] ?? `type ${type}`, value: formatAttributeValue(a, external) };
}
