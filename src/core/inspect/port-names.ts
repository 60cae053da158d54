/**
 * ONNX schema names of operator inputs and outputs ('X', 'W', 'B' for Conv), so the Inspector can say
 * which port a tensor is wired to. Names follow the operator specs in onnx/docs/Operators.md (and
 * ContribOperators.md for the com.microsoft ops listed). A name ending in '...' is variadic: every
 * further port takes it with an index ('inputs[0]', 'inputs[1]', …). Ops not listed fall back to
 * 'input k' / 'output k'.
 */
import { opKey } from '../graph/opsets.js';

interface PortSchema {
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
}

const S = (inputs: string, outputs: string): PortSchema => ({
  inputs: inputs ? inputs.split(' ') : [],
  outputs: outputs ? outputs.split(' ') : [],
});

const UNARY_XY = S('X', 'Y');
const UNARY_IO = S('input', 'output');
const BINARY = S('A B', 'C');
const REDUCE = S('data axes', 'reduced');

const TABLE: Record<string, PortSchema> = {
  // Linear algebra and convolution.
  Conv: S('X W B', 'Y'),
  ConvTranspose: S('X W B', 'Y'),
  Gemm: S('A B C', 'Y'),
  MatMul: S('A B', 'Y'),
  Einsum: S('Inputs...', 'Output'),
  // Normalization.
  BatchNormalization: S('X scale B input_mean input_var', 'Y running_mean running_var'),
  InstanceNormalization: S('input scale B', 'output'),
  LayerNormalization: S('X Scale B', 'Y Mean InvStdDev'),
  GroupNormalization: S('X scale bias', 'Y'),
  RMSNormalization: S('X scale', 'Y'),
  LpNormalization: S('input', 'output'),
  LRN: UNARY_XY,
  // Recurrent.
  LSTM: S('X W R B sequence_lens initial_h initial_c P', 'Y Y_h Y_c'),
  GRU: S('X W R B sequence_lens initial_h', 'Y Y_h'),
  RNN: S('X W R B sequence_lens initial_h', 'Y Y_h'),
  Attention: S('Q K V attn_mask past_key past_value', 'Y present_key present_value qk_matmul_output'),
  // Quantization.
  QuantizeLinear: S('x y_scale y_zero_point', 'y'),
  DequantizeLinear: S('x x_scale x_zero_point', 'y'),
  DynamicQuantizeLinear: S('x', 'y y_scale y_zero_point'),
  QLinearConv: S('x x_scale x_zero_point w w_scale w_zero_point y_scale y_zero_point B', 'y'),
  QLinearMatMul: S('a a_scale a_zero_point b b_scale b_zero_point y_scale y_zero_point', 'y'),
  MatMulInteger: S('A B a_zero_point b_zero_point', 'Y'),
  ConvInteger: S('x w x_zero_point w_zero_point', 'y'),
  // Shape and data movement.
  Reshape: S('data shape', 'reshaped'),
  Flatten: UNARY_IO,
  Transpose: S('data', 'transposed'),
  Squeeze: S('data axes', 'squeezed'),
  Unsqueeze: S('data axes', 'expanded'),
  Concat: S('inputs...', 'concat_result'),
  Split: S('input split', 'outputs...'),
  Slice: S('data starts ends axes steps', 'output'),
  Gather: S('data indices', 'output'),
  GatherElements: S('data indices', 'output'),
  GatherND: S('data indices', 'output'),
  ScatterND: S('data indices updates', 'output'),
  ScatterElements: S('data indices updates', 'output'),
  Shape: S('data', 'shape'),
  Size: S('data', 'size'),
  Expand: S('input shape', 'output'),
  Tile: S('input repeats', 'output'),
  Pad: S('data pads constant_value axes', 'output'),
  Resize: S('X roi scales sizes', 'Y'),
  Upsample: S('X scales', 'Y'),
  DepthToSpace: UNARY_IO,
  SpaceToDepth: UNARY_IO,
  Where: S('condition X Y', 'output'),
  Cast: UNARY_IO,
  CastLike: S('input target_type', 'output'),
  Identity: UNARY_IO,
  Dropout: S('data ratio training_mode', 'output mask'),
  Constant: S('', 'output'),
  ConstantOfShape: UNARY_IO,
  Range: S('start limit delta', 'output'),
  OneHot: S('indices depth values', 'output'),
  TopK: S('X K', 'Values Indices'),
  NonZero: UNARY_XY,
  Trilu: S('input k', 'output'),
  CumSum: S('x axis', 'y'),
  NonMaxSuppression: S('boxes scores max_output_boxes_per_class iou_threshold score_threshold', 'selected_indices'),
  // Control flow.
  If: S('cond', 'outputs...'),
  Loop: S('M cond v_initial...', 'v_final_and_scan_outputs...'),
  Scan: S('initial_state_and_scan_inputs...', 'final_state_and_scan_outputs...'),
  // Pooling.
  MaxPool: S('X', 'Y Indices'),
  AveragePool: UNARY_XY,
  LpPool: UNARY_XY,
  GlobalAveragePool: UNARY_XY,
  GlobalMaxPool: UNARY_XY,
  // Elementwise.
  Add: BINARY,
  Sub: BINARY,
  Mul: BINARY,
  Div: BINARY,
  Mod: BINARY,
  Pow: S('X Y', 'Z'),
  Equal: BINARY,
  Less: BINARY,
  LessOrEqual: BINARY,
  Greater: BINARY,
  GreaterOrEqual: BINARY,
  And: BINARY,
  Or: BINARY,
  Xor: BINARY,
  BitShift: S('X Y', 'Z'),
  Max: S('data_0...', 'max'),
  Min: S('data_0...', 'min'),
  Sum: S('data_0...', 'sum'),
  Mean: S('data_0...', 'mean'),
  Clip: S('input min max', 'output'),
  Relu: UNARY_XY,
  LeakyRelu: UNARY_XY,
  PRelu: S('X slope', 'Y'),
  Elu: UNARY_XY,
  Selu: UNARY_XY,
  Celu: UNARY_XY,
  Gelu: UNARY_XY,
  Mish: UNARY_XY,
  Sigmoid: UNARY_XY,
  HardSigmoid: UNARY_XY,
  HardSwish: UNARY_XY,
  Softplus: UNARY_XY,
  Softsign: UNARY_IO,
  Tanh: UNARY_IO,
  Softmax: UNARY_IO,
  LogSoftmax: UNARY_IO,
  Hardmax: UNARY_IO,
  Exp: UNARY_IO,
  Log: UNARY_IO,
  Erf: UNARY_IO,
  Sin: UNARY_IO,
  Cos: UNARY_IO,
  Tan: UNARY_IO,
  Sign: UNARY_IO,
  Sqrt: UNARY_XY,
  Reciprocal: UNARY_XY,
  Neg: UNARY_XY,
  Abs: UNARY_XY,
  Floor: UNARY_XY,
  Ceil: UNARY_XY,
  Round: UNARY_XY,
  Not: UNARY_XY,
  IsNaN: UNARY_XY,
  IsInf: UNARY_XY,
  ReduceMean: REDUCE,
  ReduceSum: REDUCE,
  ReduceMax: REDUCE,
  ReduceMin: REDUCE,
  ReduceProd: REDUCE,
  ReduceL1: REDUCE,
  ReduceL2: REDUCE,
  ReduceLogSum: REDUCE,
  ReduceLogSumExp: REDUCE,
  ReduceSumSquare: REDUCE,
  ArgMax: S('data', 'reduced'),
  ArgMin: S('data', 'reduced'),
  // ONNX Runtime contrib ops that the optimizer and ORT's quantization tools write.
  'com.microsoft.MatMulNBits': S('A B scales zero_points g_idx bias', 'Y'),
  'com.microsoft.FusedConv': S('X W B Z', 'Y'),
  'com.microsoft.DynamicQuantizeMatMul': S('A B b_scale b_zero_point bias', 'Y'),
  'com.microsoft.MatMulIntegerToFloat': S('A B a_scale b_scale a_zero_point b_zero_point bias', 'Y'),
  'com.microsoft.QuantizeLinear': S('x y_scale y_zero_point', 'y'),
  'com.microsoft.DequantizeLinear': S('x x_scale x_zero_point', 'y'),
};

function portName(names: readonly string[] | undefined, k: number, fallback: string): string {
  if (!names || names.length === 0) return `${fallback} ${k}`;
  const last = names[names.length - 1] as string;
  const variadic = last.endsWith('...');
  if (variadic && k >= names.length - 1) return `${last.slice(0, -3)}[${k - (names.length - 1)}]`;
  return names[k] ?? `${fallback} ${k}`;
}

/** Schema name of input k of an op ('W' for Conv input 1), or 'input k' when unknown. */
export function inputPortName(domain: string, opType: string, k: number): string {
  return portName(TABLE[opKey(domain, opType)]?.inputs, k, 'input');
}

export function outputPortName(domain: string, opType: string, k: number): string {
  return portName(TABLE[opKey(domain, opType)]?.outputs, k, 'output');
}

/** Input index of a named port, or -1 ('W' of Conv → 1). */
export function inputPortIndex(domain: string, opType: string, port: string): number {
  return TABLE[opKey(domain, opType)]?.inputs.indexOf(port) ?? -1;
}
