/**
 * A protobuf writer for big models: every byte of the output is written exactly once.
 *
 * Why not protobufjs' own Writer (v8): it writes into one growing buffer, so (1) each doubling copies
 * everything written so far, and (2) a nested message reserves one byte for its length and, when the
 * message turns out to be ≥ 128 bytes, `ldelim` shifts the whole message right with copyWithin. A
 * weight tensor inside GraphProto inside ModelProto is thus moved once per nesting level, and
 * `finish` copies the result again: measured 3.7× a plain copy and ~2.5× the output size in peak
 * memory for a 537 MB model, and 220× a copy for MobileNetV2 (bench/bench-core.ts).
 *
 * This writer keeps the output as an ordered list of segments: small fields go into a growing scratch
 * buffer (metadata only), large byte fields (raw_data) are kept by reference, and a nested message's
 * length prefix is a placeholder segment filled in by `ldelim` — nothing is shifted. `finish`
 * allocates the exact size once and copies each segment into place.
 *
 * It implements the methods the generated static code calls (src/core/onnx/generated/onnx.js); the
 * generated `encode(message, writer)` accepts any writer, so the codec passes this one.
 */
import type Long from 'long';

/** Byte fields at least this long are referenced, not copied into scratch. */
const REFERENCE_BYTES = 1024;

type LongLike = Long | number;

const f32 = new Float32Array(1);
const f32b = new Uint8Array(f32.buffer);
const f64 = new Float64Array(1);
const f64b = new Uint8Array(f64.buffer);
const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function varint32Size(v: number): number {
  return v < 0x80 ? 1 : v < 0x4000 ? 2 : v < 0x200000 ? 3 : v < 0x10000000 ? 4 : 5;
}

/** (lo, hi) 32-bit halves of a two's-complement 64-bit integer. */
function longBits(v: LongLike): [number, number] {
  if (typeof v !== 'number') return [v.low >>> 0, v.high >>> 0];
  if (v === 0) return [0, 0];
  const neg = v < 0;
  const abs = Math.abs(v);
  let lo = abs >>> 0;
  let hi = Math.floor((abs - lo) / 4294967296) >>> 0;
  if (neg) {
    hi = ~hi >>> 0;
    lo = ~lo >>> 0;
    if (++lo > 0xffffffff) {
      lo = 0;
      if (++hi > 0xffffffff) hi = 0;
    }
  }
  return [lo, hi];
}

function varint64Size(lo: number, hi: number): number {
  if (hi === 0) return varint32Size(lo);
  // Bits above 32: each further 7 bits add a byte.
  const bits = 32 + (32 - Math.clz32(hi));
  return Math.ceil(bits / 7);
}

function utf8Length(s: string): number {
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

export class SegmentWriter {
  private scratch = new Uint8Array(64 * 1024);
  private pos = 0;
  /** Start of the open scratch segment (bytes written since the last closed segment). */
  private open = 0;
  /**
   * Segments in output order, as (start, end) pairs: [start, end) in scratch when start ≥ 0;
   * refs[-start - 1] otherwise. Typed arrays: a model has one or two segments per nested message.
   */
  private segs = new Int32Array(4096);
  private nsegs = 0;
  private readonly refs: Uint8Array[] = [];
  /** Open forks: placeholder segment index and output length at the fork. */
  private forkSeg = new Int32Array(64);
  private forkAt = new Float64Array(64);
  private depth = 0;
  /** Output length so far. */
  len = 0;

  private reserve(n: number): void {
    if (this.pos + n <= this.scratch.length) return;
    let size = this.scratch.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.scratch.subarray(0, this.pos));
    this.scratch = next;
  }

  private pushSeg(start: number, end: number): number {
    if (2 * this.nsegs + 2 > this.segs.length) {
      const next = new Int32Array(this.segs.length * 2);
      next.set(this.segs);
      this.segs = next;
    }
    const i = this.nsegs++;
    this.segs[2 * i] = start;
    this.segs[2 * i + 1] = end;
    return i;
  }

  private close(): void {
    if (this.pos > this.open) this.pushSeg(this.open, this.pos);
    this.open = this.pos;
  }

  private putVarint32(v: number): void {
    this.reserve(5);
    const buf = this.scratch;
    let p = this.pos;
    while (v > 127) {
      buf[p++] = (v & 127) | 128;
      v >>>= 7;
    }
    buf[p++] = v;
    this.len += p - this.pos;
    this.pos = p;
  }

  private putVarint64(lo: number, hi: number): void {
    this.reserve(10);
    const buf = this.scratch;
    let p = this.pos;
    while (hi) {
      buf[p++] = (lo & 127) | 128;
      lo = ((lo >>> 7) | (hi << 25)) >>> 0;
      hi >>>= 7;
    }
    while (lo > 127) {
      buf[p++] = (lo & 127) | 128;
      lo >>>= 7;
    }
    buf[p++] = lo;
    this.len += p - this.pos;
    this.pos = p;
  }

  private putBytes(b: Uint8Array): void {
    if (b.byteLength >= REFERENCE_BYTES) {
      this.close();
      this.refs.push(b);
      this.pushSeg(-this.refs.length, 0);
    } else {
      this.reserve(b.byteLength);
      this.scratch.set(b, this.pos);
      this.pos += b.byteLength;
    }
    this.len += b.byteLength;
  }

  private putFixed(src: Uint8Array): void {
    this.reserve(src.length);
    if (littleEndian) this.scratch.set(src, this.pos);
    else for (let i = 0; i < src.length; i++) this.scratch[this.pos + i] = src[src.length - 1 - i] as number;
    this.pos += src.length;
    this.len += src.length;
  }

  uint32(v: number): this {
    this.putVarint32(v >>> 0);
    return this;
  }

  /** Negative int32 values take 10 bytes, sign-extended to 64 bits (protobuf spec). */
  int32(v: number): this {
    if (v < 0) this.putVarint64(v >>> 0, 0xffffffff);
    else this.putVarint32(v);
    return this;
  }

  int64(v: LongLike): this {
    const [lo, hi] = longBits(v);
    this.putVarint64(lo, hi);
    return this;
  }

  uint64(v: LongLike): this {
    return this.int64(v);
  }

  float(v: number): this {
    f32[0] = v;
    this.putFixed(f32b);
    return this;
  }

  double(v: number): this {
    f64[0] = v;
    this.putFixed(f64b);
    return this;
  }

  string(s: string): this {
    // Fast path: ASCII strings up to 127 chars (names, op types) need one pass and a 1-byte length.
    if (s.length < 128) {
      this.reserve(1 + s.length);
      const buf = this.scratch;
      const p0 = this.pos;
      let i = 0;
      for (; i < s.length; i++) {
        const c = s.charCodeAt(i);
        if (c >= 0x80) break;
        buf[p0 + 1 + i] = c;
      }
      if (i === s.length) {
        buf[p0] = s.length;
        this.pos = p0 + 1 + s.length;
        this.len += 1 + s.length;
        return this;
      }
    }
    const n = utf8Length(s);
    this.putVarint32(n);
    this.reserve(n);
    const buf = this.scratch;
    let p = this.pos;
    for (let i = 0; i < s.length; i++) {
      let c = s.charCodeAt(i);
      if (c < 0x80) buf[p++] = c;
      else if (c < 0x800) {
        buf[p++] = (c >> 6) | 0xc0;
        buf[p++] = (c & 63) | 0x80;
      } else {
        if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
          c = 0x10000 + ((c & 0x3ff) << 10) + (s.charCodeAt(++i) & 0x3ff);
          buf[p++] = (c >> 18) | 0xf0;
          buf[p++] = ((c >> 12) & 63) | 0x80;
        } else buf[p++] = (c >> 12) | 0xe0;
        buf[p++] = ((c >> 6) & 63) | 0x80;
        buf[p++] = (c & 63) | 0x80;
      }
    }
    this.pos = p;
    this.len += n;
    return this;
  }

  bytes(b: Uint8Array): this {
    this.putVarint32(b.byteLength);
    if (b.byteLength > 0) this.putBytes(b);
    return this;
  }

  /** Bytes without a length prefix (unknown fields kept by the decoder). */
  raw(b: Uint8Array): this {
    if (b.byteLength > 0) this.putBytes(b);
    return this;
  }

  floats(values: readonly number[]): this {
    this.putVarint32(values.length * 4);
    for (const v of values) this.float(v);
    return this;
  }

  doubles(values: readonly number[]): this {
    this.putVarint32(values.length * 8);
    for (const v of values) this.double(v);
    return this;
  }

  int32s(values: readonly number[]): this {
    let n = 0;
    for (const v of values) n += v < 0 ? 10 : varint32Size(v);
    this.putVarint32(n);
    for (const v of values) this.int32(v);
    return this;
  }

  int64s(values: readonly LongLike[]): this {
    const bits = values.map(longBits);
    let n = 0;
    for (const [lo, hi] of bits) n += varint64Size(lo, hi);
    this.putVarint32(n);
    for (const [lo, hi] of bits) this.putVarint64(lo, hi);
    return this;
  }

  uint64s(values: readonly LongLike[]): this {
    return this.int64s(values);
  }

  /** Starts a length-delimited sub-message: its length prefix is a placeholder until ldelim. */
  fork(): this {
    this.close();
    if (this.depth === this.forkSeg.length) {
      const seg = new Int32Array(this.depth * 2);
      seg.set(this.forkSeg);
      this.forkSeg = seg;
      const at = new Float64Array(this.depth * 2);
      at.set(this.forkAt);
      this.forkAt = at;
    }
    this.forkSeg[this.depth] = this.pushSeg(0, 0);
    this.forkAt[this.depth] = this.len;
    this.depth++;
    return this;
  }

  /** Ends the sub-message started by the matching fork and fills in its length prefix. */
  ldelim(): this {
    if (this.depth === 0) throw new Error('SegmentWriter: ldelim without fork');
    this.depth--;
    this.close();
    const seg = this.forkSeg[this.depth] as number;
    const length = this.len - (this.forkAt[this.depth] as number);
    const start = this.pos;
    this.putVarint32(length);
    this.segs[2 * seg] = start;
    this.segs[2 * seg + 1] = this.pos;
    this.open = this.pos;
    return this;
  }

  /** The encoded bytes: one allocation of the exact size, each segment copied once. */
  finish(): Uint8Array {
    if (this.depth > 0) throw new Error('SegmentWriter: unbalanced fork');
    this.close();
    const out = new Uint8Array(this.len);
    let p = 0;
    const { segs, refs, scratch } = this;
    // Runs of adjacent scratch segments are copied in one call.
    let runStart = -1;
    let runEnd = -1;
    const flush = (): void => {
      if (runStart < 0) return;
      out.set(scratch.subarray(runStart, runEnd), p);
      p += runEnd - runStart;
      runStart = -1;
    };
    for (let i = 0; i < this.nsegs; i++) {
      const s = segs[2 * i] as number;
      if (s < 0) {
        flush();
        const b = refs[-s - 1] as Uint8Array;
        out.set(b, p);
        p += b.byteLength;
        continue;
      }
      const e = segs[2 * i + 1] as number;
      if (s === runEnd) runEnd = e;
      else {
        flush();
        runStart = s;
        runEnd = e;
      }
    }
    flush();
    if (p !== this.len) throw new Error(`SegmentWriter: wrote ${p} bytes, expected ${this.len}`);
    return out;
  }
}
