/**
 * 'bench/tune' (issue 6, "Decide"): auto-tune in the bench worker. Reads the model and the lab's data,
 * chooses what calibrates the static int8 recipes (the given set — the sample's shipped calibration set
 * in the page —, else the first quarter of the data, as `studio tune` does, so that no sample both
 * calibrates and evaluates), runs src/runtime/tune.ts and returns its report, a saveable recipe per
 * measured candidate, and the chosen candidate's model as a transferred buffer.
 *
 * Progress comes per candidate from the engine. Cancel: the page aborts the request, which terminates
 * and restarts this worker (WorkerClient), so no signal reaches the engine.
 */
import { loadForTransform } from './load-for-transform';
import { modelError } from '../../core/errors';
import { bindDataset } from '../../core/data/bind';
import { splitDataset } from '../../core/data/split';
import type { BoundDataset, Dataset } from '../../core/data/types';
import { encodeModelProto } from '../../core/onnx/codec';
import { makeRecipe } from '../../core/transform/recipe';
import type { Recipe } from '../../core/transform/recipe';
import { modelInputSpecs } from '../../core/transform/model-inputs';
import type { Calibrator } from '../../core/transform/types';
import { randomDataset } from '../../runtime/calibrate';
import { calibratorForDataset, randomCalibrator } from '../../runtime/dataset-calibrator';
import { tune } from '../../runtime/tune';
import { ModelFailure } from '../host';
import type { HandlerContext, Handlers } from '../host';
import type { BenchDataSource, DataSource } from '../protocol';
import { calibratorFor, dataSourceName } from './calibration-data';
import { badData as benchBadData, dataName, readBenchDataset } from './bench-handlers';

/** Calibration split off the evaluation data: a quarter of it, at most this many samples (as the CLI). */
const MAX_SPLIT_CALIBRATION = 128;
/** Random evaluation data when the user chose it: as many samples as the lab's accuracy run uses. */
const RANDOM_SAMPLES = 32;

/**
 * A file-name-safe recipe name for a candidate: "int8 static (all, percentile)" → "int8-static-all-percentile",
 * so the variant's file is `<stem>.int8-static-all-percentile.onnx` and two candidates never share a name.
 */
export function tunedRecipeName(candidate: string): string {
  const slug = candidate
    .toLowerCase()
    .replace(/%/g, 'pct')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return slug === '' ? 'tuned' : slug;
}

const badData = (name: string, message: string): ModelFailure => benchBadData(name, message, 'auto-tune data');
const readData = (data: Exclude<BenchDataSource, { kind: 'random' }>, ctx: HandlerContext): Promise<Dataset> => readBenchDataset(data, ctx, 'auto-tune data');

/** A buffer that is exactly the bytes (encode may return a view into a larger pool), so it can be transferred. */
function ownedBuffer(bytes: Uint8Array): ArrayBuffer {
  if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer) return bytes.buffer;
  return bytes.slice().buffer;
}

interface Prepared {
  readonly evaluation: BoundDataset;
  readonly calibrate: Calibrator;
  readonly calibration: { readonly source: string; readonly split: boolean };
}

/** Evaluation data bound to the model, and what calibrates (see the file comment). */
async function prepareData(model: Parameters<typeof modelInputSpecs>[0], data: BenchDataSource, calibration: DataSource | undefined, ctx: HandlerContext): Promise<Prepared> {
  const specs = modelInputSpecs(model);
  if (data.kind === 'random') {
    const evaluation = randomDataset(specs, data.samples || RANDOM_SAMPLES, data.seed);
    const calibrate = calibration ? await calibratorFor(calibration, ctx) : randomCalibrator(data.samples || RANDOM_SAMPLES, data.seed + 1);
    return { evaluation, calibrate, calibration: { source: calibration ? dataSourceName(calibration) : `random data (seed ${data.seed + 1})`, split: false } };
  }
  ctx.progress('Reading the data', 0, 0);
  let dataset = await readData(data, ctx);
  let calibrate: Calibrator;
  let used: Prepared['calibration'];
  if (calibration) {
    calibrate = await calibratorFor(calibration, ctx);
    used = { source: dataSourceName(calibration), split: false };
  } else {
    const count = Math.min(...[...dataset.arrays.values()].map((a) => a.dims[0] ?? 0));
    const split = splitDataset(dataset, Math.min(MAX_SPLIT_CALIBRATION, Math.max(1, Math.floor(count / 4))));
    if (!split.ok) throw badData(dataName(data), `${split.error}; choose calibration data in the Optimize panel`);
    const [head, rest] = split.value;
    calibrate = calibratorForDataset(head);
    used = { source: head.source, split: true };
    dataset = rest;
  }
  const bound = bindDataset(dataset, specs);
  if (!bound.ok) throw badData(dataName(data), `${bound.error} (check the arrays against the model inputs in the Overview)`);
  return { evaluation: bound.value, calibrate, calibration: used };
}

export const tuneHandlers: Handlers = {
  async 'bench/tune'({ model: source, data, calibration, maxDrop, quick, runs, budgetMs, maxSamples }, ctx) {
    if (!Number.isFinite(maxDrop) || maxDrop < 0) {
      throw new ModelFailure(modelError('unsupported', 'The accuracy budget is not a number', `Got ${maxDrop}.`, 'enter a drop of 0 or more (points of accuracy, or 1 − the minimum cosine)'));
    }
    const { proto, fileName, inputBytes } = await loadForTransform(source.source, ctx);

    const prepared = await prepareData(proto, data, calibration, ctx);
    const tuned = await tune(
      proto,
      prepared.evaluation,
      prepared.calibrate,
      { maxDrop },
      { quick, ...(runs !== undefined ? { runs } : {}), ...(budgetMs !== undefined ? { budgetMs } : {}), ...(maxSamples !== undefined ? { maxSamples } : {}) },
      (stage, done, total) => ctx.progress(stage, done, total),
    );
    if (!tuned.ok) {
      throw new ModelFailure(modelError('unsupported', 'Auto-tune failed', tuned.error, 'check that the data fits the model inputs, or try Quick search', fileName));
    }
    const { report } = tuned.value;
    const recipeOf = (name: string, steps: Recipe['steps']): Recipe =>
      makeRecipe(steps, {
        name: tunedRecipeName(name),
        model: { fileName, bytes: inputBytes },
        ...(steps.some((s) => s.pass === 'int8-static') ? { calibration: prepared.calibration.source } : {}),
        createdWith: 'Model Optimization Studio (web), auto-tune',
      });
    const recipes: Record<string, Recipe> = {};
    for (const c of report.candidates) if (!c.error) recipes[c.name] = recipeOf(c.name, c.steps);
    const best = report.best !== undefined ? report.candidates.find((c) => c.name === report.best) : undefined;
    if (best && tuned.value.model) {
      ctx.progress('Encoding the chosen model', 0, 0);
      const bytes = ownedBuffer(encodeModelProto(tuned.value.model));
      return { result: { report, calibration: prepared.calibration, recipes, best: { bytes, recipe: recipeOf(best.name, best.steps) } }, transfer: [bytes] };
    }
    return { result: { report, calibration: prepared.calibration, recipes } };
  },
};
