/**
 * Linear quantization arithmetic shared by every quantizing pass: q = saturate(round(x / scale) + zp),
 * x ≈ (q − zp) · scale (ONNX QuantizeLinear / DequantizeLinear). The ranges follow ONNX Runtime's
 * quantizer (onnxruntime/python/tools/quantization/quant_utils.py, get_qmin_qmax_for_qType and
 * compute_scale_zp) so that models behave the way users of its Python tools expect:
 *   - the range always includes 0 (so zero padding is exact);
 *   - symmetric int8 uses [−127, 127], keeping the range symmetric and zp = 0;
 *   - reduceRange uses 7 bits ([0,127] / [−64,64]) for CPUs without VNNI, where u8×s8 products can
 *     overflow the 16-bit intermediate sums of pmaddubsw.
 * Rounding is round-half-to-even, as QuantizeLinear specifies.
 */
export type QType = 'int8' | 'uint8';

export interface QRange {
  readonly qmin: number;
  readonly qmax: number;
}

export function qRange(qtype: QType, symmetric: boolean, reduceRange: boolean): QRange {
  if (qtype === 'uint8') return reduceRange ? { qmin: 0, qmax: 127 } : { qmin: 0, qmax: 255 };
  if (reduceRange) return { qmin: -64, qmax: 64 };
  return symmetric ? { qmin: -127, qmax: 127 } : { qmin: -128, qmax: 127 };
}

/**
 * Round half to even (numpy.rint / QuantizeLinear). Math.round rounds halves up, so a result exactly
 * 0.5 above x marks a tie, which goes to the even neighbour. Hot: runs once per weight.
 */
export function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return r - x === 0.5 && (r & 1) !== 0 ? r - 1 : r;
}

export interface QParams {
  readonly scale: number;
  readonly zeroPoint: number;
}

export function computeQParams(min: number, max: number, range: QRange, symmetric: boolean): QParams {
  let rmin = Math.min(min, 0);
  let rmax = Math.max(max, 0);
  if (!Number.isFinite(rmin) || !Number.isFinite(rmax)) return { scale: 1, zeroPoint: symmetric ? Math.round((range.qmin + range.qmax) / 2) : range.qmin };
  if (symmetric) {
    const a = Math.max(Math.abs(rmin), Math.abs(rmax));
    rmin = -a;
    rmax = a;
  }
  // Stored as float32 in the model: compute with the float32 value so q/dq here match the runtime.
  let scale = Math.fround((rmax - rmin) / (range.qmax - range.qmin));
  if (!(scale > 0) || !Number.isFinite(scale)) scale = 1;
  const zp = symmetric ? roundHalfEven((range.qmin + range.qmax) / 2) : roundHalfEven(range.qmin - rmin / scale);
  return { scale, zeroPoint: Math.min(range.qmax, Math.max(range.qmin, zp)) };
}

export function quantizeValue(x: number, p: QParams, range: QRange): number {
  const q = roundHalfEven(x / p.scale) + p.zeroPoint;
  return q < range.qmin ? range.qmin : q > range.qmax ? range.qmax : q;
}

export interface QuantizedWeight {
  readonly qtype: QType;
  /** int8 → Int8Array, uint8 → Uint8Array, in the input's element order. */
  readonly values: Int8Array | Uint8Array;
  /** One per tensor, or one per slice along `axis`. */
  readonly scales: Float32Array;
  readonly zeroPoints: Int8Array | Uint8Array;
  /** The axis of the per-channel scales, or -1 for per-tensor. */
  readonly axis: number;
}

export interface WeightQuantOptions {
  readonly qtype: QType;
  readonly symmetric: boolean;
  readonly reduceRange: boolean;
  /** -1: one scale for the tensor; otherwise one scale per slice along this axis. */
  readonly axis: number;
}

/**
 * Quantizes a weight tensor (row-major, `dims`), per tensor or per channel along `axis`. The element
 * order is walked as [outer][channel][inner] runs so that the hot loops index linearly with no
 * per-element channel arithmetic (bench:quantize measures the throughput).
 */
export function quantizeWeight(values: ArrayLike<number>, dims: readonly number[], options: WeightQuantOptions): QuantizedWeight {
  const range = qRange(options.qtype, options.symmetric, options.reduceRange);
  const n = values.length;
  const axis = options.axis;
  const channels = axis < 0 ? 1 : (dims[axis] ?? 1);
  let inner = 1;
  if (axis >= 0) for (let d = axis + 1; d < dims.length; d++) inner *= dims[d] ?? 1;
  else inner = n;
  const outer = Math.max(1, Math.floor(n / (channels * inner)));

  const mins = new Float64Array(channels).fill(Infinity);
  const maxs = new Float64Array(channels).fill(-Infinity);
  for (let o = 0, i = 0; o < outer; o++) {
    for (let c = 0; c < channels; c++) {
      let lo = mins[c] as number;
      let hi = maxs[c] as number;
      for (const end = i + inner; i < end; i++) {
        const v = values[i] as number;
        // NaN fails both comparisons; ±Infinity would make the scale infinite, so they are skipped.
        if (v < lo && v !== -Infinity) lo = v;
        if (v > hi && v !== Infinity) hi = v;
      }
      mins[c] = lo;
      maxs[c] = hi;
    }
  }
  const params: QParams[] = [];
  for (let c = 0; c < channels; c++) {
    const lo = mins[c] as number;
    const hi = maxs[c] as number;
    params.push(computeQParams(lo === Infinity ? 0 : lo, hi === -Infinity ? 0 : hi, range, options.symmetric));
  }
  const out = options.qtype === 'int8' ? new Int8Array(n) : new Uint8Array(n);
  const { qmin, qmax } = range;
  for (let o = 0, i = 0; o < outer; o++) {
    for (let c = 0; c < channels; c++) {
      const p = params[c] as QParams;
      const scale = p.scale;
      const zp = p.zeroPoint;
      for (const end = i + inner; i < end; i++) {
        const y = (values[i] as number) / scale;
        let r = Math.round(y);
        if (r - y === 0.5 && (r & 1) !== 0) r -= 1;
        const q = r + zp;
        out[i] = q < qmin ? qmin : q > qmax ? qmax : q;
      }
    }
  }
  const scales = Float32Array.from(params, (p) => p.scale);
  const zps = options.qtype === 'int8' ? Int8Array.from(params, (p) => p.zeroPoint) : Uint8Array.from(params, (p) => p.zeroPoint);
  return { qtype: options.qtype, values: out, scales, zeroPoints: zps, axis };
}

/**
 * Bias of a quantized Conv/Gemm as int32 with scale = inputScale · weightScale[c] and zero point 0
 * (the QLinearConv / QDQ convention, so the runtime adds it to the int32 accumulator directly).
 */
export function quantizeBias(bias: ArrayLike<number>, inputScale: number, weightScales: Float32Array): { values: Int32Array; scales: Float32Array } {
  const n = bias.length;
  const scales = new Float32Array(n);
  const values = new Int32Array(n);
  for (let c = 0; c < n; c++) {
    const ws = weightScales.length === 1 ? (weightScales[0] as number) : (weightScales[c] as number);
    const s = Math.fround(inputScale * ws) || 1;
    scales[c] = s;
    const q = roundHalfEven((bias[c] as number) / s);
    values[c] = Math.max(-2147483648, Math.min(2147483647, q));
  }
  return { values, scales };
}
