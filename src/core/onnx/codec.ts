/**
 * The ONNX wire codec: a thin, typed wrapper over the protobufjs static code generated from the
 * official onnx.proto (scripts/codegen/gen-onnx-codec.ts). Nothing here hand-writes wire format.
 *
 * Zero copy: decoding reads from a plain Uint8Array view, so every `bytes` field (raw_data above all)
 * comes back as a `subarray` of the file's buffer. Encoding writes every byte once into one buffer.
 */
import $protobuf from 'protobufjs/minimal.js';
import Long from 'long';
import { onnx } from './generated/onnx.js';
import { SegmentWriter } from './segment-writer.js';

// protobufjs finds long.js through a dynamic require that bundlers cannot see; without it int64
// fields would decode to lossy doubles. Set it explicitly, then let protobufjs re-configure.
$protobuf.util.Long = Long;
$protobuf.configure();

export { onnx, Long };
export type ModelProto = onnx.ModelProto;
export type GraphProto = onnx.GraphProto;
export type NodeProto = onnx.NodeProto;
export type TensorProto = onnx.TensorProto;
export type SparseTensorProto = onnx.SparseTensorProto;
export type AttributeProto = onnx.AttributeProto;
export type ValueInfoProto = onnx.ValueInfoProto;
export type TypeProto = onnx.TypeProto;
export type FunctionProto = onnx.FunctionProto;
export type TensorShapeProto = onnx.TensorShapeProto;

/** A plain Uint8Array over the same memory: Node Buffers would otherwise select protobufjs' Buffer reader. */
function plainView(bytes: Uint8Array): Uint8Array {
  return Object.getPrototypeOf(bytes) === Uint8Array.prototype ? bytes : new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/**
 * A reader that keeps unknown fields: protobufjs discards them by default, so a model written with a
 * newer onnx.proto (fields this build does not know) would silently lose them on re-encoding. Kept,
 * they sit in each message's `$unknowns` as views of the input and are written back verbatim.
 */
function reader(bytes: Uint8Array): $protobuf.Reader {
  const r = $protobuf.Reader.create(plainView(bytes));
  r.discardUnknown = false;
  return r;
}

/** Decodes a ModelProto. Throws on malformed wire data; use loadModel() for a user-facing Result. */
export function decodeModelProto(bytes: Uint8Array): onnx.ModelProto {
  return onnx.ModelProto.decode(reader(bytes));
}

/**
 * Encodes with SegmentWriter (segment-writer.ts): raw_data is copied once, straight into the output,
 * instead of being shifted per nesting level by protobufjs' growing-buffer Writer.
 */
export function encodeModelProto(model: onnx.IModelProto): Uint8Array {
  const writer = new SegmentWriter();
  onnx.ModelProto.encode(model, writer as unknown as $protobuf.Writer);
  return writer.finish();
}

export function decodeTensorProto(bytes: Uint8Array): onnx.TensorProto {
  return onnx.TensorProto.decode(reader(bytes));
}

export function encodeTensorProto(tensor: onnx.ITensorProto): Uint8Array {
  const writer = new SegmentWriter();
  onnx.TensorProto.encode(tensor, writer as unknown as $protobuf.Writer);
  return writer.finish();
}

/** int64 fields decode as Long (exact); shapes and counts fit in a double. */
export function toNumber(v: number | Long | null | undefined): number {
  if (v === null || v === undefined) return 0;
  return typeof v === 'number' ? v : v.toNumber();
}

export function toBigInt(v: number | Long): bigint {
  return typeof v === 'number' ? BigInt(v) : BigInt(v.toString());
}

export const DataType = onnx.TensorProto.DataType;
export const AttributeType = onnx.AttributeProto.AttributeType;
export const DataLocation = onnx.TensorProto.DataLocation;
