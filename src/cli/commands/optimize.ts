/**
 * `studio optimize MODEL.onnx -o OUT.onnx [--fp16|--int8-static --calib DATA|…] [--pass ID[:k=v,…]]… [--recipe FILE.json]`
 *
 * Applies the requested passes in order through the same recipe runner the page uses (core/transform)
 * and writes one self-contained .onnx: external data is inlined. That is only possible under
 * protobuf's 2 GB message limit; writing external data back out for bigger models is not implemented
 * yet, and we say so. Passes that need activation ranges calibrate in onnxruntime-web (Node), on the
 * data given with --calib.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import type { Result } from '../../core/errors.js';
import { err, modelError, ok } from '../../core/errors.js';
import { inlineExternalData } from '../../core/format/external-data.js';
import { formatCount } from '../../core/format/kind-errors.js';
import { MAX_SINGLE_BUFFER_BYTES } from '../../core/model/load.js';
import { encodeModelProto } from '../../core/onnx/codec.js';
import { applyRecipe } from '../../core/transform/apply-recipe.js';
import { makeRecipe, recipeToJson } from '../../core/transform/recipe.js';
import type { Calibrator, NodeDecision, PassOptionValue } from '../../core/transform/types.js';
import { calibratorForDataset, randomCalibrator } from '../../runtime/dataset-calibrator.js';
import type { CliIo } from '../io.js';
import { CliFailure, EXIT_OK, fileProblem } from '../io.js';
import type { PassRegistry, PassStep, ResolvedStep } from '../passes.js';
import { parsePassArg, parseRecipe, PASSES, resolveSteps } from '../passes.js';
import { readDatasetPath } from '../read-dataset.js';
import { readModel } from '../read-model.js';

/** One line per pass and per option, from the registry, so that --help never goes stale. */
function describeRegistry(): string {
  const lines: string[] = [];
  for (const p of PASSES.values()) {
    lines.push(`  ${p.id.padEnd(14)} ${p.label}`);
    for (const [key, spec] of Object.entries(p.options)) {
      const range =
        spec.kind === 'number' ? (spec.choices ? ` (${spec.choices.join('|')})` : ` (${spec.min}–${spec.max})`) : spec.kind === 'choice' ? ` (${spec.choices.map((c) => c.value).join('|')})` : spec.kind === 'list' ? ` (${spec.items})` : '';
      lines.push(`      ${key}=${String(spec.default)}${range}`);
    }
  }
  return lines.join('\n') || '  none';
}

export const OPTIMIZE_USAGE = `Usage: npm run studio -- optimize MODEL.onnx -o OUT.onnx [options]

Applies transformations in order and writes the result as one .onnx file.

Passes (shortcuts; applied in this order when several are given):
  --to-fp32              a float16 model back to float32 (full speed on CPUs)
  --int8-static          int8 QDQ with calibrated activations (needs --calib)
  --int8-dynamic         int8 MatMul/Gemm weights, activations quantized at run time
  --int4                 weight-only 4-bit MatMul (com.microsoft MatMulNBits; smaller, not faster)
  --fp16-weights         float16 storage, float32 compute (half the weight bytes)
  --fp16                 float16 weights and activations
  --prune-channels R     remove the fraction R (0-0.9) of the least important channels of each Conv group,
                         rewriting every dependent weight: fewer parameters and MACs, so faster
  --importance l1|l2     how --prune-channels ranks channels (norm of the producing filters; default l1)
  --prune-magnitude S    zero the fraction S (0-0.95) of smallest Conv/Gemm/MatMul weights (smaller
                         gzip, not faster: dense kernels multiply zeros too); runs before quantization
  --prune-nm N:M         keep the N largest of every M weights along the reduction axis (e.g. 2:4)
Pass options:
  --calib FILE|DIR       calibration data: .npz, .npy, .json, a test_data_set folder of input_*.pb;
                         'random' calibrates on random data (a warning says so)
  --calib-method M       minmax | percentile | entropy (int8 static)
  --block-size N         block size of --int4 (16-256, power of two)
  --exclude NODE,...     node names every pass leaves alone
  --pass ID[:k=v,...]    any registered pass with options; repeat to chain (after the shortcuts)
  --recipe FILE.json     steps saved by the studio page or --save-recipe (run first)
Output:
  -o, --output FILE      where to write the optimized model (required)
  --save-recipe FILE     also write the recipe that made it (replay with --recipe)
  --data FILE            an external data file of MODEL (repeatable; files next to MODEL are found)
  --json                 print the report as one JSON object
  -h, --help             show this help

Passes for --pass ID:key=value,... (options with their defaults; lists are comma-separated):
${describeRegistry()}

Without passes the model is decoded and re-encoded (a round trip). External data is inlined: the output
is a single file, which protobuf limits to 2 GB.`;

export interface OptimizeReport {
  readonly input: string;
  readonly output: string;
  readonly inputBytes: number;
  readonly outputBytes: number;
  readonly passes: ReadonlyArray<{
    readonly pass: string;
    readonly options: Readonly<Record<string, unknown>>;
    /** The pass's one-line summary. */
    readonly report: string;
    readonly changedNodes: number;
    readonly skippedNodes: number;
    readonly weightBytesBefore: number;
    readonly weightBytesAfter: number;
    readonly warnings: readonly string[];
    readonly decisions: readonly NodeDecision[];
    readonly calibration?: { readonly source: string; readonly samples: number };
  }>;
  /** Nodes converted by all passes together (quantized, cast, …). */
  readonly quantizedNodes: number;
  /** Candidate nodes the passes left alone (excluded, unsupported, slower). */
  readonly skippedNodes: number;
  readonly seconds: number;
  /** Tensors whose external data was written into the output file. */
  readonly inlinedTensors: number;
  readonly warnings: readonly string[];
}

interface ShortcutFlags {
  readonly 'to-fp32'?: boolean;
  readonly 'int8-static'?: boolean;
  readonly 'int8-dynamic'?: boolean;
  readonly int4?: boolean;
  readonly 'fp16-weights'?: boolean;
  readonly fp16?: boolean;
  readonly 'calib-method'?: string;
  readonly 'block-size'?: string;
  readonly 'prune-magnitude'?: string;
  readonly 'prune-nm'?: string;
  readonly 'prune-channels'?: string;
  readonly importance?: string;
}

/** The shortcut flags as steps, in the order that makes sense when several are combined. */
function shortcutSteps(v: ShortcutFlags): Result<PassStep[], string> {
  const steps: PassStep[] = [];
  if (v['to-fp32']) steps.push({ pass: 'to-fp32', options: {} });
  // Pruning comes before quantization: it decides which weights exist, quantization then packs them.
  if (v['prune-channels'] !== undefined) {
    const ratio = Number(v['prune-channels']);
    if (!Number.isFinite(ratio)) return err(`--prune-channels wants a fraction such as 0.3, got '${v['prune-channels']}'`);
    steps.push({ pass: 'prune-channels', options: { ratio, ...(v.importance !== undefined ? { importance: v.importance } : {}) } });
  } else if (v.importance !== undefined) return err('--importance goes with --prune-channels');
  if (v['prune-magnitude'] !== undefined) {
    const sparsity = Number(v['prune-magnitude']);
    if (!Number.isFinite(sparsity)) return err(`--prune-magnitude wants a fraction such as 0.5, got '${v['prune-magnitude']}'`);
    steps.push({ pass: 'prune-magnitude', options: { sparsity } });
  }
  if (v['prune-nm'] !== undefined) {
    const m = /^(\d+):(\d+)$/.exec(v['prune-nm']);
    if (!m) return err(`--prune-nm wants N:M such as 2:4, got '${v['prune-nm']}'`);
    steps.push({ pass: 'prune-nm', options: { n: Number(m[1]), m: Number(m[2]) } });
  }
  if (v['int8-static']) steps.push({ pass: 'int8-static', options: v['calib-method'] ? { calibrationMethod: v['calib-method'] } : {} });
  else if (v['calib-method']) return err('--calib-method goes with --int8-static');
  if (v['int8-dynamic']) steps.push({ pass: 'int8-dynamic', options: {} });
  if (v.int4) {
    const options: Record<string, PassOptionValue> = { bits: 4 };
    if (v['block-size'] !== undefined) {
      const n = Number(v['block-size']);
      if (!Number.isInteger(n)) return err(`--block-size wants a number, got '${v['block-size']}'`);
      options.blockSize = n;
    }
    steps.push({ pass: 'weight-only', options });
  } else if (v['block-size'] !== undefined) return err('--block-size goes with --int4');
  if (v['fp16-weights']) steps.push({ pass: 'fp16-weights', options: {} });
  if (v.fp16) steps.push({ pass: 'fp16', options: {} });
  return ok(steps);
}

/** --exclude adds node names to every step's node list option (whatever the pass calls it). */
function withExclusions(steps: readonly ResolvedStep[], exclude: readonly string[]): ResolvedStep[] {
  if (exclude.length === 0) return [...steps];
  return steps.map((s) => {
    const key = Object.entries(s.pass.options).find(([, spec]) => spec.kind === 'list' && spec.items === 'node-names')?.[0];
    if (!key) return s;
    const current = String(s.options[key] ?? '');
    return { ...s, options: { ...s.options, [key]: [current, ...exclude].filter((x) => x !== '').join(',') } };
  });
}

function collectSteps(recipe: string | undefined, shortcuts: readonly PassStep[], passArgs: readonly string[], registry: PassRegistry): Result<ResolvedStep[], CliFailure> {
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
  steps.push(...shortcuts);
  for (const arg of passArgs) {
    const step = parsePassArg(arg);
    if (!step.ok) return err(CliFailure.usage(step.error, 'optimize'));
    steps.push(step.value);
  }
  const resolved = resolveSteps(steps, registry);
  return resolved.ok ? ok(resolved.value) : err(CliFailure.usage(resolved.error, 'optimize'));
}

function calibratorFor(calib: string | undefined, needed: readonly ResolvedStep[]): Result<Calibrator | undefined, CliFailure> {
  if (needed.length === 0) {
    if (calib !== undefined) return err(CliFailure.usage('--calib is only used by passes that calibrate (--int8-static)', 'optimize'));
    return ok(undefined);
  }
  if (calib === undefined) {
    return err(CliFailure.usage(`${needed.map((s) => s.pass.id).join(', ')} needs calibration data: --calib FILE.npz|FILE.npy|FILE.json|DIR (or --calib random, with a warning)`, 'optimize'));
  }
  if (calib === 'random') return ok(randomCalibrator(64, 1));
  const dataset = readDatasetPath(calib);
  if (!dataset.ok) return err(fileProblem(calib, 'Cannot use the calibration data', dataset.error, 'give an .npz with arrays named after the model inputs (or x), an .npy, a JSON file or a test_data_set folder'));
  return ok(calibratorForDataset(dataset.value));
}

export async function runOptimize(args: readonly string[], io: CliIo, registry: PassRegistry = PASSES): Promise<Result<number, CliFailure>> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    strict: true,
    options: {
      output: { type: 'string', short: 'o' },
      pass: { type: 'string', multiple: true },
      recipe: { type: 'string' },
      'save-recipe': { type: 'string' },
      data: { type: 'string', multiple: true },
      json: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
      fp16: { type: 'boolean' },
      'fp16-weights': { type: 'boolean' },
      'to-fp32': { type: 'boolean' },
      'int8-dynamic': { type: 'boolean' },
      'int8-static': { type: 'boolean' },
      int4: { type: 'boolean' },
      calib: { type: 'string' },
      'calib-method': { type: 'string' },
      'block-size': { type: 'string' },
      'prune-magnitude': { type: 'string' },
      'prune-nm': { type: 'string' },
      'prune-channels': { type: 'string' },
      importance: { type: 'string' },
      exclude: { type: 'string', multiple: true },
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
  const shortcuts = shortcutSteps(values);
  if (!shortcuts.ok) return err(CliFailure.usage(shortcuts.error, 'optimize'));
  const collected = collectSteps(values.recipe, shortcuts.value, values.pass ?? [], registry);
  if (!collected.ok) return collected;
  const exclude = (values.exclude ?? []).flatMap((e) => e.split(',')).map((s) => s.trim()).filter((s) => s !== '');
  const steps = withExclusions(collected.value, exclude);
  const calibrator = calibratorFor(values.calib, steps.filter((s) => s.pass.calibration !== undefined));
  if (!calibrator.ok) return calibrator;

  const loaded = readModel(input, { dataPaths: values.data ?? [] });
  if (!loaded.ok) return loaded;
  let externalBytes = 0;
  for (const b of loaded.value.external.values()) externalBytes += b.byteLength;
  const inputBytes = loaded.value.fileBytes + externalBytes;
  if (steps.length === 0 && inputBytes > MAX_SINGLE_BUFFER_BYTES) {
    return err(
      CliFailure.bad(
        modelError('too-large', 'The optimized model would be over 2 GB', `Its weights total ${formatCount(inputBytes)} bytes, beyond protobuf's 2 GB limit for one .onnx file.`, 'writing external data is not supported by the CLI yet; shrink the model first (e.g. fp16)', input),
      ),
    );
  }
  // Passes read weights from the model's own buffers: inline external data first (a view, no copy).
  const inlinedTensors = inlineExternalData(loaded.value.proto, loaded.value.external);

  const ran = await applyRecipe(loaded.value.proto, steps, calibrator.value ? { calibrate: calibrator.value } : {});
  if (!ran.ok) {
    const f = ran.error;
    const line = f.kind === 'cancelled' ? 'cancelled' : `step ${f.step + 1} (${f.pass}) failed: ${f.message}`;
    return err(fileProblem(input, 'Cannot optimize the model', line, 'exclude the node or op type it names (--exclude), or choose another pass'));
  }
  const model = ran.value.model;

  const bytes = encodeModelProto(model);
  if (bytes.byteLength > MAX_SINGLE_BUFFER_BYTES) {
    return err(
      CliFailure.bad(
        modelError('too-large', 'The optimized model would be over 2 GB', `It encodes to ${formatCount(bytes.byteLength)} bytes, beyond protobuf's 2 GB limit for one .onnx file.`, 'writing external data is not supported by the CLI yet; shrink the model first (e.g. fp16 or int8)', input),
      ),
    );
  }
  try {
    writeFileSync(output, bytes);
  } catch (e) {
    return err(fileProblem(output, 'Cannot write the output', e instanceof Error ? e.message : String(e), 'check that the folder exists and is writable'));
  }
  const stepsAsRun = steps.map((s) => ({ pass: s.pass.id, options: s.options }));
  if (values['save-recipe'] !== undefined) {
    const fileName = input.split(/[\\/]/).pop() ?? input;
    const recipe = makeRecipe(stepsAsRun, { model: { fileName, bytes: inputBytes }, ...(values.calib ? { calibration: values.calib } : {}) });
    try {
      writeFileSync(values['save-recipe'], recipeToJson(recipe));
    } catch (e) {
      return err(fileProblem(values['save-recipe'], 'Cannot write the recipe', e instanceof Error ? e.message : String(e), 'check that the folder exists and is writable'));
    }
  }

  const passes = ran.value.reports.map((r, i) => {
    const cal = ran.value.calibration[i];
    return {
      pass: r.pass,
      options: stepsAsRun[i]?.options ?? {},
      report: r.summary,
      changedNodes: r.changedNodes,
      skippedNodes: r.skippedNodes,
      weightBytesBefore: r.weightBytesBefore,
      weightBytesAfter: r.weightBytesAfter,
      warnings: [...(cal?.warnings ?? []), ...r.warnings],
      decisions: r.decisions,
      ...(cal ? { calibration: { source: cal.source, samples: cal.samples } } : {}),
    };
  });
  const report: OptimizeReport = {
    input,
    output,
    inputBytes,
    outputBytes: bytes.byteLength,
    passes,
    quantizedNodes: passes.reduce((a, p) => a + p.changedNodes, 0),
    skippedNodes: passes.reduce((a, p) => a + p.skippedNodes, 0),
    seconds: ran.value.seconds,
    inlinedTensors,
    warnings: loaded.value.warnings,
  };
  if (values.json) {
    io.out(JSON.stringify(report, null, 2));
  } else {
    for (const w of report.warnings) io.err(`warning: ${w}`);
    for (const p of report.passes) {
      io.out(`${p.pass}: ${p.report}`);
      for (const w of p.warnings) io.err(`warning: ${p.pass}: ${w}`);
    }
    const what = report.passes.length === 0 ? 'no passes: round trip' : `${report.passes.length} pass${report.passes.length === 1 ? '' : 'es'}`;
    const inlined = inlinedTensors > 0 ? `; ${formatCount(inlinedTensors)} external tensors inlined` : '';
    const ratio = report.inputBytes > 0 ? ` = ${(report.outputBytes / report.inputBytes).toFixed(2)}×` : '';
    io.out(`wrote ${output}: ${formatCount(report.outputBytes)} bytes (input ${formatCount(report.inputBytes)} bytes${ratio}; ${what}${inlined}; ${report.seconds.toFixed(2)} s)`);
  }
  return ok(EXIT_OK);
}
