/**
 * "Measure on this machine" placement for int8-static: time each candidate layer in fp32 and in int8
 * in onnxruntime-web, here, with the layer's real shapes and weights, so that the pass keeps int8 only
 * where it is faster (issue 4, item 5b).
 *
 * For each layer we build two one-node models: the float layer (float in, float out), and its QDQ form
 * made by the int8-static pass itself (placement 'all') with the Quantize of its inputs and the
 * Dequantize of its output stripped, so the model takes and returns uint8 — what the layer sees inside
 * an int8 region, where neighbouring fused kernels hand it uint8 (ORT fuses DQ → op → Q into one
 * QLinearConv / QLinearMatMul / QGemm). The ratio includes the layout Transposes ORT adds at the edges of
 * an NHWC int8 region, which a lone layer pays on both sides: it errs towards fp32.
 *
 * Timing: the two sessions run alternately (a busy machine slows both alike) and the best of `runs`
 * is kept for each (the least disturbed run). The speedup is fp32 time / int8 time.
 */
import type { onnx } from '../core/onnx/codec.js';
import { DataType, encodeModelProto, Long } from '../core/onnx/codec.js';
import { err, ok } from '../core/errors.js';
import type { Result } from '../core/errors.js';
import { inferShapes } from '../core/shape/index.js';
import { GraphScope } from '../core/transform/graph-edit.js';
import { defaultOptions } from '../core/transform/options.js';
import { int8StaticPass } from '../core/transform/passes/int8-static.js';
import type { AbortLike, Calibrator, CalibrationRanges, ProgressFn, TensorRange } from '../core/transform/types.js';
import { indexGraph, resolveConst } from '../core/quant/qdq-graph.js';
import { seededRandom } from '../core/util/seeded-random.js';
import { createSession, OrtTensor } from './ort.js';
import type { Tensor } from './ort.js';

export interface LayerTimingOptions {
  /** Timed runs per form (after `warmup`). */
  readonly runs?: number;
  readonly warmup?: number;
}

/** Wraps a calibrator: after the ranges, times the layers the request names in `measureNodes`. */
export function withLayerTiming(calibrator: Calibrator, options: LayerTimingOptions = {}): Calibrator {
  return async (model, request, progress, signal) => {
    const base = await calibrator(model, request, progress, signal);
    if (!base.ok || !request.measureNodes || request.measureNodes.length === 0) return base;
    const timed = await timeLayers(model, request.measureNodes, base.value.ranges, progress, signal, options);
    if (!timed.ok) return timed;
    const skipped = request.measureNodes.length - timed.value.speedups.size;
    const warnings = [...base.value.warnings];
    if (skipped > 0) warnings.push(`${skipped} layer(s) could not be timed (unknown shapes or no one-node model): the default rules decided them`);
    return ok({ ...base.value, layerSpeedups: timed.value.speedups, warnings });
  };
}

export interface LayerTimes {
  /** fp32 time / int8 time per layer label. */
  readonly speedups: ReadonlyMap<string, number>;
  /** Best times in ms, for reports and benches. */
  readonly times: ReadonlyMap<string, { readonly fp32: number; readonly int8: number }>;
}

export async function timeLayers(
  model: onnx.IModelProto,
  labels: readonly string[],
  ranges: CalibrationRanges,
  progress: ProgressFn,
  signal?: AbortLike,
  options: LayerTimingOptions = {},
): Promise<Result<LayerTimes, string>> {
  const graph = model.graph;
  if (!graph) return ok({ speedups: new Map(), times: new Map() });
  const scope = new GraphScope(graph);
  const byLabel = new Map((graph.node ?? []).map((n) => [scope.nodeLabel(n), n]));
  // Free dimensions (batch) at 1: the speed that matters is a single inference.
  const symbols: Record<string, number> = {};
  for (const i of graph.input ?? []) for (const d of i.type?.tensorType?.shape?.dim ?? []) if (d.dimParam) symbols[d.dimParam] = 1;
  const shapes = inferShapes(model, { symbols });
  const speedups = new Map<string, number>();
  const times = new Map<string, { fp32: number; int8: number }>();
  const stage = 'timing layers in fp32 and int8';
  for (const [i, label] of labels.entries()) {
    if (signal?.aborted) return err('calibration cancelled');
    progress(stage, i, labels.length);
    const node = byLabel.get(label);
    if (!node) continue;
    const pair = layerModels(model, scope, node, shapes, ranges);
    if (!pair) continue;
    const measured = await timePair(pair, options);
    if (!measured) continue;
    speedups.set(label, measured.fp32 / measured.int8);
    times.set(label, measured);
  }
  progress(stage, labels.length, labels.length);
  return ok({ speedups, times });
}

interface ModelPair {
  readonly fp32: onnx.IModelProto;
  readonly int8: onnx.IModelProto;
  readonly inputs: ReadonlyArray<{ readonly name: string; readonly dims: number[]; readonly range: TensorRange }>;
}

const valueInfo = (name: string, elemType: number, dims: readonly number[]): onnx.IValueInfoProto => ({
  name,
  type: { tensorType: { elemType, shape: { dim: dims.map((d) => ({ dimValue: Long.fromNumber(d) })) } } },
});

/** The float one-node model and its uint8-in / uint8-out QDQ form, or undefined when shapes are unknown. */
function layerModels(model: onnx.IModelProto, scope: GraphScope, node: onnx.INodeProto, shapes: ReturnType<typeof inferShapes>, ranges: CalibrationRanges): ModelPair | undefined {
  const index = indexGraph(scope.graph);
  const initializer: onnx.ITensorProto[] = [];
  const inputs: Array<{ name: string; dims: number[]; range: TensorRange }> = [];
  for (const name of node.input ?? []) {
    if (!name) continue;
    const c = resolveConst(scope, index, name);
    if (c) {
      initializer.push({ ...c.ref.tensor, name });
      continue;
    }
    const shape = shapes.get(name)?.shape;
    if (!shape || !shape.every((d): d is number => typeof d === 'number' && d > 0)) return undefined;
    inputs.push({ name, dims: shape, range: ranges.get(name) ?? { min: 0, max: 1 } });
  }
  const out = node.output?.[0] ?? '';
  const outShape = shapes.get(out)?.shape;
  if (!out || !outShape || !outShape.every((d): d is number => typeof d === 'number' && d > 0)) return undefined;
  const fp32: onnx.IModelProto = {
    irVersion: model.irVersion,
    opsetImport: (model.opsetImport ?? []).map((o) => ({ ...o })),
    graph: {
      name: 'layer',
      node: [{ ...node, input: [...(node.input ?? [])], output: [out] }],
      initializer,
      input: inputs.map((i) => valueInfo(i.name, DataType.FLOAT, i.dims)),
      output: [valueInfo(out, DataType.FLOAT, outShape)],
    },
  };
  const cal = new Map<string, TensorRange>(inputs.map((i) => [i.name, i.range]));
  cal.set(out, ranges.get(out) ?? { min: -1, max: 1 });
  const options = { ...defaultOptions(int8StaticPass.options), placement: 'all', quantizeOutputs: true };
  const q = int8StaticPass.apply(fp32, options, { progress: () => undefined, calibration: { ranges: cal, samples: 0, source: 'layer timing', warnings: [] } });
  if (!q.ok || q.value.report.changedNodes === 0) return undefined;
  const int8 = stripBoundaryQdq(q.value.model, inputs.map((i) => i.name), out);
  return int8 ? { fp32, int8, inputs } : undefined;
}

/** Graph inputs enter as the QuantizeLinear outputs (uint8) and the output leaves before its DequantizeLinear. */
function stripBoundaryQdq(model: onnx.IModelProto, inputs: readonly string[], output: string): onnx.IModelProto | undefined {
  const graph = model.graph;
  if (!graph) return undefined;
  const drop = new Set<onnx.INodeProto>();
  const newInputs: onnx.IValueInfoProto[] = [];
  for (const name of inputs) {
    const q = (graph.node ?? []).find((n) => n.opType === 'QuantizeLinear' && n.input?.[0] === name);
    const declared = (graph.input ?? []).find((i) => i.name === name);
    if (!q || !declared) return undefined;
    drop.add(q);
    newInputs.push({ name: q.output?.[0] ?? '', type: { tensorType: { elemType: DataType.UINT8, shape: declared.type?.tensorType?.shape ?? null } } });
  }
  const dq = (graph.node ?? []).find((n) => n.opType === 'DequantizeLinear' && n.output?.[0] === output);
  const declaredOut = (graph.output ?? []).find((o) => o.name === output);
  if (!dq || !declaredOut) return undefined;
  drop.add(dq);
  graph.node = (graph.node ?? []).filter((n) => !drop.has(n));
  graph.input = newInputs;
  graph.output = [{ name: dq.input?.[0] ?? '', type: { tensorType: { elemType: DataType.UINT8, shape: declaredOut.type?.tensorType?.shape ?? null } } }];
  return model;
}

async function timePair(pair: ModelPair, options: LayerTimingOptions): Promise<{ fp32: number; int8: number } | undefined> {
  const runs = options.runs ?? 10;
  const warmup = options.warmup ?? 2;
  const a = await createSession(encodeModelProto(pair.fp32));
  if (!a.ok) return undefined;
  const b = await createSession(encodeModelProto(pair.int8));
  if (!b.ok) {
    await a.value.release();
    return undefined;
  }
  try {
    const random = seededRandom(7);
    const floatFeeds: Record<string, Tensor> = {};
    const uint8Feeds: Record<string, Tensor> = {};
    for (const [k, input] of pair.inputs.entries()) {
      const count = input.dims.reduce((x, y) => x * y, 1);
      const { min, max } = input.range;
      floatFeeds[input.name] = new OrtTensor('float32', Float32Array.from({ length: count }, () => min + (max - min) * random()), input.dims);
      const name = b.value.inputs[k]?.name ?? '';
      uint8Feeds[name] = new OrtTensor('uint8', Uint8Array.from({ length: count }, () => Math.floor(random() * 256)), input.dims);
    }
    let bestA = Infinity;
    let bestB = Infinity;
    for (let r = 0; r < warmup + runs; r++) {
      const ra = await a.value.run(floatFeeds);
      const rb = await b.value.run(uint8Feeds);
      if (!ra.ok || !rb.ok) return undefined;
      if (r < warmup) continue;
      bestA = Math.min(bestA, ra.value.ms);
      bestB = Math.min(bestB, rb.value.ms);
    }
    return bestB > 0 ? { fp32: bestA, int8: bestB } : undefined;
  } finally {
    await a.value.release();
    await b.value.release();
  }
}
