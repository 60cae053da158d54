/**
 * Writes a placement plan into the graph in ONNX Runtime's QDQ format (quantize_static, QuantFormat.QDQ):
 *   - weights: int8 initializers (per channel: Conv axis 0, MatMul B axis 1, Gemm B its N axis) read by
 *     DequantizeLinear;
 *   - biases: int32 with scale = input scale × weight scale (zero point 0) read by DequantizeLinear, so
 *     the fused kernel adds them to its int32 accumulator;
 *   - activations: QuantizeLinear → DequantizeLinear with the calibrated scale and zero point.
 * ORT's graph optimizer then fuses each DQ → op → Q group into QLinearConv / QLinearMatMul / QLinearAdd …
 *
 * Naming: a tensor produced by an int8 node keeps its name on the DequantizeLinear output (the node
 * writes a fresh name that only the QuantizeLinear reads, as fusion requires); a tensor produced by a
 * float node keeps its readers, and only int8 readers move to the dequantized copy.
 *
 * Q/DQ with an `axis` (per channel) exist in the default domain from opset 13. Older models get the
 * com.microsoft contrib QuantizeLinear/DequantizeLinear (which have `axis` and which ORT's QDQ fusions
 * accept) rather than an opset bump, which would change the meaning of other ops (Slice, Reshape …).
 */
import type { onnx } from '../onnx/codec.js';
import { tensorDims, tensorStorageBytes, tensorToNumbers } from '../onnx/tensor.js';
import type { NameAllocator } from '../transform/graph-edit.js';
import { ensureOpset, floatTensor, int32Tensor, int8Tensor, intAttr, node, opsetVersion, readCounts, uint8Tensor } from '../transform/graph-edit.js';
import type { CalibrationRanges } from '../transform/types.js';
import type { GraphIndex, LayerFacts } from './qdq-graph.js';
import type { NodePlan, PlacementPlan } from './placement.js';
import { effectiveOutput } from './placement.js';
import type { QParams, QType } from './qparams.js';
import { computeQParams, qRange, quantizeBias, quantizeWeight } from './qparams.js';

export interface QdqOptions {
  readonly activationType: QType;
  readonly weightType: QType;
  readonly perChannel: boolean;
  readonly reduceRange: boolean;
  readonly symmetricActivations: boolean;
  readonly quantizeBias: boolean;
}

export interface RewriteStats {
  readonly weightBytesBefore: number;
  readonly weightBytesAfter: number;
  readonly qdqPairs: number;
  readonly domain: string;
}

interface QuantizedWeightRef {
  /** Output of the weight's DequantizeLinear. */
  readonly dq: string;
  readonly scales: Float32Array;
}

const scalarOf = (qtype: QType, zp: number, name: string): onnx.ITensorProto =>
  qtype === 'int8' ? int8Tensor(name, [], Int8Array.of(zp)) : uint8Tensor(name, [], Uint8Array.of(zp));

export function qdqDomain(model: onnx.IModelProto): string {
  return opsetVersion(model, '') >= 13 ? '' : 'com.microsoft';
}

export function rewriteQdq(
  model: onnx.IModelProto,
  graph: onnx.IGraphProto,
  index: GraphIndex,
  plan: PlacementPlan,
  ranges: CalibrationRanges,
  options: QdqOptions,
  names: NameAllocator,
  /** Called per node (progress and cancellation). */
  tick?: (done: number, total: number) => void,
): RewriteStats {
  const domain = qdqDomain(model);
  if (domain) ensureOpset(model, domain, 1);
  const readsBefore = readCounts(graph);
  const initializers = graph.initializer ?? (graph.initializer = []);
  const actRange = qRange(options.activationType, options.symmetricActivations, false);
  let before = 0;
  let after = 0;
  let pairs = 0;

  // Activation parameters, following shared ones (MaxPool, Reshape … keep their input's scale).
  const params = new Map<string, QParams>();
  const paramsOf = (name: string, depth = 0): QParams => {
    const known = params.get(name);
    if (known) return known;
    const t = plan.tensors.get(name);
    let p: QParams;
    if (t?.params === 'shared' && t.from && depth < 64 && plan.tensors.has(t.from)) p = paramsOf(t.from, depth + 1);
    else {
      const r = ranges.get(name);
      p = computeQParams(r?.min ?? 0, r?.max ?? 0, actRange, options.symmetricActivations);
    }
    params.set(name, p);
    return p;
  };
  // One scale/zero-point pair of initializers per distinct activation parameter set.
  const qpNames = new Map<string, { scale: string; zp: string }>();
  const qpInitializers = (name: string): { scale: string; zp: string } => {
    const p = paramsOf(name);
    const key = `${p.scale}/${p.zeroPoint}`;
    const found = qpNames.get(key);
    if (found) return found;
    const scale = names.fresh(`${name}_scale`);
    const zp = names.fresh(`${name}_zero_point`);
    initializers.push(floatTensor(scale, [], Float32Array.of(p.scale)), scalarOf(options.activationType, p.zeroPoint, zp));
    const made = { scale, zp };
    qpNames.set(key, made);
    return made;
  };
  const qdqNodes = (input: string, output: string, base: string): onnx.INodeProto[] => {
    const { scale, zp } = qpInitializers(base);
    const q = names.fresh(`${base}_quantized`);
    pairs++;
    return [
      node('QuantizeLinear', [input, scale, zp], [q], names.fresh(`${base}_QuantizeLinear`), [], domain),
      node('DequantizeLinear', [q, scale, zp], [output], names.fresh(`${base}_DequantizeLinear`), [], domain),
    ];
  };

  // Weights: quantized once per (tensor, axis), shared by every int8 reader.
  const weightCache = new Map<string, QuantizedWeightRef>();
  const preamble: onnx.INodeProto[] = [];
  const quantizeWeightInput = (facts: LayerFacts): QuantizedWeightRef | undefined => {
    const w = facts.weight;
    if (!w) return undefined;
    const dims = facts.weightDims ?? tensorDims(w.ref.tensor);
    const axis = options.perChannel ? (facts.channelAxis ?? -1) : -1;
    const key = `${w.ref.name}|${axis}`;
    const cached = weightCache.get(key);
    if (cached) return cached;
    const values = tensorToNumbers(w.ref.tensor);
    if (!values) return undefined;
    // ORT's defaults: int8 weights symmetric (WeightSymmetric = weight_type == QInt8), uint8 asymmetric.
    const symmetric = options.weightType === 'int8';
    const q = quantizeWeight(values, dims, { qtype: options.weightType, symmetric, reduceRange: options.reduceRange, axis });
    const qName = names.fresh(`${w.ref.name}_quantized`);
    const sName = names.fresh(`${w.ref.name}_scale`);
    const zName = names.fresh(`${w.ref.name}_zero_point`);
    const perChannel = q.axis >= 0;
    const sDims = perChannel ? [q.scales.length] : [];
    initializers.push(
      q.qtype === 'int8' ? int8Tensor(qName, dims, q.values as Int8Array) : uint8Tensor(qName, dims, q.values as Uint8Array),
      floatTensor(sName, sDims, q.scales),
      q.qtype === 'int8' ? int8Tensor(zName, sDims, q.zeroPoints as Int8Array) : uint8Tensor(zName, sDims, q.zeroPoints as Uint8Array),
    );
    const dq = names.fresh(`${w.ref.name}_dequantized`);
    preamble.push(node('DequantizeLinear', [qName, sName, zName], [dq], names.fresh(`${w.ref.name}_DequantizeLinear`), perChannel ? [intAttr('axis', q.axis)] : [], domain));
    before += tensorStorageBytes(w.ref.tensor);
    after += q.values.byteLength + q.scales.byteLength + q.zeroPoints.byteLength;
    const made = { dq, scales: q.scales };
    weightCache.set(key, made);
    return made;
  };

  const quantizeBiasInput = (p: NodePlan, weight: QuantizedWeightRef, inputScale: number, out: onnx.INodeProto[]): string | undefined => {
    const b = p.facts?.bias;
    if (!b || !options.quantizeBias) return undefined;
    const values = tensorToNumbers(b.ref.tensor);
    if (!values) return undefined;
    const q = quantizeBias(values, inputScale, weight.scales);
    const perChannel = weight.scales.length > 1;
    const qName = names.fresh(`${b.ref.name}_quantized`);
    const sName = names.fresh(`${b.ref.name}_scale`);
    const zName = names.fresh(`${b.ref.name}_zero_point`);
    const scales = perChannel ? q.scales : Float32Array.of(q.scales[0] ?? 1);
    const sDims = perChannel ? [scales.length] : [];
    initializers.push(int32Tensor(qName, [values.length], q.values), floatTensor(sName, sDims, scales), int32Tensor(zName, sDims, new Int32Array(scales.length)));
    const dq = names.fresh(`${b.ref.name}_dequantized`);
    out.push(node('DequantizeLinear', [qName, sName, zName], [dq], names.fresh(`${b.ref.name}_DequantizeLinear`), perChannel ? [intAttr('axis', 0)] : [], domain));
    before += tensorStorageBytes(b.ref.tensor);
    after += q.values.byteLength + scales.byteLength * 2;
    return dq;
  };

  const byNode = new Map(plan.nodes.map((p) => [p.node, p]));
  const dqName = new Map<string, string>(); // float-produced tensor → its dequantized copy
  const floatOf = new Map<string, string>(); // and back
  const body: onnx.INodeProto[] = [];

  const quantizeFloatTensor = (name: string, out: onnx.INodeProto[]): void => {
    const t = plan.tensors.get(name);
    if (!t || t.int8Producer || dqName.has(name)) return;
    const dq = names.fresh(`${name}_dequantized`);
    dqName.set(name, dq);
    floatOf.set(dq, name);
    out.push(...qdqNodes(name, dq, name));
  };
  const inputs = new Set((graph.input ?? []).map((i) => i.name ?? ''));
  for (const name of inputs) quantizeFloatTensor(name, body);
  // Tensors read by int8 nodes but produced in an outer scope or by no node at all get their pair up front.
  for (const [name, t] of plan.tensors) if (!t.int8Producer && !index.producer.has(name)) quantizeFloatTensor(name, body);

  const all = graph.node ?? [];
  for (const [k, n] of all.entries()) {
    if (tick && k % 64 === 0) tick(k, all.length);
    const p = byNode.get(n);
    if (p && plan.absorbed.has(n)) continue; // its producer writes the clamped, quantized value
    if (p?.int8) {
      const spec = p.facts;
      const ins = n.input ?? (n.input = []);
      const outs = n.output ?? (n.output = []);
      const activationIdx = spec ? spec.activationInputs : (n.input ?? []).map((_, i) => i);
      for (const i of activationIdx) {
        const name = n.input?.[i] ?? '';
        const dq = dqName.get(name);
        if (dq) ins[i] = dq;
      }
      if (spec?.weight && spec.weightIndex !== undefined) {
        const w = quantizeWeightInput(spec);
        if (w) {
          ins[spec.weightIndex] = w.dq;
          const x = ins[spec.activationInputs[0] ?? 0] ?? '';
          const original = floatOf.get(x) ?? x;
          const bias = spec.biasIndex !== undefined ? quantizeBiasInput(p, w, paramsOf(original).scale, body) : undefined;
          if (bias && spec.biasIndex !== undefined) ins[spec.biasIndex] = bias;
        }
      }
      const eff = effectiveOutput(n, index, plan.absorbed);
      const t = plan.tensors.get(eff);
      if (t?.int8Producer) {
        const raw = names.fresh(`${eff}_float`);
        outs[0] = raw;
        body.push(n, ...qdqNodes(raw, eff, eff));
        continue;
      }
      if (eff !== (outs[0] ?? '')) outs[0] = eff; // absorbed activation without Q cannot happen; keep the graph valid
      body.push(n);
      continue;
    }
    body.push(n);
    for (const o of n.output ?? []) quantizeFloatTensor(o, body);
  }
  graph.node = [...preamble, ...body];
  dropUnread(graph, readsBefore);
  return { weightBytesBefore: before, weightBytesAfter: after, qdqPairs: pairs, domain: domain || 'ai.onnx' };
}

/**
 * Removes what the rewrite left unread: float weights replaced by int8 ones (initializers, Constant
 * nodes, and the Identity nodes torch puts in front of weights). Only values that were read before
 * and are read by nobody now are dropped, so the pass never deletes something it did not orphan.
 */
export function dropUnread(graph: onnx.IGraphProto, readsBefore: ReadonlyMap<string, number>): void {
  for (let again = true; again; ) {
    again = false;
    const reads = readCounts(graph);
    const orphan = (name: string): boolean => (readsBefore.get(name) ?? 0) > 0 && (reads.get(name) ?? 0) === 0;
    const nodes = graph.node ?? [];
    const kept = nodes.filter((n) => {
      const removable = (n.opType === 'Constant' || n.opType === 'Identity') && (n.domain ?? '') === '' && (n.output ?? []).every(orphan);
      return !removable;
    });
    if (kept.length !== nodes.length) {
      graph.node = kept;
      again = true;
    }
    const inits = graph.initializer ?? [];
    const keptInits = inits.filter((t) => !orphan(t.name ?? ''));
    if (keptInits.length !== inits.length) {
      const gone = new Set(inits.filter((t) => orphan(t.name ?? '')).map((t) => t.name ?? ''));
      graph.initializer = keptInits;
      // IR < 4 models list initializers as graph inputs too.
      graph.input = (graph.input ?? []).filter((i) => !gone.has(i.name ?? ''));
      again = true;
    }
  }
}
