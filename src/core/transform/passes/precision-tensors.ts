/**
 * Tensor-level precision conversions shared by the fp16, fp16-weights and to-fp32 passes. Each
 * returns the fields of a new TensorProto (raw_data only, little-endian) and never writes into the
 * input's bytes: decoded weights are views into the user's file (ARCHITECTURE.md "zero copy").
 */
import type { onnx } from '../../onnx/codec.js';
import { DataType } from '../../onnx/codec.js';
import { bytesToNumbers, elementCount, isExternal, tensorBytes, tensorDims } from '../../onnx/tensor.js';
import { float32BitsToFloat16 } from '../../onnx/float-formats.js';
import { constantPayload } from '../../graph/constant-node.js';

/** Largest finite float16. */
export const FP16_MAX = 65504;
/**
 * Smallest positive float16 (subnormal 2^-24 ≈ 5.96e-8): onnxruntime.transformers.float16's default
 * `min_positive_val`. Nonzero magnitudes below it would flush to zero; clamping keeps them at it.
 */
export const FP16_MIN_POSITIVE = 2 ** -24;

export interface ClampStats {
  /** Values beyond ±65504 set to ±65504 (or, without clamping, turned into ±Infinity). */
  overflow: number;
  /** Nonzero values below 2^-24 in magnitude raised to ±2^-24 (or, without clamping, flushed to 0). */
  underflow: number;
}

export const newClampStats = (): ClampStats => ({ overflow: 0, underflow: 0 });

export const isLowFloat = (dtype: number | null | undefined): boolean => dtype === DataType.FLOAT16 || dtype === DataType.BFLOAT16;

/** The float32 values of a FLOAT tensor: a view when raw_data is 4-byte aligned, else a copy. */
export function float32Values(t: onnx.ITensorProto): Float32Array | undefined {
  if (t.dataType !== DataType.FLOAT || isExternal(t)) return undefined;
  const count = elementCount(tensorDims(t));
  const bytes = tensorBytes(t);
  if (!bytes || bytes.byteLength < count * 4) return undefined;
  if (bytes.byteOffset % 4 === 0) return new Float32Array(bytes.buffer, bytes.byteOffset, count);
  return new Float32Array(bytes.slice(0, count * 4).buffer);
}

/** Bit patterns of the float16 range limits as float32 (65504 and 2^-24). */
const F32_BITS_FP16_MAX = 0x477fe000;
const F32_BITS_FP16_MIN_POSITIVE = 0x33800000;

/** float32 values → float16 bits (round to nearest even), clamping to the float16 range when asked. */
export function toFloat16Bits(values: Float32Array, clamp: boolean, stats: ClampStats): Uint16Array {
  const out = new Uint16Array(values.length);
  const bits = new Uint32Array(values.buffer, values.byteOffset, values.length);
  // Count (and clamp) out-of-range values on the bits first: most tensors have none, and then the
  // bulk converter reads the input directly.
  let patched: Uint32Array | undefined;
  for (let i = 0; i < bits.length; i++) {
    const x = bits[i] as number;
    const a = x & 0x7fffffff;
    if (a > F32_BITS_FP16_MAX && a < 0x7f800000) {
      stats.overflow++;
      if (clamp) (patched ??= bits.slice())[i] = (x & 0x80000000) | F32_BITS_FP16_MAX;
    } else if (a !== 0 && a < F32_BITS_FP16_MIN_POSITIVE) {
      stats.underflow++;
      if (clamp) (patched ??= bits.slice())[i] = (x & 0x80000000) | F32_BITS_FP16_MIN_POSITIVE;
    }
  }
  float32BitsToFloat16(patched ?? bits, out);
  return out;
}

const bytesOf = (a: ArrayBufferView): Uint8Array => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

/**
 * Rewrites `t` (a message of the cloned model, not shared with the input) from FLOAT to FLOAT16.
 * Returns false when it cannot (not float32, external data).
 */
export function convertTensorToFloat16(t: onnx.ITensorProto, clamp: boolean, stats: ClampStats): boolean {
  const values = float32Values(t);
  if (!values) return false;
  t.dataType = DataType.FLOAT16;
  t.rawData = bytesOf(toFloat16Bits(values, clamp, stats));
  t.floatData = [];
  t.int32Data = [];
  return true;
}

/** Rewrites `t` from FLOAT16/BFLOAT16 to FLOAT (exact: every float16 and bfloat16 value is a float32). */
export function convertTensorToFloat32(t: onnx.ITensorProto): boolean {
  if (!isLowFloat(t.dataType) || isExternal(t)) return false;
  const count = elementCount(tensorDims(t));
  const bytes = tensorBytes(t);
  if (!bytes) return false;
  const numbers = bytesToNumbers(t.dataType ?? 0, bytes, count);
  if (!numbers) return false;
  t.dataType = DataType.FLOAT;
  t.rawData = bytesOf(Float32Array.from(numbers));
  t.int32Data = [];
  t.floatData = [];
  return true;
}

/**
 * The float tensor a Constant node carries, made into a `value` attribute it owns: value_float /
 * value_floats forms are rewritten as a `value` tensor so that the caller can convert it in place.
 * Returns undefined for non-float or sparse constants.
 */
export function ownConstantTensor(node: onnx.INodeProto, accept: (dtype: number) => boolean): onnx.ITensorProto | undefined {
  const payload = constantPayload(node);
  if (!payload || payload.kind !== 'dense' || !accept(payload.tensor.dataType ?? 0)) return undefined;
  if (payload.attribute === 'value') {
    const attr = (node.attribute ?? []).find((a) => a.name === 'value');
    return attr?.t ?? undefined;
  }
  const t: onnx.ITensorProto = { ...payload.tensor, rawData: bytesOf(Float32Array.from(payload.tensor.floatData ?? [])), floatData: [] };
  node.attribute = [{ name: 'value', type: 4, t }];
  return t;
}

/** Bytes of a tensor's elements at `bytesPerElement`. */
export const tensorElementBytes = (t: onnx.ITensorProto, bytesPerElement: number): number => elementCount(tensorDims(t)) * bytesPerElement;
