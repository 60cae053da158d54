/**
 * Per-layer sensitivity (issue 6, "Seeing why"): quantize one layer at a time, everything else float,
 * and measure how far the model's outputs move from the float model's (SQNR, cosine; accuracy when the
 * data has labels). The layers that hurt most alone are the ones to keep in float — the user excludes
 * the N most sensitive and re-applies the recipe.
 *
 * The candidate layers are those the user's step changes on the whole model (its report's 'changed'
 * decisions). A one-layer variant is that step with every other candidate in `nodesToExclude`; a
 * `placement` option is set to 'all' there, because a speed placement rejects a lone int8 layer (its
 * Q/DQ edges cost more than it gains) and would measure nothing. Calibration runs once: the caching
 * calibrator answers later requests from the first one's ranges.
 */
import type { Result } from '../core/errors.js';
import { err, ok } from '../core/errors.js';
import type { BoundDataset } from '../core/data/types.js';
import type { onnx } from '../core/onnx/codec.js';
import type { Accuracy, Fidelity } from '../core/metrics/fidelity.js';
import { outputsOn, score, takeSamples } from './evaluate.js';
import { applyRecipe, resolveSteps } from '../core/transform/apply-recipe.js';
import { parseList } from '../core/transform/options.js';
import { PASSES } from '../core/transform/registry.js';
import type { PassStep } from '../core/transform/recipe.js';
import type { AbortLike, CalibrationInfo, Calibrator, PassOptions, ProgressFn } from '../core/transform/types.js';

export interface LayerSensitivity {
  readonly node: string;
  readonly op: string;
  /** The model's outputs with only this layer quantized, against the float model's. */
  readonly fidelity: Fidelity;
  readonly accuracy?: Accuracy;
  /** Reference accuracy − this accuracy (fraction; 0.01 = 1 point). */
  readonly accuracyDrop?: number;
}

export interface SensitivityReport {
  readonly pass: string;
  readonly samples: number;
  readonly source: string;
  /** Every candidate quantized (the user's step as is). */
  readonly full: { readonly fidelity: Fidelity; readonly accuracy?: Accuracy };
  readonly referenceAccuracy?: Accuracy;
  /** Most sensitive first: lowest output SQNR with only that layer quantized. */
  readonly layers: readonly LayerSensitivity[];
  readonly warnings: readonly string[];
}

export interface SensitivitySettings {
  /** Samples evaluated per variant (default 64; whole batches, so a batched dataset may give a few more). */
  readonly maxSamples?: number;
}

/** Calibrates once; later requests for a subset of the tensors are answered from the first result. */
export function cachingCalibrator(inner: Calibrator): Calibrator {
  let cached: CalibrationInfo | undefined;
  return async (model, request, progress, signal) => {
    if (cached && request.tensors.every((t) => cached?.ranges.has(t))) {
      const ranges = new Map([...cached.ranges].filter(([name]) => request.tensors.includes(name)));
      return ok({ ...cached, ranges });
    }
    const r = await inner(model, request, progress, signal);
    if (r.ok) cached = r.value;
    return r;
  };
}

export async function layerSensitivity(
  model: onnx.IModelProto,
  step: PassStep,
  data: BoundDataset,
  calibrate: Calibrator | undefined,
  settings: SensitivitySettings = {},
  progress: ProgressFn = () => undefined,
  signal?: AbortLike,
): Promise<Result<SensitivityReport, string>> {
  const cal = calibrate ? cachingCalibrator(calibrate) : undefined;
  const samples = takeSamples(data, Math.max(1, settings.maxSamples ?? 64));
  if (samples.count === 0) return err(`${data.source} holds no samples`);
  const run = async (options: PassOptions): Promise<Result<{ model: onnx.IModelProto; changed: Array<{ node: string; op: string }> }, string>> => {
    const steps = resolveSteps([{ pass: step.pass, options }]);
    if (!steps.ok) return err(steps.error);
    const r = await applyRecipe(model, steps.value, { ...(cal ? { calibrate: cal } : {}), ...(signal ? { signal } : {}) });
    if (!r.ok) return err(r.error.kind === 'cancelled' ? 'cancelled' : r.error.message);
    const changed = (r.value.reports[0]?.decisions ?? []).filter((d) => d.decision === 'changed').map((d) => ({ node: d.node, op: d.op }));
    return ok({ model: r.value.model, changed });
  };

  progress('Quantizing every layer', 0, 1);
  const full = await run(step.options);
  if (!full.ok) return err(full.error);
  const candidates = full.value.changed;
  if (candidates.length === 0) return err(`${step.pass} changes no layer of this model with these options, so there is nothing to rank`);
  const ref = await outputsOn(model, samples, signal);
  if (!ref.ok) return err(`the original: ${ref.error}`);
  const fullOut = await outputsOn(full.value.model, samples, signal);
  if (!fullOut.ok) return err(`the variant: ${fullOut.error}`);
  const reference = score(ref.value, ref.value, samples);
  const whole = score(ref.value, fullOut.value, samples);

  const excluded = parseList(step.options.nodesToExclude);
  const hasPlacement = PASSES.get(step.pass)?.options.placement !== undefined;
  const layers: LayerSensitivity[] = [];
  const warnings = [...data.warnings];
  for (const [i, layer] of candidates.entries()) {
    if (signal?.aborted) return err('cancelled');
    progress('Quantizing one layer at a time', i, candidates.length);
    const others = candidates.filter((c) => c.node !== layer.node).map((c) => c.node);
    const options: PassOptions = { ...step.options, nodesToExclude: [...excluded, ...others].join(','), ...(hasPlacement ? { placement: 'all' } : {}) };
    const one = await run(options);
    if (!one.ok) return err(`${layer.node}: ${one.error}`);
    if (one.value.changed.length === 0) {
      warnings.push(`${layer.node} cannot be quantized on its own; left out of the ranking`);
      continue;
    }
    const out = await outputsOn(one.value.model, samples, signal);
    if (!out.ok) return err(`${layer.node}: ${out.error}`);
    const s = score(ref.value, out.value, samples);
    const drop = s.accuracy && reference.accuracy ? reference.accuracy.accuracy - s.accuracy.accuracy : undefined;
    layers.push({ node: layer.node, op: layer.op, fidelity: s.fidelity, ...(s.accuracy ? { accuracy: s.accuracy } : {}), ...(drop !== undefined ? { accuracyDrop: drop } : {}) });
  }
  progress('Quantizing one layer at a time', candidates.length, candidates.length);
  // By output SQNR: continuous and stable. Accuracy on a test set of a few hundred samples moves by
  // whole samples (one sample of 128 is 0.8 points), which would rank layers by noise; it is reported beside.
  layers.sort((a, b) => a.fidelity.sqnrDb - b.fidelity.sqnrDb);
  return ok({
    pass: step.pass,
    samples: samples.count,
    source: data.source,
    full: whole,
    ...(reference.accuracy ? { referenceAccuracy: reference.accuracy } : {}),
    layers,
    warnings,
  });
}
