/**
 * Which activation of a candidate model (a quantized or fp16 variant) stands for which activation of its
 * reference, so that the two can be compared tensor by tensor — the idea of onnxruntime's
 * qdq_loss_debug (create_activation_matching): for a float tensor X of the reference,
 *   - a QDQ variant quantizes X as X → QuantizeLinear → DequantizeLinear → X': the next layer sees X',
 *     so X' is compared with X ("qdq": the error of everything up to and including X's quantization);
 *     (our int8-static pass names the DequantizeLinear output X itself: also "qdq");
 *   - otherwise the variant's own X, when it still produces a tensor of that name ("same").
 * Pure, main graph only. Tensors the variant no longer has (fused, renamed, pruned) are not matched.
 */
import type { onnx } from '../onnx/codec.js';
import { DataType } from '../onnx/codec.js';
import { inferShapes } from '../shape/index.js';

export interface TensorPair {
  /** The reference's tensor name. */
  readonly tensor: string;
  /** The name to read in the candidate. */
  readonly candidate: string;
  readonly via: 'qdq' | 'same';
  /** The reference node that produces it: label (name or #index) and op. */
  readonly producer: string;
  readonly op: string;
}

const FLOAT = new Set<number>([DataType.FLOAT, DataType.FLOAT16, DataType.DOUBLE, DataType.BFLOAT16]);

export function matchActivations(reference: onnx.IModelProto, candidate: onnx.IModelProto, limit = 2000): TensorPair[] {
  const refNodes = reference.graph?.node ?? [];
  const candNodes = candidate.graph?.node ?? [];
  const shapes = inferShapes(reference, { symbols: {} });
  const candProducer = new Map<string, string>();
  const quantizedBy = new Map<string, onnx.INodeProto>();
  const dequantizedBy = new Map<string, onnx.INodeProto>();
  for (const n of candNodes) {
    for (const o of n.output ?? []) if (o) candProducer.set(o, n.opType ?? '');
    const first = n.input?.[0];
    if (!first) continue;
    if (n.opType === 'QuantizeLinear') quantizedBy.set(first, n);
    if (n.opType === 'DequantizeLinear') dequantizedBy.set(first, n);
  }
  const out: TensorPair[] = [];
  refNodes.forEach((n, i) => {
    if (n.opType === 'Constant') return;
    for (const x of n.output ?? []) {
      if (!x || out.length >= limit) continue;
      const dtype = shapes.get(x)?.dtype ?? 0;
      if (dtype !== 0 && !FLOAT.has(dtype)) continue;
      const producer = n.name || `#${i}`;
      const q = quantizedBy.get(x)?.output?.[0];
      const dq = q ? dequantizedBy.get(q)?.output?.[0] : undefined;
      const own = candProducer.get(x);
      if (dq) out.push({ tensor: x, candidate: dq, via: 'qdq', producer, op: n.opType ?? '' });
      // Our int8-static pass keeps the name for the dequantized value (X_float → Q → DQ → X).
      else if (own !== undefined) out.push({ tensor: x, candidate: x, via: own === 'DequantizeLinear' ? 'qdq' : 'same', producer, op: n.opType ?? '' });
    }
  });
  return out;
}
