/**
 * Auto-tune (issue 6, "Decide"): given an accuracy budget, try the recipes a practitioner would try on a
 * CPU — fp16; int8 dynamic; int8 static with the speed and the all placement and each calibration
 * method; int8 static with the most sensitive layers kept float; light channel pruning — measure each
 * variant's speed (interleaved with the original, benchmark.ts) and accuracy (evaluate.ts), and return
 * the Pareto set (no other variant both faster and more accurate) and the fastest variant within budget.
 *
 * The budget is on the metric the data allows: top-1 accuracy drop when there are labels, else top-1
 * agreement with the original for classifier outputs, else 1 − cosine of the outputs. A recipe that
 * fails on this model (a pass that does not apply, a runtime error) is listed with its reason.
 */
import type { Result } from '../core/errors.js';
import { err, ok } from '../core/errors.js';
import type { BoundDataset } from '../core/data/types.js';
import type { onnx } from '../core/onnx/codec.js';
import { encodeModelProto } from '../core/onnx/codec.js';
import { argmaxRows } from '../core/metrics/fidelity.js';
import { paretoFront } from '../core/metrics/pareto.js';
import type { Accuracy, Fidelity } from '../core/metrics/fidelity.js';
import { applyRecipe, resolveSteps } from '../core/transform/apply-recipe.js';
import type { PassStep } from '../core/transform/recipe.js';
import type { AbortLike, Calibrator, ProgressFn } from '../core/transform/types.js';
import { benchmarkModels } from './benchmark.js';
import { outputsOn, score, takeSamples } from './evaluate.js';
import type { Samples } from './evaluate.js';
import { layerSensitivity } from './sensitivity.js';

export interface TuneBudget {
  /** Largest allowed drop of the metric (0.01 = one point of top-1, or cosine ≥ 0.99 without classes). */
  readonly maxDrop: number;
}

export interface TuneSettings {
  /** Evaluation samples per variant (default 256). */
  readonly maxSamples?: number;
  /** Benchmark runs per variant (interleaved with the original; default 30) and time budget per variant. */
  readonly runs?: number;
  readonly budgetMs?: number;
  /** Skip the slower searches (sensitivity exclusions, pruning). */
  readonly quick?: boolean;
}

export type TuneMetric = 'accuracy' | 'top1-agreement' | 'cosine';

export interface TuneCandidate {
  readonly name: string;
  readonly steps: readonly PassStep[];
  readonly bytes?: number;
  /** Original median / variant median, paired per round. */
  readonly speedup?: number;
  readonly latencyMs?: number;
  /** The metric's value for this variant (accuracy, agreement or cosine), and its drop from the original's. */
  readonly metric?: number;
  readonly drop?: number;
  readonly fidelity?: Fidelity;
  readonly accuracy?: Accuracy;
  readonly withinBudget: boolean;
  readonly onPareto: boolean;
  readonly error?: string;
}

export interface TuneReport {
  readonly metric: TuneMetric;
  readonly budget: TuneBudget;
  readonly samples: number;
  readonly source: string;
  readonly original: { readonly bytes: number; readonly latencyMs?: number; readonly metric: number; readonly accuracy?: Accuracy };
  readonly candidates: readonly TuneCandidate[];
  /** The fastest candidate within budget, when it is faster than the original. */
  readonly best?: string;
  readonly warnings: readonly string[];
}

export interface TuneResult {
  readonly report: TuneReport;
  /** The best candidate's model, when there is one. */
  readonly model?: onnx.IModelProto;
}

const INT8_STATIC = (options: Record<string, string | number | boolean>): PassStep => ({ pass: 'int8-static', options });

/** The first round of recipes (independent of each other's results). */
export function baseCandidates(): Array<{ name: string; steps: PassStep[] }> {
  return [
    { name: 'fp16', steps: [{ pass: 'fp16', options: {} }] },
    { name: 'int8 dynamic', steps: [{ pass: 'int8-dynamic', options: {} }] },
    { name: 'int8 static (speed, minmax)', steps: [INT8_STATIC({ placement: 'speed' })] },
    { name: 'int8 static (all, minmax)', steps: [INT8_STATIC({ placement: 'all' })] },
    { name: 'int8 static (all, percentile)', steps: [INT8_STATIC({ placement: 'all', calibrationMethod: 'percentile' })] },
    { name: 'int8 static (all, entropy)', steps: [INT8_STATIC({ placement: 'all', calibrationMethod: 'entropy' })] },
  ];
}

/** The metric of one evaluation: accuracy with labels; else agreement with the original's top-1; else cosine. */
function metricOf(kind: TuneMetric, s: { fidelity: Fidelity; accuracy?: Accuracy }, refTop1: Int32Array | undefined, got: Map<string, Float32Array[]>, samples: Samples): number {
  if (kind === 'accuracy') return s.accuracy?.accuracy ?? NaN;
  if (kind === 'cosine' || !refTop1) return s.fidelity.cosine;
  const top1 = top1Of(got, samples);
  if (!top1) return NaN;
  let same = 0;
  for (let i = 0; i < refTop1.length; i++) if (refTop1[i] === top1[i]) same++;
  return same / refTop1.length;
}

function top1Of(outputs: Map<string, Float32Array[]>, samples: Samples): Int32Array | undefined {
  const first = [...outputs.values()][0];
  if (!first) return undefined;
  const total = first.reduce((n, c) => n + c.length, 0);
  const classes = total / samples.count;
  if (!Number.isInteger(classes) || classes < 2) return undefined;
  const all = new Float32Array(total);
  let at = 0;
  for (const c of first) {
    all.set(c, at);
    at += c.length;
  }
  return argmaxRows(all, classes);
}

/** Marks the candidates on the speed/metric Pareto front (core/metrics/pareto.ts; cost = 1 / speedup). */
function markPareto(list: TuneCandidate[]): TuneCandidate[] {
  const front = new Set(
    paretoFront(list.filter((c) => c.speedup !== undefined && c.metric !== undefined).map((c) => ({ id: c.name, cost: 1 / (c.speedup as number), value: c.metric as number }))),
  );
  return list.map((c) => ({ ...c, onPareto: front.has(c.name) }));
}

export async function tune(
  model: onnx.IModelProto,
  data: BoundDataset,
  calibrate: Calibrator | undefined,
  budget: TuneBudget,
  settings: TuneSettings = {},
  progress: ProgressFn = () => undefined,
  signal?: AbortLike,
): Promise<Result<TuneResult, string>> {
  const samples = takeSamples(data, settings.maxSamples ?? 256);
  if (samples.count === 0) return err(`${data.source} holds no samples`);
  const ref = await outputsOn(model, samples, signal);
  if (!ref.ok) return err(`the original: ${ref.error}`);
  const refScore = score(ref.value, ref.value, samples);
  const refTop1 = top1Of(ref.value, samples);
  const kind: TuneMetric = refScore.accuracy ? 'accuracy' : refTop1 ? 'top1-agreement' : 'cosine';
  const refMetric = kind === 'accuracy' ? (refScore.accuracy?.accuracy ?? NaN) : 1;
  const originalBytes = encodeModelProto(model);
  const warnings = [...data.warnings];
  const models = new Map<string, onnx.IModelProto>();
  let originalLatency: number | undefined;

  const evaluate = async (name: string, steps: PassStep[]): Promise<TuneCandidate> => {
    const base = { name, steps, withinBudget: false, onPareto: false };
    const resolved = resolveSteps(steps);
    if (!resolved.ok) return { ...base, error: resolved.error };
    const made = await applyRecipe(model, resolved.value, { ...(calibrate ? { calibrate } : {}), ...(signal ? { signal } : {}) });
    if (!made.ok) return { ...base, error: made.error.kind === 'cancelled' ? 'cancelled' : made.error.message };
    if (made.value.reports.every((r) => r.changedNodes === 0)) return { ...base, error: 'changes nothing in this model' };
    const bytes = encodeModelProto(made.value.model);
    const out = await outputsOn(made.value.model, samples, signal);
    if (!out.ok) return { ...base, bytes: bytes.byteLength, error: out.error };
    const s = score(ref.value, out.value, samples);
    const metric = metricOf(kind, s, refTop1, out.value, samples);
    const bench = await benchmarkModels(
      [
        { id: 'original', bytes: originalBytes },
        { id: name, bytes },
      ],
      { graphOptimizationLevel: 'all', warmup: 3, runs: settings.runs ?? 30, budgetMs: settings.budgetMs ?? 3000 },
      undefined,
      signal,
    );
    if (!bench.ok) return { ...base, bytes: bytes.byteLength, error: bench.error.kind === 'cancelled' ? 'cancelled' : bench.error.message };
    const [orig, cand] = bench.value.models;
    originalLatency ??= orig?.summary.median;
    const drop = refMetric - metric;
    models.set(name, made.value.model);
    return {
      ...base,
      bytes: bytes.byteLength,
      speedup: cand?.pairedSpeedup,
      latencyMs: cand?.summary.median,
      metric,
      drop,
      fidelity: s.fidelity,
      ...(s.accuracy ? { accuracy: s.accuracy } : {}),
      withinBudget: Number.isFinite(drop) && drop <= budget.maxDrop + 1e-12,
    };
  };

  const queue = baseCandidates();
  const results: TuneCandidate[] = [];
  const step = (label: string): void => progress(`Auto-tune: ${label}`, results.length, queue.length + (settings.quick ? 1 : 5));
  for (const c of queue) {
    if (signal?.aborted) return err('cancelled');
    step(c.name);
    results.push(await evaluate(c.name, c.steps));
  }
  if (!settings.quick) {
    // int8 static over every layer is the fastest form where it works; when it costs too much
    // accuracy, keep the most sensitive layers float (ranked once, one layer at a time).
    const all = results.find((r) => r.name === 'int8 static (all, minmax)');
    if (all && !all.error && !all.withinBudget) {
      step('ranking layer sensitivity');
      const ranked = await layerSensitivity(model, INT8_STATIC({ placement: 'all' }), data, calibrate, { maxSamples: Math.min(64, samples.count) }, undefined, signal);
      if (ranked.ok) {
        for (const k of [1, 2, 4]) {
          if (ranked.value.layers.length <= k) break;
          const keep = ranked.value.layers.slice(0, k).map((l) => l.node).join(',');
          const name = `int8 static (all, ${k} most sensitive float)`;
          step(name);
          results.push(await evaluate(name, [INT8_STATIC({ placement: 'all', nodesToExclude: keep })]));
        }
      } else warnings.push(`sensitivity ranking failed: ${ranked.error}`);
    }
    step('channel pruning 10 %');
    results.push(await evaluate('prune channels 10 % + int8 static (speed)', [{ pass: 'prune-channels', options: { ratio: 0.1 } }, INT8_STATIC({ placement: 'speed' })]));
  }
  if (signal?.aborted) return err('cancelled');
  // Final round: the leading candidates within budget (up to 6: a single unlucky round must not hide one) run interleaved together with the original, with
  // twice the runs, so that the pick does not rest on separate measurements taken minutes apart on a
  // machine whose load changes (identical structures measured 0.6× and 1.9× apart in separate rounds).
  const leaders = results.filter((c) => c.withinBudget && !c.error && models.has(c.name)).sort((a, b) => (b.speedup ?? 0) - (a.speedup ?? 0)).slice(0, 6);
  if (leaders.length > 1) {
    step('final round');
    const bench = await benchmarkModels(
      [{ id: 'original', bytes: originalBytes }, ...leaders.map((c) => ({ id: c.name, bytes: encodeModelProto(models.get(c.name) as onnx.IModelProto) }))],
      { graphOptimizationLevel: 'all', warmup: 3, runs: 2 * (settings.runs ?? 30), budgetMs: 2 * (settings.budgetMs ?? 3000) },
      undefined,
      signal,
    );
    if (bench.ok) {
      for (const m of bench.value.models.slice(1)) {
        const i = results.findIndex((c) => c.name === m.id);
        const c = results[i];
        if (c) results[i] = { ...c, speedup: m.pairedSpeedup, latencyMs: m.summary.median };
      }
      originalLatency = bench.value.models[0]?.summary.median ?? originalLatency;
    } else if (bench.error.kind === 'cancelled') return err('cancelled');
    else warnings.push(`final round failed (${bench.error.message}); speeds are from each candidate's own round`);
  }
  const marked = markPareto(results);
  const within = marked.filter((c) => c.withinBudget && c.speedup !== undefined).sort((a, b) => (b.speedup as number) - (a.speedup as number));
  // The original is always within budget at 1×: a variant is only "best" when it is faster.
  const best = within[0] && (within[0].speedup as number) > 1 ? within[0] : undefined;
  if (within.length === 0) warnings.push(`no recipe kept the ${kind} within ${budget.maxDrop} of the original's: keep the original`);
  else if (!best) warnings.push(`no recipe within budget is faster than the original (best ${within[0]?.name} at ${within[0]?.speedup?.toFixed(2)}×): keep the original`);
  progress('Auto-tune', results.length, results.length);
  const report: TuneReport = {
    metric: kind,
    budget,
    samples: samples.count,
    source: data.source,
    original: { bytes: originalBytes.byteLength, ...(originalLatency !== undefined ? { latencyMs: originalLatency } : {}), metric: refMetric, ...(refScore.accuracy ? { accuracy: refScore.accuracy } : {}) },
    candidates: marked,
    ...(best ? { best: best.name } : {}),
    warnings,
  };
  return ok({ report, ...(best ? { model: models.get(best.name) } : {}) });
}
