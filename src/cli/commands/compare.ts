/**
 * `studio compare REF.onnx CAND.onnx [--data FILE] [--json]` — how close a variant's outputs are to its
 * original on the same inputs, and both accuracies when the data has labels (src/runtime/compare-models.ts).
 *
 * The JSON is a contract (issue 6): { samples, outputs: { name: { cosine, maxAbsError, sqnrDb } },
 * top1Agreement, refAccuracy, candAccuracy }, plus added fields. JSON has no Infinity: sqnrDb is null
 * when an output is identical in both models (infinite SQNR), with "identical": true next to it;
 * top1Agreement and the accuracies are null when they do not apply.
 */
import { numberFlag } from '../number-flags.js';
import { parseArgs } from 'node:util';
import type { Result } from '../../core/errors.js';
import { err, ok } from '../../core/errors.js';
import type { Accuracy } from '../../core/metrics/fidelity.js';
import type { CompareData, CompareReport } from '../../runtime/compare-models.js';
import { compareModels } from '../../runtime/compare-models.js';
import type { CliIo } from '../io.js';
import { CliFailure, EXIT_OK, fileProblem } from '../io.js';
import { readDatasetPath } from '../read-dataset.js';
import { readForRuntime } from './bench.js';

export const COMPARE_USAGE = `Usage: npm run studio -- compare REF.onnx CAND.onnx [options]

Runs both models in onnxruntime-web on the same samples and compares every output they share: cosine
similarity, max abs error, relative L2, SQNR (dB); top-1/top-5 agreement for classifier outputs
([N, classes]); accuracy of both models with a 95 % Wilson interval when the data has labels (y).

Options:
  --data FILE|DIR     samples: .npz (arrays named after the inputs, or x; labels y), .npy, .json
                      ({ "x", "y" }), a test_data_set folder; without it, random inputs (with a warning)
  --samples N         random samples when --data is absent (default 32)
  --max-samples N     compare at most N samples of --data (default 1000)
  --json              print one JSON object: { samples, outputs: { NAME: { cosine, maxAbsError,
                      relativeL2, sqnrDb } }, top1Agreement, top5Agreement, refAccuracy, candAccuracy, … }
                      (sqnrDb null = identical outputs; null agreement/accuracy = not applicable)
  -h, --help          show this help`;

export interface CompareJson {
  readonly reference: string;
  readonly candidate: string;
  readonly samples: number;
  readonly source: string;
  readonly outputs: Readonly<Record<string, {
    readonly cosine: number;
    readonly maxAbsError: number;
    readonly relativeL2: number | null;
    readonly sqnrDb: number | null;
    readonly identical: boolean;
    readonly elements: number;
    readonly top1Agreement?: number;
    readonly top5Agreement?: number;
  }>>;
  readonly classifierOutput: string | null;
  readonly top1Agreement: number | null;
  readonly top5Agreement: number | null;
  readonly refAccuracy: number | null;
  readonly candAccuracy: number | null;
  /** 95 % Wilson intervals [low, high] of the accuracies. */
  readonly refAccuracyInterval: readonly [number, number] | null;
  readonly candAccuracyInterval: readonly [number, number] | null;
  readonly warnings: readonly string[];
}

const finite = (x: number): number | null => (Number.isFinite(x) ? x : null);

export function toCompareJson(reference: string, candidate: string, r: CompareReport): CompareJson {
  const interval = (a: Accuracy | undefined): readonly [number, number] | null => (a ? [a.low, a.high] : null);
  return {
    reference,
    candidate,
    samples: r.samples,
    source: r.source,
    outputs: Object.fromEntries(
      r.outputs.map((o) => [
        o.name,
        {
          cosine: o.cosine,
          maxAbsError: o.maxAbsError,
          relativeL2: finite(o.relativeL2),
          sqnrDb: finite(o.sqnrDb),
          identical: o.sqnrDb === Infinity,
          elements: o.elements,
          ...(o.top1Agreement !== undefined ? { top1Agreement: o.top1Agreement } : {}),
          ...(o.top5Agreement !== undefined ? { top5Agreement: o.top5Agreement } : {}),
        },
      ]),
    ),
    classifierOutput: r.classifierOutput ?? null,
    top1Agreement: r.top1Agreement ?? null,
    top5Agreement: r.top5Agreement ?? null,
    refAccuracy: r.refAccuracy?.accuracy ?? null,
    candAccuracy: r.candAccuracy?.accuracy ?? null,
    refAccuracyInterval: interval(r.refAccuracy),
    candAccuracyInterval: interval(r.candAccuracy),
    warnings: r.warnings,
  };
}

const pct = (x: number): string => `${(x * 100).toFixed(2)} %`;
const num = (x: number): string => (x === 0 ? '0' : Math.abs(x) >= 1e-3 && Math.abs(x) < 1e4 ? x.toPrecision(4) : x.toExponential(2));

export function formatCompare(j: CompareJson): string {
  const lines = [`${j.candidate} vs ${j.reference} on ${j.samples} sample${j.samples === 1 ? '' : 's'} of ${j.source}`];
  for (const [name, o] of Object.entries(j.outputs)) {
    const sqnr = o.sqnrDb === null ? 'identical' : `SQNR ${o.sqnrDb.toFixed(1)} dB`;
    const agree = o.top1Agreement !== undefined ? `; top-1 agreement ${pct(o.top1Agreement)}${o.top5Agreement !== undefined ? `, top-5 ${pct(o.top5Agreement)}` : ''}` : '';
    lines.push(`  ${name}: cosine ${o.cosine.toFixed(6)}, max |error| ${num(o.maxAbsError)}, relative L2 ${o.relativeL2 === null ? '∞' : num(o.relativeL2)}, ${sqnr}${agree}`);
  }
  const ci = (i: readonly [number, number] | null): string => (i ? ` (95 % CI ${pct(i[0])}–${pct(i[1])})` : '');
  if (j.refAccuracy !== null && j.candAccuracy !== null) {
    const drop = (j.candAccuracy - j.refAccuracy) * 100;
    lines.push(`  accuracy (${j.classifierOutput ?? ''} vs labels): reference ${pct(j.refAccuracy)}${ci(j.refAccuracyInterval)}, candidate ${pct(j.candAccuracy)}${ci(j.candAccuracyInterval)}; ${drop >= 0 ? '+' : ''}${drop.toFixed(2)} points`);
  }
  return lines.join('\n');
}

const whole = (name: string, text: string | undefined, fallback: number): Result<number, CliFailure> => numberFlag('compare', name, text, fallback, 1, true);

export async function runCompare(args: readonly string[], io: CliIo): Promise<Result<number, CliFailure>> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    strict: true,
    options: {
      data: { type: 'string' },
      samples: { type: 'string' },
      'max-samples': { type: 'string' },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.out(COMPARE_USAGE);
    return ok(EXIT_OK);
  }
  if (positionals.length !== 2) return err(CliFailure.usage(`compare takes two models, REF.onnx and CAND.onnx; got ${positionals.length}`, 'compare'));
  const [refPath, candPath] = positionals as [string, string];
  const samples = whole('samples', values.samples, 32);
  if (!samples.ok) return samples;
  const maxSamples = whole('max-samples', values['max-samples'], 1000);
  if (!maxSamples.ok) return maxSamples;
  if (values.samples !== undefined && values.data !== undefined) return err(CliFailure.usage('--samples is for random inputs; with --data use --max-samples', 'compare'));

  const ref = readForRuntime(refPath, []);
  if (!ref.ok) return ref;
  const cand = readForRuntime(candPath, []);
  if (!cand.ok) return cand;
  let data: CompareData;
  if (values.data !== undefined) {
    const dataset = readDatasetPath(values.data);
    if (!dataset.ok) return err(fileProblem(values.data, 'Cannot use the data', dataset.error, 'give an .npz with arrays named after the model inputs (or x) and labels y, an .npy, a JSON file or a test_data_set folder'));
    data = { kind: 'dataset', dataset: dataset.value };
  } else {
    data = { kind: 'random', samples: samples.value, seed: 1 };
  }
  for (const w of [...ref.value.warnings, ...cand.value.warnings]) io.err(`warning: ${w}`);

  const refName = refPath.split(/[\\/]/).pop() ?? refPath;
  const candName = candPath.split(/[\\/]/).pop() ?? candPath;
  const result = await compareModels({ ...ref.value, id: refName }, { ...cand.value, id: candName }, data, { maxSamples: maxSamples.value });
  if (!result.ok) {
    const f = result.error;
    const file = f.kind === 'failed' && f.model === candName ? candPath : f.kind === 'failed' && f.model === undefined && values.data !== undefined ? values.data : refPath;
    return err(fileProblem(file, 'Cannot compare the models', f.kind === 'cancelled' ? 'cancelled' : f.message, 'both models must take the same inputs and share output names; check the data against the model inputs (npm run studio -- inspect)'));
  }
  const json = toCompareJson(refName, candName, result.value);
  for (const w of json.warnings) io.err(`warning: ${w}`);
  io.out(values.json ? JSON.stringify(json, null, 2) : formatCompare(json));
  return ok(EXIT_OK);
}
