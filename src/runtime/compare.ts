/**
 * Output comparison with the rule of ONNX's backend tests (onnx/backend/test/runner:
 * numpy.testing.assert_allclose(actual, expected, rtol=1e-3, atol=1e-7)): a float element passes when
 * |actual - expected| <= atol + rtol * |expected|; NaN equals NaN; infinities must match exactly.
 * Integers, bools and strings must be exactly equal; int64/uint64 are compared as BigInt, without
 * rounding through doubles.
 */
import type { onnx } from '../core/onnx/codec.js';
import { float16ToNumber } from '../core/onnx/float-formats.js';
import { dtypeName } from '../core/onnx/dtypes.js';
import { tensorBytes, tensorDims, tensorStrings, tensorToNumbers } from '../core/onnx/tensor.js';
import type { Tensor } from './ort.js';
import { ortTypeOf } from './tensors.js';

export interface Tolerance {
  readonly rtol: number;
  readonly atol: number;
}

export const ONNX_BACKEND_TOLERANCE: Tolerance = { rtol: 1e-3, atol: 1e-7 };

/** A tensor's values in a form both ORT tensors and TensorProtos convert to. */
export interface Comparable {
  /** Element type name as ORT spells it (float32, int64, …), or ONNX's name for types ORT lacks. */
  readonly type: string;
  readonly dims: readonly number[];
  readonly values: Float64Array | BigInt64Array | BigUint64Array | readonly string[];
  /** Compare exactly (integers, bools, strings) rather than with tolerance. */
  readonly exact: boolean;
}

export interface Comparison {
  readonly ok: boolean;
  /** Empty when ok; otherwise what differs first, in a sentence. */
  readonly message: string;
  readonly mismatches: number;
  readonly maxAbsError: number;
}

const FLOAT_TYPES = new Set(['float32', 'float64', 'float16', 'bfloat16']);

function isFloat16Array(v: unknown): boolean {
  const ctor = (globalThis as { Float16Array?: abstract new (...a: never[]) => unknown }).Float16Array;
  return ctor !== undefined && v instanceof ctor;
}

/** Values of an ORT tensor (CPU location). float16 comes as Uint16Array bits, or as Float16Array in browsers that have it. */
export function comparableFromTensor(t: Tensor): Comparable {
  const dims = [...t.dims];
  const exact = !FLOAT_TYPES.has(t.type);
  const data: unknown = t.data;
  if (t.type === 'string') return { type: t.type, dims, values: [...(data as string[])], exact };
  if (data instanceof BigInt64Array || data instanceof BigUint64Array) return { type: t.type, dims, values: data, exact };
  if (t.type === 'float16' && data instanceof Uint16Array) {
    return { type: t.type, dims, values: Float64Array.from(data, (h) => float16ToNumber(h)), exact };
  }
  if (t.type === 'int4' || t.type === 'uint4') {
    const bytes = data as Uint8Array;
    const count = dims.reduce((a, b) => a * b, 1);
    const out = new Float64Array(count);
    for (let i = 0; i < count; i++) {
      const nib = ((bytes[i >> 1] ?? 0) >> ((i & 1) * 4)) & 0xf;
      out[i] = t.type === 'int4' ? (nib << 28) >> 28 : nib;
    }
    return { type: t.type, dims, values: out, exact };
  }
  if (isFloat16Array(data) || ArrayBuffer.isView(data)) {
    return { type: t.type, dims, values: Float64Array.from(data as ArrayLike<number>), exact };
  }
  return { type: t.type, dims, values: new Float64Array(0), exact };
}

function bigintValues(t: onnx.ITensorProto, signed: boolean): BigInt64Array | BigUint64Array | undefined {
  const bytes = tensorBytes(t);
  if (!bytes) return undefined;
  const copy = bytes.slice(); // aligned copy: raw_data offsets need not be multiples of 8
  const n = Math.floor(copy.byteLength / 8);
  return signed ? new BigInt64Array(copy.buffer, 0, n) : new BigUint64Array(copy.buffer, 0, n);
}

/** Values of a TensorProto (e.g. an expected output_N.pb), or undefined when its data cannot be read. */
export function comparableFromProto(t: onnx.ITensorProto): Comparable | undefined {
  const code = t.dataType ?? 0;
  const type = ortTypeOf(code) ?? dtypeName(code);
  const dims = tensorDims(t);
  const exact = !FLOAT_TYPES.has(type);
  if (type === 'string') return { type, dims, values: tensorStrings(t), exact };
  if (type === 'int64' || type === 'uint64') {
    const values = bigintValues(t, type === 'int64');
    return values ? { type, dims, values, exact } : undefined;
  }
  const values = tensorToNumbers(t);
  return values ? { type, dims, values, exact } : undefined;
}

function sameDims(a: readonly number[], b: readonly number[]): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

function show(v: number | bigint | string): string {
  return typeof v === 'string' ? JSON.stringify(v) : String(v);
}

/** Compares `actual` with `expected` element by element. */
export function compareValues(actual: Comparable, expected: Comparable, tol: Tolerance = ONNX_BACKEND_TOLERANCE): Comparison {
  const fail = (message: string): Comparison => ({ ok: false, message, mismatches: -1, maxAbsError: NaN });
  if (actual.type !== expected.type) return fail(`type ${actual.type}, expected ${expected.type}`);
  if (!sameDims(actual.dims, expected.dims)) return fail(`shape [${actual.dims.join(',')}], expected [${expected.dims.join(',')}]`);
  const a = actual.values;
  const e = expected.values;
  if (a.length !== e.length) return fail(`${a.length} elements, expected ${e.length}`);
  let mismatches = 0;
  let maxAbsError = 0;
  let first = -1;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number | bigint | string;
    const y = e[i] as number | bigint | string;
    let good: boolean;
    if (typeof x === 'number' && typeof y === 'number') {
      if (Number.isNaN(x) || Number.isNaN(y)) good = Number.isNaN(x) && Number.isNaN(y);
      else if (x === y) good = true;
      else if (actual.exact || !Number.isFinite(x) || !Number.isFinite(y)) good = false;
      else {
        const d = Math.abs(x - y);
        if (d > maxAbsError) maxAbsError = d;
        good = d <= tol.atol + tol.rtol * Math.abs(y);
      }
    } else {
      good = x === y;
    }
    if (!good) {
      mismatches++;
      if (first < 0) first = i;
    }
  }
  if (mismatches === 0) return { ok: true, message: '', mismatches: 0, maxAbsError };
  const at = first;
  return {
    ok: false,
    mismatches,
    maxAbsError,
    message: `${mismatches} of ${a.length} elements differ; first at [${at}]: ${show(a[at] as number)} vs expected ${show(e[at] as number)}${
      actual.exact ? '' : ` (max |diff| ${maxAbsError.toExponential(2)}, rtol ${tol.rtol}, atol ${tol.atol})`
    }`,
  };
}

/** Compares an ORT output with an expected TensorProto. */
export function compareToExpected(actual: Tensor, expected: onnx.ITensorProto, tol: Tolerance = ONNX_BACKEND_TOLERANCE): Comparison {
  const e = comparableFromProto(expected);
  if (!e) return { ok: false, message: 'expected tensor has no readable data', mismatches: -1, maxAbsError: NaN };
  return compareValues(comparableFromTensor(actual), e, tol);
}

/** Compares two ORT outputs (e.g. the original model's and the re-encoded model's). */
export function compareTensors(actual: Tensor, reference: Tensor, tol: Tolerance = ONNX_BACKEND_TOLERANCE): Comparison {
  return compareValues(comparableFromTensor(actual), comparableFromTensor(reference), tol);
}

/** True when both tensors have the same type, shape and bit-identical data. */
export function bitIdentical(a: Tensor, b: Tensor): boolean {
  if (a.type !== b.type || !sameDims(a.dims, b.dims)) return false;
  const x: unknown = a.data;
  const y: unknown = b.data;
  if (Array.isArray(x) && Array.isArray(y)) return x.length === y.length && x.every((v, i) => v === y[i]);
  if (!ArrayBuffer.isView(x) || !ArrayBuffer.isView(y)) return false;
  const p = new Uint8Array(x.buffer, x.byteOffset, x.byteLength);
  const q = new Uint8Array(y.buffer, y.byteOffset, y.byteLength);
  if (p.length !== q.length) return false;
  for (let i = 0; i < p.length; i++) if (p[i] !== q[i]) return false;
  return true;
}
