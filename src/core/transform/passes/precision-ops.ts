/**
 * Operator facts the precision passes need: which ops are kept in float32 by default (and why), which
 * ops cannot be float16 at all per the ONNX schema or onnxruntime, which inputs must stay float32 even
 * when the op computes in float16, and which inputs take any type.
 *
 * Sources: the ONNX operator specs (type constraints per opset) and the block lists of
 * onnxconverter-common's float16 converter / onnxruntime.transformers.float16 (which keep Resize's
 * `scales` float32 and block the ops listed in DEFAULT_BLOCK_REASONS).
 */
import type { onnx } from '../../onnx/codec.js';

/** The default `opBlockList` of the fp16 pass: ops that are unsafe in float16 or gain nothing from it. */
export const DEFAULT_BLOCK_REASONS: Readonly<Record<string, string>> = {
  Resize: 'coordinate arithmetic loses precision in float16 (float16 converters keep Resize in float32)',
  Upsample: 'coordinate arithmetic loses precision in float16 (float16 converters keep Upsample in float32)',
  TopK: 'float16 rounding creates ties that change which indices win',
  NonMaxSuppression: 'box overlap arithmetic is float32-only in the ONNX schema',
  RoiAlign: 'sampling coordinates lose precision in float16',
  Range: 'the ONNX Range schema has no float16 type',
  CumSum: 'running sums overflow or lose precision in float16',
  Min: 'onnxruntime has no float16 Min/Max kernel on CPU; float16 converters keep them in float32',
  Max: 'onnxruntime has no float16 Min/Max kernel on CPU; float16 converters keep them in float32',
};

export const DEFAULT_FP16_BLOCK_LIST = Object.keys(DEFAULT_BLOCK_REASONS).join(',');

const QUANT_OPS = ['QuantizeLinear', 'DequantizeLinear', 'DynamicQuantizeLinear', 'QLinearConv', 'QLinearMatMul', 'MatMulInteger', 'ConvInteger'];
const DTYPE_ATTR_OPS = ['RandomNormal', 'RandomUniform', 'RandomNormalLike', 'RandomUniformLike', 'Multinomial', 'Bernoulli', 'EyeLike'];
const WINDOW_OPS = ['HannWindow', 'HammingWindow', 'BlackmanWindow', 'MelWeightMatrix'];
const SEQUENCE_OPS = [
  'SequenceConstruct', 'SequenceInsert', 'SequenceAt', 'SequenceEmpty', 'SequenceErase', 'SequenceLength', 'SequenceMap',
  'SplitToSequence', 'ConcatFromSequence', 'Optional', 'OptionalGetElement', 'OptionalHasElement',
];

/**
 * Ops that must stay float32 whatever the block list says, with the reason; undefined when float16 is
 * allowed. `opset` is the model's default-domain opset.
 */
export function fp16Forbidden(node: onnx.INodeProto, opset: number): string | undefined {
  const op = node.opType ?? '';
  if (node.domain && node.domain !== 'ai.onnx') return `${node.domain} op: its float16 support is unknown here, kept float32`;
  if (op === 'Range') return 'the ONNX Range schema has no float16 type';
  if (op === 'CumSum' && opset < 14) return `CumSum allows float16 only from opset 14 (model: ${opset})`;
  if (op === 'NonMaxSuppression' || op === 'TfIdfVectorizer' || op === 'Celu') return `the ONNX ${op} schema is float32-only`;
  if (QUANT_OPS.includes(op)) return 'quantization op: its float scales stay float32';
  if (DTYPE_ATTR_OPS.includes(op)) return 'generator op: onnxruntime has no float16 kernel for it on CPU';
  if (WINDOW_OPS.includes(op)) return 'window generator: onnxruntime has no float16 kernel for it on CPU';
  if (SEQUENCE_OPS.includes(op)) return 'sequence/optional op: element types are not tracked by this pass';
  return undefined;
}

/**
 * Inputs that stay float32 when the op computes in float16: Resize's `scales` is tensor(float) in every
 * opset (input 1 in Resize-10, input 2 from opset 11) and so is Upsample's (input 1).
 * onnxruntime.transformers.float16 handles the same case ("Resize ... with mixed float inputs").
 */
export function alwaysFloat32Input(op: string, opset: number, index: number): boolean {
  if (op === 'Resize') return opset >= 11 ? index === 2 : index === 1;
  if (op === 'Upsample') return index === 1;
  return false;
}

/** Inputs of any element type: their type never needs a Cast (Cast/Shape/Size read anything). */
export function anyTypeInput(op: string, index: number): boolean {
  if (op === 'Cast' || op === 'Shape' || op === 'Size') return true;
  if (op === 'CastLike') return index === 0;
  return false;
}

/**
 * Outputs whose type is float32 whatever the op computes in: LayerNormalization's Mean and InvStdDev
 * are of type U (stash_type, float32 by default) per the ONNX spec.
 */
export function fixedFloat32Output(op: string, index: number): boolean {
  return op === 'LayerNormalization' && index > 0;
}
