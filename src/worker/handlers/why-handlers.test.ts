/**
 * The "Why" handlers of the bench worker in Node (onnxruntime-web, 1 thread), on the sample digits
 * models passed as File handles the way the page passes them, with an int8 static variant made here
 * (every layer, calibrated on the shipped set): the profile attributes every node and sees the int8
 * kernels, the activation diff compares the variant with the original in graph order, sensitivity
 * ranks the int8 layers; a variant without a quantization step, missing calibration and bad data are
 * user errors.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeModelProto, encodeModelProto } from '../../core/onnx/codec.js';
import { applyRecipe, resolveSteps } from '../../core/transform/apply-recipe.js';
import type { PassStep } from '../../core/transform/recipe.js';
import { readDatasetPath } from '../../cli/read-dataset.js';
import { calibratorForDataset } from '../../runtime/dataset-calibrator.js';
import { ensureRuntime, SAMPLES_DIR } from '../../test-support/models.js';
import type { HandlerContext } from '../host.js';
import { ModelFailure } from '../host.js';
import type { BenchModelSource, PayloadOf, RequestType, ResultOf } from '../protocol.js';
import { whyHandlers } from './why-handlers.js';

beforeAll(() => ensureRuntime(1));

const ctx: HandlerContext = { progress: () => undefined };
const file = (name: string): File => new File([readFileSync(join(SAMPLES_DIR, name))], name);
const model = (id: string, name: string): BenchModelSource => ({ id, source: { kind: 'files', files: [file(name)] } });
const TEST_SET = { kind: 'files', files: [file('digits_test.json')] } as const;
const CALIBRATION = { kind: 'files', files: [file('digits_calib.npz')] } as const;
const INT8_ALL: PassStep = { pass: 'int8-static', options: { placement: 'all' } };

async function call<T extends RequestType>(type: T, payload: PayloadOf<T>): Promise<ResultOf<T>> {
  const handler = whyHandlers[type];
  if (!handler) throw new Error(`no handler for ${type}`);
  return (await handler(payload, ctx)).result;
}

/** The int8 variant the page would make, as a File. */
async function int8Variant(name: string): Promise<BenchModelSource> {
  const steps = resolveSteps([INT8_ALL]);
  if (!steps.ok) throw new Error(steps.error);
  const ds = readDatasetPath(join(SAMPLES_DIR, 'digits_calib.npz'));
  if (!ds.ok) throw new Error(ds.error);
  const r = await applyRecipe(decodeModelProto(readFileSync(join(SAMPLES_DIR, name))), steps.value, { calibrate: calibratorForDataset(ds.value) });
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return { id: 'int8', source: { kind: 'files', files: [new File([new Uint8Array(encodeModelProto(r.value.model))], name.replace('.onnx', '.int8-static.onnx'))] } };
}

const MODELS = ['digits_cnn.onnx', 'digits_mlp.onnx'];

describe.each(MODELS)('why handlers on %s and its int8 variant', (name) => {
  let variant: BenchModelSource;
  beforeAll(async () => {
    variant = await int8Variant(name);
  }, 30_000);

  it('bench/profile: the float model ran, every node attributed; the variant runs int8 kernels', async () => {
    const fp32 = await call('bench/profile', { model: model('original', name), runs: 3, warmup: 1, graphOptimizationLevel: 'all', ranges: { input: [0, 1] } });
    expect(fp32.summary.runs).toBe(3);
    expect(fp32.summary.nodes.length).toBeGreaterThan(0);
    const { counts, nodes } = fp32.attribution;
    expect(counts.ran + counts.fused + counts.folded).toBe(nodes.length);
    expect(counts.ran).toBeGreaterThan(0);
    expect(fp32.settings.graphOptimizationLevel).toBe('all');

    const int8 = await call('bench/profile', { model: variant, runs: 3, warmup: 1 });
    expect(int8.attribution.counts.quantizedFused).toBeGreaterThan(0);
    expect(int8.summary.kernels.some((k) => /^(QLinear|QGemm|MatMulInteger|DynamicQuantize)/.test(k.kernel))).toBe(true);
    console.log(`[why] ${name}: fp32 ${fp32.summary.kernelUsPerRun.toFixed(0)} µs/run kernel time, int8 ${int8.summary.kernelUsPerRun.toFixed(0)} µs/run; int8 counts ${JSON.stringify(int8.attribution.counts)}`);
  }, 30_000);

  it('bench/activations: matched tensors in graph order, close to the original but not equal', async () => {
    const r = await call('bench/activations', { reference: model('original', name), candidate: variant, data: TEST_SET, maxSamples: 16 });
    expect(r.samples).toBe(16);
    expect(r.source).toBe('digits_test.json');
    expect(r.tensors.length).toBeGreaterThan(2);
    expect(r.tensors.some((t) => t.via === 'qdq')).toBe(true);
    for (const t of r.tensors) expect(t.fidelity.cosine, t.tensor).toBeGreaterThan(0.95);
    expect(r.tensors.some((t) => Number.isFinite(t.fidelity.sqnrDb))).toBe(true);
  }, 30_000);

  it('bench/sensitivity: ranks ≥ 2 int8 layers, most sensitive first, with accuracy on the labelled data', async () => {
    const r = await call('bench/sensitivity', { model: model('original', name), step: INT8_ALL, data: TEST_SET, calibration: CALIBRATION, maxSamples: 64 });
    expect(r.pass).toBe('int8-static');
    expect(r.layers.length).toBeGreaterThanOrEqual(2);
    const sqnr = r.layers.map((l) => l.fidelity.sqnrDb);
    expect(sqnr).toEqual([...sqnr].sort((a, b) => a - b));
    expect(r.referenceAccuracy?.total).toBe(r.samples);
    for (const l of r.layers) expect(l.accuracyDrop).toBeDefined();
  }, 60_000);
});

describe('why handlers: user errors', () => {
  it('sensitivity of a pass that calibrates, without calibration data', async () => {
    const run = call('bench/sensitivity', { model: model('original', 'digits_cnn.onnx'), step: INT8_ALL, data: TEST_SET });
    await expect(run).rejects.toBeInstanceOf(ModelFailure);
    await expect(run).rejects.toMatchObject({ error: { message: /needs calibration data/ } });
  });

  it('sensitivity of an unknown pass', async () => {
    const run = call('bench/sensitivity', { model: model('original', 'digits_cnn.onnx'), step: { pass: 'no-such-pass', options: {} }, data: TEST_SET });
    await expect(run).rejects.toMatchObject({ error: { message: /not a transformation/ } });
  });

  it('activations on data that is not sample data name the file', async () => {
    const notes = new File([new TextEncoder().encode('my notes')], 'notes.txt');
    const run = call('bench/activations', { reference: model('original', 'digits_cnn.onnx'), candidate: model('mlp', 'digits_mlp.onnx'), data: { kind: 'files', files: [notes] } });
    await expect(run).rejects.toMatchObject({ error: { file: 'notes.txt' } });
  });

  it('activations on random data carry the random-data warning', async () => {
    const r = await call('bench/activations', { reference: model('original', 'digits_cnn.onnx'), candidate: model('same', 'digits_cnn.onnx'), data: { kind: 'random', samples: 2, seed: 1 } });
    expect(r.warnings.join()).toMatch(/random/);
    for (const t of r.tensors) expect(t.fidelity.sqnrDb).toBe(Infinity);
  }, 30_000);
});
