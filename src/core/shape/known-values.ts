/**
 * Small tensors with known contents, the fuel of shape inference on exported graphs: PyTorch writes
 * `x.view(x.size(0), -1)` as Shape → Gather → Unsqueeze → Concat → Reshape, so Reshape targets are
 * only known if those little int64 vectors are evaluated along the way.
 */
import type { onnx } from '../onnx/codec.js';
import { DataType } from '../onnx/codec.js';
import { dtypeInfo } from '../onnx/dtypes.js';
import { elementCount, tensorDims, tensorToNumbers } from '../onnx/tensor.js';
import { isNum } from './dims.js';
import type { Dim, KnownValue } from './types.js';

export const DEFAULT_MAX_KNOWN_ELEMENTS = 1024;

export function tensorKnownValue(t: onnx.ITensorProto, maxElements: number): KnownValue | undefined {
  const dims = tensorDims(t);
  if (elementCount(dims) > maxElements) return undefined;
  const dtype = t.dataType ?? 0;
  const kind = dtypeInfo(dtype)?.kind;
  if (!kind || kind === 'string' || kind === 'complex') return undefined;
  const nums = tensorToNumbers(t);
  if (!nums) return undefined;
  return { dims, data: Array.from(nums) };
}

export function knownInts(v: KnownValue | undefined): number[] | undefined {
  if (!v || !v.data.every(isNum)) return undefined;
  return v.data as number[];
}

export function scalarOf(v: KnownValue | undefined): Dim | undefined {
  return v && v.data.length === 1 ? v.data[0] : undefined;
}

/** Round a computed number the way the element type stores it (ONNX Cast semantics, saturating bools). */
export function castNumber(x: number, dtype: number): number {
  const info = dtypeInfo(dtype);
  if (!info) return x;
  if (dtype === DataType.BOOL) return x !== 0 ? 1 : 0;
  if (dtype === DataType.FLOAT) return Math.fround(x);
  if (info.kind === 'int' || info.kind === 'uint') return Number.isFinite(x) ? Math.trunc(x) : x;
  return x;
}

export function isIntegerType(dtype: number): boolean {
  const kind = dtypeInfo(dtype)?.kind;
  return kind === 'int' || kind === 'uint' || kind === 'bool';
}

/** Index into a tensor of dims `dims` for output coordinates broadcast from `outDims`. */
function broadcastIndex(flat: number, outDims: readonly number[], dims: readonly number[]): number {
  let idx = 0;
  let stride = 1;
  let rem = flat;
  const off = outDims.length - dims.length;
  const coords: number[] = new Array<number>(outDims.length);
  for (let i = outDims.length - 1; i >= 0; i--) {
    const n = outDims[i] as number;
    coords[i] = rem % n;
    rem = Math.floor(rem / n);
  }
  for (let i = dims.length - 1; i >= 0; i--) {
    const n = dims[i] as number;
    const c = n === 1 ? 0 : (coords[off + i] as number);
    idx += c * stride;
    stride *= n;
  }
  return idx;
}

function broadcastValueDims(values: readonly KnownValue[]): number[] | undefined {
  let rank = 0;
  for (const v of values) rank = Math.max(rank, v.dims.length);
  const out = new Array<number>(rank).fill(1);
  for (const v of values) {
    const off = rank - v.dims.length;
    for (let i = 0; i < v.dims.length; i++) {
      const a = out[off + i] as number;
      const b = v.dims[i] as number;
      if (a === 1) out[off + i] = b;
      else if (b !== 1 && b !== a) return undefined;
    }
  }
  return out;
}

/** Apply an element function over broadcast known values. */
export function mapKnown(values: readonly KnownValue[], fn: (xs: Dim[]) => Dim, maxElements: number): KnownValue | undefined {
  const dims = broadcastValueDims(values);
  if (!dims) return undefined;
  const n = elementCount(dims);
  if (n > maxElements) return undefined;
  const data: Dim[] = new Array<Dim>(n);
  const same = values.every((v) => v.dims.length === dims.length && v.dims.every((d, i) => d === dims[i]));
  for (let i = 0; i < n; i++) {
    const xs = values.map((v) => (same ? (v.data[i] as Dim) : (v.data[broadcastIndex(i, dims, v.dims)] as Dim)));
    data[i] = fn(xs);
  }
  return { dims, data };
}
