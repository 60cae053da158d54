/**
 * The benchmark loop (issue 6, "Benchmark"): session creation, first run, warm-up, then measured runs of
 * one or several models INTERLEAVED — A B C A B C … — so that machine drift (thermal throttling, another
 * process waking up) lands on every model alike and the ratios against the first model cancel it.
 *
 * What is timed: RuntimeSession.run's wall time around ORT's `session.run` (inputs copied into WASM
 * memory, outputs copied out), nothing of ours; `npm run bench:harness` checks that this median matches a
 * bare onnxruntime-web loop. Session creation is timed likewise (createSession's createMs).
 *
 * Order of work per model: create the session, build its feeds, one first run (its own figure: it pays
 * one-time allocations and, for the first model of a realm, nothing more — the wasm compile is part of
 * the first session creation), `warmup` runs (not reported), then the interleaved rounds. Rounds stop
 * after `runs` rounds, or once `budgetMs` of measuring has passed (at least MIN_ROUNDS rounds, or `runs`
 * if fewer), whichever comes first.
 *
 * Threads are a property of the runtime, not of a session (ORT reads env.wasm.numThreads once, when its
 * wasm starts): the host configures them (configureRuntime) and the report carries the count the
 * sessions actually ran with; a request that differs is reported as a warning, never silently.
 *
 * Cancellable between runs (an AbortSignal-like `signal` is checked after every run; the event loop is
 * given a turn every YIELD_EVERY_MS so that an abort message can arrive in a worker), with progress.
 */
import type { Result } from '../core/errors.js';
import { err, ok } from '../core/errors.js';
import type { Feed } from '../core/data/types.js';
import type { LatencySummary } from '../core/metrics/latency.js';
import { median, summarizeLatency } from '../core/metrics/latency.js';
import type { AbortLike, ProgressFn } from '../core/transform/types.js';
import type { InputRanges } from './bench-inputs.js';
import { describeFeed, randomFeed, sessionFeeds } from './bench-inputs.js';
import { createSession } from './ort.js';
import type { ExecutionSettings, GraphOptimizationLevel, RuntimeSession, Tensor } from './ort.js';
import { wasmHeapBytes } from './wasm-memory.js';

export interface BenchModel {
  /** The caller's name for the model (a variant id, a file name); echoed in the report. */
  readonly id: string;
  readonly bytes: Uint8Array;
  /** External-data files by the `location` the model uses. */
  readonly externalData?: ReadonlyMap<string, Uint8Array>;
}

export type BenchInputs =
  /** Pseudo-random values (fixed seed) in [0, 1) for floats, or in `ranges[input]`; see bench-inputs.ts. */
  | { readonly kind: 'random'; readonly seed?: number; readonly ranges?: InputRanges }
  /** The same samples for every model, converted to each model's declared input types. */
  | { readonly kind: 'feed'; readonly feed: Feed; readonly source?: string };

export interface BenchmarkSettings {
  /** Threads the caller expects; the runtime's count is what runs (see the file comment). */
  readonly threads?: number;
  readonly graphOptimizationLevel: GraphOptimizationLevel;
  readonly warmup: number;
  /** Measured runs per model (rounds). */
  readonly runs: number;
  /** Stop measuring after this many ms (at least MIN_ROUNDS rounds). */
  readonly budgetMs?: number;
  /** Sizes for symbolic input dims by name (e.g. { batch: 1 }); others become 1. */
  readonly shapes?: Readonly<Record<string, number>>;
  /** Random inputs (seed 1) when absent. */
  readonly inputs?: BenchInputs;
}

export interface ModelBenchmark {
  readonly id: string;
  readonly modelBytes: number;
  readonly sessionCreateMs: number;
  readonly firstRunMs: number;
  /** Measured runs in order, ms. */
  readonly runsMs: readonly number[];
  readonly summary: LatencySummary;
  /**
   * ORT's WebAssembly heap after this model's session creation and first run, in bytes; null when it
   * cannot be read (see wasm-memory.ts). The heap is shared by every session of the realm and never
   * shrinks, so this is a high-water mark of everything created so far.
   */
  readonly wasmMemoryBytes: number | null;
  /** How much this model's creation and first run grew the heap (0 when earlier free memory sufficed). */
  readonly wasmMemoryGrowthBytes: number | null;
  /** Threads the session ran with. */
  readonly threads: number;
  /** First model's median / this median (> 1: faster than the first model). */
  readonly speedup: number;
  /** Median over rounds of (first model's run / this run): the drift-cancelling ratio. */
  readonly pairedSpeedup: number;
  /** Shapes fed, by input name. */
  readonly inputShapes: Readonly<Record<string, readonly number[]>>;
}

export interface BenchmarkReport {
  readonly execution: ExecutionSettings;
  readonly threadsRequested?: number;
  readonly warmup: number;
  readonly runs: number;
  readonly budgetMs?: number;
  /** Rounds measured (each model ran once per round). */
  readonly rounds: number;
  /** What was fed, e.g. "random (seed 1): input [1,1,8,8] float32". */
  readonly inputs: string;
  readonly models: readonly ModelBenchmark[];
  readonly warnings: readonly string[];
}

export type BenchmarkFailure =
  | { readonly kind: 'cancelled' }
  | { readonly kind: 'failed'; readonly model?: string; readonly message: string };

export const MIN_ROUNDS = 5;
const YIELD_EVERY_MS = 20;
const PROGRESS_EVERY_MS = 100;
const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

interface Live {
  readonly model: BenchModel;
  readonly session: RuntimeSession;
  readonly feeds: Record<string, Tensor>;
  readonly firstRunMs: number;
  readonly heap: number | undefined;
  readonly growth: number | undefined;
  readonly runs: number[];
}

function describeRandom(inputs: { readonly seed?: number; readonly ranges?: InputRanges }): string {
  const ranges = Object.entries(inputs.ranges ?? {}).map(([name, [lo, hi]]) => `${name} in [${lo}, ${hi})`);
  return `random (seed ${inputs.seed ?? 1}${ranges.length > 0 ? `; ${ranges.join(', ')}` : ''})`;
}

const CANCELLED: BenchmarkFailure = { kind: 'cancelled' };
const failed = (message: string, model?: string): BenchmarkFailure => ({ kind: 'failed', message, ...(model !== undefined ? { model } : {}) });

export async function benchmarkModels(
  models: readonly BenchModel[],
  settings: BenchmarkSettings,
  progress: ProgressFn = () => undefined,
  signal?: AbortLike,
): Promise<Result<BenchmarkReport, BenchmarkFailure>> {
  if (models.length === 0) return err(failed('no model to benchmark'));
  const runs = Math.max(1, Math.floor(settings.runs));
  const warmup = Math.max(0, Math.floor(settings.warmup));
  const inputs = settings.inputs ?? { kind: 'random' };
  const live: Live[] = [];
  const warnings: string[] = [];
  let lastYield = performance.now();
  const breathe = async (): Promise<void> => {
    if (performance.now() - lastYield > YIELD_EVERY_MS) {
      await yieldToEventLoop();
      lastYield = performance.now();
    }
  };
  let fed = '';
  try {
    // 1. Sessions, first runs and warm-ups, one model after another.
    for (const [k, model] of models.entries()) {
      if (signal?.aborted) return err(CANCELLED);
      progress(`creating session ${k + 1}/${models.length} (${model.id})`, k, models.length);
      const heapBefore = wasmHeapBytes();
      const created = await createSession(model.bytes, {
        graphOptimizationLevel: settings.graphOptimizationLevel,
        ...(model.externalData ? { externalData: model.externalData } : {}),
      });
      if (!created.ok) return err(failed(`${model.id} did not load in onnxruntime-web: ${created.error.message}`, model.id));
      const session = created.value;
      const feed = inputs.kind === 'feed' ? inputs.feed : randomFeed(session.inputs, inputs.seed ?? 1, settings.shapes, inputs.ranges);
      const feeds = sessionFeeds(session, feed);
      if (!feeds.ok) {
        await session.release();
        return err(failed(`${model.id}: ${feeds.error}`, model.id));
      }
      if (k === 0) fed = `${inputs.kind === 'feed' ? (inputs.source ?? 'given samples') : describeRandom(inputs)}: ${describeFeed(feed)}`;
      const first = await session.run(feeds.value);
      if (!first.ok) {
        await session.release();
        return err(failed(`${model.id} failed to run: ${first.error.message}`, model.id));
      }
      const heap = wasmHeapBytes();
      live.push({
        model,
        session,
        feeds: feeds.value,
        firstRunMs: first.value.ms,
        heap,
        growth: heap !== undefined && heapBefore !== undefined ? heap - heapBefore : heap,
        runs: [],
      });
      for (let w = 0; w < warmup; w++) {
        if (signal?.aborted) return err(CANCELLED);
        const r = await session.run(feeds.value);
        if (!r.ok) return err(failed(`${model.id} failed to run: ${r.error.message}`, model.id));
        await breathe();
      }
    }

    // 2. Interleaved rounds.
    const minRounds = Math.min(runs, MIN_ROUNDS);
    const start = performance.now();
    let rounds = 0;
    progress('measuring', 0, runs);
    let lastProgress = performance.now();
    while (rounds < runs) {
      if (rounds >= minRounds && settings.budgetMs !== undefined && performance.now() - start >= settings.budgetMs) break;
      for (const m of live) {
        if (signal?.aborted) return err(CANCELLED);
        const r = await m.session.run(m.feeds);
        if (!r.ok) return err(failed(`${m.model.id} failed to run: ${r.error.message}`, m.model.id));
        m.runs.push(r.value.ms);
      }
      rounds++;
      // Progress at most every PROGRESS_EVERY_MS: a worker posts each one, and a message per 0.1 ms run
      // would be work the measurement competes with.
      if (performance.now() - lastProgress > PROGRESS_EVERY_MS || rounds === runs) {
        progress('measuring', rounds, runs);
        lastProgress = performance.now();
      }
      await breathe();
    }
    if (signal?.aborted) return err(CANCELLED);

    // 3. Figures.
    const base = live[0] as Live;
    const baseSummary = summarizeLatency(base.runs);
    const execution = base.session.settings;
    if (settings.threads !== undefined && settings.threads !== execution.numThreads) {
      warnings.push(`${settings.threads} thread(s) requested, but the runtime runs ${execution.numThreads} (threads are fixed when onnxruntime-web starts${execution.crossOriginIsolated ? '' : '; this page is not cross-origin isolated'})`);
    }
    if (rounds < runs) warnings.push(`time budget of ${settings.budgetMs} ms reached after ${rounds} of ${runs} runs per model`);
    if (live.some((m) => m.heap === undefined)) warnings.push('WebAssembly memory not measured: onnxruntime-web started before the memory probe was installed');
    const report: BenchmarkReport = {
      execution,
      ...(settings.threads !== undefined ? { threadsRequested: settings.threads } : {}),
      warmup,
      runs,
      ...(settings.budgetMs !== undefined ? { budgetMs: settings.budgetMs } : {}),
      rounds,
      inputs: fed,
      models: live.map((m) => {
        const summary = m === base ? baseSummary : summarizeLatency(m.runs);
        const paired = m.runs.map((ms, i) => (base.runs[i] as number) / ms).sort((a, b) => a - b);
        return {
          id: m.model.id,
          modelBytes: m.model.bytes.byteLength + [...(m.model.externalData?.values() ?? [])].reduce((a, b) => a + b.byteLength, 0),
          sessionCreateMs: m.session.createMs,
          firstRunMs: m.firstRunMs,
          runsMs: m.runs,
          summary,
          wasmMemoryBytes: m.heap ?? null,
          wasmMemoryGrowthBytes: m.growth ?? null,
          threads: m.session.settings.numThreads,
          speedup: baseSummary.median / summary.median,
          pairedSpeedup: median(paired),
          inputShapes: Object.fromEntries(Object.entries(m.feeds).map(([name, t]) => [name, [...t.dims]])),
        };
      }),
      warnings,
    };
    return ok(report);
  } finally {
    for (const m of live) await m.session.release();
  }
}
