/**
 * The benchmark engine and the model comparison on the sample digits models and corpus models, in
 * onnxruntime-web (Node, 1 thread): interleaving, budget, cancel, inputs, memory probe, fidelity.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { SampleTensor } from '../core/data/types.js';
import { readDatasetPath } from '../cli/read-dataset.js';
import { corpusModel, DIGITS_MODELS, digitsTestSet, ensureRuntime, hasCorpus, loadDigitsModel, SAMPLES_DIR, sampleModel } from '../test-support/models.js';
import type { BenchModel } from './benchmark.js';
import { benchmarkModels, MIN_ROUNDS } from './benchmark.js';
import { compareModels, RANDOM_COMPARE_WARNING } from './compare-models.js';
import { randomFeed } from './bench-inputs.js';

beforeAll(() => ensureRuntime(1));

const digits = (file: string): BenchModel => ({ id: file, bytes: sampleModel(file).bytes });
const quick = { graphOptimizationLevel: 'all', warmup: 1, runs: 6 } as const;

describe('benchmarkModels', () => {
  it('runs several models interleaved, with ratios against the first', async () => {
    const models = [digits('digits_cnn.onnx'), digits('digits_mlp.onnx'), digits('digits_transformer.onnx')];
    const steps: string[] = [];
    const r = await benchmarkModels(models, quick, (stage, done) => steps.push(`${stage}:${done}`));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.rounds).toBe(6);
    expect(r.value.models.map((m) => m.id)).toEqual(models.map((m) => m.id));
    for (const m of r.value.models) {
      expect(m.runsMs).toHaveLength(6);
      expect(m.summary.count).toBe(6);
      expect(m.summary.min).toBeGreaterThan(0);
      expect(m.summary.p90).toBeGreaterThanOrEqual(m.summary.median);
      expect(m.sessionCreateMs).toBeGreaterThan(0);
      expect(m.firstRunMs).toBeGreaterThan(0);
      expect(m.threads).toBe(1);
      expect(m.inputShapes).toEqual({ input: [1, 1, 8, 8] });
      // The probe sees ORT's heap: at least its initial 256 pages, a multiple of the 64 KiB page.
      expect(m.wasmMemoryBytes).toBeGreaterThanOrEqual(256 * 65536);
      expect((m.wasmMemoryBytes ?? 1) % 65536).toBe(0);
    }
    expect(r.value.models.map((m) => m.modelBytes)).toEqual(models.map((m) => m.bytes.byteLength));
    expect(r.value.models[0]?.speedup).toBe(1);
    expect(r.value.models[0]?.pairedSpeedup).toBe(1);
    expect(r.value.inputs).toBe('random (seed 1): input [1,1,8,8] float32');
    expect(steps.at(-1)).toBe('measuring:6');
    expect(r.value.warnings).toEqual([]);
  });

  it('stops at the time budget after at least MIN_ROUNDS rounds, and says so', async () => {
    const r = await benchmarkModels([digits('digits_mlp.onnx')], { ...quick, runs: 100_000, budgetMs: 0 });
    expect(r.ok && r.value.rounds).toBe(MIN_ROUNDS);
    expect(r.ok && r.value.warnings.join()).toMatch(/time budget of 0 ms reached after 5 of 100000 runs/);
  });

  it('reports a thread count that differs from the request', async () => {
    const r = await benchmarkModels([digits('digits_mlp.onnx')], { ...quick, threads: 3 });
    expect(r.ok && r.value.warnings.join()).toMatch(/3 thread\(s\) requested, but the runtime runs 1/);
  });

  it('can be cancelled between runs, and releases its sessions', async () => {
    const signal = { aborted: false };
    const r = await benchmarkModels([digits('digits_cnn.onnx')], { ...quick, runs: 100_000 }, (stage, done) => {
      if (stage === 'measuring' && done > 0) signal.aborted = true;
    }, signal);
    expect(r.ok ? 'ok' : r.error.kind).toBe('cancelled');
  });

  it('feeds given samples, converted to each model’s input type', async () => {
    const set = digitsTestSet();
    const sample: SampleTensor = { dtype: 'float32', dims: [1, 1, 8, 8], data: set.x.subarray(0, 64) };
    const r = await benchmarkModels([digits('digits_cnn.onnx')], { ...quick, inputs: { kind: 'feed', feed: new Map([['input', sample]]), source: 'digit 0' } });
    expect(r.ok && r.value.inputs).toBe('digit 0: input [1,1,8,8] float32');
  });

  it('sizes symbolic dims from settings.shapes', async () => {
    const r = await benchmarkModels([digits('digits_cnn.onnx')], { ...quick, shapes: { batch: 16 } });
    expect(r.ok && r.value.models[0]?.inputShapes).toEqual({ input: [16, 1, 8, 8] });
  });

  it('fails with a value naming the model that does not load', async () => {
    const r = await benchmarkModels([digits('digits_cnn.onnx'), { id: 'junk', bytes: new Uint8Array([1, 2, 3]) }], quick);
    expect(r.ok).toBe(false);
    if (!r.ok && r.error.kind === 'failed') {
      expect(r.error.model).toBe('junk');
      expect(r.error.message).toMatch(/^junk did not load in onnxruntime-web/);
    }
  });

  it('a feed that misses an input fails with the input named', async () => {
    const r = await benchmarkModels([digits('digits_cnn.onnx')], { ...quick, inputs: { kind: 'feed', feed: new Map() } });
    expect(!r.ok && r.error.kind === 'failed' && r.error.message).toMatch(/nothing feeds the model input 'input'/);
  });
});

describe('randomFeed', () => {
  it('scales float inputs into declared ranges; same seed, same values', () => {
    const inputs = [{ name: 'input', isTensor: true, type: 'float32' as const, shape: ['batch', 1, 8, 8] }];
    const a = randomFeed(inputs, 5, {}, { input: [10, 12] }).get('input');
    const b = randomFeed(inputs, 5, {}, { input: [10, 12] }).get('input');
    const unit = randomFeed(inputs, 5).get('input');
    expect(a?.dims).toEqual([1, 1, 8, 8]);
    const va = [...(a?.data as Float32Array)];
    expect(Math.min(...va)).toBeGreaterThanOrEqual(10);
    expect(Math.max(...va)).toBeLessThan(12);
    expect(va).toEqual([...(b?.data as Float32Array)]);
    expect(va[0]).toBeCloseTo(10 + 2 * ((unit?.data as Float32Array)[0] as number), 5);
  });
});

const PUBLISHED_CORRECT: Readonly<Record<string, number>> = {
  'digits_cnn.onnx': 358, // 99.44 %
  'digits_transformer.onnx': 356, // 98.89 %
  'digits_mlp.onnx': 353, // 98.06 %
  'digits_cnn_op13.onnx': 357, // 99.2 %
  'digits_mlp_op13.onnx': 349, // 96.9 %
  'digits_attn_op14.onnx': 347, // 96.4 %
};

describe('compareModels', () => {
  const digitsData = (): ReturnType<typeof readDatasetPath> => readDatasetPath(join(SAMPLES_DIR, 'digits_test.json'));

  it.each(DIGITS_MODELS.filter((m) => m.dir === 'samples' || hasCorpus()))('$file against itself: identical, accuracy on the labelled test set', async (entry) => {
    const data = digitsData();
    if (!data.ok) throw new Error(data.error);
    const m = { id: entry.file, bytes: loadDigitsModel(entry).bytes };
    const r = await compareModels(m, m, { kind: 'dataset', dataset: data.value });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.samples).toBe(360);
    expect(r.value.outputs.map((o) => o.name)).toEqual(['logits']);
    expect(r.value.outputs[0]).toMatchObject({ cosine: 1, maxAbsError: 0, sqnrDb: Infinity, classes: 10, top1Agreement: 1, top5Agreement: 1, elements: 3600 });
    expect(r.value.top1Agreement).toBe(1);
    expect(r.value.refAccuracy?.total).toBe(360);
    // The accuracies the models were published with (samples manifest, corpus README), 360 samples.
    expect(r.value.refAccuracy?.correct).toBe(PUBLISHED_CORRECT[entry.file]);
    expect(r.value.candAccuracy).toEqual(r.value.refAccuracy);
    expect(r.value.refAccuracy?.low).toBeLessThan(r.value.refAccuracy?.accuracy ?? 0);
  });

  it('random inputs carry the warning and give no accuracy', async () => {
    const m = digits('digits_mlp.onnx');
    const r = await compareModels(m, m, { kind: 'random', samples: 4 });
    expect(r.ok && r.value.samples).toBe(4);
    expect(r.ok && r.value.warnings).toContain(RANDOM_COMPARE_WARNING);
    expect(r.ok && r.value.refAccuracy).toBeUndefined();
  });

  it.skipIf(!hasCorpus())('two different models on the same data: imperfect agreement', async () => {
    const data = digitsData();
    if (!data.ok) throw new Error(data.error);
    const ref = digits('digits_cnn.onnx');
    const cand = { id: 'mlp13', bytes: corpusModel('digits_mlp_op13.onnx').bytes };
    const r = await compareModels(ref, cand, { kind: 'dataset', dataset: data.value });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.top1Agreement).toBeGreaterThan(0.9);
    expect(r.value.top1Agreement).toBeLessThan(1);
    expect(r.value.outputs[0]?.cosine).toBeLessThan(0.999);
    expect(r.value.refAccuracy?.accuracy).not.toBe(r.value.candAccuracy?.accuracy);
  });

  it.skipIf(!hasCorpus())('a model the data does not fit fails with a readable message', async () => {
    const data = digitsData();
    if (!data.ok) throw new Error(data.error);
    const mnist = { id: 'mnist', bytes: corpusModel('mnist-8_cntk.onnx').bytes };
    const r = await compareModels(mnist, mnist, { kind: 'dataset', dataset: data.value });
    expect(!r.ok && r.error.kind === 'failed' && r.error.message).toMatch(/digits_test\.json: .*Input3/);
  });
});
