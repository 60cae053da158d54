/**
 * Block-wise weight quantization in the layout of ONNX Runtime's com.microsoft MatMulNBits
 * (contrib op spec, since_version 1):
 *   B           uint8 [N, k_blocks, blob_size], k_blocks = ceil(K / block_size),
 *               blob_size = block_size · bits / 8; codes packed low-nibble first along K;
 *   scales      float [N · k_blocks] (one per block of one output column);
 *   zero_points uint8 [N · ceil(k_blocks · bits / 8)], packed like B (optional: absent means
 *               2^(bits−1), i.e. 8 for 4 bits, 128 for 8 bits).
 * Dequantization is w = (code − zero_point) · scale. When K is not a multiple of the block size the
 * last block is padded with the zero point, so the padding dequantizes to exactly 0.
 *
 * Symmetric blocks follow ORT's own blockwise quantizer (MLAS): the element of largest magnitude,
 * with its sign, maps to the most negative code (scale = v / −2^(bits−1)), which uses all 2^bits
 * levels instead of the 2^bits − 1 a "|max| / 7" rule would. The scale may therefore be negative;
 * the formula above does not care. Asymmetric blocks use min/max (always including 0, like
 * qparams.ts) with a per-block zero point.
 */
import { roundHalfEven } from './qparams.js';

export type BlockBits = 4 | 8;

export interface BlockQuantOptions {
  readonly bits: BlockBits;
  /** Power of two ≥ 16 (MatMulNBits requires it). */
  readonly blockSize: number;
  readonly symmetric: boolean;
}

export interface BlockQuantized {
  readonly K: number;
  readonly N: number;
  readonly bits: BlockBits;
  readonly blockSize: number;
  readonly kBlocks: number;
  readonly blobSize: number;
  /** [N, kBlocks, blobSize]. */
  readonly packed: Uint8Array;
  /** [N · kBlocks]. */
  readonly scales: Float32Array;
  /** Packed zero points [N · ceil(kBlocks · bits / 8)]; undefined for symmetric (the default zero point). */
  readonly zeroPoints: Uint8Array | undefined;
}

/** How the source weight is laid out: 'kn' = MatMul's B [K, N]; 'nk' = Gemm's B with transB=1 [N, K]. */
export type WeightLayout = 'kn' | 'nk';

export const blobSizeOf = (bits: BlockBits, blockSize: number): number => (blockSize * bits) / 8;
export const zeroPointBytesPerColumn = (bits: BlockBits, kBlocks: number): number => Math.ceil((kBlocks * bits) / 8);

function putCode(buf: Uint8Array, bits: BlockBits, byteBase: number, index: number, code: number): void {
  if (bits === 8) {
    buf[byteBase + index] = code;
    return;
  }
  const at = byteBase + (index >> 1);
  buf[at] = (buf[at] as number) | ((code & 0x0f) << ((index & 1) * 4));
}

function getCode(buf: Uint8Array, bits: BlockBits, byteBase: number, index: number): number {
  if (bits === 8) return buf[byteBase + index] as number;
  return ((buf[byteBase + (index >> 1)] as number) >> ((index & 1) * 4)) & 0x0f;
}

/**
 * Quantizes a 2-D float weight (K reduction rows × N output columns, in `layout`) block-wise along K.
 * `alpha` multiplies every weight first (Gemm's alpha folded into the scales).
 */
export function quantizeBlockwise(values: ArrayLike<number>, K: number, N: number, layout: WeightLayout, options: BlockQuantOptions, alpha = 1): BlockQuantized {
  const { bits, blockSize, symmetric } = options;
  const levels = 1 << bits;
  const qmax = levels - 1;
  const kBlocks = Math.ceil(K / blockSize);
  const blobSize = blobSizeOf(bits, blockSize);
  const packed = new Uint8Array(N * kBlocks * blobSize);
  const scales = new Float32Array(N * kBlocks);
  const zpBytes = zeroPointBytesPerColumn(bits, kBlocks);
  const zeroPoints = symmetric ? undefined : new Uint8Array(N * zpBytes);
  // Blocks run along K for each output column n. Gemm's transposed B ([N, K]) has them contiguous; for
  // MatMul's B ([K, N]) a column is strided by N, so that layout is walked row by row instead (all N
  // columns of one block at once), which keeps reads contiguous without a transposed copy.
  if (layout === 'kn' && values instanceof Float32Array) {
    quantizeRowsKN(values, K, N, options, alpha, { packed, scales, zeroPoints, kBlocks, blobSize, zpBytes });
    return { K, N, bits, blockSize, kBlocks, blobSize, packed, scales, zeroPoints };
  }
  const at = layout === 'nk' ? (k: number, n: number): number => n * K + k : (k: number, n: number): number => k * N + n;
  const block = new Float64Array(blockSize);
  const codes = new Uint8Array(blockSize);

  for (let n = 0; n < N; n++) {
    for (let b = 0; b < kBlocks; b++) {
      const k0 = b * blockSize;
      const len = Math.min(blockSize, K - k0);
      let lo = 0;
      let hi = 0;
      let extreme = 0;
      let extremeAbs = 0;
      for (let i = 0; i < len; i++) {
        const raw = (values[at(k0 + i, n)] as number) * alpha;
        const v = raw - raw === 0 ? raw : 0; // NaN and ±Infinity → 0
        block[i] = v;
        if (v < lo) lo = v;
        if (v > hi) hi = v;
        const a = v < 0 ? -v : v;
        if (a > extremeAbs) {
          extremeAbs = a;
          extreme = v;
        }
      }
      const { scale, zp } = blockParams(lo, hi, extreme, bits, symmetric);
      const idx = n * kBlocks + b;
      scales[idx] = scale;
      if (zeroPoints) putCode(zeroPoints, bits, n * zpBytes, b, zp);
      const base = idx * blobSize;
      const inv = 1 / scale;
      for (let i = 0; i < blockSize; i++) codes[i] = i < len ? quantCode(block[i] as number, inv, zp, qmax) : zp;
      if (bits === 4) for (let i = 0; i < blockSize; i += 2) packed[base + (i >> 1)] = (codes[i] as number) | ((codes[i + 1] as number) << 4);
      else packed.set(codes, base);
    }
  }
  return { K, N, bits, blockSize, kBlocks, blobSize, packed, scales, zeroPoints };
}

/** Scale and zero point of one block: symmetric maps the largest magnitude to the most negative code. */
function blockParams(lo: number, hi: number, extreme: number, bits: BlockBits, symmetric: boolean): { scale: number; zp: number } {
  const qmax = (1 << bits) - 1;
  const defaultZp = 1 << (bits - 1);
  let scale: number;
  let zp: number;
  if (symmetric) {
    zp = defaultZp;
    scale = Math.fround(extreme / -defaultZp);
  } else {
    scale = Math.fround((hi - lo) / qmax);
    zp = scale === 0 ? 0 : Math.min(qmax, Math.max(0, roundHalfEven(-lo / scale)));
  }
  if (scale === 0 || !Number.isFinite(scale)) scale = 1; // an all-zero block: every code is the zero point
  return { scale, zp };
}

/**
 * One weight's code: round half to even, saturated to [0, qmax]. Takes 1/scale: a multiply instead of
 * a divide on every weight (it can differ from v/scale in the last bit, which moves a value sitting
 * exactly on a rounding tie by one step at most — within the half-step error the tests allow).
 */
function quantCode(v: number, invScale: number, zp: number, qmax: number): number {
  const y = v * invScale;
  let r = Math.round(y);
  if (r - y === 0.5 && (r & 1) !== 0) r -= 1;
  const q = r + zp;
  return q < 0 ? 0 : q > qmax ? qmax : q;
}

interface BlockOutputs {
  readonly packed: Uint8Array;
  readonly scales: Float32Array;
  readonly zeroPoints: Uint8Array | undefined;
  readonly kBlocks: number;
  readonly blobSize: number;
  readonly zpBytes: number;
}

/**
 * MatMul's B [K, N]: per block of rows, statistics for all N columns at once, then the codes. Each
 * step is its own small function: V8 optimized one big function for this measurably worse (3×).
 */
function quantizeRowsKN(values: Float32Array, K: number, N: number, options: BlockQuantOptions, alpha: number, out: BlockOutputs): void {
  const { bits, blockSize, symmetric } = options;
  const lo = new Float64Array(N);
  const hi = new Float64Array(N);
  const ext = new Float64Array(N);
  const colScale = new Float64Array(N);
  const colZp = new Int32Array(N);
  const scratch = new Uint8Array(N * out.blobSize);
  for (let b = 0; b < out.kBlocks; b++) {
    const k0 = b * blockSize;
    const len = Math.min(blockSize, K - k0);
    if (symmetric) extremesOfRows(values, k0, len, N, alpha, ext, lo);
    else rangesOfRows(values, k0, len, N, alpha, lo, hi);
    for (let n = 0; n < N; n++) {
      const { scale, zp } = blockParams(lo[n] as number, hi[n] as number, ext[n] as number, bits, symmetric);
      colScale[n] = 1 / scale;
      colZp[n] = zp;
      out.scales[n * out.kBlocks + b] = scale;
      if (out.zeroPoints) putCode(out.zeroPoints, bits, n * out.zpBytes, b, zp);
    }
    // Codes of this block for all N columns go to a contiguous scratch ([N, blobSize]) and then each
    // column's blob to its place, rather than striding through `packed` by kBlocks·blobSize per column.
    if (bits === 4) codes4OfRows(values, k0, len, N, alpha, blockSize, colScale, colZp, out.blobSize, scratch);
    else codes8OfRows(values, k0, len, N, alpha, blockSize, colScale, colZp, out.blobSize, scratch);
    const stride = out.kBlocks * out.blobSize;
    const base = b * out.blobSize;
    copyBlobs(scratch, out.packed, N, out.blobSize, stride, base);
  }
}

/** Column n's blob (scratch[n·blob…]) to packed[n·stride + base…]: a plain loop (subarray + set per blob cost ~1 µs each). */
function copyBlobs(scratch: Uint8Array, packed: Uint8Array, N: number, blob: number, stride: number, base: number): void {
  for (let n = 0; n < N; n++) {
    const from = n * blob;
    const to = n * stride + base;
    for (let j = 0; j < blob; j++) packed[to + j] = scratch[from + j] as number;
  }
}

/** Per column: the value of largest magnitude over rows k0…k0+len (NaN/±Infinity count as 0). `abs` is scratch. */
function extremesOfRows(values: Float32Array, k0: number, len: number, N: number, alpha: number, ext: Float64Array, abs: Float64Array): void {
  ext.fill(0);
  abs.fill(0);
  for (let k = k0; k < k0 + len; k++) {
    const row = k * N;
    for (let n = 0; n < N; n++) {
      const raw = (values[row + n] as number) * alpha;
      const v = raw - raw === 0 ? raw : 0;
      const a = v < 0 ? -v : v;
      if (a > (abs[n] as number)) {
        abs[n] = a;
        ext[n] = v;
      }
    }
  }
}

/** Per column: min and max (including 0) over rows k0…k0+len. */
function rangesOfRows(values: Float32Array, k0: number, len: number, N: number, alpha: number, lo: Float64Array, hi: Float64Array): void {
  lo.fill(0);
  hi.fill(0);
  for (let k = k0; k < k0 + len; k++) {
    const row = k * N;
    for (let n = 0; n < N; n++) {
      const raw = (values[row + n] as number) * alpha;
      const v = raw - raw === 0 ? raw : 0;
      if (v < (lo[n] as number)) lo[n] = v;
      if (v > (hi[n] as number)) hi[n] = v;
    }
  }
}

function codes4OfRows(values: Float32Array, k0: number, len: number, N: number, alpha: number, blockSize: number, invScale: Float64Array, zp: Int32Array, blob: number, scratch: Uint8Array): void {
  for (let i = 0; i < blockSize; i += 2) {
    const rowA = (k0 + i) * N;
    const hasA = i < len;
    const hasB = i + 1 < len;
    const byte = i >> 1;
    for (let n = 0; n < N; n++) {
      const z = zp[n] as number;
      const s = invScale[n] as number;
      const ra = hasA ? (values[rowA + n] as number) * alpha : 0;
      const rb = hasB ? (values[rowA + N + n] as number) * alpha : 0;
      const a = hasA ? quantCode(ra - ra === 0 ? ra : 0, s, z, 15) : z;
      const c = hasB ? quantCode(rb - rb === 0 ? rb : 0, s, z, 15) : z;
      scratch[n * blob + byte] = a | (c << 4);
    }
  }
}

function codes8OfRows(values: Float32Array, k0: number, len: number, N: number, alpha: number, blockSize: number, invScale: Float64Array, zp: Int32Array, blob: number, scratch: Uint8Array): void {
  for (let i = 0; i < blockSize; i++) {
    const row = (k0 + i) * N;
    const has = i < len;
    for (let n = 0; n < N; n++) {
      const z = zp[n] as number;
      const raw = has ? (values[row + n] as number) * alpha : 0;
      scratch[n * blob + i] = has ? quantCode(raw - raw === 0 ? raw : 0, invScale[n] as number, z, 255) : z;
    }
  }
}

/** The float weight [K, N] (row-major) that MatMulNBits computes with: the reference for tests. */
export function dequantizeBlockwise(q: BlockQuantized): Float32Array {
  const { K, N, bits, blockSize, kBlocks, blobSize, packed, scales, zeroPoints } = q;
  const out = new Float32Array(K * N);
  const zpBytes = zeroPointBytesPerColumn(bits, kBlocks);
  const defaultZp = 1 << (bits - 1);
  for (let n = 0; n < N; n++) {
    for (let b = 0; b < kBlocks; b++) {
      const idx = n * kBlocks + b;
      const scale = scales[idx] as number;
      const zp = zeroPoints ? getCode(zeroPoints, bits, n * zpBytes, b) : defaultZp;
      for (let i = 0; i < blockSize && b * blockSize + i < K; i++) {
        out[(b * blockSize + i) * N + n] = Math.fround((getCode(packed, bits, idx * blobSize, i) - zp) * scale);
      }
    }
  }
  return out;
}

/** Bytes the block-quantized form stores (B + scales + zero points), for estimates and reports. */
export function blockQuantBytes(K: number, N: number, options: BlockQuantOptions): number {
  const kBlocks = Math.ceil(K / options.blockSize);
  const zp = options.symmetric ? 0 : N * zeroPointBytesPerColumn(options.bits, kBlocks);
  return N * kBlocks * blobSizeOf(options.bits, options.blockSize) + N * kBlocks * 4 + zp;
}
