/**
 * Reading tensor contents whatever way a TensorProto stores them: raw_data (little-endian bytes, the
 * usual case), the typed repeated fields (float_data, int32_data, …), or external files.
 *
 * Field mapping per onnx.proto: int32_data holds int32/int16/int8/uint16/uint8/bool and the bit
 * patterns of float16/bfloat16/float8 (one per element) and of 4-bit types (two per element, packed);
 * uint64_data holds uint32/uint64; float_data holds float and complex64; double_data double and
 * complex128; int64_data int64; string_data strings.
 */
import { onnx, toNumber } from './codec.js';
import type Long from 'long';
import { storageBytes } from './dtypes.js';
import {
  bfloat16ToNumber,
  float16ToNumber,
  float4e2m1ToNumber,
  float8e4m3fnToNumber,
  float8e4m3fnuzToNumber,
  float8e5m2fnuzToNumber,
  float8e5m2ToNumber,
  float8e8m0ToNumber,
} from './float-formats.js';

const DT = onnx.TensorProto.DataType;

/** External data files the user supplied, by the `location` string the model uses. */
export type ExternalFiles = ReadonlyMap<string, Uint8Array>;

export function tensorDims(t: onnx.ITensorProto): number[] {
  return (t.dims ?? []).map((d) => toNumber(d));
}

export function elementCount(dims: readonly number[]): number {
  let n = 1;
  for (const d of dims) n *= d;
  return n;
}

export function isExternal(t: onnx.ITensorProto): boolean {
  return t.dataLocation === onnx.TensorProto.DataLocation.EXTERNAL;
}

export interface ExternalRef {
  readonly location: string;
  readonly offset: number;
  /** -1 when the model does not say (then: to the end of the file). */
  readonly length: number;
}

export function externalRef(t: onnx.ITensorProto): ExternalRef | undefined {
  if (!isExternal(t)) return undefined;
  let location = '';
  let offset = 0;
  let length = -1;
  for (const kv of t.externalData ?? []) {
    if (kv.key === 'location') location = kv.value ?? '';
    else if (kv.key === 'offset') offset = Number(kv.value);
    else if (kv.key === 'length') length = Number(kv.value);
  }
  return { location, offset, length };
}

/** Little-endian bytes of a fixed-width tensor. A view (no copy) for raw_data and external data. */
export function tensorBytes(t: onnx.ITensorProto, external?: ExternalFiles): Uint8Array | undefined {
  const dtype = t.dataType ?? 0;
  if (dtype === DT.STRING) return undefined;
  const ref = externalRef(t);
  if (ref) {
    const file = external?.get(ref.location);
    if (!file) return undefined;
    const end = ref.length >= 0 ? ref.offset + ref.length : file.byteLength;
    if (end > file.byteLength) return undefined;
    return file.subarray(ref.offset, end);
  }
  if (t.rawData && t.rawData.byteLength > 0) return t.rawData;
  return typedFieldBytes(t);
}

function typedFieldBytes(t: onnx.ITensorProto): Uint8Array {
  const dtype = t.dataType ?? 0;
  const count = elementCount(tensorDims(t));
  const out = new Uint8Array(storageBytes(dtype, count));
  const view = new DataView(out.buffer);
  const i32 = t.int32Data ?? [];
  switch (dtype) {
    case DT.FLOAT:
    case DT.COMPLEX64:
      (t.floatData ?? []).forEach((v, i) => view.setFloat32(i * 4, v, true));
      break;
    case DT.DOUBLE:
    case DT.COMPLEX128:
      (t.doubleData ?? []).forEach((v, i) => view.setFloat64(i * 8, v, true));
      break;
    case DT.INT64:
      (t.int64Data ?? []).forEach((v, i) => view.setBigInt64(i * 8, longToBigInt(v), true));
      break;
    case DT.UINT32:
      (t.uint64Data ?? []).forEach((v, i) => view.setUint32(i * 4, toNumber(v), true));
      break;
    case DT.UINT64:
      (t.uint64Data ?? []).forEach((v, i) => view.setBigUint64(i * 8, BigInt.asUintN(64, longToBigInt(v)), true));
      break;
    case DT.INT32:
      i32.forEach((v, i) => view.setInt32(i * 4, v, true));
      break;
    case DT.INT16:
    case DT.UINT16:
    case DT.FLOAT16:
    case DT.BFLOAT16:
      i32.forEach((v, i) => view.setUint16(i * 2, v & 0xffff, true));
      break;
    default:
      // 8-bit kinds store one value per int32; 4-bit and 2-bit kinds store already-packed bytes.
      i32.forEach((v, i) => {
        if (i < out.length) out[i] = v & 0xff;
      });
  }
  return out;
}

function longToBigInt(v: number | Long): bigint {
  return typeof v === 'number' ? BigInt(v) : BigInt(v.toString());
}

/** Values as doubles, for statistics and constant folding. int64 beyond 2^53 loses precision. */
export function tensorToNumbers(t: onnx.ITensorProto, external?: ExternalFiles): Float64Array | undefined {
  const dtype = t.dataType ?? 0;
  const count = elementCount(tensorDims(t));
  const bytes = tensorBytes(t, external);
  if (!bytes) return undefined;
  return bytesToNumbers(dtype, bytes, count);
}

export function bytesToNumbers(dtype: number, bytes: Uint8Array, count: number): Float64Array | undefined {
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out = new Float64Array(count);
  const need = storageBytes(dtype, count);
  if (bytes.byteLength < need) return undefined;
  const each = (fn: (i: number) => number): Float64Array => {
    for (let i = 0; i < count; i++) out[i] = fn(i);
    return out;
  };
  const nibble = (i: number): number => ((bytes[i >> 1] as number) >> ((i & 1) * 4)) & 0xf;
  const crumb = (i: number): number => ((bytes[i >> 2] as number) >> ((i & 3) * 2)) & 0x3;
  switch (dtype) {
    case DT.FLOAT: return each((i) => dv.getFloat32(i * 4, true));
    case DT.DOUBLE: return each((i) => dv.getFloat64(i * 8, true));
    case DT.FLOAT16: return each((i) => float16ToNumber(dv.getUint16(i * 2, true)));
    case DT.BFLOAT16: return each((i) => bfloat16ToNumber(dv.getUint16(i * 2, true)));
    case DT.INT8: return each((i) => dv.getInt8(i));
    case DT.UINT8:
    case DT.BOOL: return each((i) => dv.getUint8(i));
    case DT.INT16: return each((i) => dv.getInt16(i * 2, true));
    case DT.UINT16: return each((i) => dv.getUint16(i * 2, true));
    case DT.INT32: return each((i) => dv.getInt32(i * 4, true));
    case DT.UINT32: return each((i) => dv.getUint32(i * 4, true));
    case DT.INT64: return each((i) => Number(dv.getBigInt64(i * 8, true)));
    case DT.UINT64: return each((i) => Number(dv.getBigUint64(i * 8, true)));
    case DT.FLOAT8E4M3FN: return each((i) => float8e4m3fnToNumber(dv.getUint8(i)));
    case DT.FLOAT8E4M3FNUZ: return each((i) => float8e4m3fnuzToNumber(dv.getUint8(i)));
    case DT.FLOAT8E5M2: return each((i) => float8e5m2ToNumber(dv.getUint8(i)));
    case DT.FLOAT8E5M2FNUZ: return each((i) => float8e5m2fnuzToNumber(dv.getUint8(i)));
    case DT.FLOAT8E8M0: return each((i) => float8e8m0ToNumber(dv.getUint8(i)));
    case DT.UINT4: return each((i) => nibble(i));
    case DT.INT4: return each((i) => ((nibble(i) << 28) >> 28));
    case DT.FLOAT4E2M1: return each((i) => float4e2m1ToNumber(nibble(i)));
    case DT.UINT2: return each((i) => crumb(i));
    case DT.INT2: return each((i) => ((crumb(i) << 30) >> 30));
    default: return undefined; // strings, complex
  }
}

/** Strings of a STRING tensor, decoded as UTF-8. */
export function tensorStrings(t: onnx.ITensorProto): string[] {
  const dec = new TextDecoder();
  return (t.stringData ?? []).map((b) => dec.decode(b));
}

/** Bytes the tensor's data occupies (stored size, packed for sub-byte types; UTF-8 length for strings). */
export function tensorStorageBytes(t: onnx.ITensorProto): number {
  const dtype = t.dataType ?? 0;
  if (dtype === DT.STRING) return (t.stringData ?? []).reduce((s, b) => s + b.byteLength, 0);
  return storageBytes(dtype, elementCount(tensorDims(t)));
}
