/**
 * Streams a tensor's values as doubles in fixed-size chunks, so statistics over a 100M-element weight
 * need one 64 K-element buffer instead of an 800 MB Float64Array (tensorToNumbers would allocate one).
 * The common weight types are decoded here directly into the reused buffer; the rest go through
 * bytesToNumbers on a byte-aligned slice (chunk sizes are multiples of 8 so 4- and 2-bit types split
 * on byte boundaries).
 */
import { DataType } from '../onnx/codec.js';
import { storageBytes } from '../onnx/dtypes.js';
import { float16ToNumber } from '../onnx/float-formats.js';
import { bytesToNumbers } from '../onnx/tensor.js';

export const CHUNK = 1 << 16;

/**
 * Calls `visit(values, n, start)` for consecutive chunks: values[0..n) are elements start..start+n.
 * The buffer is reused between calls. Returns false (without visiting) when the dtype has no numeric
 * reading or the bytes are too few for `count` elements.
 */
export function forEachChunk(
  dtype: number,
  bytes: Uint8Array,
  count: number,
  visit: (values: Float64Array, n: number, start: number) => void,
  chunk = CHUNK,
): boolean {
  if (storageBytes(dtype, count) > bytes.byteLength) return false;
  if (storageBytes(dtype, 1) === 0) return false;
  const size = Math.max(8, chunk - (chunk % 8));
  const buf = new Float64Array(Math.min(size, Math.max(count, 1)));
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const decode = fastDecoder(dtype, dv);
  for (let start = 0; start < count; start += size) {
    const n = Math.min(size, count - start);
    if (decode) {
      decode(buf, start, n);
    } else {
      const from = storageBytes(dtype, start);
      const slice = bytesToNumbers(dtype, bytes.subarray(from, from + storageBytes(dtype, n)), n);
      if (!slice) return false;
      buf.set(slice);
    }
    visit(buf, n, start);
  }
  return true;
}

type Decoder = (out: Float64Array, start: number, n: number) => void;

/** ONNX raw_data is little-endian; typed-array views read the platform's order (little-endian everywhere browsers run, but check). */
const LITTLE_ENDIAN = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1;

/** A typed-array view over the bytes when the platform order and alignment allow one: a bulk copy per chunk. */
function viewDecoder(dtype: number, dv: DataView): Decoder | undefined {
  if (!LITTLE_ENDIAN) return undefined;
  const { buffer, byteOffset, byteLength } = dv;
  const bulk = (view: Float32Array | Float64Array | Int32Array | Int8Array | Uint8Array): Decoder => (out, start, n) => out.set(view.subarray(start, start + n));
  switch (dtype) {
    case DataType.FLOAT:
      return byteOffset % 4 === 0 ? bulk(new Float32Array(buffer, byteOffset, byteLength >> 2)) : undefined;
    case DataType.DOUBLE:
      return byteOffset % 8 === 0 ? bulk(new Float64Array(buffer, byteOffset, byteLength >> 3)) : undefined;
    case DataType.INT32:
      return byteOffset % 4 === 0 ? bulk(new Int32Array(buffer, byteOffset, byteLength >> 2)) : undefined;
    case DataType.INT8:
      return bulk(new Int8Array(buffer, byteOffset, byteLength));
    case DataType.UINT8:
    case DataType.BOOL:
      return bulk(new Uint8Array(buffer, byteOffset, byteLength));
    default:
      return undefined;
  }
}

/** Tight loops for the types weights are stored in; undefined for the rest (handled generically). */
function fastDecoder(dtype: number, dv: DataView): Decoder | undefined {
  const view = viewDecoder(dtype, dv);
  if (view) return view;
  switch (dtype) {
    case DataType.FLOAT:
      return (out, start, n) => {
        for (let i = 0, p = start * 4; i < n; i++, p += 4) out[i] = dv.getFloat32(p, true);
      };
    case DataType.DOUBLE:
      return (out, start, n) => {
        for (let i = 0, p = start * 8; i < n; i++, p += 8) out[i] = dv.getFloat64(p, true);
      };
    case DataType.FLOAT16:
      return (out, start, n) => {
        for (let i = 0, p = start * 2; i < n; i++, p += 2) out[i] = float16ToNumber(dv.getUint16(p, true));
      };
    case DataType.INT8:
      return (out, start, n) => {
        for (let i = 0; i < n; i++) out[i] = dv.getInt8(start + i);
      };
    case DataType.UINT8:
    case DataType.BOOL:
      return (out, start, n) => {
        for (let i = 0; i < n; i++) out[i] = dv.getUint8(start + i);
      };
    case DataType.INT32:
      return (out, start, n) => {
        for (let i = 0, p = start * 4; i < n; i++, p += 4) out[i] = dv.getInt32(p, true);
      };
    case DataType.INT64:
      return (out, start, n) => {
        for (let i = 0, p = start * 8; i < n; i++, p += 8) out[i] = Number(dv.getBigInt64(p, true));
      };
    default:
      return undefined;
  }
}
