/**
 * Fidelity of a candidate (a quantized or pruned variant) against its reference on the same samples
 * (issue 6, "Accuracy"): both models run on every feed of the data; each output's values are gathered
 * over all samples and compared with core/metrics/fidelity.ts (cosine, max abs error, relative L2,
 * SQNR), classifier-shaped outputs ([N, C], C ≥ 2) also by top-1/top-5 agreement, and — when the data
 * carries labels — both models' accuracy with a 95 % Wilson interval.
 *
 * The data is bound to the reference's inputs (names, shapes, batching: core/data/bind.ts) and each feed
 * is converted to the element types each session declares, so an fp16 variant with float16 inputs sees
 * the same values. Without data, random samples (with a warning: fidelity on random inputs says little
 * about real inputs, accuracy nothing).
 *
 * Memory: fidelity sums accumulate batch by batch (FidelityAccumulator), so big outputs (detection
 * maps, feature maps) are not kept; only classifier-shaped outputs keep their scores ([N, C], small) for
 * agreement and accuracy. `maxSamples` bounds the work.
 */
import type { Result } from '../core/errors.js';
import { err, ok } from '../core/errors.js';
import { bindDataset } from '../core/data/bind.js';
import type { BoundDataset, Dataset } from '../core/data/types.js';
import type { CompareReport, OutputFidelity } from '../core/metrics/comparison.js';
import type { Accuracy } from '../core/metrics/fidelity.js';
import { accuracy, FidelityAccumulator, topKAgreement } from '../core/metrics/fidelity.js';
import type { AbortLike, ProgressFn } from '../core/transform/types.js';
import { inputSpecs, sessionFeeds } from './bench-inputs.js';
import type { BenchModel, BenchmarkFailure } from './benchmark.js';
import { randomDataset } from './calibrate.js';
import { comparableFromTensor } from './compare.js';
import { createSession } from './ort.js';
import type { GraphOptimizationLevel, RuntimeSession, Tensor } from './ort.js';

export type CompareData =
  | { readonly kind: 'dataset'; readonly dataset: Dataset }
  | { readonly kind: 'random'; readonly samples: number; readonly seed?: number; readonly shapes?: Readonly<Record<string, number>> };

export interface CompareSettings {
  readonly graphOptimizationLevel?: GraphOptimizationLevel;
  /** Most samples compared (default 1000); the rest of the data is left out with a warning. */
  readonly maxSamples?: number;
}

// The result types live in core (core/metrics/comparison.ts) so that reports can format them.
export type { CompareReport, OutputFidelity } from '../core/metrics/comparison.js';

export const RANDOM_COMPARE_WARNING = 'compared on random inputs: fidelity on random data says little about real inputs, and there is no accuracy';
const DEFAULT_MAX_SAMPLES = 1000;

/** Per output: the fidelity sums, the shape of the first batch, and the scores of classifier-shaped outputs. */
interface Gathered {
  readonly fidelity: FidelityAccumulator;
  readonly ref: Float64Array[];
  readonly cand: Float64Array[];
  dims: readonly number[];
  mismatched: boolean;
  batches: number;
}

/** [N, C] with C ≥ 2: one row of class scores per sample. */
const classesOf = (dims: readonly number[]): number | undefined => (dims.length === 2 && (dims[1] ?? 0) >= 2 ? (dims[1] as number) : undefined);

function values(t: Tensor): Float64Array | undefined {
  const c = comparableFromTensor(t);
  if (c.values instanceof Float64Array) return c.values;
  if (c.values instanceof BigInt64Array || c.values instanceof BigUint64Array) return Float64Array.from(c.values, Number);
  return undefined; // strings
}

function concat(chunks: readonly Float64Array[]): Float64Array {
  let n = 0;
  for (const c of chunks) n += c.length;
  const out = new Float64Array(n);
  let at = 0;
  for (const c of chunks) {
    out.set(c, at);
    at += c.length;
  }
  return out;
}

function bindData(data: CompareData, session: RuntimeSession): Result<BoundDataset, string> {
  if (data.kind === 'random') {
    const bound = randomDataset(inputSpecs(session.inputs), data.samples, data.seed ?? 1, data.shapes ?? {});
    return ok({ ...bound, warnings: [RANDOM_COMPARE_WARNING] });
  }
  const bound = bindDataset(data.dataset, inputSpecs(session.inputs));
  return bound.ok ? bound : err(`${data.dataset.source}: ${bound.error}`);
}

export async function compareModels(
  reference: BenchModel,
  candidate: BenchModel,
  data: CompareData,
  settings: CompareSettings = {},
  progress: ProgressFn = () => undefined,
  signal?: AbortLike,
): Promise<Result<CompareReport, BenchmarkFailure>> {
  const level = settings.graphOptimizationLevel ?? 'all';
  const sessions: RuntimeSession[] = [];
  try {
    for (const m of [reference, candidate]) {
      const s = await createSession(m.bytes, { graphOptimizationLevel: level, ...(m.externalData ? { externalData: m.externalData } : {}) });
      if (!s.ok) return err({ kind: 'failed', model: m.id, message: `${m.id} did not load in onnxruntime-web: ${s.error.message}` });
      sessions.push(s.value);
    }
    const [ref, cand] = sessions as [RuntimeSession, RuntimeSession];
    const bound = bindData(data, ref);
    if (!bound.ok) return err({ kind: 'failed', message: bound.error });
    const warnings = [...bound.value.warnings];
    const outputNames = ref.outputs.map((o) => o.name).filter((name) => {
      if (cand.outputs.some((o) => o.name === name)) return true;
      warnings.push(`the candidate has no output '${name}': not compared`);
      return false;
    });
    if (outputNames.length === 0) return err({ kind: 'failed', message: 'the two models share no output name; nothing to compare' });

    const maxSamples = Math.max(1, Math.floor(settings.maxSamples ?? DEFAULT_MAX_SAMPLES));
    const total = Math.min(bound.value.count, maxSamples);
    const gathered = new Map<string, Gathered>(outputNames.map((n) => [n, { fidelity: new FidelityAccumulator(), ref: [], cand: [], dims: [], mismatched: false, batches: 0 }]));
    let done = 0;
    const stage = `comparing on ${bound.value.source}`;
    progress(stage, 0, total);
    for (const feed of bound.value.feeds()) {
      if (done >= total) break;
      if (signal?.aborted) return err({ kind: 'cancelled' });
      const rows = [...feed.values()][0]?.dims[0] ?? 1;
      const outs: Record<string, Tensor>[] = [];
      for (const [s, m] of [[ref, reference], [cand, candidate]] as const) {
        const feeds = sessionFeeds(s, feed);
        if (!feeds.ok) return err({ kind: 'failed', model: m.id, message: `${m.id}: ${feeds.error}` });
        const ran = await s.run(feeds.value, outputNames);
        if (!ran.ok) return err({ kind: 'failed', model: m.id, message: `${m.id} failed on sample ${done + 1}: ${ran.error.message}` });
        outs.push(ran.value.outputs);
      }
      for (const name of outputNames) {
        const g = gathered.get(name) as Gathered;
        const r = outs[0]?.[name];
        const c = outs[1]?.[name];
        const rv = r && values(r);
        const cv = c && values(c);
        if (!r || !c || !rv || !cv) continue;
        if (g.dims.length === 0) g.dims = [...r.dims];
        if (rv.length !== cv.length) g.mismatched = true;
        g.fidelity.add(rv, cv);
        g.batches++;
        if (classesOf(g.dims) !== undefined) {
          g.ref.push(rv);
          g.cand.push(cv);
        }
      }
      done += rows;
      progress(stage, Math.min(done, total), total);
    }
    const samples = Math.min(done, bound.value.count);
    if (bound.value.count > samples) warnings.push(`compared the first ${samples} of ${bound.value.count} samples`);

    const outputs: OutputFidelity[] = [];
    let classifier: { name: string; ref: Float64Array; cand: Float64Array; classes: number } | undefined;
    for (const name of outputNames) {
      const g = gathered.get(name) as Gathered;
      if (g.batches === 0) {
        warnings.push(`output '${name}' holds no numbers (strings?): not compared`);
        continue;
      }
      if (g.mismatched) warnings.push(`output '${name}' has different sizes in the two models: compared over the shorter one`);
      const f = g.fidelity.result();
      const classes = classesOf(g.dims);
      if (classes === undefined || g.mismatched) {
        outputs.push({ name, ...f });
        continue;
      }
      const rv = concat(g.ref);
      const cv = concat(g.cand);
      const top1 = topKAgreement(rv, cv, classes, 1);
      const top5 = classes > 5 ? topKAgreement(rv, cv, classes, 5) : undefined;
      outputs.push({ name, ...f, classes, top1Agreement: top1, ...(top5 !== undefined ? { top5Agreement: top5 } : {}) });
      classifier ??= { name, ref: rv, cand: cv, classes };
    }

    let refAccuracy: Accuracy | undefined;
    let candAccuracy: Accuracy | undefined;
    const labels = bound.value.labels?.subarray(0, samples);
    if (labels && !classifier) warnings.push('the data has labels, but no output has the [N, classes] shape of a classifier: no accuracy');
    if (labels && classifier) {
      const top = labels.reduce((a, b) => Math.max(a, b), 0);
      if (top >= classifier.classes) warnings.push(`labels go up to ${top}, but '${classifier.name}' has ${classifier.classes} classes: no accuracy`);
      else {
        refAccuracy = accuracy(classifier.ref, classifier.classes, labels);
        candAccuracy = accuracy(classifier.cand, classifier.classes, labels);
      }
    }
    const cls = classifier ? outputs.find((o) => o.name === classifier.name) : undefined;
    return ok({
      samples,
      source: bound.value.source,
      outputs,
      ...(cls ? { classifierOutput: cls.name } : {}),
      ...(cls?.top1Agreement !== undefined ? { top1Agreement: cls.top1Agreement } : {}),
      ...(cls?.top5Agreement !== undefined ? { top5Agreement: cls.top5Agreement } : {}),
      ...(refAccuracy ? { refAccuracy } : {}),
      ...(candAccuracy ? { candAccuracy } : {}),
      warnings,
    });
  } finally {
    for (const s of sessions) await s.release();
  }
}
