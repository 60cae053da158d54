/**
 * `studio bench MODEL.onnx [--threads N] [--runs N] [--warmup N] [--json]` — latency of one model in
 * onnxruntime-web (WASM) in Node, through the same benchmark engine the page's runtime worker uses
 * (src/runtime/benchmark.ts), with the conditions printed next to the numbers.
 *
 * The JSON is a contract (issue 6): { threads, runs, sessionCreateMs, firstRunMs, latencyMs: { median,
 * p90, p99, min, mean } }, plus added fields (std, max, throughput, modelBytes, wasmMemoryBytes, …).
 */
import { numberFlag } from '../number-flags.js';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { Result } from '../../core/errors.js';
import { err, ok } from '../../core/errors.js';
import type { LatencySummary } from '../../core/metrics/latency.js';
import type { BenchModel, BenchmarkReport, ModelBenchmark } from '../../runtime/benchmark.js';
import { benchmarkModels } from '../../runtime/benchmark.js';
import type { GraphOptimizationLevel } from '../../runtime/ort.js';
import { configureRuntime } from '../../runtime/ort.js';
import type { CliIo } from '../io.js';
import { CliFailure, EXIT_OK, fileProblem } from '../io.js';
import { readModel, readWholeFile } from '../read-model.js';

export const BENCH_USAGE = `Usage: npm run studio -- bench MODEL.onnx [options]

Measures inference latency in onnxruntime-web (WebAssembly CPU backend, as in the browser) in this
process: session creation, first run, then warm-up and measured runs on pseudo-random inputs.

Options:
  --threads N        WASM threads (default 1)
  --runs N           measured runs (default 50)
  --warmup N         warm-up runs after the first run, not measured (default 5)
  --budget MS        stop measuring after MS milliseconds (at least 5 runs)
  --opt-level L      graph optimization level: disabled | basic | extended | all (default all)
  --shape NAME=N     size of a symbolic input dimension (repeatable; others are 1), e.g. --shape batch=8
  --seed N           seed of the random inputs (default 1)
  --data FILE        an external data file of MODEL (repeatable; files next to MODEL are found)
  --json             print one JSON object: { threads, runs, sessionCreateMs, firstRunMs,
                     latencyMs: { median, p90, p99, min, max, mean, std }, throughput, modelBytes,
                     wasmMemoryBytes, … }
  -h, --help         show this help

Percentiles are nearest-rank (p99 of 50 runs is the slowest run); the median of an even count is the
mean of the middle two; std is the sample standard deviation; throughput = 1000 / mean runs per second.`;

const LEVELS: readonly GraphOptimizationLevel[] = ['disabled', 'basic', 'extended', 'all'];

export interface BenchJson {
  readonly model: string;
  readonly threads: number;
  readonly runs: number;
  readonly warmup: number;
  readonly graphOptimizationLevel: GraphOptimizationLevel;
  readonly sessionCreateMs: number;
  readonly firstRunMs: number;
  readonly latencyMs: { readonly median: number; readonly p90: number; readonly p99: number; readonly min: number; readonly max: number; readonly mean: number; readonly std: number };
  /** Runs per second from the mean. */
  readonly throughput: number;
  readonly modelBytes: number;
  /** onnxruntime-web's WebAssembly heap after session creation and the first run; null if not measured. */
  readonly wasmMemoryBytes: number | null;
  readonly inputs: string;
  readonly runtime: { readonly name: string; readonly version: string; readonly executionProvider: string; readonly simd: boolean };
  readonly histogram: LatencySummary['histogram'];
  readonly runsMs: readonly number[];
  readonly warnings: readonly string[];
}

const positiveInt = (name: string, text: string | undefined, fallback: number, min: number): Result<number, CliFailure> => numberFlag('bench', name, text, fallback, min, true);

function parseShapes(items: readonly string[]): Result<Record<string, number>, CliFailure> {
  const out: Record<string, number> = {};
  for (const item of items) {
    const m = /^([^=]+)=(\d+)$/.exec(item);
    if (!m || Number(m[2]) < 1) return err(CliFailure.usage(`--shape wants NAME=N with N ≥ 1 (e.g. batch=1), got '${item}'`, 'bench'));
    out[m[1] as string] = Number(m[2]);
  }
  return ok(out);
}

/** onnxruntime-web's dist folder: with threads, ORT in Node starts worker_threads from the .mjs there. */
function ortDistFolder(): string | undefined {
  try {
    return `${dirname(fileURLToPath(import.meta.resolve('onnxruntime-web/wasm')))}/`;
  } catch {
    return undefined;
  }
}

/** Threads are fixed when ORT starts; in a process that already ran a session we keep what runs. */
function setThreads(threads: number): void {
  const dist = threads > 1 ? ortDistFolder() : undefined;
  try {
    configureRuntime({ numThreads: threads, ...(dist ? { wasmPaths: dist } : {}) });
  } catch {
    // Already started with other settings (a test process): the report's threads and warning say so.
  }
}

export function toBenchJson(model: string, report: BenchmarkReport, m: ModelBenchmark): BenchJson {
  const s = m.summary;
  return {
    model,
    threads: m.threads,
    runs: s.count,
    warmup: report.warmup,
    graphOptimizationLevel: report.execution.graphOptimizationLevel,
    sessionCreateMs: m.sessionCreateMs,
    firstRunMs: m.firstRunMs,
    latencyMs: { median: s.median, p90: s.p90, p99: s.p99, min: s.min, max: s.max, mean: s.mean, std: s.std },
    throughput: s.throughput,
    modelBytes: m.modelBytes,
    wasmMemoryBytes: m.wasmMemoryBytes,
    inputs: report.inputs,
    runtime: { name: report.execution.runtime, version: report.execution.version, executionProvider: report.execution.executionProvider, simd: report.execution.simd },
    histogram: s.histogram,
    runsMs: m.runsMs,
    warnings: [...report.warnings, ...report.execution.notes],
  };
}

const ms = (x: number): string => (x >= 100 ? x.toFixed(1) : x >= 1 ? x.toFixed(2) : x.toFixed(3));
const mb = (b: number): string => `${(b / 1e6).toFixed(b >= 1e7 ? 0 : 2)} MB`;

export function formatBench(j: BenchJson): string {
  const l = j.latencyMs;
  const lines = [
    `${j.model}: ${j.runtime.name} ${j.runtime.version} (${j.runtime.executionProvider}, SIMD), ${j.threads} thread${j.threads === 1 ? '' : 's'}, graph optimization ${j.graphOptimizationLevel}`,
    `  inputs: ${j.inputs}; ${j.warmup} warm-up + ${j.runs} measured runs`,
    `  session creation  ${ms(j.sessionCreateMs)} ms`,
    `  first run         ${ms(j.firstRunMs)} ms`,
    `  median ${ms(l.median)} ms   p90 ${ms(l.p90)}   p99 ${ms(l.p99)}   min ${ms(l.min)}   max ${ms(l.max)}   mean ${ms(l.mean)} ± ${ms(l.std)} (std)`,
    `  throughput        ${j.throughput.toFixed(j.throughput >= 100 ? 0 : 1)} runs/s`,
    `  model ${mb(j.modelBytes)}; WebAssembly memory ${j.wasmMemoryBytes === null ? 'not measured' : mb(j.wasmMemoryBytes)}`,
  ];
  const peak = Math.max(1, ...j.histogram.map((b) => b.count));
  if (j.histogram.length > 1) {
    lines.push('  histogram (ms):');
    // Slow outliers stretch the range over many empty bins: print a run of empty bins as one gap line.
    let gap = false;
    for (const b of j.histogram) {
      if (b.count === 0) {
        if (!gap) lines.push('         …');
        gap = true;
        continue;
      }
      gap = false;
      lines.push(`    ${ms(b.lo).padStart(8)} – ${ms(b.hi).padEnd(8)} ${'#'.repeat(Math.max(1, Math.round((b.count / peak) * 40)))} ${b.count}`);
    }
  }
  return lines.join('\n');
}

/**
 * A model for onnxruntime-web: the file's bytes and its external data. readModel validates it first (so a
 * bad file fails with the studio's one-line explanation, not ORT's); its decoded proto, which keeps
 * views into a copy of the file, is dropped before the runtime gets its own.
 */
export function readForRuntime(path: string, dataPaths: readonly string[]): Result<BenchModel & { readonly warnings: readonly string[] }, CliFailure> {
  let external: ReadonlyMap<string, Uint8Array>;
  let warnings: readonly string[];
  {
    const loaded = readModel(path, { dataPaths });
    if (!loaded.ok) return loaded;
    external = loaded.value.external;
    warnings = loaded.value.warnings;
  }
  const bytes = readWholeFile(path);
  if (!bytes.ok) return bytes;
  return ok({ id: path, bytes: bytes.value, ...(external.size > 0 ? { externalData: external } : {}), warnings });
}

export async function runBench(args: readonly string[], io: CliIo): Promise<Result<number, CliFailure>> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    strict: true,
    options: {
      threads: { type: 'string' },
      runs: { type: 'string' },
      warmup: { type: 'string' },
      budget: { type: 'string' },
      'opt-level': { type: 'string' },
      shape: { type: 'string', multiple: true },
      seed: { type: 'string' },
      data: { type: 'string', multiple: true },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.out(BENCH_USAGE);
    return ok(EXIT_OK);
  }
  if (positionals.length !== 1) return err(CliFailure.usage(positionals.length === 0 ? 'bench needs a MODEL.onnx' : `bench takes one model, got ${positionals.length}`, 'bench'));
  const path = positionals[0] as string;
  const threads = positiveInt('threads', values.threads, 1, 1);
  if (!threads.ok) return threads;
  const runs = positiveInt('runs', values.runs, 50, 1);
  if (!runs.ok) return runs;
  const warmup = positiveInt('warmup', values.warmup, 5, 0);
  if (!warmup.ok) return warmup;
  const budget = positiveInt('budget', values.budget, 0, 1);
  if (!budget.ok) return budget;
  const seed = positiveInt('seed', values.seed, 1, 0);
  if (!seed.ok) return seed;
  const level = (values['opt-level'] ?? 'all') as GraphOptimizationLevel;
  if (!LEVELS.includes(level)) return err(CliFailure.usage(`--opt-level wants one of ${LEVELS.join(', ')}, got '${values['opt-level'] ?? ''}'`, 'bench'));
  const shapes = parseShapes(values.shape ?? []);
  if (!shapes.ok) return shapes;

  const model = readForRuntime(path, values.data ?? []);
  if (!model.ok) return model;
  for (const w of model.value.warnings) io.err(`warning: ${w}`);
  setThreads(threads.value);
  const name = path.split(/[\\/]/).pop() ?? path;
  const result = await benchmarkModels(
    [{ ...model.value, id: name }],
    {
      threads: threads.value,
      graphOptimizationLevel: level,
      warmup: warmup.value,
      runs: runs.value,
      ...(values.budget !== undefined ? { budgetMs: budget.value } : {}),
      shapes: shapes.value,
      inputs: { kind: 'random', seed: seed.value },
    },
  );
  if (!result.ok) {
    const f = result.error;
    return err(fileProblem(path, 'Cannot benchmark the model', f.kind === 'cancelled' ? 'cancelled' : f.message, 'check that onnxruntime-web can run it (npm run studio -- inspect MODEL.onnx lists unsupported operators); give symbolic dims with --shape NAME=N'));
  }
  const m = result.value.models[0] as ModelBenchmark;
  const json = toBenchJson(name, result.value, m);
  for (const w of json.warnings) io.err(`warning: ${w}`);
  io.out(values.json ? JSON.stringify(json, null, 2) : formatBench(json));
  return ok(EXIT_OK);
}
