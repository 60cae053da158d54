/**
 * Reading a float weight's magnitudes and writing it back with some elements set to zero, whatever
 * way the TensorProto stores it (raw_data or float_data; float32, float16, bfloat16 or double).
 *
 * Zeroing works on bytes: +0.0 is all-zero bits in every IEEE/bfloat format, so an element is pruned
 * by clearing its bytes — no float conversion, and the surviving weights stay bit-identical.
 */
import type { onnx } from '../onnx/codec.js';
import { DataType } from '../onnx/codec.js';
import { bytesToNumbers, elementCount, isExternal, tensorBytes, tensorDims } from '../onnx/tensor.js';

/** Bytes per element of the float types pruning understands; undefined for the others. */
export function floatElementBytes(dataType: number): number | undefined {
  switch (dataType) {
    case DataType.FLOAT:
      return 4;
    case DataType.FLOAT16:
    case DataType.BFLOAT16:
      return 2;
    case DataType.DOUBLE:
      return 8;
    default:
      return undefined;
  }
}

/** Why a weight cannot be pruned (its data is not here, or not float), or undefined when it can. */
export function unprunableReason(name: string, tensor: onnx.ITensorProto): string | undefined {
  if (isExternal(tensor)) return `weight ${name} lives in an external data file, which the pass does not rewrite`;
  if (floatElementBytes(tensor.dataType ?? 0) === undefined) return `weight ${name} is not a float tensor (data type ${tensor.dataType ?? 0})`;
  return undefined;
}

/** |w| of every element as float32 (enough to rank weights), or undefined when the data is missing. */
export function weightMagnitudes(tensor: onnx.ITensorProto): Float32Array | undefined {
  const dtype = tensor.dataType ?? 0;
  const count = elementCount(tensorDims(tensor));
  const bytes = tensorBytes(tensor);
  if (!bytes) return undefined;
  if (dtype === DataType.FLOAT) {
    if (bytes.byteLength < count * 4) return undefined;
    // rawData is a subarray of the file: a misaligned view needs one copy.
    const src = bytes.byteOffset % 4 === 0 ? new Float32Array(bytes.buffer, bytes.byteOffset, count) : new Float32Array(bytes.slice(0, count * 4).buffer);
    const out = new Float32Array(count);
    for (let i = 0; i < count; i++) out[i] = Math.abs(src[i] as number);
    return out;
  }
  const numbers = bytesToNumbers(dtype, bytes, count);
  if (!numbers) return undefined;
  return Float32Array.from(numbers, Math.abs);
}

/** Counts elements that are exactly zero (±0). */
export function countZeros(magnitudes: Float32Array): number {
  let zeros = 0;
  for (const v of magnitudes) if (v === 0) zeros++;
  return zeros;
}

/** The tensor's stored element bytes (a view; raw_data or the typed field re-encoded). */
export function weightBytesOf(tensor: onnx.ITensorProto): Uint8Array | undefined {
  return tensorBytes(tensor);
}

/**
 * Writes `tensor` back as raw_data with every element whose `mask` byte is 1 set to +0.0. The tensor
 * must belong to the pass's copy of the model (cloneModel copies TensorProto messages, and this
 * allocates new bytes: the input model's buffer is never written).
 */
export function writeZeroed(tensor: onnx.ITensorProto, mask: Uint8Array): void {
  const size = floatElementBytes(tensor.dataType ?? 0);
  const bytes = tensorBytes(tensor);
  if (size === undefined || !bytes) throw new Error('writeZeroed: not a float tensor with data');
  const out = bytes.slice(0, mask.length * size);
  for (let i = 0; i < mask.length; i++) if (mask[i]) out.fill(0, i * size, (i + 1) * size);
  tensor.rawData = out;
  // raw_data and the typed fields are exclusive (onnx.proto): drop whichever held the data before.
  tensor.floatData = [];
  tensor.doubleData = [];
  tensor.int32Data = [];
}
