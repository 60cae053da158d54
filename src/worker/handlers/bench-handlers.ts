/**
 * Handlers of the bench worker (issue 6, the Benchmark tab): 'bench/run' (src/runtime/benchmark.ts,
 * models interleaved), 'bench/accuracy' (src/runtime/compare-models.ts, each candidate against the
 * reference on the same data) and 'bench/report' (core/report/lab-report.ts: rows, Pareto front,
 * exports — pure formatting, here because the page may not call core).
 *
 * Models arrive as sources (File handles or URLs of our origin) and are read here, so the page never
 * holds model bytes. Cancel: the page aborts the request, which terminates and restarts this worker
 * (WorkerClient), so no signal reaches the engine; a run is stopped wherever it is.
 */
import { modelError } from '../../core/errors';
import { CONVERT_HINT, readDataset } from '../../core/data/read-dataset';
import type { DataFile } from '../../core/data/read-dataset';
import type { Dataset } from '../../core/data/types';
import { labSummary } from '../../core/report/lab-report';
import { benchmarkModels } from '../../runtime/benchmark';
import type { BenchModel, BenchmarkFailure } from '../../runtime/benchmark';
import { compareModels } from '../../runtime/compare-models';
import type { CompareData, CompareReport } from '../../runtime/compare-models';
import { readDataFiles } from '../decode-images';
import { ModelFailure } from '../host';
import type { HandlerContext, Handlers } from '../host';
import type { BenchDataSource, BenchModelSource } from '../protocol';
import { readSource } from '../read-source';
import { dataSourceName } from './calibration-data';

/** The bench worker's thread count from its name: `bench-3` → 3; anything else → 1 (see bench.worker.ts). */
export function threadsFromName(name: string): number {
  const m = /^bench-(\d+)$/.exec(name);
  const n = m ? Number(m[1]) : 1;
  return Number.isSafeInteger(n) && n >= 1 ? n : 1;
}

/** A model's files → the engine's BenchModel: the .onnx file is the model, the others its external data by name. */
export async function readBenchModel(m: BenchModelSource, ctx: HandlerContext): Promise<BenchModel> {
  const files = await readSource(m.source, ctx);
  const model = files.find((f) => /\.onnx$/i.test(f.name)) ?? files[0];
  if (!model) throw new ModelFailure(modelError('unsupported', 'No model to measure', `${m.id} has no file.`, 'open the model again'));
  const rest = files.filter((f) => f !== model);
  return { id: m.id, bytes: model.bytes, ...(rest.length > 0 ? { externalData: new Map(rest.map((f) => [f.name, f.bytes])) } : {}) };
}

export function engineFailure(f: BenchmarkFailure, what: string): ModelFailure {
  if (f.kind === 'cancelled') return new ModelFailure(modelError('unsupported', `${what} was cancelled`, 'Cancelled.', ''));
  return new ModelFailure(
    modelError('unsupported', `${what} failed`, f.message, 'check that every model takes the same inputs and runs in onnxruntime-web (the Overview lists unsupported operators)', f.model),
  );
}

/** `what`: 'accuracy data', 'auto-tune data' … — the alert's title says which. */
export function badData(name: string, message: string, what = 'accuracy data'): ModelFailure {
  return new ModelFailure(modelError('unsupported', `The ${what} could not be read`, message, `${CONVERT_HINT}; labels go in y (or one subfolder per class for images)`, name));
}

export function dataName(data: BenchDataSource): string {
  return data.kind === 'sample-test-set' ? data.fileName : dataSourceName(data);
}

/** The lab's data as a Dataset: files the user picked (with image preprocessing), or a set of our origin by URL. */
export async function readBenchDataset(data: Exclude<BenchDataSource, { kind: 'random' }>, ctx: HandlerContext, what = 'accuracy data'): Promise<Dataset> {
  const name = dataName(data);
  let files: DataFile[];
  if (data.kind === 'files') {
    const read = await readDataFiles(data.files, (done, total) => ctx.progress(`Reading the ${what}`, done, total));
    if (!read.ok) throw badData(name, read.error, what);
    files = read.value;
  } else {
    const [file] = await readSource({ kind: 'url', url: data.url, fileName: data.fileName }, ctx);
    if (!file) throw badData(name, `${name} could not be fetched`, what);
    files = [file];
  }
  const dataset = readDataset(files, data.kind === 'files' && data.preprocessing ? { preprocessing: data.preprocessing } : {});
  if (!dataset.ok) throw badData(name, dataset.error, what);
  return dataset.value;
}

export async function readAccuracyData(data: BenchDataSource, ctx: HandlerContext): Promise<CompareData> {
  if (data.kind === 'random') return { kind: 'random', samples: data.samples, seed: data.seed };
  return { kind: 'dataset', dataset: await readBenchDataset(data, ctx) };
}

export const benchHandlers: Handlers = {
  async 'bench/run'({ models, settings }, ctx) {
    const read: BenchModel[] = [];
    for (const m of models) read.push(await readBenchModel(m, ctx));
    const { ranges, ...engine } = settings;
    const result = await benchmarkModels(read, { ...engine, inputs: { kind: 'random', seed: 1, ...(ranges ? { ranges } : {}) } }, (stage, done, total) => ctx.progress(stage, done, total));
    if (!result.ok) throw engineFailure(result.error, 'The benchmark');
    return { result: result.value };
  },

  async 'bench/accuracy'({ reference, candidates, data, graphOptimizationLevel, maxSamples }, ctx) {
    const compareData = await readAccuracyData(data, ctx);
    const ref = await readBenchModel(reference, ctx);
    // Without candidates the reference is compared with itself: that is how its own accuracy is measured.
    const others = candidates.length > 0 ? candidates : [reference];
    const reports: { id: string; report: CompareReport }[] = [];
    for (const [k, c] of others.entries()) {
      const cand = c === reference ? ref : await readBenchModel(c, ctx);
      const settings = { ...(graphOptimizationLevel ? { graphOptimizationLevel } : {}), ...(maxSamples !== undefined ? { maxSamples } : {}) };
      const r = await compareModels(ref, cand, compareData, settings, (stage, done, total) => ctx.progress(`${c.id} (${k + 1}/${others.length}): ${stage}`, done, total));
      if (!r.ok) throw engineFailure(r.error, 'The accuracy measurement');
      reports.push({ id: c.id, report: r.value });
    }
    const first = reports[0]?.report;
    const refAccuracy = first?.refAccuracy;
    return {
      result: {
        referenceId: reference.id,
        source: first?.source ?? dataName(data),
        samples: first?.samples ?? 0,
        graphOptimizationLevel: graphOptimizationLevel ?? 'all',
        ...(refAccuracy ? { referenceAccuracy: refAccuracy } : {}),
        candidates: candidates.length > 0 ? reports : [],
        warnings: [...new Set(reports.flatMap((r) => r.report.warnings))],
      },
    };
  },

  async 'bench/report'({ results }) {
    return { result: labSummary(results) };
  },
};
