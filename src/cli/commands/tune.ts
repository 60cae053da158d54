/**
 * `studio tune MODEL.onnx --data FILE --max-drop 0.01 -o OUT.onnx [--json]` — auto-tune (src/runtime/tune.ts):
 * try the usual CPU recipes, measure speed (interleaved with the original) and accuracy on the data,
 * write the fastest variant within the accuracy budget and its recipe.
 *
 * Data: with labels (y) the budget is on top-1 accuracy, else on top-1 agreement with the original
 * (classifiers) or on 1 − cosine. Calibration uses --calib when given; otherwise the first quarter of
 * --data (at most 128 samples) calibrates and the rest evaluates, so that no sample is used for both.
 * When no variant is both within budget and faster, OUT is not written and the exit code is 0 with the
 * reason (the original is the answer); the JSON's `best` is null then.
 */
import { numberFlag } from '../number-flags.js';
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Result } from '../../core/errors.js';
import { err, ok } from '../../core/errors.js';
import { bindDataset } from '../../core/data/bind.js';
import { splitDataset } from '../../core/data/split.js';
import type { Dataset } from '../../core/data/types.js';
import { encodeModelProto } from '../../core/onnx/codec.js';
import { makeRecipe, recipeToJson } from '../../core/transform/recipe.js';
import { modelInputSpecs } from '../../core/transform/model-inputs.js';
import { calibratorForDataset } from '../../runtime/dataset-calibrator.js';
import { tune } from '../../runtime/tune.js';
import type { TuneReport } from '../../runtime/tune.js';
import type { CliIo } from '../io.js';
import { CliFailure, EXIT_OK, fileProblem } from '../io.js';
import { readDatasetPath } from '../read-dataset.js';
import { readModel } from '../read-model.js';

export const TUNE_USAGE = `Usage: npm run studio -- tune MODEL.onnx --data FILE --max-drop D -o OUT.onnx [options]

Tries fp16, int8 dynamic, int8 static (speed / all placement; minmax, percentile, entropy calibration),
int8 static with the most sensitive layers kept float, and light channel pruning; measures each variant's
speed against the original (onnxruntime-web, interleaved runs) and its accuracy on --data; writes the
fastest variant whose accuracy drop is at most D, and its recipe (OUT.recipe.json).

Options:
  --data FILE|DIR     evaluation samples: .npz (inputs, labels y), .npy, .json, test_data_set folder
  --max-drop D        accuracy budget: top-1 drop with labels (0.01 = one point), else top-1 agreement
                      drop, else 1 − cosine of the outputs
  -o, --output FILE   where to write the chosen model (not written when nothing beats the original)
  --calib FILE|DIR    calibration samples (default: the first quarter of --data, at most 128)
  --max-samples N     evaluate on at most N samples (default 256)
  --runs N            benchmark runs per variant (default 30)
  --quick             only the base recipes (no sensitivity search, no pruning)
  --json              print one JSON object: { metric, budget, original, candidates[], best, … }
  -h, --help          show this help`;

const num = (name: string, text: string | undefined, fallback: number, min: number, integer = false): Result<number, CliFailure> => numberFlag('tune', name, text, fallback, min, integer);

function describe(r: TuneReport): string {
  const metric = r.metric === 'accuracy' ? 'top-1 accuracy' : r.metric === 'top1-agreement' ? 'top-1 agreement' : 'cosine';
  const pct = (x: number | undefined): string => (x === undefined || !Number.isFinite(x) ? '—' : `${(x * 100).toFixed(2)} %`);
  const lines = [
    `Auto-tune on ${r.samples} samples of ${r.source}; budget: ${metric} at most ${(r.budget.maxDrop * 100).toFixed(2)} points below the original's ${pct(r.original.metric)}`,
    `original: ${(r.original.bytes / 1024).toFixed(1)} KiB${r.original.latencyMs !== undefined ? `, ${r.original.latencyMs.toFixed(3)} ms` : ''}`,
  ];
  for (const c of r.candidates) {
    if (c.error) lines.push(`  ${c.name}: not used — ${c.error}`);
    else lines.push(`  ${c.onPareto ? '*' : ' '} ${c.name}: ${c.speedup?.toFixed(2)}× speed, ${((c.bytes ?? 0) / 1024).toFixed(1)} KiB, ${metric} ${pct(c.metric)} (${c.withinBudget ? 'within' : 'over'} budget)${c.name === r.best ? '  ← chosen' : ''}`);
  }
  lines.push('  (* on the speed/accuracy Pareto front)');
  return lines.join('\n');
}

export async function runTune(args: readonly string[], io: CliIo): Promise<Result<number, CliFailure>> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    strict: true,
    options: {
      data: { type: 'string' },
      calib: { type: 'string' },
      'max-drop': { type: 'string' },
      output: { type: 'string', short: 'o' },
      'max-samples': { type: 'string' },
      runs: { type: 'string' },
      quick: { type: 'boolean' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.out(TUNE_USAGE);
    return ok(EXIT_OK);
  }
  if (positionals.length !== 1) return err(CliFailure.usage(positionals.length === 0 ? 'tune needs a MODEL.onnx' : `tune takes one model, got ${positionals.length}`, 'tune'));
  const input = positionals[0] as string;
  if (values.data === undefined) return err(CliFailure.usage('tune needs --data FILE (samples to measure accuracy on; with labels y for top-1 accuracy)', 'tune'));
  if (values['max-drop'] === undefined) return err(CliFailure.usage('tune needs --max-drop D (e.g. 0.01 for one point of top-1)', 'tune'));
  if (values.output === undefined) return err(CliFailure.usage('tune needs -o OUT.onnx', 'tune'));
  const maxDrop = num('max-drop', values['max-drop'], 0.01, 0);
  if (!maxDrop.ok) return maxDrop;
  const maxSamples = num('max-samples', values['max-samples'], 256, 1, true);
  if (!maxSamples.ok) return maxSamples;
  const runs = num('runs', values.runs, 30, 1, true);
  if (!runs.ok) return runs;

  const loaded = readModel(input);
  if (!loaded.ok) return loaded;
  const model = loaded.value.proto;
  const dataset = readDatasetPath(values.data);
  if (!dataset.ok) return err(fileProblem(values.data, 'Cannot use the data', dataset.error, 'give an .npz with arrays named after the model inputs (or x) and labels y, an .npy, a JSON file or a test_data_set folder'));
  let evaluation: Dataset = dataset.value;
  let calibration: Dataset;
  if (values.calib !== undefined) {
    const c = readDatasetPath(values.calib);
    if (!c.ok) return err(fileProblem(values.calib, 'Cannot use the calibration data', c.error, 'give an .npz, .npy, JSON file or test_data_set folder'));
    calibration = c.value;
  } else {
    const count = Math.min(...[...dataset.value.arrays.values()].map((a) => a.dims[0] ?? 0));
    const split = splitDataset(dataset.value, Math.min(128, Math.max(1, Math.floor(count / 4))));
    if (!split.ok) return err(fileProblem(values.data, 'Cannot split the data into calibration and evaluation', split.error, 'give calibration samples with --calib'));
    [calibration, evaluation] = split.value;
  }
  const bound = bindDataset(evaluation, modelInputSpecs(model));
  if (!bound.ok) return err(fileProblem(values.data, 'The data does not fit the model', bound.error, 'check the arrays against the model inputs (npm run studio -- inspect)'));

  const result = await tune(model, bound.value, calibratorForDataset(calibration), { maxDrop: maxDrop.value }, { maxSamples: maxSamples.value, runs: runs.value, quick: values.quick === true }, (stage, done, total) => {
    if (!values.json) io.err(`${stage} (${done}/${total})`);
  });
  if (!result.ok) return err(fileProblem(input, 'Auto-tune failed', result.error, 'try --quick, or check the data against the model inputs'));
  const { report } = result.value;
  const best = report.candidates.find((c) => c.name === report.best);
  if (best && result.value.model) {
    const output = values.output;
    try {
      writeFileSync(output, encodeModelProto(result.value.model));
      const fileName = input.split(/[\\/]/).pop() ?? input;
      writeFileSync(output.replace(/\.onnx$/i, '') + '.recipe.json', recipeToJson(makeRecipe([...best.steps], { name: best.name, model: { fileName, bytes: loaded.value.fileBytes }, calibration: calibration.source })));
    } catch (e) {
      return err(fileProblem(output, 'Cannot write the output', e instanceof Error ? e.message : String(e), 'check that the folder exists and is writable'));
    }
  }
  for (const w of report.warnings) io.err(`warning: ${w}`);
  if (values.json) {
    const finite = (x: number | undefined): number | null => (x === undefined || !Number.isFinite(x) ? null : x);
    io.out(
      JSON.stringify(
        {
          metric: report.metric,
          budget: report.budget,
          samples: report.samples,
          source: report.source,
          original: report.original,
          candidates: report.candidates.map((c) => ({ name: c.name, steps: c.steps, bytes: c.bytes ?? null, speedup: finite(c.speedup), latencyMs: finite(c.latencyMs), metric: finite(c.metric), drop: finite(c.drop), withinBudget: c.withinBudget, onPareto: c.onPareto, error: c.error ?? null })),
          best: report.best ?? null,
          output: best ? values.output : null,
          warnings: report.warnings,
        },
        null,
        2,
      ),
    );
  } else {
    io.out(describe(report));
    io.out(best ? `wrote ${values.output} (${best.name}) and its recipe` : 'nothing written: keep the original');
  }
  return ok(EXIT_OK);
}
