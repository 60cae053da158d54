/**
 * Int8 static quantization in ONNX Runtime's QDQ format (quantize_static with QuantFormat.QDQ):
 * calibrated activation ranges, int8 per-channel weights, int32 biases, QuantizeLinear/DequantizeLinear
 * pairs that ORT fuses into QLinearConv / QLinearMatMul / QLinearAdd … at load time.
 *
 * Unlike quantize_static's quantize-everything default, placement is speed-aware by default
 * (src/core/quant/placement.ts): on onnxruntime-web's WASM backend many int8 kernels are slower than
 * fp32 (depthwise convs, shallow first convs, batch-1 Gemm, QLinearMul), so only layers measured to gain
 * are quantized, chained through Add/MaxPool/Concat so fused kernels pass uint8 to each other.
 *
 * Calibration observes main-graph tensors only (an If/Loop body's values are not graph outputs a
 * runtime can expose), so layers inside subgraphs stay float, each with a report row saying so.
 */
import type { onnx } from '../../onnx/codec.js';
import { err, ok } from '../../errors.js';
import type { Result } from '../../errors.js';
import { inferShapes } from '../../shape/index.js';
import { tensorStorageBytes } from '../../onnx/tensor.js';
import { cloneModel, GraphScope, NameAllocator, opsetVersion, walkGraphs } from '../graph-edit.js';
import { booleanOption, numberOption, parseList, stringOption } from '../options.js';
import type { CalibrationMethod, CalibrationRequest, NodeDecision, PassContext, PassDefinition, PassOptions, PassOutcome, SizeEstimate } from '../types.js';
import { throwIfAborted } from '../types.js';
import type { PlacementMode, PlacementPlan } from '../../quant/placement.js';
import { measurableLayers, planPlacement } from '../../quant/placement.js';
import { indexGraph, layerFacts } from '../../quant/qdq-graph.js';
import { prepareForQdq, raiseOpsetForQdq } from '../../quant/qdq-prepare.js';
import type { QdqOptions } from '../../quant/qdq-rewrite.js';
import { rewriteQdq } from '../../quant/qdq-rewrite.js';
import type { QType } from '../../quant/qparams.js';

const ID = 'int8-static';

interface StaticOptions extends QdqOptions {
  readonly method: CalibrationMethod;
  readonly percentile: number;
  readonly placement: PlacementMode;
  readonly opTypes: ReadonlySet<string>;
  readonly exclude: ReadonlySet<string>;
  readonly quantizeOutputs: boolean;
}

function readOptions(o: PassOptions): StaticOptions {
  const method = stringOption(o, 'calibrationMethod', 'minmax');
  const placement = stringOption(o, 'placement', 'speed');
  return {
    method: method === 'percentile' || method === 'entropy' ? method : 'minmax',
    percentile: numberOption(o, 'percentile', 99.999),
    activationType: stringOption(o, 'activationType', 'uint8') === 'int8' ? 'int8' : 'uint8',
    weightType: (stringOption(o, 'weightType', 'int8') === 'uint8' ? 'uint8' : 'int8') as QType,
    perChannel: booleanOption(o, 'perChannel', true),
    symmetricActivations: booleanOption(o, 'symmetricActivations', false),
    reduceRange: booleanOption(o, 'reduceRange', false),
    quantizeBias: booleanOption(o, 'quantizeBias', true),
    opTypes: new Set(parseList(o.opTypesToQuantize)),
    exclude: new Set(parseList(o.nodesToExclude)),
    placement: placement === 'all' || placement === 'measure' ? placement : 'speed',
    quantizeOutputs: booleanOption(o, 'quantizeOutputs', false),
  };
}

interface Prepared {
  readonly model: onnx.IModelProto;
  readonly scope: GraphScope;
  readonly labels: ReadonlyMap<onnx.INodeProto, string>;
  readonly foldedBatchNorms: number;
  readonly sumsToAdd: number;
  /** Why nothing can be quantized in this model (opset), if so. */
  readonly blocked?: string;
}

/** A working copy with BatchNormalization folded, and report names taken before any node moved. */
function prepare(model: onnx.IModelProto): Prepared {
  const copy = cloneModel(model);
  const graph = copy.graph ?? (copy.graph = { node: [] });
  const before = new GraphScope(graph);
  const labels = new Map<onnx.INodeProto, string>();
  for (const n of graph.node ?? []) labels.set(n, before.nodeLabel(n));
  const names = new NameAllocator(copy);
  const stats = prepareForQdq(before, names);
  const blocked = raiseOpsetForQdq(copy, names);
  return { model: copy, scope: new GraphScope(graph), labels, ...stats, ...(blocked ? { blocked } : {}) };
}

function plan(p: Prepared, o: StaticOptions, mode: PlacementMode, extra: { hasRange?: (name: string) => boolean; layerSpeedups?: ReadonlyMap<string, number> } = {}): PlacementPlan {
  const shapes = inferShapes(p.model);
  const labelOf = (n: onnx.INodeProto): string => p.labels.get(n) ?? p.scope.nodeLabel(n);
  // A model that cannot import opset 10 gets no int8 at all: exclude every node, then say why.
  const exclude = p.blocked ? new Set((p.scope.graph.node ?? []).map(labelOf)) : o.exclude;
  const result = planPlacement(p.scope, indexGraph(p.scope.graph), shapes, {
    mode,
    opTypes: o.opTypes,
    exclude,
    opset: opsetVersion(p.model, ''),
    quantizeOutputs: o.quantizeOutputs,
    symmetricActivations: o.symmetricActivations,
    labelOf,
    ...extra,
  });
  if (p.blocked) for (const n of result.nodes) n.reason = `kept float: ${p.blocked}`;
  return result;
}

function calibration(model: onnx.IModelProto, options: PassOptions): CalibrationRequest {
  const o = readOptions(options);
  const p = prepare(model);
  const wanted = new Set<string>();
  const collect = (pl: PlacementPlan): void => {
    for (const [name, t] of pl.tensors) if (t.params === 'range') wanted.add(name);
  };
  const main = plan(p, o, o.placement === 'measure' ? 'all' : o.placement);
  collect(main);
  // 'measure' decides after timing: ask for the ranges any outcome could need — every float input and
  // output of every candidate (a layer the rules keep float may turn int8, moving Q/DQ pairs around).
  if (o.placement === 'measure') {
    const shapes = inferShapes(p.model);
    for (const n of main.nodes) {
      if (n.decision === 'skipped' && !n.facts) continue;
      for (const name of [...(n.node.input ?? []), ...(n.node.output ?? [])]) if (name && shapes.get(name)?.dtype === 1 && !p.scope.weight(name)) wanted.add(name);
    }
  }
  return {
    tensors: [...wanted],
    method: o.method,
    percentile: o.percentile,
    // ORT's calibrators: 2048 histogram bins for percentile, 128 for entropy (calibrate.py defaults).
    bins: o.method === 'entropy' ? 128 : 2048,
    symmetric: o.symmetricActivations,
    ...(o.placement === 'measure' ? { measureNodes: measurableLayers(main) } : {}),
  };
}

function estimate(model: onnx.IModelProto, options: PassOptions): SizeEstimate {
  const o = readOptions(options);
  const p = prepare(model);
  const pl = plan(p, o, o.placement === 'measure' ? 'speed' : o.placement);
  const seen = new Set<string>();
  let before = 0;
  let after = 0;
  let nodes = 0;
  for (const n of pl.nodes) {
    if (!n.int8 || n.role !== 'compute') continue;
    nodes++;
    const w = n.facts?.weight;
    if (!w || seen.has(w.ref.name)) continue;
    seen.add(w.ref.name);
    const bytes = tensorStorageBytes(w.ref.tensor);
    const channels = o.perChannel ? (n.facts?.weightDims?.[n.facts.channelAxis ?? 0] ?? 1) : 1;
    before += bytes;
    after += Math.ceil(bytes / 4) + channels * 5;
  }
  return { weightBytesBefore: before, weightBytesAfter: after, nodes };
}

function apply(model: onnx.IModelProto, options: PassOptions, ctx: PassContext): Result<PassOutcome, string> {
  const o = readOptions(options);
  const cal = ctx.calibration;
  if (!cal) return err('Int8 static needs calibration: run it with calibration data (a calibrator), not on its own');
  ctx.progress('Preparing', 0, 1);
  const p = prepare(model);
  throwIfAborted(ctx.signal);
  const hasRange = (name: string): boolean => {
    const r = cal.ranges.get(name);
    return r !== undefined && Number.isFinite(r.min) && Number.isFinite(r.max);
  };
  const pl = plan(p, o, o.placement, { hasRange, ...(cal.layerSpeedups ? { layerSpeedups: cal.layerSpeedups } : {}) });
  throwIfAborted(ctx.signal);
  const graph = p.scope.graph;
  const stats = rewriteQdq(p.model, graph, indexGraph(graph), pl, cal.ranges, o, new NameAllocator(p.model), (done, total) => {
    ctx.progress('Inserting QuantizeLinear/DequantizeLinear', done, total);
    throwIfAborted(ctx.signal);
  });

  // Nothing placed in int8: hand back the model as it came (no folded BatchNormalization, no opset change).
  const output = stats.qdqPairs === 0 && stats.weightBytesBefore === 0 ? cloneModel(model) : p.model;
  const decisions: NodeDecision[] = pl.nodes.map((n) => ({ node: n.label, op: n.op, decision: n.decision, reason: n.reason }));
  // Layers inside If/Loop bodies: calibration cannot observe their tensors.
  walkGraphs(p.model, (scope) => {
    if (scope.path === '') return;
    const idx = indexGraph(scope.graph);
    for (const n of scope.graph.node ?? []) {
      if (!layerFacts(scope, idx, new Map(), n)) continue;
      decisions.push({ node: scope.nodeLabel(n), op: n.opType ?? '', decision: 'skipped', reason: 'inside a subgraph (If/Loop body): calibration observes main-graph tensors only, so it stays float' });
    }
  });
  const layers = decisions.filter((d) => d.op === 'Conv' || d.op === 'MatMul' || d.op === 'Gemm');
  const changedLayers = layers.filter((d) => d.decision === 'changed').length;
  const changed = decisions.filter((d) => d.decision === 'changed').length;
  const warnings = [...cal.warnings];
  if (p.blocked) warnings.push(`nothing quantized: ${p.blocked}`);
  if (o.placement === 'measure' && !cal.layerSpeedups) warnings.push("placement 'measure': the calibrator did not time layers, so the default speed rules decided");
  if (changedLayers === 0 && layers.length > 0 && o.placement !== 'all' && !p.blocked) {
    warnings.push(
      "no layer was quantized: on this model int8 is not expected to be faster (see the decisions), so the output runs like the input; to make it smaller anyway, choose placement 'all' (int8 weights take about a quarter of the bytes; measure its speed)",
    );
  } else if (changedLayers === 0) warnings.push('no layer was quantized (see the decisions)');
  if (!o.quantizeBias) warnings.push('quantizeBias off: biases stay float, and ORT may not fuse those Conv groups into QLinearConv');
  const folded = p.foldedBatchNorms > 0 && output === p.model ? `; folded ${p.foldedBatchNorms} BatchNormalization into Conv` : '';
  const summary =
    `${changedLayers} of ${layers.length} Conv/MatMul/Gemm layers to int8 (QDQ, ${o.perChannel ? 'per channel' : 'per tensor'}, ${o.activationType} activations, placement ${o.placement})` +
    `, ${layers.length - changedLayers} kept float${folded}; calibrated with ${o.method} on ${cal.samples} sample(s) (${cal.source})`;
  ctx.progress('Inserting QuantizeLinear/DequantizeLinear', 1, 1);
  return ok({
    model: output,
    report: {
      pass: ID,
      summary,
      changedNodes: changed,
      skippedNodes: decisions.length - changed,
      decisions,
      weightBytesBefore: stats.weightBytesBefore,
      weightBytesAfter: stats.weightBytesAfter,
      warnings,
    },
  });
}

export const int8StaticPass: PassDefinition = {
  id: ID,
  label: 'Int8 static (QDQ)',
  category: 'quantize',
  summary: 'Calibrated int8 weights and activations (QuantizeLinear/DequantizeLinear pairs ORT fuses into integer kernels), placed where int8 is faster',
  note: 'Needs calibration data. By default only layers measured to run faster in int8 on WASM are quantized; depthwise convs, shallow first convs and batch-1 Gemm stay float.',
  options: {
    calibrationMethod: {
      kind: 'choice',
      label: 'Calibration method',
      description:
        'How activation ranges are taken from the samples. MinMax (ORT default) keeps every observed value and is exact on small calibration sets; Percentile clips rare outliers; Entropy picks the range that loses least information (KL divergence).',
      default: 'minmax',
      choices: [
        { value: 'minmax', label: 'MinMax' },
        { value: 'percentile', label: 'Percentile' },
        { value: 'entropy', label: 'Entropy (KL)' },
      ],
    },
    percentile: { kind: 'number', label: 'Percentile', description: 'For Percentile calibration: the share of values kept inside the range.', default: 99.999, min: 99, max: 100, step: 0.001, unit: '%' },
    activationType: {
      kind: 'choice',
      label: 'Activation type',
      description: 'uint8 (ORT default) with asymmetric ranges suits ReLU networks; int8 for symmetric activations.',
      default: 'uint8',
      choices: [
        { value: 'uint8', label: 'uint8' },
        { value: 'int8', label: 'int8' },
      ],
      advanced: true,
    },
    weightType: {
      kind: 'choice',
      label: 'Weight type',
      description: 'int8 symmetric weights (ORT default) run fastest with uint8 activations (u8×s8 kernels).',
      default: 'int8',
      choices: [
        { value: 'int8', label: 'int8' },
        { value: 'uint8', label: 'uint8' },
      ],
      advanced: true,
    },
    perChannel: { kind: 'boolean', label: 'Per channel', description: 'One weight scale per output channel (Conv axis 0, MatMul axis 1): more accurate, same speed.', default: true },
    symmetricActivations: { kind: 'boolean', label: 'Symmetric activations', description: "ORT's ActivationSymmetric: ranges made [-a, a]. Off by default: ReLU outputs waste half the range when symmetric.", default: false, advanced: true },
    reduceRange: { kind: 'boolean', label: 'Reduce range', description: '7-bit weights for old CPUs without VNNI (avoids 16-bit overflow in u8×s8 products). Not needed on WASM.', default: false, advanced: true },
    quantizeBias: { kind: 'boolean', label: 'Quantize bias', description: 'Biases as int32 (scale = input scale × weight scale), which the fused kernels need.', default: true, advanced: true },
    opTypesToQuantize: { kind: 'list', label: 'Op types to quantize', description: 'Only these op types (empty: every type this pass supports).', default: '', items: 'op-types', advanced: true },
    nodesToExclude: { kind: 'list', label: 'Nodes to exclude', description: 'Nodes kept float (names as in the graph view).', default: '', items: 'node-names' },
    placement: {
      kind: 'choice',
      label: 'Placement',
      description:
        "Speed: quantize only layers known to run faster in int8 on WASM. All: every quantizable layer (ORT's quantize_static default; often slower on WASM). Measure: time each layer in fp32 and int8 on this machine and keep int8 where it is faster.",
      default: 'speed',
      choices: [
        { value: 'speed', label: 'Speed-aware (rules)' },
        { value: 'all', label: 'Quantize everything' },
        { value: 'measure', label: 'Measure on this machine' },
      ],
    },
    quantizeOutputs: { kind: 'boolean', label: 'Quantize graph outputs', description: 'Off: outputs (logits) stay float — quantizing them cut a ResNet-18 output cosine from 0.99991 to 0.99927.', default: false, advanced: true },
  },
  calibration,
  estimate,
  apply,
};
