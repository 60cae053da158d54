/**
 * Typed arrays of sample data: allocation per dtype, reading one element as a number, and casting
 * a whole tensor to the dtype a model input wants (numpy `astype` semantics: float → int truncates
 * toward zero, anything → bool is `!= 0`).
 */
import type { SampleArray, SampleDType, SampleTensor } from './types.js';

const SAMPLE_DTYPES: readonly SampleDType[] = ['float32', 'float64', 'int64', 'int32', 'int8', 'uint8', 'bool'];

export function isSampleDType(s: string): s is SampleDType {
  return (SAMPLE_DTYPES as readonly string[]).includes(s);
}

export function allocate(dtype: SampleDType, count: number): SampleArray {
  switch (dtype) {
    case 'float32': return new Float32Array(count);
    case 'float64': return new Float64Array(count);
    case 'int64': return new BigInt64Array(count);
    case 'int32': return new Int32Array(count);
    case 'int8': return new Int8Array(count);
    case 'uint8':
    case 'bool': return new Uint8Array(count);
  }
}

/** Element i as a JS number (int64 beyond 2^53 loses precision). */
export function elementAt(t: SampleTensor, i: number): number {
  const v = t.data[i] ?? 0;
  return typeof v === 'bigint' ? Number(v) : v;
}

export function isFloat(dtype: SampleDType): boolean {
  return dtype === 'float32' || dtype === 'float64';
}

export interface CastResult {
  readonly tensor: SampleTensor;
  /** Some float values had a fraction and were truncated toward zero (numpy astype does the same). */
  readonly truncated: boolean;
  /** Some values did not fit the target integer type and wrapped around. */
  readonly outOfRange: boolean;
}

const INT_RANGE: Partial<Record<SampleDType, readonly [number, number]>> = {
  int32: [-(2 ** 31), 2 ** 31 - 1],
  int8: [-128, 127],
  uint8: [0, 255],
};

/** The tensor in `dtype`; the same object when it already is (no copy). */
export function castTensor(t: SampleTensor, dtype: SampleDType): CastResult {
  if (t.dtype === dtype) return { tensor: t, truncated: false, outOfRange: false };
  const n = t.data.length;
  const out = allocate(dtype, n);
  let truncated = false;
  let outOfRange = false;
  if (dtype === 'int64' && !isFloat(t.dtype)) {
    // Integer → int64: exact, no detour through doubles.
    const src = t.data;
    const dst = out as BigInt64Array;
    for (let i = 0; i < n; i++) dst[i] = typeof src[i] === 'bigint' ? (src[i] as bigint) : BigInt(src[i] as number);
    return { tensor: { dtype, dims: t.dims, data: dst }, truncated, outOfRange };
  }
  const range = INT_RANGE[dtype];
  for (let i = 0; i < n; i++) {
    const v = elementAt(t, i);
    switch (dtype) {
      case 'float32':
      case 'float64':
        out[i] = v;
        break;
      case 'bool':
        out[i] = v !== 0 ? 1 : 0;
        break;
      case 'int64': {
        const w = Math.trunc(v);
        if (w !== v) truncated = true;
        (out as BigInt64Array)[i] = Number.isFinite(w) ? BigInt(w) : 0n;
        break;
      }
      default: {
        const w = Math.trunc(v);
        if (w !== v) truncated = true;
        if (range && (w < range[0] || w > range[1] || !Number.isFinite(w))) outOfRange = true;
        out[i] = Number.isFinite(w) ? w : 0; // typed arrays wrap like numpy's astype
      }
    }
  }
  return { tensor: { dtype, dims: t.dims, data: out }, truncated, outOfRange };
}

export function elementCount(dims: readonly number[]): number {
  let n = 1;
  for (const d of dims) n *= d;
  return n;
}

export function formatDims(dims: ReadonlyArray<number | string>): string {
  return `[${dims.map((d) => (typeof d === 'number' && d < 0 ? '?' : String(d))).join(',')}]`;
}

/**
 * Stacks tensors of the same dtype and per-sample shape along axis 0 (several test_data_set
 * folders, several image batches). The caller checks compatibility first.
 */
export function concatSamples(parts: readonly SampleTensor[]): SampleTensor {
  const first = parts[0];
  if (!first) throw new Error('concatSamples: nothing to stack');
  if (parts.length === 1) return first;
  const total = parts.reduce((s, p) => s + p.data.length, 0);
  const out = allocate(first.dtype, total);
  let at = 0;
  for (const p of parts) {
    (out as { set(a: ArrayLike<number | bigint>, offset: number): void }).set(p.data, at);
    at += p.data.length;
  }
  const count = parts.reduce((s, p) => s + (p.dims[0] ?? 1), 0);
  return { dtype: first.dtype, dims: [count, ...first.dims.slice(1)], data: out };
}
