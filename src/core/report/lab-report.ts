/**
 * The Benchmark tab's report (issue 6, "Export the report"): one row per measured model joining its
 * benchmark figures and its accuracy/fidelity, the Accuracy vs latency points with their Pareto front,
 * and the exports — Markdown, JSON (versioned) and the raw runs as CSV (model,run,ms).
 *
 * Pure formatting over plain data. The input types below are the parts of the runtime's BenchmarkReport
 * and CompareReport (src/runtime/benchmark.ts, compare-models.ts) a report needs, declared here because
 * core never imports the runtime; the runtime's reports are assignable to them as they are.
 *
 * Every figure travels with the settings that produced it (ARCHITECTURE.md, habit 5): the Markdown opens
 * with a "Measured with" line and the JSON carries `settings`.
 */
import type { CompareReport, OutputFidelity } from '../metrics/comparison.js';
import type { ProfileSummary } from '../metrics/profile.js';
import type { ProfileAttribution } from '../metrics/profile-attribution.js';
import type { Accuracy, Fidelity } from '../metrics/fidelity.js';
import type { LatencySummary } from '../metrics/latency.js';
import { bytes, db, ms, pct, sci, signed } from './number-format.js';
import { paretoFront } from '../metrics/pareto.js';

export const LAB_REPORT_FORMAT = 'model-studio-lab-report';
export const LAB_REPORT_VERSION = 1;

/** A model of the lab: the original or a variant made in Optimize. */
export interface LabModel {
  readonly id: string;
  /** "Original", or the variant's recipe name ("int8-static"). */
  readonly name: string;
  readonly fileName: string;
  readonly bytes: number;
  readonly original: boolean;
}

export interface LabExecution {
  readonly runtime: string;
  readonly version: string;
  readonly numThreads: number;
  readonly simd: boolean;
  readonly graphOptimizationLevel: string;
  readonly crossOriginIsolated: boolean;
}

export interface LabBenchModel {
  readonly id: string;
  readonly modelBytes: number;
  readonly sessionCreateMs: number;
  readonly firstRunMs: number;
  readonly runsMs: readonly number[];
  readonly summary: LatencySummary;
  readonly wasmMemoryBytes: number | null;
  readonly threads: number;
  readonly speedup: number;
  readonly pairedSpeedup: number;
}

export interface LabBench {
  readonly execution: LabExecution;
  readonly threadsRequested?: number;
  readonly warmup: number;
  readonly runs: number;
  readonly budgetMs?: number;
  readonly rounds: number;
  readonly inputs: string;
  readonly models: readonly LabBenchModel[];
  readonly warnings: readonly string[];
}

export type LabOutputFidelity = OutputFidelity;
export type LabCompare = CompareReport;

/** Accuracy of the reference and fidelity (plus accuracy) of each candidate against it, on one data set. */
export interface LabAccuracy {
  readonly referenceId: string;
  readonly source: string;
  readonly samples: number;
  readonly graphOptimizationLevel: string;
  /** The reference's own labelled accuracy (when the data has labels). */
  readonly referenceAccuracy?: Accuracy;
  readonly candidates: ReadonlyArray<{ readonly id: string; readonly report: LabCompare }>;
  readonly warnings: readonly string[];
}

/** The per-operator profile of one model (runtime/profile.ts, summarised by core/metrics/profile.ts). */
export interface LabProfile {
  /** Display name of the profiled model. */
  readonly model: string;
  readonly summary: ProfileSummary;
  readonly counts: ProfileAttribution['counts'];
}

/** Layer sensitivity of one variant's quantization step (runtime/sensitivity.ts). */
export interface LabSensitivity {
  readonly model: string;
  readonly pass: string;
  readonly samples: number;
  readonly source: string;
  readonly full: { readonly fidelity: Fidelity };
  readonly layers: ReadonlyArray<{ readonly node: string; readonly op: string; readonly fidelity: Fidelity; readonly accuracyDrop?: number }>;
}

/** Per-tensor error of a variant against the original (runtime/activation-diff.ts). */
export interface LabActivations {
  readonly model: string;
  readonly samples: number;
  readonly source: string;
  readonly tensors: ReadonlyArray<{ readonly tensor: string; readonly producer: string; readonly op: string; readonly via: string; readonly fidelity: Fidelity }>;
}

/** An auto-tune search (runtime/tune.ts). */
export interface LabTune {
  readonly metric: string;
  readonly budget: { readonly maxDrop: number };
  readonly samples: number;
  readonly source: string;
  readonly best?: string;
  readonly candidates: ReadonlyArray<{ readonly name: string; readonly bytes?: number; readonly speedup?: number; readonly metric?: number; readonly drop?: number; readonly withinBudget: boolean; readonly onPareto: boolean; readonly error?: string }>;
  readonly warnings: readonly string[];
}

export interface LabResults {
  /** The original model's file name: the report's title. */
  readonly model: string;
  /** ISO time the report was made, when the caller wants it in the exports. */
  readonly createdAt?: string;
  readonly models: readonly LabModel[];
  readonly bench?: LabBench;
  readonly accuracy?: LabAccuracy;
  readonly profile?: LabProfile;
  readonly activations?: LabActivations;
  readonly sensitivity?: LabSensitivity;
  readonly tune?: LabTune;
}

/** One model's line: benchmark figures and accuracy side by side. */
export interface LabRow {
  readonly id: string;
  readonly name: string;
  readonly fileName: string;
  readonly original: boolean;
  readonly bytes: number;
  /** Size / original size (1 for the original). */
  readonly sizeRatio: number;
  readonly bench?: LabBenchModel;
  readonly accuracy?: Accuracy;
  /** (accuracy − original accuracy) × 100. */
  readonly accuracyDeltaPoints?: number;
  /** The output the row's fidelity is about: the classifier output, else the first one compared. */
  readonly fidelity?: LabOutputFidelity;
  readonly top1Agreement?: number;
  readonly compareSamples?: number;
  readonly onParetoFront: boolean;
}

export type QualityMetric = 'accuracy' | 'cosine';

export interface LabPoint {
  readonly id: string;
  readonly name: string;
  readonly original: boolean;
  readonly latencyMs: number;
  readonly speedup: number;
  readonly quality: number;
  readonly bytes: number;
}

export interface LabPareto {
  /** Accuracy when every plotted model has one (labelled data), else cosine similarity of the outputs. */
  readonly metric: QualityMetric;
  readonly points: readonly LabPoint[];
  /** Ids on the front, by ascending latency. */
  readonly front: readonly string[];
}

export interface LabSummary {
  readonly rows: readonly LabRow[];
  readonly pareto: LabPareto;
  readonly markdown: string;
  readonly json: string;
  readonly csv: string;
}

function primaryFidelity(c: LabCompare): LabOutputFidelity | undefined {
  return c.outputs.find((o) => o.name === c.classifierOutput) ?? c.outputs[0];
}

function originalOf(r: LabResults): LabModel | undefined {
  return r.models.find((m) => m.original) ?? r.models[0];
}

/** Accuracy and fidelity per model id; the reference compares perfectly with itself (cosine 1). */
function qualityById(r: LabResults): Map<string, { accuracy?: Accuracy; fidelity?: LabOutputFidelity; top1?: number; samples?: number }> {
  const out = new Map<string, { accuracy?: Accuracy; fidelity?: LabOutputFidelity; top1?: number; samples?: number }>();
  const a = r.accuracy;
  if (!a) return out;
  const first = a.candidates[0]?.report;
  const refFidelity = first ? primaryFidelity(first) : undefined;
  out.set(a.referenceId, {
    ...(a.referenceAccuracy ? { accuracy: a.referenceAccuracy } : {}),
    // The reference against itself: what its row shows in the fidelity columns.
    fidelity: { name: refFidelity?.name ?? '', cosine: 1, maxAbsError: 0, relativeL2: 0, sqnrDb: Infinity, elements: refFidelity?.elements ?? 0, ...(refFidelity?.top1Agreement !== undefined ? { top1Agreement: 1 } : {}) },
    ...(first?.top1Agreement !== undefined ? { top1: 1 } : {}),
    samples: a.samples,
  });
  for (const c of a.candidates) {
    if (c.id === a.referenceId) continue;
    const f = primaryFidelity(c.report);
    out.set(c.id, {
      ...(c.report.candAccuracy ? { accuracy: c.report.candAccuracy } : {}),
      ...(f ? { fidelity: f } : {}),
      ...(c.report.top1Agreement !== undefined ? { top1: c.report.top1Agreement } : {}),
      samples: c.report.samples,
    });
  }
  return out;
}

/** The Accuracy vs latency points and their Pareto front (core/metrics/pareto.ts). */
export function labPareto(r: LabResults): LabPareto {
  const quality = qualityById(r);
  const bench = new Map((r.bench?.models ?? []).map((m) => [m.id, m]));
  const measured = r.models.filter((m) => bench.has(m.id) && quality.has(m.id));
  const metric: QualityMetric = measured.length > 0 && measured.every((m) => quality.get(m.id)?.accuracy !== undefined) ? 'accuracy' : 'cosine';
  const points: LabPoint[] = [];
  for (const m of measured) {
    const b = bench.get(m.id) as LabBenchModel;
    const q = quality.get(m.id);
    const value = metric === 'accuracy' ? q?.accuracy?.accuracy : q?.fidelity?.cosine;
    if (value === undefined) continue;
    points.push({ id: m.id, name: m.name, original: m.original, latencyMs: b.summary.median, speedup: b.speedup, quality: value, bytes: m.bytes });
  }
  // Medians are differences of performance.now() readings (5 µs steps in an isolated page, 100 µs
  // otherwise), so two "equal" medians can differ in the 1e-12 digits; rounded to the nanosecond, such a
  // tie stays a tie instead of one model dominating the other by floating-point noise.
  const front = paretoFront(points.map((p) => ({ id: p.id, cost: Math.round(p.latencyMs * 1e6) / 1e6, value: p.quality })));
  return { metric, points, front };
}

export function labRows(r: LabResults, pareto: LabPareto = labPareto(r)): LabRow[] {
  const original = originalOf(r);
  const quality = qualityById(r);
  const bench = new Map((r.bench?.models ?? []).map((m) => [m.id, m]));
  const baseAccuracy = original ? quality.get(original.id)?.accuracy : undefined;
  const front = new Set(pareto.front);
  return r.models.map((m) => {
    const q = quality.get(m.id);
    const b = bench.get(m.id);
    return {
      id: m.id,
      name: m.name,
      fileName: m.fileName,
      original: m.original,
      bytes: m.bytes,
      sizeRatio: original && original.bytes > 0 ? m.bytes / original.bytes : NaN,
      ...(b ? { bench: b } : {}),
      ...(q?.accuracy ? { accuracy: q.accuracy } : {}),
      ...(q?.accuracy && baseAccuracy ? { accuracyDeltaPoints: (q.accuracy.accuracy - baseAccuracy.accuracy) * 100 } : {}),
      ...(q?.fidelity ? { fidelity: q.fidelity } : {}),
      ...(q?.top1 !== undefined ? { top1Agreement: q.top1 } : {}),
      ...(q?.samples !== undefined ? { compareSamples: q.samples } : {}),
      onParetoFront: front.has(m.id),
    };
  });
}

// ---- text ---------------------------------------------------------------------------------------

/** Milliseconds with about four significant digits (0.1234, 12.35, 123.5). */
export const formatMs = (x: number): string => ms(x);

export const formatReportBytes = bytes;


/** "onnxruntime-web 1.30.0 (wasm, SIMD), 2 threads, graph optimization all; 5 warm-up runs, 20 measured runs …". */
export function describeBenchSettings(b: LabBench): string {
  const e = b.execution;
  const threads = `${e.numThreads} thread${e.numThreads === 1 ? '' : 's'}${b.threadsRequested !== undefined && b.threadsRequested !== e.numThreads ? ` (${b.threadsRequested} requested)` : ''}`;
  const isolation = e.crossOriginIsolated ? '' : ', not cross-origin isolated';
  const budget = b.budgetMs !== undefined ? `, time budget ${(b.budgetMs / 1000).toFixed(b.budgetMs % 1000 === 0 ? 0 : 1)} s` : '';
  return `${e.runtime} ${e.version} (wasm${e.simd ? ', SIMD' : ''}${isolation}), ${threads}, graph optimization ${e.graphOptimizationLevel}; ${b.warmup} warm-up run${b.warmup === 1 ? '' : 's'}, ${b.runs} measured run${b.runs === 1 ? '' : 's'}${budget} (${b.rounds} interleaved round${b.rounds === 1 ? '' : 's'}); inputs: ${b.inputs}`;
}

function mdTable(head: readonly string[], rows: readonly (readonly string[])[]): string {
  const esc = (s: string): string => s.replace(/\|/g, '\\|');
  return [`| ${head.map(esc).join(' | ')} |`, `|${head.map((_, i) => (i === 0 ? ' --- ' : ' ---: ')).join('|')}|`, ...rows.map((r) => `| ${r.map(esc).join(' | ')} |`)].join('\n');
}

function metricLabel(metric: QualityMetric): string {
  return metric === 'accuracy' ? 'accuracy' : 'cosine similarity of the outputs';
}

export function labMarkdown(r: LabResults, pareto: LabPareto = labPareto(r), rows: readonly LabRow[] = labRows(r, pareto)): string {
  const out: string[] = [`# Benchmark report: ${r.model}`, ''];
  if (r.createdAt) out.push(`Made ${r.createdAt} by the model optimization studio.`, '');
  const b = r.bench;
  if (b) {
    out.push('## Latency', '', `Measured with ${describeBenchSettings(b)}.`, '');
    out.push(
      mdTable(
        ['Model', 'Size', 'Size vs original', 'Session creation (ms)', 'First run (ms)', 'Median (ms)', 'p90 (ms)', 'p99 (ms)', 'Min (ms)', 'Mean (ms)', 'Std (ms)', 'Throughput (runs/s)', 'WebAssembly memory', 'Speedup vs original'],
        rows
          .filter((row) => row.bench)
          .map((row) => {
            const m = row.bench as LabBenchModel;
            return [
              row.name,
              formatReportBytes(row.bytes),
              row.original ? '—' : `${signed((row.sizeRatio - 1) * 100, 1)} %`,
              formatMs(m.sessionCreateMs),
              formatMs(m.firstRunMs),
              formatMs(m.summary.median),
              formatMs(m.summary.p90),
              formatMs(m.summary.p99),
              formatMs(m.summary.min),
              formatMs(m.summary.mean),
              formatMs(m.summary.std),
              Number.isFinite(m.summary.throughput) ? m.summary.throughput.toFixed(1) : '—',
              formatReportBytes(m.wasmMemoryBytes),
              `${m.speedup.toFixed(2)}× (paired ${m.pairedSpeedup.toFixed(2)}×)`,
            ];
          }),
      ),
      '',
    );
  }
  const a = r.accuracy;
  if (a) {
    out.push('## Accuracy', '', `On ${a.samples} sample${a.samples === 1 ? '' : 's'} of ${a.source}, graph optimization ${a.graphOptimizationLevel}; fidelity is measured against the original on the same inputs.`, '');
    out.push(
      mdTable(
        ['Model', 'Accuracy (95 % CI)', 'Δ points vs original', 'Cosine', 'Max abs error', 'SQNR (dB)', 'Top-1 agreement'],
        rows
          .filter((row) => row.accuracy || row.fidelity)
          .map((row) => [
            row.name,
            row.accuracy ? `${pct(row.accuracy.accuracy)} (${pct(row.accuracy.low)}–${pct(row.accuracy.high)})` : '—',
            row.original || row.accuracyDeltaPoints === undefined ? '—' : signed(row.accuracyDeltaPoints, 2),
            row.fidelity ? row.fidelity.cosine.toFixed(6) : '—',
            sci(row.fidelity?.maxAbsError),
            db(row.fidelity?.sqnrDb),
            pct(row.top1Agreement),
          ]),
      ),
      '',
    );
  }
  if (pareto.points.length > 0) {
    const names = new Map(pareto.points.map((p) => [p.id, p.name]));
    out.push('## Accuracy vs latency', '', `Pareto front (lowest median latency, highest ${metricLabel(pareto.metric)}): ${pareto.front.map((id) => names.get(id) ?? id).join(' → ')}.`, '');
  }
  const warnings = [...(b?.warnings ?? []), ...(a?.warnings ?? [])];
  if (warnings.length > 0) out.push('## Warnings', '', ...[...new Set(warnings)].map((w) => `- ${w}`), '');
  out.push(...whyMarkdown(r));
  return `${out.join('\n').trimEnd()}\n`;
}

const finiteOrNull = (x: number | undefined): number | null => (x === undefined || !Number.isFinite(x) ? null : x);

/**
 * The report as JSON, versioned (`format`, `version`). JSON has no Infinity or NaN: figures that are not
 * finite are null (an SQNR of null with `identical: true` means the outputs were identical).
 */
export function labJson(r: LabResults, pareto: LabPareto = labPareto(r), rows: readonly LabRow[] = labRows(r, pareto)): string {
  const b = r.bench;
  const a = r.accuracy;
  const doc = {
    format: LAB_REPORT_FORMAT,
    version: LAB_REPORT_VERSION,
    model: r.model,
    ...(r.createdAt ? { createdAt: r.createdAt } : {}),
    settings: {
      ...(b
        ? {
            benchmark: {
              ...b.execution,
              ...(b.threadsRequested !== undefined ? { threadsRequested: b.threadsRequested } : {}),
              warmup: b.warmup,
              runs: b.runs,
              budgetMs: b.budgetMs ?? null,
              rounds: b.rounds,
              inputs: b.inputs,
            },
          }
        : {}),
      ...(a ? { accuracy: { source: a.source, samples: a.samples, graphOptimizationLevel: a.graphOptimizationLevel } } : {}),
    },
    models: rows.map((row) => {
      const m = row.bench;
      const f = row.fidelity;
      return {
        id: row.id,
        name: row.name,
        fileName: row.fileName,
        original: row.original,
        bytes: row.bytes,
        sizeRatio: finiteOrNull(row.sizeRatio),
        latency: m
          ? {
              sessionCreateMs: m.sessionCreateMs,
              firstRunMs: m.firstRunMs,
              medianMs: finiteOrNull(m.summary.median),
              p90Ms: finiteOrNull(m.summary.p90),
              p99Ms: finiteOrNull(m.summary.p99),
              minMs: finiteOrNull(m.summary.min),
              maxMs: finiteOrNull(m.summary.max),
              meanMs: finiteOrNull(m.summary.mean),
              stdMs: finiteOrNull(m.summary.std),
              throughput: finiteOrNull(m.summary.throughput),
              wasmMemoryBytes: m.wasmMemoryBytes,
              threads: m.threads,
              speedup: finiteOrNull(m.speedup),
              pairedSpeedup: finiteOrNull(m.pairedSpeedup),
              histogram: m.summary.histogram,
              runsMs: m.runsMs,
            }
          : null,
        accuracy: row.accuracy ? { ...row.accuracy, deltaPoints: finiteOrNull(row.accuracyDeltaPoints) } : null,
        fidelity: f
          ? {
              output: f.name,
              cosine: f.cosine,
              maxAbsError: f.maxAbsError,
              relativeL2: finiteOrNull(f.relativeL2),
              sqnrDb: finiteOrNull(f.sqnrDb),
              identical: f.sqnrDb === Infinity,
              top1Agreement: row.top1Agreement ?? null,
              top5Agreement: f.top5Agreement ?? null,
            }
          : null,
        onParetoFront: row.onParetoFront,
      };
    }),
    pareto: { metric: pareto.metric, front: pareto.front },
    ...(r.profile ? { profile: r.profile } : {}),
    ...(r.activations ? { activations: { ...r.activations, tensors: r.activations.tensors.map((t) => ({ tensor: t.tensor, producer: t.producer, op: t.op, via: t.via, cosine: t.fidelity.cosine, sqnrDb: finiteOrNull(t.fidelity.sqnrDb), relativeL2: finiteOrNull(t.fidelity.relativeL2), maxAbsError: t.fidelity.maxAbsError })) } } : {}),
    ...(r.sensitivity ? { sensitivity: { ...r.sensitivity, full: { sqnrDb: finiteOrNull(r.sensitivity.full.fidelity.sqnrDb), cosine: r.sensitivity.full.fidelity.cosine }, layers: r.sensitivity.layers.map((l) => ({ node: l.node, op: l.op, sqnrDb: finiteOrNull(l.fidelity.sqnrDb), cosine: l.fidelity.cosine, accuracyDrop: l.accuracyDrop ?? null })) } } : {}),
    ...(r.tune ? { tune: r.tune } : {}),
    warnings: [...new Set([...(b?.warnings ?? []), ...(a?.warnings ?? [])])],
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

/** The Why and auto-tune sections of the Markdown report, for the parts that were run. */
function whyMarkdown(r: LabResults): string[] {
  const out: string[] = [];
  const p = r.profile;
  if (p) {
    const c = p.counts;
    out.push('## Where the time goes', '', `Profile of ${p.model} (onnxruntime's trace, median of ${p.summary.runs} runs): ${ms(p.summary.kernelUsPerRun / 1000)} ms of kernels per run; ${c.ran} nodes ran, ${c.fused} fused into neighbours, ${c.folded} folded; ${c.quantizedFused} int8 kernels, ${c.quantizedButFloat} quantized layers still in float.`, '');
    out.push(mdTable(['Node', 'Kernel', 'Median (µs)', 'Share'], p.summary.nodes.slice(0, 15).map((n) => [n.node, n.kernel, n.meanUs.toFixed(1), pct(n.share)])), '');
    out.push(mdTable(['Kernel', 'Nodes', 'Median (µs)', 'Share'], p.summary.kernels.map((k) => [k.kernel, String(k.nodes), k.meanUs.toFixed(1), pct(k.share)])), '');
  }
  const e = r.activations;
  if (e) {
    const worst = [...e.tensors].sort((x, y) => x.fidelity.sqnrDb - y.fidelity.sqnrDb).slice(0, 15);
    out.push('## Quantization error per tensor', '', `${e.model} against the original on ${e.samples} samples of ${e.source}: ${e.tensors.length} activations compared; the ${worst.length} with the lowest SQNR.`, '');
    out.push(mdTable(['Tensor', 'Producer', 'Op', 'SQNR (dB)', 'Cosine', 'Relative L2'], worst.map((t) => [t.tensor, t.producer, t.op, db(t.fidelity.sqnrDb), t.fidelity.cosine.toFixed(6), sci(t.fidelity.relativeL2)])), '');
  }
  const s = r.sensitivity;
  if (s) {
    out.push('## Layer sensitivity', '', `${s.model}: ${s.pass} applied to one layer at a time, outputs compared with the original on ${s.samples} samples of ${s.source}; every layer together: SQNR ${db(s.full.fidelity.sqnrDb)} dB. Most sensitive first.`, '');
    out.push(mdTable(['Rank', 'Node', 'Op', 'SQNR (dB)', 'Cosine', 'Accuracy drop (points)'], s.layers.map((l, i) => [String(i + 1), l.node, l.op, db(l.fidelity.sqnrDb), l.fidelity.cosine.toFixed(6), l.accuracyDrop === undefined ? '—' : signed(l.accuracyDrop * 100, 2)])), '');
  }
  const t = r.tune;
  if (t) {
    out.push('## Auto-tune', '', `Budget: ${t.metric} at most ${(t.budget.maxDrop * 100).toFixed(2)} points below the original, on ${t.samples} samples of ${t.source}. ${t.best ? `Chosen: **${t.best}**.` : 'No recipe within budget beats the original.'}`, '');
    out.push(mdTable(['Recipe', 'Speedup', 'Size', t.metric, 'Drop (points)', 'Within budget', 'Pareto front'], t.candidates.map((c) => (c.error ? [c.name, '—', '—', '—', '—', 'no', c.error] : [c.name, c.speedup === undefined ? '—' : `${c.speedup.toFixed(2)}×`, bytes(c.bytes), pct(c.metric), c.drop === undefined ? '—' : signed(c.drop * 100, 2), c.withinBudget ? 'yes' : 'no', c.onPareto ? 'yes' : '']))), '');
    for (const w of t.warnings) out.push(`- ${w}`);
    if (t.warnings.length) out.push('');
  }
  return out;
}

/** RFC 4180 field: quoted when it holds a comma, quote or line break. */
function csvField(s: string): string {
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The raw measured runs, one line per run: model,run,ms (run numbered from 1, in measuring order). */
export function labRunsCsv(r: LabResults): string {
  const names = new Map(r.models.map((m) => [m.id, m.name]));
  const lines = ['model,run,ms'];
  for (const m of r.bench?.models ?? []) {
    const name = csvField(names.get(m.id) ?? m.id);
    m.runsMs.forEach((ms, i) => lines.push(`${name},${i + 1},${ms}`));
  }
  return `${lines.join('\n')}\n`;
}

/** Everything the Benchmark tab shows and exports, in one call (the bench worker answers it). */
export function labSummary(r: LabResults): LabSummary {
  const pareto = labPareto(r);
  const rows = labRows(r, pareto);
  return { rows, pareto, markdown: labMarkdown(r, pareto, rows), json: labJson(r, pareto, rows), csv: labRunsCsv(r) };
}
