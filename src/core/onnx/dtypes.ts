/**
 * Facts about every ONNX tensor element type (TensorProto.DataType), in one table so that the codec,
 * statistics, the overview and transformations agree on names and sizes.
 */
import { onnx } from './generated/onnx.js';

const DT = onnx.TensorProto.DataType;

export interface DTypeInfo {
  readonly code: number;
  /** Lower-case name as ONNX Runtime and numpy spell it: float32, float16, int8, … */
  readonly name: string;
  /** Bits per element as stored in raw_data (4 for int4/uint4/float4, 2 for int2/uint2). */
  readonly bits: number;
  readonly kind: 'float' | 'int' | 'uint' | 'bool' | 'string' | 'complex';
}

const TABLE: readonly DTypeInfo[] = [
  { code: DT.FLOAT, name: 'float32', bits: 32, kind: 'float' },
  { code: DT.UINT8, name: 'uint8', bits: 8, kind: 'uint' },
  { code: DT.INT8, name: 'int8', bits: 8, kind: 'int' },
  { code: DT.UINT16, name: 'uint16', bits: 16, kind: 'uint' },
  { code: DT.INT16, name: 'int16', bits: 16, kind: 'int' },
  { code: DT.INT32, name: 'int32', bits: 32, kind: 'int' },
  { code: DT.INT64, name: 'int64', bits: 64, kind: 'int' },
  { code: DT.STRING, name: 'string', bits: 0, kind: 'string' },
  { code: DT.BOOL, name: 'bool', bits: 8, kind: 'bool' },
  { code: DT.FLOAT16, name: 'float16', bits: 16, kind: 'float' },
  { code: DT.DOUBLE, name: 'float64', bits: 64, kind: 'float' },
  { code: DT.UINT32, name: 'uint32', bits: 32, kind: 'uint' },
  { code: DT.UINT64, name: 'uint64', bits: 64, kind: 'uint' },
  { code: DT.COMPLEX64, name: 'complex64', bits: 64, kind: 'complex' },
  { code: DT.COMPLEX128, name: 'complex128', bits: 128, kind: 'complex' },
  { code: DT.BFLOAT16, name: 'bfloat16', bits: 16, kind: 'float' },
  { code: DT.FLOAT8E4M3FN, name: 'float8e4m3fn', bits: 8, kind: 'float' },
  { code: DT.FLOAT8E4M3FNUZ, name: 'float8e4m3fnuz', bits: 8, kind: 'float' },
  { code: DT.FLOAT8E5M2, name: 'float8e5m2', bits: 8, kind: 'float' },
  { code: DT.FLOAT8E5M2FNUZ, name: 'float8e5m2fnuz', bits: 8, kind: 'float' },
  { code: DT.UINT4, name: 'uint4', bits: 4, kind: 'uint' },
  { code: DT.INT4, name: 'int4', bits: 4, kind: 'int' },
  { code: DT.FLOAT4E2M1, name: 'float4e2m1', bits: 4, kind: 'float' },
  { code: DT.FLOAT8E8M0, name: 'float8e8m0', bits: 8, kind: 'float' },
  { code: DT.UINT2, name: 'uint2', bits: 2, kind: 'uint' },
  { code: DT.INT2, name: 'int2', bits: 2, kind: 'int' },
];

const BY_CODE = new Map(TABLE.map((d) => [d.code, d]));
const BY_NAME = new Map(TABLE.map((d) => [d.name, d]));

export function dtypeInfo(code: number): DTypeInfo | undefined {
  return BY_CODE.get(code);
}

export function dtypeByName(name: string): DTypeInfo | undefined {
  return BY_NAME.get(name);
}

/** 'float32' for 1; 'undefined' for 0; 'dtype(99)' for codes newer than this build knows. */
export function dtypeName(code: number): string {
  if (code === 0) return 'undefined';
  return BY_CODE.get(code)?.name ?? `dtype(${code})`;
}

/** Bytes needed to store `count` elements in raw_data (sub-byte types are packed, rounded up). */
export function storageBytes(code: number, count: number): number {
  const info = BY_CODE.get(code);
  if (!info || info.bits === 0) return 0;
  return Math.ceil((info.bits * count) / 8);
}

export const ALL_DTYPES = TABLE;
