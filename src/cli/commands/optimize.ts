/**
 * `studio optimize MODEL.onnx -o OUT.onnx [--pass ID[:k=v,…]]… [--recipe FILE.json] [--data FILE]…`
 *
 * Applies the requested passes in order (none → a plain decode/encode round trip) and writes one
 * self-contained .onnx: external data is inlined. That is only possible under protobuf's 2 GB message
 * limit; writing external data back out for bigger models is not implemented yet, and we say so.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Result } from '../../core/errors.js';
import { err, modelError, ok } from '../../core/errors.js';
import { inlineExternalData } from '../../core/format/external-data.js';
import { formatCount } from '../../core/format/kind-errors.js';
import { MAX_SINGLE_BUFFER_BYTES } from '../../core/model/load.js';
import { encodeModelProto } from '../../core/onnx/codec.js';
import type { CliIo } from '../io.js';
import { CliFailure, EXIT_OK, fileProblem } from '../io.js';
import type { PassStep, PassRegistry, ResolvedStep } from '../passes.js';
import { parsePassArg, parseRecipe, PASSES, resolveSteps } from '../passes.js';
import { readModel } from '../read-model.js';

export const OPTIMIZE_USAGE = `Usage: npm run studio -- optimize MODEL.onnx -o OUT.onnx [options]

Applies transformations in order and writes the result as one .onnx file.

Options:
  -o, --output FILE      where to write the optimized model (required)
  --pass ID[:k=v,...]    a transformation with options; repeat to chain (applied in order)
  --recipe FILE.json     steps saved as {"version":1,"steps":[{"pass":ID,"options":{...}}]}
                         (run before any --pass)
  --data FILE            an external data file of MODEL (repeatable; files next to MODEL are found)
  --json                 print the report as one JSON object
  -h, --help             show this help

Without passes the model is decoded and re-encoded (a round trip). External data is inlined: the output
is a single file, which protobuf limits to 2 GB.`;

export interface OptimizeReport {
  readonly input: string;
  readonly output: string;
  readonly inputBytes: number;
  readonly outputBytes: number;
  readonly passes: ReadonlyArray<{ readonly pass: string; readonly options: Readonly<Record<string, unknown>>; readonly report: string }>;
  /** Tensors whose external data was written into the output file. */
  readonly inlinedTensors: number;
  readonly warnings: readonly string[];
}

function collectSteps(recipe: string | undefined, passArgs: readonly string[], registry: PassRegistry): Result<ResolvedStep[], CliFailure> {
  const steps: PassStep[] = [];
  if (recipe !== undefined) {
    let text: string;
    try {
      text = readFileSync(recipe, 'utf8');
    } catch {
      return err(fileProblem(recipe, 'Cannot read the recipe', 'There is no readable file at this path.', 'check the path'));
    }
    const parsed = parseRecipe(text, recipe);
    if (!parsed.ok) return err(CliFailure.usage(parsed.error, 'optimize'));
    steps.push(...parsed.value);
  }
  for (const arg of passArgs) {
    const step = parsePassArg(arg);
    if (!step.ok) return err(CliFailure.usage(step.error, 'optimize'));
    steps.push(step.value);
  }
  const resolved = resolveSteps(steps, registry);
  return resolved.ok ? ok(resolved.value) : err(CliFailure.usage(resolved.error, 'optimize'));
}

export function runOptimize(args: readonly string[], io: CliIo, registry: PassRegistry = PASSES): Result<number, CliFailure> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    strict: true,
    options: {
      output: { type: 'string', short: 'o' },
      pass: { type: 'string', multiple: true },
      recipe: { type: 'string' },
      data: { type: 'string', multiple: true },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.out(OPTIMIZE_USAGE);
    return ok(EXIT_OK);
  }
  if (positionals.length !== 1) return err(CliFailure.usage(positionals.length === 0 ? 'optimize needs a MODEL.onnx' : `optimize takes one model, got ${positionals.length}`, 'optimize'));
  const input = positionals[0] as string;
  const output = values.output;
  if (output === undefined) return err(CliFailure.usage('optimize needs -o OUT.onnx', 'optimize'));

  // Check the whole command before reading anything: a typo in a pass name fails in milliseconds.
  const steps = collectSteps(values.recipe, values.pass ?? [], registry);
  if (!steps.ok) return steps;

  const loaded = readModel(input, { dataPaths: values.data ?? [] });
  if (!loaded.ok) return loaded;
  let model = loaded.value.proto;
  const passReports: Array<OptimizeReport['passes'][number]> = [];
  for (const step of steps.value) {
    const result = step.pass.apply(model, step.options);
    model = result.model;
    passReports.push({ pass: step.pass.id, options: step.options, report: result.report });
  }

  let externalBytes = 0;
  for (const b of loaded.value.external.values()) externalBytes += b.byteLength;
  if (loaded.value.fileBytes + externalBytes > MAX_SINGLE_BUFFER_BYTES) {
    return err(
      CliFailure.bad(
        modelError('too-large', 'The optimized model would be over 2 GB', `Its weights total ${formatCount(loaded.value.fileBytes + externalBytes)} bytes, beyond protobuf's 2 GB limit for one .onnx file.`, 'writing external data is not supported by the CLI yet; shrink the model first (e.g. fp16)', input),
      ),
    );
  }
  const inlinedTensors = inlineExternalData(model, loaded.value.external);
  const bytes = encodeModelProto(model);
  try {
    writeFileSync(output, bytes);
  } catch (e) {
    return err(fileProblem(output, 'Cannot write the output', e instanceof Error ? e.message : String(e), 'check that the folder exists and is writable'));
  }

  const report: OptimizeReport = {
    input,
    output,
    inputBytes: loaded.value.fileBytes + externalBytes,
    outputBytes: bytes.byteLength,
    passes: passReports,
    inlinedTensors,
    warnings: loaded.value.warnings,
  };
  if (values.json) {
    io.out(JSON.stringify(report, null, 2));
  } else {
    for (const w of report.warnings) io.err(`warning: ${w}`);
    for (const p of report.passes) io.out(`${p.pass}: ${p.report}`);
    const what = report.passes.length === 0 ? 'no passes: round trip' : `${report.passes.length} pass${report.passes.length === 1 ? '' : 'es'}`;
    const inlined = inlinedTensors > 0 ? `; ${formatCount(inlinedTensors)} external tensors inlined` : '';
    io.out(`wrote ${output}: ${formatCount(report.outputBytes)} bytes (input ${formatCount(report.inputBytes)} bytes; ${what}${inlined})`);
  }
  return ok(EXIT_OK);
}
