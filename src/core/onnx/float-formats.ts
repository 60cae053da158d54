/**
 * Decoders for the narrow float formats ONNX stores bit-wise (float16, bfloat16, float8 kinds, float4).
 * Encoding directions used by transformations live next to them (float32 → float16 with round-to-nearest-even).
 * Formats per the ONNX spec (docs/Float8.md, docs/Float4.md): "fn" = finite only (no infinities),
 * "uz" = unsigned zero (0x80 is NaN, no negative zero).
 */

export function float16ToNumber(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exp = (h >> 10) & 0x1f;
  const man = h & 0x3ff;
  if (exp === 0) return sign * man * 2 ** -24;
  if (exp === 0x1f) return man ? NaN : sign * Infinity;
  return sign * (1 + man / 1024) * 2 ** (exp - 15);
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

export function bfloat16ToNumber(b: number): number {
  u32[0] = (b & 0xffff) << 16;
  return f32[0] as number;
}

/** float32 → float16 bits, round to nearest even, overflow to ±Infinity, NaN kept. */
export function numberToFloat16(value: number): number {
  f32[0] = value;
  const x = u32[0] as number;
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  let man = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (man ? 0x200 : 0);
  let e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    man |= 0x800000;
    const shift = 14 - e;
    const half = 1 << (shift - 1);
    const rest = man & ((1 << shift) - 1);
    let h = man >>> shift;
    if (rest > half || (rest === half && (h & 1))) h += 1;
    return sign | h;
  }
  const rest = man & 0x1fff;
  let h = (e << 10) | (man >>> 13);
  if (rest > 0x1000 || (rest === 0x1000 && (h & 1))) h += 1;
  e = h >>> 10;
  return sign | h;
}

/**
 * float32 bit patterns → float16 bits in bulk, round to nearest even (the exponent-rebias method: add
 * the rounding bias to the float32 bits and shift; subnormal results come from one float32 addition
 * of 0.5, which lines the value up with float16's subnormal step). Same results as numberToFloat16,
 * several times faster on big tensors.
 */
export function float32BitsToFloat16(bits: Uint32Array, out: Uint16Array): void {
  for (let i = 0; i < bits.length; i++) {
    const x = bits[i] as number;
    const sign = (x >>> 16) & 0x8000;
    const a = x & 0x7fffffff;
    let h: number;
    if (a >= 0x47800000) {
      // ≥ 65536 (or Inf/NaN): Infinity, NaN stays NaN (quiet).
      h = a > 0x7f800000 ? 0x7e00 : 0x7c00;
    } else if (a < 0x38800000) {
      // Below float16's smallest normal (2^-14): subnormal or zero.
      u32[0] = a;
      f32[0] = (f32[0] as number) + 0.5;
      h = (u32[0] as number) - 0x3f000000;
    } else {
      const odd = (a >>> 13) & 1;
      h = (a - 0x38000000 + 0xfff + odd) >>> 13;
    }
    out[i] = sign | h;
  }
}

interface MiniFloat {
  readonly expBits: number;
  readonly manBits: number;
  readonly bias: number;
  /** Unsigned-zero variants: the pattern 1000…0 is NaN. */
  readonly uz: boolean;
  /** IEEE-like: all-ones exponent means Inf/NaN (only e5m2). */
  readonly ieee: boolean;
}

function decodeMiniFloat(bits: number, f: MiniFloat): number {
  const total = 1 + f.expBits + f.manBits;
  const signBit = 1 << (total - 1);
  if (f.uz && bits === signBit) return NaN;
  const sign = bits & signBit ? -1 : 1;
  const exp = (bits >> f.manBits) & ((1 << f.expBits) - 1);
  const man = bits & ((1 << f.manBits) - 1);
  const expMax = (1 << f.expBits) - 1;
  if (f.ieee && exp === expMax) return man ? NaN : sign * Infinity;
  // e4m3fn: only S.1111.111 is NaN.
  if (!f.ieee && !f.uz && f.expBits === 4 && exp === expMax && man === (1 << f.manBits) - 1) return NaN;
  if (exp === 0) return sign * (man / (1 << f.manBits)) * 2 ** (1 - f.bias);
  return sign * (1 + man / (1 << f.manBits)) * 2 ** (exp - f.bias);
}

const E4M3FN: MiniFloat = { expBits: 4, manBits: 3, bias: 7, uz: false, ieee: false };
const E4M3FNUZ: MiniFloat = { expBits: 4, manBits: 3, bias: 8, uz: true, ieee: false };
const E5M2: MiniFloat = { expBits: 5, manBits: 2, bias: 15, uz: false, ieee: true };
const E5M2FNUZ: MiniFloat = { expBits: 5, manBits: 2, bias: 16, uz: true, ieee: false };
const E2M1: MiniFloat = { expBits: 2, manBits: 1, bias: 1, uz: false, ieee: false };

export const float8e4m3fnToNumber = (b: number): number => decodeMiniFloat(b & 0xff, E4M3FN);
export const float8e4m3fnuzToNumber = (b: number): number => decodeMiniFloat(b & 0xff, E4M3FNUZ);
export const float8e5m2ToNumber = (b: number): number => decodeMiniFloat(b & 0xff, E5M2);
export const float8e5m2fnuzToNumber = (b: number): number => decodeMiniFloat(b & 0xff, E5M2FNUZ);
export const float4e2m1ToNumber = (b: number): number => decodeMiniFloat(b & 0xf, E2M1);
/** e8m0: a pure power of two, exponent bias 127; 0xFF is NaN. */
export const float8e8m0ToNumber = (b: number): number => ((b & 0xff) === 0xff ? NaN : 2 ** ((b & 0xff) - 127));
