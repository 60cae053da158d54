/**
 * `npm run bench:quantize` — what each quantization pass buys on this machine, in onnxruntime-web
 * (WASM, Node), against the fp32 original measured in the same run.
 *
 * Part 1, per model and variant (fp16, fp16 weights, int8 dynamic, int8 static, int4 weight-only), at
 * 1 and 2 threads: median latency ratio (fp32 / variant: > 1 is faster), size ratio, accuracy delta on
 * the digits test set (labelled models) or output cosine against fp32 (the others, random inputs).
 * fp32 and the variant run interleaved (A B A B …) so machine drift cancels; batch 1.
 * Part 2, pass throughput on a generated model with ≥ 500 MB of fp32 weights: MB of weights per second
 * and peak memory as a multiple of the model size (node --expose-gc).
 *
 * Targets (issue 4) at 1 thread: int8 static ≥ 2× on squeezenet and a ResNet-style model, ≥ 1.1× on
 * mobilenet_v2, never slower than fp32; passes ≥ 200 MB/s; peak memory ≤ 3× model size.
 *
 * Options: --only=a,b (model names containing a or b)  --variants=fp16,int8-static  --threads=1,2
 *          --runs=N (measured runs per model, default 40)  --budget=ms (per pair, default 4000)
 *          --skip-throughput  --skip-models  --layers=N --width=N (throughput model, default 32 × 2048²)
 *          --child (internal: one thread count, JSON rows on stdout)
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { onnx } from '../src/core/onnx/codec.js';
import { encodeModelProto } from '../src/core/onnx/codec.js';
import { applyRecipe, resolveSteps } from '../src/core/transform/apply-recipe.js';
import type { PassStep } from '../src/core/transform/recipe.js';
import type { Calibrator } from '../src/core/transform/types.js';
import { accuracy, fidelity } from '../src/core/metrics/fidelity.js';
import { tensorStorageBytes } from '../src/core/onnx/tensor.js';
import { configureRuntime, OrtTensor } from '../src/runtime/ort.js';
import type { RuntimeSession, Tensor } from '../src/runtime/ort.js';
import { calibratorForDataset, randomCalibrator } from '../src/runtime/dataset-calibrator.js';
import { readDatasetPath } from '../src/cli/read-dataset.js';
import { CORPUS, REPO, corpusModel, digitsTestSet, loadModelFile, randomFeeds, SAMPLES_DIR, sampleModel } from '../src/test-support/models.js';
import type { LoadedTestModel } from '../src/test-support/models.js';
import { materializeConstantOfShape } from '../src/test-support/materialize.js';
import { interleaved, outputsOf, session } from './lib/interleaved.js';
import { PeakSampler } from './lib/memory.js';
import { buildMatMulChain } from './lib/synthetic-model.js';

const SELF = fileURLToPath(import.meta.url);

function arg(name: string): string | undefined {
  const a = process.argv.find((x) => x.startsWith(`--${name}=`) || x === `--${name}`);
  return a?.includes('=') ? a.slice(a.indexOf('=') + 1) : a ? '' : undefined;
}
const list = (name: string): string[] | undefined => arg(name)?.split(',').filter((s) => s !== '');

interface BenchModel {
  readonly name: string;
  readonly load: () => LoadedTestModel;
  /** 'digits': labelled test set + shipped calibration set; 'random': random inputs, random calibration. */
  readonly data: 'digits' | 'random';
}

const MODELS: readonly BenchModel[] = [
  { name: 'digits_cnn', load: () => sampleModel('digits_cnn.onnx'), data: 'digits' },
  { name: 'digits_transformer', load: () => sampleModel('digits_transformer.onnx'), data: 'digits' },
  { name: 'digits_mlp', load: () => sampleModel('digits_mlp.onnx'), data: 'digits' },
  { name: 'digits_cnn_op13', load: () => corpusModel('digits_cnn_op13.onnx'), data: 'digits' },
  { name: 'digits_attn_op14', load: () => corpusModel('digits_attn_op14.onnx'), data: 'digits' },
  { name: 'mnist-8_cntk', load: () => corpusModel('mnist-8_cntk.onnx'), data: 'random' },
  { name: 'ultraface_rfb320', load: () => corpusModel('ultraface_rfb320.onnx'), data: 'random' },
  { name: 'embedding_model', load: () => corpusModel('embedding_model.onnx'), data: 'random' },
  { name: 'squeezenet1_1', load: () => corpusModel('squeezenet1_1_random_op13.onnx'), data: 'random' },
  { name: 'mobilenet_v2', load: () => corpusModel('mobilenet_v2_random_op13.onnx'), data: 'random' },
  {
    name: 'resnet50 (light, materialized)',
    load: () => {
      const m = loadModelFile(join(CORPUS, 'onnx-backend-tests/light/light_resnet50.onnx'));
      const model = materializeConstantOfShape(m.model, 1) as onnx.ModelProto;
      return { ...m, model, bytes: encodeModelProto(model) };
    },
    data: 'random',
  },
];

const VARIANTS: ReadonlyArray<{ readonly name: string; readonly steps: readonly PassStep[] }> = [
  { name: 'fp16', steps: [{ pass: 'fp16', options: {} }] },
  { name: 'fp16-weights', steps: [{ pass: 'fp16-weights', options: {} }] },
  { name: 'int8-dynamic', steps: [{ pass: 'int8-dynamic', options: {} }] },
  { name: 'int8-static', steps: [{ pass: 'int8-static', options: {} }] },
  { name: 'int8-static all', steps: [{ pass: 'int8-static', options: { placement: 'all' } }] },
  { name: 'int4', steps: [{ pass: 'weight-only', options: { bits: 4 } }] },
  // Structured pruning (issue #5) measured the same way: physically smaller, so it should be faster.
  { name: 'channels-30', steps: [{ pass: 'prune-channels', options: { ratio: 0.3 } }] },
  { name: 'channels-30+int8', steps: [{ pass: 'prune-channels', options: { ratio: 0.3 } }, { pass: 'int8-static', options: {} }] },
];

interface Row {
  readonly model: string;
  readonly variant: string;
  readonly threads: number;
  readonly speedup?: number;
  readonly fp32Ms?: number;
  readonly variantMs?: number;
  readonly sizeRatio?: number;
  readonly accuracyDelta?: number;
  readonly fp32Accuracy?: number;
  readonly cosine?: number;
  readonly changed?: number;
  readonly passSeconds?: number;
  readonly note?: string;
}

function digitsCalibrator(): Calibrator {
  const path = join(SAMPLES_DIR, 'digits_calib.npz');
  const ds = readDatasetPath(path);
  if (!ds.ok) throw new Error(`${path}: ${ds.error}`);
  return calibratorForDataset(ds.value);
}

async function child(threads: number): Promise<void> {
  // With threads, ORT in Node starts worker_threads from the .mjs and reads the .wasm itself: it needs a
  // plain directory path (the default URL makes it fetch(), which fails for file: in Node 20).
  configureRuntime({ numThreads: threads, logLevel: 'fatal', ...(threads > 1 ? { wasmPaths: `${join(REPO, 'node_modules/onnxruntime-web/dist')}/` } : {}) });
  const only = list('only');
  const variants = list('variants');
  const runs = Number(arg('runs') ?? 40);
  const budget = Number(arg('budget') ?? 4000);
  const digits = digitsTestSet();
  const emit = (row: Row): void => void process.stdout.write(`${JSON.stringify(row)}\n`);
  for (const bm of MODELS) {
    if (only && !only.some((o) => bm.name.includes(o))) continue;
    let base: LoadedTestModel;
    try {
      base = bm.load();
    } catch (e) {
      emit({ model: bm.name, variant: '-', threads, note: `not loaded: ${e instanceof Error ? e.message : String(e)}` });
      continue;
    }
    const baseBytes = base.bytes;
    const fp32 = await session(baseBytes);
    const latencyFeeds: Record<string, Tensor> = bm.data === 'digits' ? { input: new OrtTensor('float32', digits.x.subarray(0, 64), [1, 1, 8, 8]) } : randomFeeds(base.model, 7);
    const evalFeeds: Record<string, Tensor> = bm.data === 'digits' ? { input: new OrtTensor('float32', digits.x, [digits.count, 1, 8, 8]) } : latencyFeeds;
    const refOut = await outputsOf(fp32, evalFeeds);
    const refAcc = bm.data === 'digits' ? accuracy(refOut[0] ?? new Float32Array(), 10, digits.y).accuracy : undefined;
    for (const v of VARIANTS) {
      if (variants && !variants.includes(v.name)) continue;
      const steps = resolveSteps(v.steps);
      if (!steps.ok) {
        emit({ model: bm.name, variant: v.name, threads, note: steps.error });
        continue;
      }
      const calibrate = bm.data === 'digits' ? digitsCalibrator() : randomCalibrator(32, 1);
      const made = await applyRecipe(base.model, steps.value, { calibrate });
      if (!made.ok) {
        emit({ model: bm.name, variant: v.name, threads, note: made.error.kind === 'failed' ? made.error.message : 'cancelled' });
        continue;
      }
      const changed = made.value.reports.reduce((n, r) => n + r.changedNodes, 0);
      const bytes = encodeModelProto(made.value.model);
      const sizeRatio = bytes.byteLength / baseBytes.byteLength;
      if (changed === 0) {
        const why = made.value.reports.flatMap((r) => r.warnings)[0] ?? 'nothing to convert';
        emit({ model: bm.name, variant: v.name, threads, sizeRatio, changed, passSeconds: made.value.seconds, note: why.length > 90 ? `${why.slice(0, 90)}…` : why });
        continue;
      }
      let cand: RuntimeSession;
      try {
        cand = await session(bytes);
      } catch (e) {
        emit({ model: bm.name, variant: v.name, threads, sizeRatio, changed, note: `does not run: ${e instanceof Error ? e.message : String(e)}` });
        continue;
      }
      const candOut = await outputsOf(cand, evalFeeds);
      const t = await interleaved(fp32, cand, latencyFeeds, runs, budget);
      const row: Row = {
        model: bm.name,
        variant: v.name,
        threads,
        speedup: t.a / t.b,
        fp32Ms: t.a,
        variantMs: t.b,
        sizeRatio,
        changed,
        passSeconds: made.value.seconds,
        cosine: fidelity(refOut[0] ?? [], candOut[0] ?? []).cosine,
        ...(refAcc !== undefined ? { fp32Accuracy: refAcc, accuracyDelta: accuracy(candOut[0] ?? new Float32Array(), 10, digits.y).accuracy - refAcc } : {}),
        ...(bm.data === 'random' && v.name === 'int8-static' ? { note: 'calibrated on random data' } : {}),
      };
      emit(row);
      await cand.release();
    }
    await fp32.release();
  }
}

const f2 = (x: number | undefined, d = 2): string => (x === undefined ? '' : x.toFixed(d));

function printTable(rows: readonly Row[]): void {
  const threads = [...new Set(rows.map((r) => r.threads))].sort();
  const key = (r: Row): string => `${r.model}\u0000${r.variant}`;
  const keys = [...new Set(rows.map(key))];
  console.log(`\n| model | variant | ${threads.map((t) => `speedup ${t}T (fp32 ms → variant ms)`).join(' | ')} | size | accuracy Δ (fp32) / cosine | nodes | pass s | note |`);
  console.log(`|---|---|${threads.map(() => '---').join('|')}|---|---|---|---|---|`);
  for (const k of keys) {
    const byT = threads.map((t) => rows.find((r) => key(r) === k && r.threads === t));
    const any = byT.find((r) => r !== undefined);
    if (!any) continue;
    const acc = any.accuracyDelta !== undefined ? `${any.accuracyDelta >= 0 ? '+' : ''}${(any.accuracyDelta * 100).toFixed(2)} pt (${((any.fp32Accuracy ?? 0) * 100).toFixed(2)} %)` : any.cosine !== undefined ? `cos ${any.cosine.toFixed(5)}` : '';
    const speeds = byT.map((r) => (r?.speedup !== undefined ? `${f2(r.speedup)}× (${f2(r.fp32Ms)} → ${f2(r.variantMs)})` : ''));
    console.log(`| ${any.model} | ${any.variant} | ${speeds.join(' | ')} | ${any.sizeRatio !== undefined ? `${f2(any.sizeRatio, 3)}×` : ''} | ${acc} | ${any.changed ?? ''} | ${f2(any.passSeconds)} | ${[...new Set(byT.map((r) => r?.note).filter(Boolean))].join('; ')} |`);
  }
}

async function throughput(): Promise<void> {
  const layers = Number(arg('layers') ?? 32);
  const width = Number(arg('width') ?? 2048);
  const { model, weightBytes } = buildMatMulChain(layers, width);
  // The encoded size only (the encoding itself is dropped before measuring, so RSS holds the decoded model).
  const modelBytes = encodeModelProto(model).byteLength;
  console.log(`\nPass throughput on a generated model: ${layers} × MatMul ${width}² fp32 = ${(weightBytes / 1e6).toFixed(0)} MB of weights (file ${(modelBytes / 1e6).toFixed(0)} MB). Peak = highest process RSS while the pass runs (the decoded model included), as a multiple of the model size; extra = that peak minus the RSS before the pass`);
  console.log('| pass | seconds | MB/s of weights | peak memory | extra memory | output weights |');
  console.log('|---|---|---|---|---|---|');
  const sampler = new PeakSampler();
  for (const v of VARIANTS) {
    if (v.name.includes('int8-static') || v.steps.length > 1 || v.name.startsWith('channels')) continue; // needs a runtime calibration pass over the model: measured in part 1
    const steps = resolveSteps(v.steps);
    if (!steps.ok) {
      console.log(`| ${v.name} | ${steps.error} | | | |`);
      continue;
    }
    const step = steps.value[0];
    if (!step) continue;
    const { result, memory, ms } = await sampler.measure(() => step.pass.apply(model, step.options, { progress: () => undefined }));
    if (!result.ok) {
      console.log(`| ${v.name} | failed: ${result.error} | | | |`);
      continue;
    }
    let out = 0;
    for (const t of result.value.model.graph?.initializer ?? []) out += tensorStorageBytes(t);
    const extra = (memory.rssPeak - memory.rssBefore) / modelBytes;
    console.log(`| ${v.name} | ${(ms / 1000).toFixed(2)} | ${(weightBytes / 1e6 / (ms / 1000)).toFixed(0)} | ${(memory.rssPeak / modelBytes).toFixed(2)}× | ${extra.toFixed(2)}× | ${(out / 1e6).toFixed(0)} MB |`);
  }
  await sampler.close();
}

async function main(): Promise<void> {
  if (arg('child') !== undefined) {
    await child(Number(arg('threads') ?? 1));
    return;
  }
  if (!existsSync(CORPUS)) console.log(`note: the corpus is not at ${CORPUS}; corpus models are reported as not loaded`);
  if (arg('skip-models') === undefined) {
    const threads = (list('threads') ?? ['1', '2']).map(Number);
    const rows: Row[] = [];
    const pass = process.argv.slice(2).filter((a) => !a.startsWith('--threads'));
    for (const t of threads) {
      console.log(`measuring at ${t} thread${t === 1 ? '' : 's'}…`);
      const r = spawnSync(process.execPath, ['--import', 'tsx', SELF, '--child', `--threads=${t}`, ...pass], { encoding: 'utf8', maxBuffer: 64 << 20, stdio: ['ignore', 'pipe', 'inherit'] });
      for (const line of r.stdout.split('\n')) if (line.startsWith('{')) rows.push(JSON.parse(line) as Row);
    }
    printTable(rows);
  }
  if (arg('skip-throughput') === undefined) await throughput();
}

await main();
