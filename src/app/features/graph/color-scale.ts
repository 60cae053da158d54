/**
 * Colours for the graph: op families (categorical), a sequential log scale for per-node numbers that
 * span decades (parameters, MACs) and a linear one for bounded numbers (weight sparsity 0–100 %,
 * channels removed). Everything is a CSS hex string so the
 * canvas, the SVG export and the legend use the same values.
 */

export interface OpFamily {
  readonly id: string;
  readonly label: string;
  readonly fill: string;
}

const OTHER_FAMILY: OpFamily = { id: 'other', label: 'Other', fill: '#767676' };

/** Families chosen so the structure of a CNN/transformer reads at a glance (compute, activations, shape plumbing). */
export const OP_FAMILIES: readonly OpFamily[] = [
  { id: 'conv', label: 'Convolution', fill: '#33609e' },
  { id: 'matmul', label: 'MatMul / Gemm', fill: '#5a4fb0' },
  { id: 'attention', label: 'Attention', fill: '#7d3fa0' },
  { id: 'recurrent', label: 'Recurrent', fill: '#a3407a' },
  { id: 'activation', label: 'Activation', fill: '#b5483a' },
  { id: 'norm', label: 'Normalization', fill: '#2f7a4f' },
  { id: 'pool', label: 'Pooling', fill: '#2c7f86' },
  { id: 'reduce', label: 'Reduction', fill: '#55803a' },
  { id: 'elementwise', label: 'Elementwise', fill: '#5b6678' },
  { id: 'shape', label: 'Shape / data movement', fill: '#8a6d3b' },
  { id: 'quant', label: 'Quantization', fill: '#b06f12' },
  { id: 'control', label: 'Control flow', fill: '#6c2f8f' },
  OTHER_FAMILY,
];

const FAMILY_OF: ReadonlyMap<string, string> = (() => {
  const m = new Map<string, string>();
  const add = (family: string, ops: string): void => {
    for (const op of ops.split(/\s+/)) if (op) m.set(op, family);
  };
  add('conv', 'Conv ConvTranspose ConvInteger QLinearConv FusedConv DeformConv NhwcConv ConvTransposeWithDynamicPads');
  add('matmul', 'MatMul Gemm MatMulInteger QLinearMatMul FusedMatMul FusedGemm MatMulNBits MatMulIntegerToFloat QGemm Einsum');
  add('attention', 'Attention MultiHeadAttention GroupQueryAttention PackedAttention DecoderAttention RotaryEmbedding');
  add('recurrent', 'LSTM GRU RNN DynamicQuantizeLSTM');
  add(
    'activation',
    'Relu LeakyRelu PRelu Elu Selu Celu Sigmoid HardSigmoid Tanh Softplus Softsign Softmax LogSoftmax Hardmax Gelu FastGelu BiasGelu ' +
      'QuickGelu HardSwish Mish Swish Silu ThresholdedRelu Clip QLinearSigmoid QLinearLeakyRelu QLinearSoftmax BiasSoftmax',
  );
  add(
    'norm',
    'BatchNormalization LayerNormalization InstanceNormalization GroupNormalization LRN MeanVarianceNormalization ' +
      'SimplifiedLayerNormalization SkipLayerNormalization SkipSimplifiedLayerNormalization RMSNormalization EmbedLayerNormalization LpNormalization',
  );
  add('pool', 'MaxPool AveragePool GlobalAveragePool GlobalMaxPool LpPool GlobalLpPool MaxRoiPool RoiAlign MaxUnpool QLinearAveragePool QLinearGlobalAveragePool');
  add('reduce', 'ReduceMean ReduceSum ReduceMax ReduceMin ReduceProd ReduceL1 ReduceL2 ReduceLogSum ReduceLogSumExp ReduceSumSquare ArgMax ArgMin TopK CumSum');
  add(
    'elementwise',
    'Add Sub Mul Div Pow Sqrt Exp Log Abs Neg Reciprocal Min Max Sum Mean Equal Less LessOrEqual Greater GreaterOrEqual Where Not And Or Xor ' +
      'Erf Floor Ceil Round Sign Sin Cos Tan Asin Acos Atan Sinh Cosh Asinh Acosh Atanh Mod BitShift BitwiseAnd BitwiseOr BitwiseXor BitwiseNot ' +
      'IsNaN IsInf QLinearAdd QLinearMul BiasAdd',
  );
  add(
    'shape',
    'Reshape Flatten Squeeze Unsqueeze Transpose Concat Split SplitToSequence Slice Gather GatherElements GatherND Shape Size Expand Tile Pad ' +
      'Resize Upsample DepthToSpace SpaceToDepth Scatter ScatterND ScatterElements Range OneHot ConstantOfShape Identity Cast CastLike Constant ' +
      'Dropout Trilu NonZero Compress ReverseSequence GridSample CenterCropPad Col2Im EyeLike QLinearConcat',
  );
  add('quant', 'QuantizeLinear DequantizeLinear DynamicQuantizeLinear');
  add('control', 'If Loop Scan SequenceMap');
  return m;
})();

/** 'com.microsoft.FusedConv' → 'FusedConv': families are keyed by the bare op type. */
export function bareOpType(title: string): string {
  const dot = title.lastIndexOf('.');
  return dot >= 0 ? title.slice(dot + 1) : title;
}

export function opFamily(title: string): OpFamily {
  const id = FAMILY_OF.get(bareOpType(title)) ?? 'other';
  return OP_FAMILIES.find((f) => f.id === id) ?? OTHER_FAMILY;
}

/** Fills for graph inputs and outputs and the neutral "no colouring" fill; they keep their look under every overlay. */
export const INPUT_FILL = '#d8efdd';
export const INPUT_STROKE = '#2e7d4a';
export const OUTPUT_FILL = '#e2e2f7';
export const OUTPUT_STROKE = '#4b4fa8';
export const NEUTRAL_FILL = '#d9dee5';
/** "No value" (NaN) under a metric overlay. */
export const NAN_FILL = '#b9bec6';
/** Exactly zero under a log-scale overlay (activations have 0 parameters). */
export const ZERO_FILL = '#eef0f3';

/** Stops of the sequential scale, low → high (light yellow → dark purple; more = darker). */
export const SCALE_STOPS: readonly string[] = ['#fde725', '#7ad151', '#22a884', '#2a788e', '#414487', '#440154'];
/** Buckets of the sequential scale: enough for smooth legends, few enough to batch fills per colour. */
export const SCALE_STEPS = 32;

export function parseHex(hex: string): [number, number, number] {
  const h = hex.replace('#', '');
  const full = h.length === 3 ? h.split('').map((c) => c + c).join('') : h;
  const v = Number.parseInt(full.slice(0, 6), 16);
  return [(v >> 16) & 255, (v >> 8) & 255, v & 255];
}

export function toHex(r: number, g: number, b: number): string {
  const c = (x: number): string => Math.round(Math.min(255, Math.max(0, x))).toString(16).padStart(2, '0');
  return `#${c(r)}${c(g)}${c(b)}`;
}

/** Colour at t ∈ [0, 1] along SCALE_STOPS (linear in sRGB between stops — plenty for 32 buckets). */
export function scaleColour(t: number): string {
  const x = Math.min(1, Math.max(0, Number.isFinite(t) ? t : 0)) * (SCALE_STOPS.length - 1);
  const i = Math.min(SCALE_STOPS.length - 2, Math.floor(x));
  const f = x - i;
  const a = parseHex(SCALE_STOPS[i] ?? '#000000');
  const b = parseHex(SCALE_STOPS[i + 1] ?? '#000000');
  return toHex(a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f, a[2] + (b[2] - a[2]) * f);
}

/** WCAG relative luminance, to pick black or white text on a fill. */
export function luminance(hex: string): number {
  const lin = (c: number): number => {
    const s = c / 255;
    return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  const [r, g, b] = parseHex(hex);
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

export function textColourOn(fill: string): string {
  // Contrast against white is (1.05)/(L+0.05), against near-black (L+0.05)/(0.0185+0.05); pick the larger.
  const l = luminance(fill);
  return 1.05 / (l + 0.05) >= (l + 0.05) / 0.0685 ? '#ffffff' : '#1b2330';
}

export interface LogScale {
  /** Smallest and largest positive finite value (NaN when there is none). */
  readonly min: number;
  readonly max: number;
  readonly hasZero: boolean;
  readonly hasMissing: boolean;
}

/** The range of a log colour scale over `values`: positive finite values; zeros and NaN are reported separately. */
export function logScaleOf(values: ArrayLike<number>, include?: (i: number) => boolean): LogScale {
  let min = Infinity;
  let max = -Infinity;
  let hasZero = false;
  let hasMissing = false;
  for (let i = 0; i < values.length; i++) {
    if (include && !include(i)) continue;
    const v = values[i] ?? 0;
    if (!Number.isFinite(v)) hasMissing = true;
    else if (v <= 0) hasZero = true;
    else {
      if (v < min) min = v;
      if (v > max) max = v;
    }
  }
  return min === Infinity ? { min: NaN, max: NaN, hasZero, hasMissing } : { min, max, hasZero, hasMissing };
}

/**
 * Bucket of `v` on the log scale: 0 … SCALE_STEPS-1 for positive values, -1 for zero/negative,
 * -2 for NaN/∞. A scale with one distinct value puts it in the top bucket.
 */
export function logBucket(scale: LogScale, v: number): number {
  if (!Number.isFinite(v)) return -2;
  if (v <= 0) return -1;
  if (!(scale.max > scale.min)) return SCALE_STEPS - 1;
  const t = (Math.log(v) - Math.log(scale.min)) / (Math.log(scale.max) - Math.log(scale.min));
  return Math.min(SCALE_STEPS - 1, Math.max(0, Math.floor(t * SCALE_STEPS)));
}

/**
 * Bucket of `v` on a linear scale over [min, max] (a fraction 0–1, a channel count): 0 … SCALE_STEPS-1
 * for values above zero, -1 for zero or below (its own "none" colour, so 0.5 % sparsity and none stay
 * apart), -2 for NaN/∞. A degenerate range puts every positive value in the top bucket.
 */
export function linearBucket(min: number, max: number, v: number): number {
  if (!Number.isFinite(v)) return -2;
  if (v <= 0) return -1;
  if (!(max > min)) return SCALE_STEPS - 1;
  const t = (v - min) / (max - min);
  return Math.min(SCALE_STEPS - 1, Math.max(0, Math.floor(t * SCALE_STEPS)));
}

export function bucketColour(bucket: number): string {
  return scaleColour((bucket + 0.5) / SCALE_STEPS);
}

/** 1234 → '1.23k', 5.6e6 → '5.6M': short numbers for legends. */
export function formatCompact(n: number): string {
  if (!Number.isFinite(n)) return '—';
  const a = Math.abs(n);
  const units: [number, string][] = [[1e12, 'T'], [1e9, 'G'], [1e6, 'M'], [1e3, 'k']];
  for (const [scale, suffix] of units) {
    if (a >= scale) {
      const v = n / scale;
      return `${Math.abs(v) < 10 ? v.toFixed(2) : Math.abs(v) < 100 ? v.toFixed(1) : v.toFixed(0)}${suffix}`;
    }
  }
  if (Number.isInteger(n)) return String(n);
  return a >= 1 ? n.toFixed(2) : n.toPrecision(2);
}
