import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bindDataset } from './bind.js';
import { readDataset } from './read-dataset.js';
import type { BoundDataset, Dataset, Feed, ModelInputSpec, SampleTensor } from './types.js';
import { modelInputSpecs } from '../transform/model-inputs.js';
import { DIGITS_MODELS, ensureRuntime, hasCorpus, loadDigitsModel, SAMPLES_DIR } from '../../test-support/models.js';
import { createSession, OrtTensor } from '../../runtime/ort.js';
import type { Tensor } from '../../runtime/ort.js';

const f64 = (dims: number[], fill = (i: number) => i): SampleTensor => {
  const n = dims.reduce((a, b) => a * b, 1);
  return { dtype: 'float64', dims, data: Float64Array.from({ length: n }, (_, i) => fill(i)) };
};
const dataset = (arrays: Record<string, SampleTensor>, extra: Partial<Dataset> = {}): Dataset => ({
  source: 'test.npz',
  arrays: new Map(Object.entries(arrays)),
  warnings: [],
  ...extra,
});
const must = (r: ReturnType<typeof bindDataset>): BoundDataset => {
  if (!r.ok) throw new Error(r.error);
  return r.value;
};
const DIGITS_INPUT: ModelInputSpec[] = [{ name: 'input', dtype: 'float32', dims: ['batch', 1, 8, 8] }];

function toOrt(feed: Feed): Record<string, Tensor> {
  const out: Record<string, Tensor> = {};
  for (const [name, t] of feed) out[name] = new OrtTensor(t.dtype, t.data as Float32Array, [...t.dims]);
  return out;
}

function argmax(a: Float32Array, row: number, width: number): number {
  let best = 0;
  for (let j = 1; j < width; j++) if ((a[row * width + j] ?? -Infinity) > (a[row * width + best] ?? -Infinity)) best = j;
  return best;
}

describe('bindDataset: shapes, types, batches', () => {
  it('reshapes digits rows of 64 to [1,8,8] and casts float64 → float32 in batches of 32', () => {
    const b = must(bindDataset(dataset({ x: f64([70, 64]) }), DIGITS_INPUT));
    expect(b.batchSize).toBe(32);
    const feeds = [...b.feeds()];
    expect(feeds.map((f) => f.get('input')?.dims)).toEqual([[32, 1, 8, 8], [32, 1, 8, 8], [6, 1, 8, 8]]);
    const last = feeds[2]?.get('input');
    expect(last?.dtype).toBe('float32');
    expect(last?.data[0]).toBe(64 * 64);
  });

  it.each([
    ['free batch, maxBatch 8', ['N', 3], 20, { maxBatch: 8 }, 8, 20],
    ['free batch (-1)', [-1, 3], 5, {}, 5, 5],
    ['fixed batch 1', [1, 3], 5, {}, 1, 5],
    ['fixed batch 4, 10 samples → 8 used', [4, 3], 10, {}, 4, 8],
  ] as const)('%s', (_, dims, count, options, batch, used) => {
    const b = must(bindDataset(dataset({ x: f64([count, 3]) }), [{ name: 'in', dtype: 'float32', dims: [...dims] }], options));
    expect(b.batchSize).toBe(batch);
    expect(b.count).toBe(used);
    expect([...b.feeds()].reduce((s, f) => s + (f.get('in')?.dims[0] ?? 0), 0)).toBe(used);
    if (used < count) expect(b.warnings.join()).toMatch(/last 2 of 10 samples are not used/);
  });

  it('matches several inputs by name, casts to int64 and bool, carries labels', () => {
    const ids: SampleTensor = { dtype: 'int32', dims: [3, 4], data: Int32Array.from({ length: 12 }, (_, i) => i) };
    const mask = f64([3, 4], (i) => i % 2);
    const inputs: ModelInputSpec[] = [
      { name: 'ids', dtype: 'int64', dims: ['b', 's'] },
      { name: 'mask', dtype: 'bool', dims: ['b', 's'] },
    ];
    const b = must(bindDataset(dataset({ mask, ids }, { labels: Int32Array.from([1, 2, 3]) }), inputs));
    const [feed] = [...b.feeds()];
    expect(feed?.get('ids')?.data).toEqual(BigInt64Array.from([0n, 1n, 2n, 3n, 4n, 5n, 6n, 7n, 8n, 9n, 10n, 11n]));
    expect(feed?.get('mask')?.dtype).toBe('bool');
    expect(Array.from(b.labels ?? [])).toEqual([1, 2, 3]);
  });

  it('uses the only array for a single-input model, and test_data_set order for unnamed inputs', () => {
    expect(must(bindDataset(dataset({ pixels: f64([2, 64]) }), DIGITS_INPUT)).count).toBe(2);
    const positional = dataset({ input_0: f64([1, 2]), input_1: f64([1, 3]) }, { inputOrder: ['input_0', 'input_1'] });
    const b = must(bindDataset(positional, [{ name: 'a', dtype: 'float32', dims: [1, 2] }, { name: 'b', dtype: 'float32', dims: [1, 3] }]));
    expect([...b.feeds()][0]?.get('b')?.dims).toEqual([1, 3]);
  });

  it('warns about fractional values cast to an integer input and about unused arrays', () => {
    const b = must(bindDataset(dataset({ ids: f64([2, 2], (i) => i + 0.5), extra: f64([2, 1]) }), [{ name: 'ids', dtype: 'int64', dims: ['b', 2] }]));
    expect(b.warnings.join('\n')).toMatch(/truncated toward zero/);
    expect(b.warnings.join('\n')).toMatch(/ignored array 'extra'/);
  });

  it('feeds a float16 input float32 samples (the runtime narrows them)', () => {
    const b = must(bindDataset(dataset({ x: f64([2, 3]) }), [{ name: 'h', dtype: 'float16', dims: ['n', 3] }]));
    expect([...b.feeds()][0]?.get('h')?.dtype).toBe('float32');
  });

  it.each([
    ['rows of the wrong length', dataset({ x: f64([5, 63]) }), DIGITS_INPUT, "input 'input' wants [N,1,8,8]; x has rows of 63 values"],
    ['samples of the wrong shape', dataset({ x: f64([5, 2, 8, 8]) }), DIGITS_INPUT, "input 'input' wants [N,1,8,8]; x has samples of shape [2,8,8] (128 values)"],
    ['symbolic dims, wrong rank', dataset({ x: f64([5, 7]) }), [{ name: 't', dtype: 'float32', dims: ['b', 's', 16] }], "input 't' wants [N,s,16]; x has rows of 7 values"],
    ['several arrays, none named after the input', dataset({ a: f64([2, 64]), b: f64([2, 64]) }), DIGITS_INPUT, "no array feeds input 'input': test.npz has 'a', 'b'; name the arrays after the model's inputs 'input' (or call the one array 'x')"],
    ['labels of the wrong length', dataset({ x: f64([4, 64]) }, { labels: Int32Array.from([1, 2]) }), DIGITS_INPUT, "there are 2 labels (y) for 4 samples of 'x'"],
    ['inputs with different sample counts', dataset({ a: f64([3, 2]), b: f64([4, 2]) }), [{ name: 'a', dtype: 'float32', dims: ['n', 2] }, { name: 'b', dtype: 'float32', dims: ['n', 2] }], "'a' has 3 samples but 'b' has 4"],
    ['fewer samples than a fixed batch', dataset({ x: f64([3, 2]) }), [{ name: 'x', dtype: 'float32', dims: [8, 2] }], 'takes exactly 8 samples per run'],
    ['a string input', dataset({ x: f64([3, 2]) }), [{ name: 'x', dtype: 'string', dims: ['n', 2] }], "input 'x' takes string values"],
    ['no inputs', dataset({ x: f64([3, 2]) }), [], 'the model has no inputs to feed'],
  ])('%s → error', (_, d, inputs, message) => {
    const r = bindDataset(d, inputs as ModelInputSpec[]);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toContain(message);
  });
});

describe('shipped sample data bound to the digits models and run in onnxruntime-web', () => {
  const read = (file: string): Dataset => {
    const r = readDataset([{ name: file, bytes: new Uint8Array(readFileSync(join(SAMPLES_DIR, file))) }]);
    if (!r.ok) throw new Error(r.error);
    return r.value;
  };

  it('digits_calib.npz and digits_calib.json hold the same 128 training samples', () => {
    const npz = read('digits_calib.npz');
    const json = read('digits_calib.json');
    expect(npz.arrays.get('x')?.dims).toEqual([128, 1, 8, 8]);
    expect(json.arrays.get('x')?.dims).toEqual([128, 1, 8, 8]);
    expect(Array.from(json.arrays.get('x')?.data ?? [], Number)).toEqual(Array.from(npz.arrays.get('x')?.data ?? [], Number));
    expect(Array.from(json.labels ?? [])).toEqual(Array.from(npz.labels ?? []));
  });

  /** Correct answers on the 360 test samples: manifest.json testAccuracy and the corpus README (99.44 %, 98.89 %, …). */
  const TEST_CORRECT: Readonly<Record<string, number>> = {
    'digits_cnn.onnx': 358, 'digits_transformer.onnx': 356, 'digits_mlp.onnx': 353,
    'digits_cnn_op13.onnx': 357, 'digits_mlp_op13.onnx': 349, 'digits_attn_op14.onnx': 347,
  };
  const models = DIGITS_MODELS.filter((m) => m.dir === 'samples' || hasCorpus());
  it.each(models.map((m) => [m.file, m] as const))('%s: calibration set and test set bind, run and classify', async (_, entry) => {
    const loaded = loadDigitsModel(entry);
    const inputs = modelInputSpecs(loaded.model);
    ensureRuntime();
    const session = await createSession(loaded.bytes);
    if (!session.ok) throw new Error(session.error.message);
    try {
      // Calibration set (training split, which the models fit) and test set (manifest accuracies 0.97–0.99).
      for (const file of ['digits_calib.npz', 'digits_test.json']) {
        const b = must(bindDataset(read(file), inputs));
        expect(b.batchSize).toBe(32);
        let correct = 0;
        let seen = 0;
        for (const feed of b.feeds()) {
          expect(feed.get('input')?.dtype).toBe('float32');
          const ran = await session.value.run(toOrt(feed));
          if (!ran.ok) throw new Error(ran.error.message);
          const logits = Object.values(ran.value.outputs)[0]?.data as Float32Array;
          const n = feed.get('input')?.dims[0] ?? 0;
          for (let i = 0; i < n; i++) if (argmax(logits, i, 10) === b.labels?.[seen + i]) correct++;
          seen += n;
        }
        expect(seen).toBe(b.count);
        if (file === 'digits_test.json') expect(correct, `${entry.file} on ${file}`).toBe(TEST_CORRECT[entry.file]);
        else expect(correct / seen, `${entry.file} on ${file}`).toBeGreaterThanOrEqual(0.98);
      }
    } finally {
      await session.value.release();
    }
  });
});
