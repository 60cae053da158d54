/**
 * Exact zeros in a float weight, counted on the stored bits without decoding: +0.0 and −0.0 are the
 * only values whose bits, sign bit aside, are all zero in IEEE 754 binary16/32/64 and bfloat16. Reads
 * the bytes in place (aligned typed-array views over raw_data / external data), copying only when a
 * view would be misaligned, and then in fixed 64 K-element chunks — so a 500 MB weight needs no
 * 500 MB buffer. What the graph's "Weight sparsity" overlay and a pruned variant's measured non-zero
 * parameter count are built on.
 */
import { DataType } from '../onnx/codec.js';
import { elementCount, tensorBytes, tensorDims } from '../onnx/tensor.js';
import type { ExternalFiles } from '../onnx/tensor.js';
import type { Weight } from '../graph/ir.js';

export interface ZeroCount {
  readonly zeros: number;
  /** Elements of the dense shape (for a sparse initializer: more than it stores). */
  readonly elements: number;
}

const CHUNK_ELEMENTS = 1 << 16;
const LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

/** Bytes per element of the float types counted here (their zero is all-zero bits but the sign). */
function floatWidth(dtype: number): 2 | 4 | 8 | undefined {
  if (dtype === DataType.FLOAT) return 4;
  if (dtype === DataType.FLOAT16 || dtype === DataType.BFLOAT16) return 2;
  if (dtype === DataType.DOUBLE) return 8;
  return undefined;
}

/** Zeros among `count` little-endian elements of `width` bytes (platform order checked by the caller). */
function countAligned(bytes: Uint8Array, width: 2 | 4 | 8, count: number): number {
  let zeros = 0;
  if (width === 4) {
    const v = new Uint32Array(bytes.buffer, bytes.byteOffset, count);
    // `x << 1` drops the sign bit: zero exactly for ±0.0.
    for (let i = 0; i < count; i++) if ((v[i] as number) << 1 === 0) zeros++;
  } else if (width === 2) {
    const v = new Uint16Array(bytes.buffer, bytes.byteOffset, count);
    for (let i = 0; i < count; i++) if (((v[i] as number) & 0x7fff) === 0) zeros++;
  } else {
    const v = new Uint32Array(bytes.buffer, bytes.byteOffset, count * 2);
    for (let i = 0; i < count; i++) if ((v[2 * i] as number) === 0 && (v[2 * i + 1] as number) << 1 === 0) zeros++;
  }
  return zeros;
}

/** Zeros among the first `count` elements of `bytes`, chunked through an aligned scratch when needed. */
export function countFloatZeros(bytes: Uint8Array, dtype: number, count: number): number | undefined {
  const width = floatWidth(dtype);
  if (width === undefined || bytes.byteLength < count * width) return undefined;
  if (LITTLE_ENDIAN && bytes.byteOffset % width === 0) return countAligned(bytes, width, count);
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (!LITTLE_ENDIAN) {
    let zeros = 0;
    for (let i = 0; i < count; i++) {
      const p = i * width;
      const zero = width === 2 ? (dv.getUint16(p, true) & 0x7fff) === 0 : width === 4 ? dv.getUint32(p, true) << 1 === 0 : dv.getUint32(p, true) === 0 && dv.getUint32(p + 4, true) << 1 === 0;
      if (zero) zeros++;
    }
    return zeros;
  }
  // Misaligned view into the file (raw_data is a subarray of it): copy one chunk at a time.
  const scratch = new Uint8Array(Math.min(count, CHUNK_ELEMENTS) * width);
  let zeros = 0;
  for (let start = 0; start < count; start += CHUNK_ELEMENTS) {
    const n = Math.min(CHUNK_ELEMENTS, count - start);
    scratch.set(bytes.subarray(start * width, (start + n) * width));
    zeros += countAligned(scratch, width, n);
  }
  return zeros;
}

/**
 * Exact zeros of a float weight (initializer, Constant tensor or sparse initializer, whose elements not
 * stored are zeros); undefined for other element types (an int8 zero is not a zero weight when a zero
 * point shifts it) and for data that is not readable here.
 */
export function weightZeros(w: Weight, external?: ExternalFiles): ZeroCount | undefined {
  if (floatWidth(w.dtype) === undefined) return undefined;
  if (w.tensor) {
    const bytes = tensorBytes(w.tensor, external);
    const zeros = bytes ? countFloatZeros(bytes, w.dtype, w.elements) : undefined;
    return zeros === undefined ? undefined : { zeros, elements: w.elements };
  }
  const values = w.sparse?.values;
  if (!values) return undefined;
  const bytes = tensorBytes(values, external);
  const stored = elementCount(tensorDims(values));
  const explicit = bytes ? countFloatZeros(bytes, w.dtype, stored) : undefined;
  if (explicit === undefined) return undefined;
  // Weight.elements of a sparse tensor is its stored values; the fraction is over the dense shape.
  const dense = elementCount(w.dims);
  return { zeros: explicit + Math.max(0, dense - stored), elements: dense };
}
