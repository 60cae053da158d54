/**
 * A shallow walk over protobuf wire format: field numbers, wire types and value extents, without a
 * schema. Sniffing uses it to tell an ONNX ModelProto from a TensorFlow GraphDef, a SavedModel or a
 * TensorProto by the *shape* of their top-level fields, and to say how many bytes a cut-off file
 * still needed — before handing the bytes to the real decoder.
 *
 * Wire format per https://protobuf.dev/programming-guides/encoding/: tag = (field << 3) | wireType;
 * 0 varint, 1 fixed64, 2 length-delimited, 5 fixed32; 3/4 are deprecated groups (no model format we
 * recognise uses them, so they count as "not this format").
 */

export const WIRE_VARINT = 0;
export const WIRE_FIXED64 = 1;
export const WIRE_LEN = 2;
export const WIRE_FIXED32 = 5;

export interface WireField {
  readonly field: number;
  readonly wireType: number;
  /** Offset of the tag. */
  readonly start: number;
  /** Offset of the value (after the length prefix for wire type 2). */
  readonly valueStart: number;
  /** One past the value's last byte (may exceed the buffer when the walk ended 'truncated'). */
  readonly valueEnd: number;
  /** The value of a varint field (lossy above 2^53, which is fine for what we check). */
  readonly varint?: number;
}

export interface WireWalk {
  readonly fields: WireField[];
  /**
   * 'complete': every byte belongs to a well-formed field. 'truncated': the last field runs past the
   * end (its valueEnd says how far it should have gone, when its length was readable). 'invalid': a
   * byte sequence that is not a tag (field 0, wire type 3, 4, 6 or 7, or an over-long varint).
   */
  readonly end: 'complete' | 'truncated' | 'invalid';
  /** Offset where the walk stopped. */
  readonly stoppedAt: number;
  /** On 'truncated': the byte offset the cut-off field should have reached, when known. */
  readonly need?: number;
}

interface Varint {
  readonly value: number;
  readonly next: number;
}

/** Reads a varint at `pos`; undefined if it runs past `end`, 'bad' if longer than 10 bytes. */
function readVarint(bytes: Uint8Array, pos: number, end: number): Varint | undefined | 'bad' {
  let value = 0;
  let scale = 1;
  for (let i = 0; i < 10; i++) {
    if (pos + i >= end) return undefined;
    const b = bytes[pos + i] as number;
    value += (b & 0x7f) * scale;
    scale *= 128;
    if ((b & 0x80) === 0) return { value, next: pos + i + 1 };
  }
  return 'bad';
}

/**
 * Walks the fields of one message spanning bytes[start, end). Stops after `maxFields` fields (the
 * walk then reports 'complete' for what it saw) so that sniffing a huge GraphDef stays cheap.
 */
export function walkWire(bytes: Uint8Array, start = 0, end = bytes.byteLength, maxFields = Number.POSITIVE_INFINITY): WireWalk {
  const fields: WireField[] = [];
  let pos = start;
  while (pos < end && fields.length < maxFields) {
    const tag = readVarint(bytes, pos, end);
    if (tag === 'bad') return { fields, end: 'invalid', stoppedAt: pos };
    if (tag === undefined) return { fields, end: 'truncated', stoppedAt: pos };
    const field = Math.floor(tag.value / 8);
    const wireType = tag.value % 8;
    if (field === 0 || field > 536_870_911) return { fields, end: 'invalid', stoppedAt: pos };
    const tagStart = pos;
    pos = tag.next;
    switch (wireType) {
      case WIRE_VARINT: {
        const v = readVarint(bytes, pos, end);
        if (v === 'bad') return { fields, end: 'invalid', stoppedAt: tagStart };
        if (v === undefined) return { fields, end: 'truncated', stoppedAt: tagStart };
        fields.push({ field, wireType, start: tagStart, valueStart: pos, valueEnd: v.next, varint: v.value });
        pos = v.next;
        break;
      }
      case WIRE_FIXED64:
      case WIRE_FIXED32: {
        const valueEnd = pos + (wireType === WIRE_FIXED64 ? 8 : 4);
        fields.push({ field, wireType, start: tagStart, valueStart: pos, valueEnd });
        if (valueEnd > end) return { fields, end: 'truncated', stoppedAt: tagStart, need: valueEnd };
        pos = valueEnd;
        break;
      }
      case WIRE_LEN: {
        const len = readVarint(bytes, pos, end);
        if (len === 'bad') return { fields, end: 'invalid', stoppedAt: tagStart };
        if (len === undefined) return { fields, end: 'truncated', stoppedAt: tagStart };
        const valueEnd = len.next + len.value;
        fields.push({ field, wireType, start: tagStart, valueStart: len.next, valueEnd });
        if (valueEnd > end) return { fields, end: 'truncated', stoppedAt: tagStart, need: valueEnd };
        pos = valueEnd;
        break;
      }
      default:
        return { fields, end: 'invalid', stoppedAt: tagStart };
    }
  }
  return { fields, end: 'complete', stoppedAt: pos };
}

/** Expected wire types per field number, as a message's schema allows them (packed repeated → both). */
export type WireSchema = ReadonlyMap<number, readonly number[]>;

/** True when every field the walk saw is in the schema with an allowed wire type. */
export function fitsSchema(walk: WireWalk, schema: WireSchema): boolean {
  if (walk.end === 'invalid' || walk.fields.length === 0) return false;
  return walk.fields.every((f) => schema.get(f.field)?.includes(f.wireType) ?? false);
}

/** The bytes of a length-delimited field, clipped to the buffer. */
export function fieldBytes(bytes: Uint8Array, f: WireField): Uint8Array {
  return bytes.subarray(f.valueStart, Math.min(f.valueEnd, bytes.byteLength));
}

/** A complete length-delimited field whose bytes are printable UTF-8 (a name, a producer, an op type). */
export function isPrintableString(bytes: Uint8Array, f: WireField): boolean {
  if (f.wireType !== WIRE_LEN || f.valueEnd > bytes.byteLength) return false;
  const s = bytes.subarray(f.valueStart, f.valueEnd);
  for (const b of s) if (b < 0x20 || b === 0x7f) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(s);
    return true;
  } catch {
    return false;
  }
}

export function decodeString(bytes: Uint8Array, f: WireField): string {
  return new TextDecoder().decode(fieldBytes(bytes, f));
}
