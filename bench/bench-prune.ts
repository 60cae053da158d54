/**
 * `npm run bench:prune` — what each pruning pass buys on this machine (issue #5, "Verified, not
 * assumed"), in onnxruntime-web (WASM, Node), against the original model measured in the same process.
 *
 * One row per model × variant: parameters and MACs (the core's statistics: computeStats over
 * inferShapes), file size, gzip size of the whole file (fflate level 6 — the transfer size), latency
 * (original and variant sessions interleaved A B A B after warm-up, batch 1, medians, speedup =
 * original ms / variant ms) and quality: top-1 accuracy on the 360-sample digits test split for the labelled digits
 * models, else the cosine against the original's on seeded random inputs of the first output — or of
 * the logits feeding it when it is a Softmax (random-weight structures saturate their softmax).
 * Below the table, per model, how many channel groups prune-channels changed, kept and left alone (why).
 *
 * Variants: prune-channels at --ratios (default 0.1, 0.3, 0.5; per layer, L1), prune-magnitude 50 %
 * (per layer), prune-nm 2:4, and with --int8 "channels-30+int8" (prune-channels 0.3 then int8-static,
 * calibrated on the shipped digits set or on random data). Unstructured sparsity keeps dense tensors:
 * expect ~1.00× latency and file size, a smaller gzip.
 *
 * Every (model, thread count) runs in its own child process: WASM memory never shrinks after a
 * session is released (RUNTIME-FACTS.md), so one big model must not inflate the next one's heap, and a
 * runtime abort loses one model's rows, not the run. Ratios of medians only; no wall-clock asserts.
 *
 * Options (`--name=value` or `--name value`):
 *   --only=a,b       models whose name equals or contains a or b (vgg19 runs only with --all or when named)
 *   --all            every model, vgg19 included (548 MB of fp32 weights once materialised)
 *   --ratios=0.1,0.3,0.5   channel-pruning ratios     --variants=channels,nm   variant names containing these
 *   --int8           add "channels-30+int8"          --threads=1[,2]   (default 1)
 *   --runs=N         most measured pairs per variant (default 200)   --budget=ms  per pair series (default
 *                    1500; at least 5 pairs are always measured, so big models take longer)
 *   --batch=N        digits models: samples per latency run (default 1)
 *   --json           one JSON document on stdout instead of the tables
 *   --child          internal: one model at one thread count, JSON lines on stdout
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { onnx } from '../src/core/onnx/codec.js';
import { encodeModelProto } from '../src/core/onnx/codec.js';
import { applyRecipe, resolveSteps } from '../src/core/transform/apply-recipe.js';
import type { PassStep } from '../src/core/transform/recipe.js';
import type { Calibrator, PassReport } from '../src/core/transform/types.js';
import { accuracy, fidelity } from '../src/core/metrics/fidelity.js';
import { gzipSize, GZIP_LEVEL } from '../src/core/prune/stats.js';
import { inferShapes } from '../src/core/shape/index.js';
import { computeStats } from '../src/core/stats/index.js';
import { configureRuntime, executionSettings, OrtTensor } from '../src/runtime/ort.js';
import type { RuntimeSession, Tensor } from '../src/runtime/ort.js';
import { calibratorForDataset, randomCalibrator } from '../src/runtime/dataset-calibrator.js';
import { readDatasetPath } from '../src/cli/read-dataset.js';
import { CORPUS, corpusModel, digitsTestSet, loadModelFile, randomFeeds, REPO, SAMPLES_DIR, sampleModel } from '../src/test-support/models.js';
import { materializeConstantOfShape } from '../src/test-support/materialize.js';
import { interleaved, median, outputsOf, session } from './lib/interleaved.js';

const SELF = fileURLToPath(import.meta.url);

// ---------------------------------------------------------------------------------------------- options

/** `--name=value`, `--name value` (value not starting with --), or bare `--name` (→ ''). */
function arg(name: string): string | undefined {
  const argv = process.argv;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a.startsWith(`--${name}=`)) return a.slice(name.length + 3);
    if (a === `--${name}`) {
      const next = argv[i + 1];
      return next !== undefined && !next.startsWith('--') ? next : '';
    }
  }
  return undefined;
}
const list = (name: string): string[] | undefined => arg(name)?.split(',').map((s) => s.trim()).filter((s) => s !== '');
const flag = (name: string): boolean => arg(name) !== undefined;

// ----------------------------------------------------------------------------------------------- models

interface BenchModel {
  readonly name: string;
  readonly load: () => onnx.IModelProto;
  /** 'digits': labelled test split, shipped calibration set; 'random': seeded random inputs. */
  readonly data: 'digits' | 'random';
  /** Only with --all or when --only names it. */
  readonly heavy?: boolean;
}

/** A corpus `light/` structure with its ConstantOfShape weights turned into seeded random initializers. */
const light = (name: string, heavy = false): BenchModel => ({
  name: `light_${name}`,
  load: () => materializeConstantOfShape(loadModelFile(join(CORPUS, `onnx-backend-tests/light/light_${name}.onnx`)).model, 1),
  data: 'random',
  heavy,
});

const MODELS: readonly BenchModel[] = [
  { name: 'digits_cnn', load: () => sampleModel('digits_cnn.onnx').model, data: 'digits' },
  { name: 'digits_mlp', load: () => sampleModel('digits_mlp.onnx').model, data: 'digits' },
  { name: 'digits_transformer', load: () => sampleModel('digits_transformer.onnx').model, data: 'digits' },
  { name: 'digits_cnn_op13', load: () => corpusModel('digits_cnn_op13.onnx').model, data: 'digits' },
  { name: 'squeezenet1_1_random_op13', load: () => corpusModel('squeezenet1_1_random_op13.onnx').model, data: 'random' },
  { name: 'mobilenet_v2_random_op13', load: () => corpusModel('mobilenet_v2_random_op13.onnx').model, data: 'random' },
  light('resnet50'),
  light('densenet121'),
  light('inception_v1'),
  light('squeezenet'),
  light('shufflenet'),
  light('vgg19', true),
];

/** An --only entry equal to a name picks that model alone; otherwise it matches names containing it. */
function selectModels(only: readonly string[] | undefined, all: boolean): BenchModel[] {
  if (!only) return MODELS.filter((m) => all || !m.heavy);
  return MODELS.filter((m) => only.some((o) => m.name === o || (!MODELS.some((x) => x.name === o) && m.name.includes(o))));
}

// --------------------------------------------------------------------------------------------- variants

interface Variant {
  readonly name: string;
  readonly steps: readonly PassStep[];
}

function variants(ratios: readonly number[], int8: boolean, filter: readonly string[] | undefined): Variant[] {
  const out: Variant[] = [
    ...ratios.map((r) => ({ name: `channels-${Math.round(r * 100)}`, steps: [{ pass: 'prune-channels', options: { ratio: r } }] })),
    { name: 'magnitude-50', steps: [{ pass: 'prune-magnitude', options: { sparsity: 0.5 } }] },
    { name: 'nm-2:4', steps: [{ pass: 'prune-nm', options: { n: 2, m: 4 } }] },
  ];
  if (int8) out.push({ name: 'channels-30+int8', steps: [{ pass: 'prune-channels', options: { ratio: 0.3 } }, { pass: 'int8-static', options: {} }] });
  return filter ? out.filter((v) => filter.some((f) => v.name.includes(f))) : out;
}

// ------------------------------------------------------------------------------------------ child rows

/** Absolute figures of one model (original or variant). */
interface Figures {
  readonly params: number;
  readonly macs: number | null;
  readonly fileBytes: number;
  readonly gzipBytes: number;
}

interface Row extends Figures {
  readonly kind: 'row';
  readonly model: string;
  readonly variant: string;
  readonly threads: number;
  /** Original and variant medians (ms) of the interleaved series; for 'original', its own median. */
  readonly originalMs?: number;
  readonly variantMs?: number;
  readonly pairs?: number;
  /** Digits models: top-1 on the test split (0–1). */
  readonly accuracy?: number;
  /** Cosine of the first output against the original's (all models). */
  readonly cosine?: number;
  readonly passSeconds?: number;
  readonly note?: string;
}

interface GroupsRow {
  readonly kind: 'groups';
  readonly model: string;
  readonly variant: string;
  readonly total: number;
  readonly changed: number;
  readonly kept: number;
  readonly skipped: number;
  /** Skip reasons with node names generalised, most frequent first. */
  readonly reasons: ReadonlyArray<{ readonly reason: string; readonly count: number }>;
  readonly channelsRemoved?: string;
}

type ChildLine = Row | GroupsRow | { readonly kind: 'error'; readonly model: string; readonly threads: number; readonly note: string };

function figures(model: onnx.IModelProto, bytes: Uint8Array): Figures {
  // Free dims (the digits batch) count as 1: MACs per sample, as the studio shows them.
  const stats = computeStats(model, inferShapes(model, { symbols: {} }));
  return { params: stats.parameterCount, macs: stats.totalMacs, fileBytes: bytes.byteLength, gzipBytes: gzipSize([bytes]) };
}

/** Node labels differ per group; the reason's kind is what a reader needs ("12 × channels reach Reshape …"). */
function generalise(reason: string): string {
  return reason
    .replace(/'[^']*'/g, '…')
    .replace(/"[^"]*"/g, '…')
    .replace(/\(([^()]*)\)/g, (_m, inner: string) => (/^(group \d+|transA=1|broadcast|none)$/.test(inner) ? `(${inner})` : '(…)'))
    .replace(/\b(output|input|weight|bias|scale|parameter) [^\s,;]+/gi, '$1 …')
    .replace(/\d+/g, 'N');
}

function groupsRow(modelName: string, variant: string, report: PassReport): GroupsRow {
  const counts = new Map<string, number>();
  let changed = 0;
  let kept = 0;
  let skipped = 0;
  for (const d of report.decisions) {
    if (d.decision === 'changed') changed++;
    else if (d.decision === 'kept') kept++;
    else {
      skipped++;
      const r = generalise(d.reason);
      counts.set(r, (counts.get(r) ?? 0) + 1);
    }
  }
  const reasons = [...counts].map(([reason, count]) => ({ reason, count })).sort((a, b) => b.count - a.count);
  const m = /\((\d+) of (\d+) channels/.exec(report.summary);
  return { kind: 'groups', model: modelName, variant, total: report.decisions.length, changed, kept, skipped, reasons, ...(m ? { channelsRemoved: `${m[1]} of ${m[2]}` } : {}) };
}

/**
 * The tensor whose cosine is reported: output 0, or the input of the Softmax that produces it. The
 * light/ structures end in Softmax, and with random weights their logits are large enough that the
 * softmax is one-hot: its cosine is 0 or 1 and says nothing about how close the logits stayed.
 */
function qualityTensor(model: onnx.IModelProto): string | undefined {
  const out = model.graph?.output?.[0]?.name ?? '';
  const producer = (model.graph?.node ?? []).find((n) => (n.output ?? []).includes(out));
  return producer?.opType === 'Softmax' && producer.input?.[0] ? producer.input[0] : undefined;
}

/** A shallow copy that also outputs `name` (typed like output 0: Softmax keeps shape and type). */
function exposing(model: onnx.IModelProto, name: string | undefined): onnx.IModelProto {
  const graph = model.graph;
  const first = graph?.output?.[0];
  if (!name || !graph || !first || (graph.output ?? []).some((o) => o.name === name)) return model;
  return { ...model, graph: { ...graph, output: [...(graph.output ?? []), { ...first, name }] } };
}

/** The quality tensor of one run (the exposed logits, else output 0). */
async function qualityOf(s: RuntimeSession, feeds: Record<string, Tensor>, name: string | undefined): Promise<Float32Array> {
  const outs = await outputsOf(s, feeds);
  const i = name ? s.outputs.findIndex((o) => o.name === name) : 0;
  return outs[Math.max(0, i)] ?? new Float32Array();
}

function digitsCalibrator(): Calibrator {
  const path = join(SAMPLES_DIR, 'digits_calib.npz');
  const ds = readDatasetPath(path);
  if (!ds.ok) throw new Error(`${path}: ${ds.error}`);
  return calibratorForDataset(ds.value);
}

const message = (e: unknown): string => (e instanceof Error ? e.message : String(e));

async function child(modelName: string, threads: number): Promise<void> {
  // With threads, ORT in Node starts worker_threads from the .mjs and reads the .wasm itself: it needs a
  // plain directory path (the default URL makes it fetch(), which fails for file: in Node 20).
  configureRuntime({ numThreads: threads, logLevel: 'fatal', ...(threads > 1 ? { wasmPaths: `${join(REPO, 'node_modules/onnxruntime-web/dist')}/` } : {}) });
  const emit = (line: ChildLine): void => void process.stdout.write(`${JSON.stringify(line)}\n`);
  const bm = MODELS.find((m) => m.name === modelName);
  if (!bm) return emit({ kind: 'error', model: modelName, threads, note: 'unknown model' });
  const runs = Number(arg('runs') ?? 200);
  const budget = Number(arg('budget') ?? 1500);
  const batch = Math.max(1, Number(arg('batch') ?? 1));
  const ratios = (list('ratios') ?? ['0.1', '0.3', '0.5']).map(Number);
  const chosen = variants(ratios, flag('int8'), list('variants'));

  let base: onnx.IModelProto;
  try {
    base = bm.load();
  } catch (e) {
    return emit({ kind: 'error', model: bm.name, threads, note: `not loaded: ${message(e)}` });
  }
  const baseBytes = encodeModelProto(base);
  const baseFig = figures(base, baseBytes);
  const digits = bm.data === 'digits' ? digitsTestSet() : undefined;
  const latencyFeeds: Record<string, Tensor> = digits ? { input: new OrtTensor('float32', digits.x.subarray(0, 64 * Math.min(batch, digits.count)), [Math.min(batch, digits.count), 1, 8, 8]) } : randomFeeds(base, 7);
  const evalFeeds: Record<string, Tensor> = digits ? { input: new OrtTensor('float32', digits.x, [digits.count, 1, 8, 8]) } : latencyFeeds;
  const logits = qualityTensor(base);
  let original: RuntimeSession;
  try {
    original = await session(logits ? encodeModelProto(exposing(base, logits)) : baseBytes);
  } catch (e) {
    return emit({ kind: 'error', model: bm.name, threads, note: `original does not run: ${message(e)}` });
  }
  const refOut = await qualityOf(original, evalFeeds, logits);
  const refAcc = digits ? accuracy(refOut, 10, digits.y).accuracy : undefined;
  // Warm the original well before the first series: the first sub-millisecond runs of a fresh process
  // are several times slower (JIT, caches), which would skew the first variant's series.
  for (let i = 0, t0 = performance.now(); i < 1 || (i < 50 && performance.now() - t0 < 300); i++) await outputsOf(original, latencyFeeds);
  const originalMedians: number[] = [];
  const rows: Row[] = [];

  for (const v of chosen) {
    const steps = resolveSteps(v.steps);
    const common = { kind: 'row', model: bm.name, variant: v.name, threads } as const;
    if (!steps.ok) {
      rows.push({ ...common, ...baseFig, note: steps.error });
      continue;
    }
    const calibrate = v.steps.some((s) => s.pass === 'int8-static') ? (digits ? digitsCalibrator() : randomCalibrator(32, 1)) : undefined;
    const made = await applyRecipe(base, steps.value, calibrate ? { calibrate } : {});
    if (!made.ok) {
      rows.push({ ...common, ...baseFig, note: made.error.kind === 'failed' ? `${made.error.pass}: ${made.error.message}` : 'cancelled' });
      continue;
    }
    const channelReport = made.value.reports.find((r) => r.pass === 'prune-channels');
    if (channelReport) emit(groupsRow(bm.name, v.name, channelReport));
    const bytes = encodeModelProto(made.value.model);
    const fig = figures(made.value.model, bytes);
    const passSeconds = made.value.seconds;
    const changed = made.value.reports.reduce((n, r) => n + r.changedNodes, 0);
    if (changed === 0) {
      const note =
        channelReport && channelReport.decisions.length === 0
          ? 'no groups (no Conv channels to prune)'
          : channelReport
            ? `no group changed (${channelReport.skippedNodes} left alone, see below)`
            : (made.value.reports.flatMap((r) => r.warnings)[0] ?? 'nothing changed');
      rows.push({ ...common, ...fig, passSeconds, note });
      continue;
    }
    let cand: RuntimeSession;
    try {
      cand = await session(logits ? encodeModelProto(exposing(made.value.model, logits)) : bytes);
    } catch (e) {
      rows.push({ ...common, ...fig, passSeconds, note: `does not run: ${message(e)}` });
      continue;
    }
    try {
      const out = await qualityOf(cand, evalFeeds, logits);
      // One warm-up pair: the original is warm already and the variant has just run the evaluation batch.
      const t = await interleaved(original, cand, latencyFeeds, runs, budget, 1);
      originalMedians.push(t.a);
      rows.push({
        ...common,
        ...fig,
        originalMs: t.a,
        variantMs: t.b,
        pairs: t.pairs,
        cosine: fidelity(refOut, out).cosine,
        ...(digits ? { accuracy: accuracy(out, 10, digits.y).accuracy } : {}),
        passSeconds,
        ...(v.name.includes('int8') && !digits ? { note: 'int8 calibrated on random data' } : {}),
      });
    } catch (e) {
      rows.push({ ...common, ...fig, passSeconds, note: `run failed: ${message(e)}` });
    } finally {
      await cand.release();
    }
  }
  await original.release();
  // The original's latency: the median of its medians across the interleaved series of this process.
  emit({
    kind: 'row',
    model: bm.name,
    variant: 'original',
    threads,
    ...baseFig,
    ...(originalMedians.length ? { originalMs: median(originalMedians), variantMs: median(originalMedians) } : {}),
    cosine: 1,
    ...(refAcc !== undefined ? { accuracy: refAcc } : {}),
  });
  for (const r of rows) emit(r);
}

// ------------------------------------------------------------------------------------------- the parent

interface Merged {
  readonly model: string;
  readonly variant: string;
  readonly figures: Figures;
  readonly ratios: { readonly params: number; readonly macs: number | null; readonly file: number; readonly gzip: number };
  /** Per thread count: medians and speedup (original / variant). */
  readonly latency: Record<string, { readonly originalMs: number; readonly variantMs: number; readonly speedup: number; readonly pairs?: number }>;
  readonly accuracy?: number;
  readonly accuracyDeltaPoints?: number;
  readonly cosine?: number;
  readonly passSeconds?: number;
  readonly notes: readonly string[];
}

function merge(rows: readonly Row[]): Merged[] {
  const out: Merged[] = [];
  const keys = [...new Set(rows.map((r) => `${r.model}\u0000${r.variant}`))];
  for (const key of keys) {
    const [model, variant] = key.split('\u0000') as [string, string];
    const mine = rows.filter((r) => r.model === model && r.variant === variant);
    const base = rows.find((r) => r.model === model && r.variant === 'original');
    const first = mine[0] as Row;
    const latency: Record<string, { originalMs: number; variantMs: number; speedup: number; pairs?: number }> = {};
    for (const r of mine) {
      if (r.originalMs !== undefined && r.variantMs !== undefined) latency[String(r.threads)] = { originalMs: r.originalMs, variantMs: r.variantMs, speedup: r.originalMs / r.variantMs, ...(r.pairs !== undefined ? { pairs: r.pairs } : {}) };
    }
    const ratio = (a: number, b: number | undefined): number => (b ? a / b : NaN);
    out.push({
      model,
      variant,
      figures: { params: first.params, macs: first.macs, fileBytes: first.fileBytes, gzipBytes: first.gzipBytes },
      ratios: {
        params: ratio(first.params, base?.params),
        macs: first.macs !== null && base?.macs ? first.macs / base.macs : null,
        file: ratio(first.fileBytes, base?.fileBytes),
        gzip: ratio(first.gzipBytes, base?.gzipBytes),
      },
      latency,
      ...(first.accuracy !== undefined ? { accuracy: first.accuracy } : {}),
      ...(first.accuracy !== undefined && base?.accuracy !== undefined ? { accuracyDeltaPoints: (first.accuracy - base.accuracy) * 100 } : {}),
      ...(first.cosine !== undefined ? { cosine: first.cosine } : {}),
      ...(first.passSeconds !== undefined ? { passSeconds: first.passSeconds } : {}),
      notes: [...new Set(mine.map((r) => r.note).filter((n): n is string => n !== undefined))],
    });
  }
  return out;
}

const x2 = (r: number | null): string => (r === null || !Number.isFinite(r) ? '?' : `${r.toFixed(r < 0.995 || r > 1.005 ? 3 : 2)}×`);
function count(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)} G`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)} M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)} k`;
  return String(n);
}
const mb = (b: number): string => (b >= 1e6 ? `${(b / 1e6).toFixed(2)} MB` : `${(b / 1e3).toFixed(1)} kB`);
const ms = (x: number): string => (x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x >= 1 ? x.toFixed(2) : x.toFixed(3));

function printTable(merged: readonly Merged[], groups: readonly GroupsRow[], threads: readonly number[]): void {
  console.log(`\n| model | variant | params | MACs | file | gzip | ${threads.map((t) => `${t}T ms (speedup)`).join(' | ')} | top-1 (Δ pt) / cosine | note |`);
  console.log(`|---|---|---|---|---|---|${threads.map(() => '---|').join('')}---|---|`);
  for (const m of merged) {
    const orig = m.variant === 'original';
    const cell = (abs: string, r: number | null): string => (orig ? abs : x2(r));
    const lat = threads.map((t) => {
      const l = m.latency[String(t)];
      if (!l) return '';
      return orig ? ms(l.originalMs) : `${ms(l.originalMs)} → ${ms(l.variantMs)} (${l.speedup.toFixed(2)}×)`;
    });
    const quality =
      m.accuracy !== undefined ? `${(m.accuracy * 100).toFixed(2)} %${orig || m.accuracyDeltaPoints === undefined ? '' : ` (${m.accuracyDeltaPoints >= 0 ? '+' : ''}${m.accuracyDeltaPoints.toFixed(2)})`}` : m.cosine !== undefined && !orig ? `cos ${m.cosine.toFixed(4)}` : '';
    console.log(
      `| ${m.model} | ${m.variant} | ${cell(count(m.figures.params), m.ratios.params)} | ${cell(m.figures.macs === null ? '?' : count(m.figures.macs), m.ratios.macs)} | ${cell(mb(m.figures.fileBytes), m.ratios.file)} | ${cell(mb(m.figures.gzipBytes), m.ratios.gzip)} | ${lat.join(' | ')} | ${quality} | ${m.notes.join('; ')} |`,
    );
  }
  if (!groups.length) return;
  console.log('\nChannel groups (prune-channels, per layer, L1; minChannels 8): changed / kept (too few channels) / skipped of all groups');
  const models = [...new Set(groups.map((g) => g.model))];
  for (const model of models) {
    const gs = groups.filter((g) => g.model === model);
    const g0 = gs[0] as GroupsRow;
    if (g0.total === 0) {
      console.log(`- ${model}: no groups (no Conv output channels to prune)`);
      continue;
    }
    const per = gs.map((g) => `${g.variant}: ${g.changed}/${g.kept}/${g.skipped}${g.channelsRemoved && g.changed ? ` (${g.channelsRemoved} channels)` : ''}`).join(', ');
    console.log(`- ${model}: ${g0.total} group${g0.total === 1 ? '' : 's'} — ${per}`);
    for (const r of g0.reasons.slice(0, 6)) console.log(`    skipped ${r.count} × ${r.reason}`);
    if (g0.reasons.length > 6) console.log(`    … ${g0.reasons.length - 6} more kinds of reason`);
  }
}

async function main(): Promise<void> {
  if (flag('child')) {
    await child(arg('model') ?? '', Number(arg('threads') ?? 1));
    return;
  }
  const json = flag('json');
  const say = (s: string): void => void (json ? process.stderr : process.stdout).write(`${s}\n`);
  const threads = (list('threads') ?? ['1']).map(Number).filter((t) => t >= 1);
  const models = selectModels(list('only'), flag('all'));
  const settings = executionSettings();
  const load = (): string => loadavg().map((l) => l.toFixed(2)).join(' / ');
  const machine = { cores: availableParallelism(), loadAverageAtStart: load(), cpu: cpus()[0]?.model ?? 'unknown', node: process.version, ort: settings.version, executionProvider: settings.executionProvider, graphOptimizationLevel: settings.graphOptimizationLevel };
  const conditions = { threads, runs: Number(arg('runs') ?? 200), budgetMs: Number(arg('budget') ?? 1500), digitsBatch: Number(arg('batch') ?? 1), ratios: (list('ratios') ?? ['0.1', '0.3', '0.5']).map(Number), gzipLevel: GZIP_LEVEL };
  say(`bench:prune — ${machine.cores} cores (${machine.cpu}), Node ${machine.node}, onnxruntime-web ${machine.ort} (${machine.executionProvider}, graph optimisation ${machine.graphOptimizationLevel}); load average ${machine.loadAverageAtStart} (1/5/15 min: other processes skew absolute ms, the interleaved ratios less)`);
  say(`latency: original and variant interleaved A B A B in one process (original warmed ≥ 300 ms, then 1 warm-up pair), ≤ ${conditions.runs} pairs or ${conditions.budgetMs} ms (≥ 5 pairs), medians; batch 1 (digits: ${conditions.digitsBatch}); speedup = original ms / variant ms`);
  say(`sizes: params and MACs from computeStats (free dims = 1); file = encoded .onnx; gzip = whole file, fflate level ${GZIP_LEVEL}; quality: digits top-1 on the 360-sample test split, else cosine of output 0 (of the logits when output 0 is a Softmax) vs the original on seeded random inputs`);
  if (!existsSync(CORPUS)) say(`note: the corpus is not at ${CORPUS}; corpus and light/ models are reported as not loaded`);

  const rows: Row[] = [];
  const groups: GroupsRow[] = [];
  const errors: string[] = [];
  // The child gets the measurement options in one spelling (--name=value).
  const pass = ['runs', 'budget', 'batch', 'ratios', 'variants'].flatMap((o) => (arg(o) ? [`--${o}=${arg(o) ?? ''}`] : []));
  if (flag('int8')) pass.push('--int8');
  const started = performance.now();
  for (const bm of models) {
    for (const t of threads) {
      const t0 = performance.now();
      const r = spawnSync(process.execPath, ['--expose-gc', '--import', 'tsx', SELF, '--child', `--model=${bm.name}`, `--threads=${t}`, ...pass], { encoding: 'utf8', maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'inherit'] });
      let n = 0;
      for (const line of r.stdout.split('\n')) {
        if (!line.startsWith('{')) continue;
        const parsed = JSON.parse(line) as ChildLine;
        n++;
        if (parsed.kind === 'row') rows.push(parsed);
        // Groups do not depend on the thread count: keep the first child's.
        else if (parsed.kind === 'groups') {
          if (!groups.some((g) => g.model === parsed.model && g.variant === parsed.variant)) groups.push(parsed);
        }
        else errors.push(`${parsed.model} (${parsed.threads}T): ${parsed.note}`);
      }
      if (r.status !== 0) errors.push(`${bm.name} (${t}T): child exited with ${r.status ?? r.signal ?? '?'} after ${n} rows`);
      say(`  ${bm.name} at ${t} thread${t === 1 ? '' : 's'}: ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    }
  }
  const merged = merge(rows);
  const seconds = (performance.now() - started) / 1000;
  if (json) {
    process.stdout.write(`${JSON.stringify({ format: 'bench-prune', version: 1, machine: { ...machine, loadAverageAtEnd: load() }, conditions, seconds, rows: merged, groups, errors }, null, 2)}\n`);
    return;
  }
  printTable(merged, groups, threads);
  for (const e of errors) console.log(`error: ${e}`);
  console.log(`\n${models.length} models in ${seconds.toFixed(0)} s; load average at the end ${load()}`);
}

await main();
