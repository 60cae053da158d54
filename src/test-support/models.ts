/**
 * Shared by tests and benchmarks (Node only): where the corpus and the sample models are, loading
 * them, running a model in onnxruntime-web, and the digits test set. Not shipped to the browser.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { onnx } from '../core/onnx/codec.js';
import { decodeModelProto, encodeModelProto } from '../core/onnx/codec.js';
import { configureRuntime, createSession, OrtTensor } from '../runtime/ort.js';
import type { Tensor } from '../runtime/ort.js';
import { seededRandom } from '../core/util/seeded-random.js';

export const REPO = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
export const CORPUS = resolve(REPO, '../shared/corpus');
export const MODELS_DIR = join(CORPUS, 'models');
export const SAMPLES_DIR = join(REPO, 'public/samples');
export const hasCorpus = (): boolean => existsSync(MODELS_DIR);

export function readBytes(path: string): Uint8Array {
  return new Uint8Array(readFileSync(path));
}

export interface LoadedTestModel {
  readonly name: string;
  readonly path: string;
  readonly bytes: Uint8Array;
  readonly model: onnx.ModelProto;
}

export function loadModelFile(path: string): LoadedTestModel {
  const bytes = readBytes(path);
  return { name: path.split('/').pop() ?? path, path, bytes, model: decodeModelProto(bytes) };
}

export const corpusModel = (file: string): LoadedTestModel => loadModelFile(join(MODELS_DIR, file));
export const sampleModel = (file: string): LoadedTestModel => loadModelFile(join(SAMPLES_DIR, file));

/** The digits models (samples and corpus): input [N,1,8,8] in [0,1], logits [N,10], labelled test split. */
export const DIGITS_MODELS: ReadonlyArray<{ readonly file: string; readonly dir: 'samples' | 'corpus' }> = [
  { file: 'digits_cnn.onnx', dir: 'samples' },
  { file: 'digits_transformer.onnx', dir: 'samples' },
  { file: 'digits_mlp.onnx', dir: 'samples' },
  { file: 'digits_cnn_op13.onnx', dir: 'corpus' },
  { file: 'digits_mlp_op13.onnx', dir: 'corpus' },
  { file: 'digits_attn_op14.onnx', dir: 'corpus' },
];

export function loadDigitsModel(entry: (typeof DIGITS_MODELS)[number]): LoadedTestModel {
  return entry.dir === 'samples' ? sampleModel(entry.file) : corpusModel(entry.file);
}

export interface DigitsSet {
  /** count × 64 floats in [0,1]. */
  readonly x: Float32Array;
  readonly y: Int32Array;
  readonly count: number;
}

let digitsCache: DigitsSet | undefined;

/** scikit-learn digits test split (360 samples), as the samples ship it. */
export function digitsTestSet(): DigitsSet {
  if (digitsCache) return digitsCache;
  const doc = JSON.parse(readFileSync(join(SAMPLES_DIR, 'digits_test.json'), 'utf8')) as { x: number[][]; y: number[] };
  const x = new Float32Array(doc.x.length * 64);
  doc.x.forEach((row, i) => x.set(row, i * 64));
  digitsCache = { x, y: Int32Array.from(doc.y), count: doc.x.length };
  return digitsCache;
}

let configured = false;
/** One WASM thread unless told otherwise: tests and benchmarks measure the same way. */
export function ensureRuntime(threads = 1): void {
  if (configured) return;
  configureRuntime({ numThreads: threads, logLevel: 'fatal' });
  configured = true;
}

export type Feeds = Readonly<Record<string, Tensor>>;

/** Runs a model once; throws with ORT's message when it cannot (a test failure, not a value). */
export async function runOnce(model: onnx.IModelProto | Uint8Array, feeds: Feeds): Promise<Record<string, Float32Array>> {
  ensureRuntime();
  const bytes = model instanceof Uint8Array ? model : encodeModelProto(model);
  const created = await createSession(bytes);
  if (!created.ok) throw new Error(`session: ${created.error.message}`);
  try {
    const ran = await created.value.run(feeds);
    if (!ran.ok) throw new Error(`run: ${ran.error.message}`);
    const out: Record<string, Float32Array> = {};
    for (const [name, t] of Object.entries(ran.value.outputs)) {
      out[name] = t.data instanceof Float32Array ? t.data : Float32Array.from(t.data as ArrayLike<number>, Number);
    }
    return out;
  } finally {
    await created.value.release();
  }
}

/** Digits logits for the whole test set in one batch (the digits models have a free batch axis). */
export async function digitsLogits(model: onnx.IModelProto | Uint8Array, count?: number): Promise<Float32Array> {
  const set = digitsTestSet();
  const n = count ?? set.count;
  const out = await runOnce(model, { input: new OrtTensor('float32', set.x.subarray(0, n * 64), [n, 1, 8, 8]) });
  const logits = out.logits ?? Object.values(out)[0];
  if (!logits) throw new Error('model has no output');
  return logits;
}

/**
 * Deterministic random feeds for a model's inputs (float in [0,1), ints 0): free dimensions → 1.
 * For models without shipped data (structures with random weights), where only fidelity matters.
 */
export function randomFeeds(model: onnx.IModelProto, seed = 1): Record<string, Tensor> {
  const random = seededRandom(seed);
  const initializers = new Set((model.graph?.initializer ?? []).map((t) => t.name));
  const feeds: Record<string, Tensor> = {};
  for (const input of model.graph?.input ?? []) {
    if (!input.name || initializers.has(input.name)) continue;
    const tt = input.type?.tensorType;
    const dims = (tt?.shape?.dim ?? []).map((d) => (d.dimValue !== undefined && d.dimValue !== null && Number(d.dimValue) > 0 ? Number(d.dimValue) : 1));
    const count = dims.reduce((a, b) => a * b, 1);
    const elem = tt?.elemType ?? 1;
    if (elem === 7) feeds[input.name] = new OrtTensor('int64', new BigInt64Array(count), dims);
    else if (elem === 6) feeds[input.name] = new OrtTensor('int32', new Int32Array(count), dims);
    else if (elem === 10) feeds[input.name] = new OrtTensor('float16', new Uint16Array(count), dims);
    else feeds[input.name] = new OrtTensor('float32', Float32Array.from({ length: count }, () => random()), dims);
  }
  return feeds;
}
