/**
 * int8-static end to end: calibrate with the runtime's calibrator (digits: the shipped calibration
 * set digits_calib.json, a split of the TRAINING data disjoint from the 360-sample test set; other
 * models: seeded random data), quantize, run the result in onnxruntime-web and compare with fp32.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { onnx } from '../../onnx/codec.js';
import { readJsonDataset } from '../../data/json-data.js';
import { accuracy, fidelity } from '../../metrics/fidelity.js';
import { cloneModel } from '../graph-edit.js';
import { defaultOptions } from '../options.js';
import type { Calibrator, PassOptionValue, PassOutcome } from '../types.js';
import { calibratorForDataset } from '../../../runtime/dataset-calibrator.js';
import { createCalibrator, randomDataset } from '../../../runtime/calibrate.js';
import { OrtTensor } from '../../../runtime/ort.js';
import type { Tensor } from '../../../runtime/ort.js';
import { modelInputSpecs } from '../model-inputs.js';
import { withLayerTiming } from '../../../runtime/layer-timing.js';
import { corpusModel, DIGITS_MODELS, digitsLogits, digitsTestSet, ensureRuntime, hasCorpus, loadDigitsModel, randomFeeds, runOnce, SAMPLES_DIR } from '../../../test-support/models.js';
import { int8StaticPass } from './int8-static.js';

const digitsCalibrator = (): Calibrator => {
  const data = readJsonDataset(new Uint8Array(readFileSync(join(SAMPLES_DIR, 'digits_calib.json'))), 'digits_calib.json');
  if (!data.ok) throw new Error(data.error);
  return calibratorForDataset(data.value);
};

async function quantize(model: onnx.IModelProto, calibrate: Calibrator, options: Record<string, PassOptionValue> = {}): Promise<PassOutcome> {
  const opts = { ...defaultOptions(int8StaticPass.options), ...options };
  const request = int8StaticPass.calibration?.(model, opts);
  if (!request) throw new Error('int8-static must ask for calibration');
  const cal = await calibrate(model, request, () => undefined);
  if (!cal.ok) throw new Error(cal.error);
  const out = int8StaticPass.apply(model, opts, { progress: () => undefined, calibration: cal.value });
  if (!out.ok) throw new Error(out.error);
  return out.value;
}

function top1(logits: Float32Array): number {
  const set = digitsTestSet();
  return accuracy(logits, 10, set.y).accuracy;
}

const opCount = (model: onnx.IModelProto, op: string): number => (model.graph?.node ?? []).filter((n) => n.opType === op).length;

beforeAll(() => ensureRuntime(1));

/** The shipped sample CNN (Conv + BatchNormalization + Relu, MaxPool, Gemm logits). */
const DIGITS_CNN = DIGITS_MODELS.find((e) => e.file === 'digits_cnn.onnx') ?? { file: 'digits_cnn.onnx', dir: 'samples' as const };

describe('int8-static on the digits classifiers (calibrated on digits_calib.json)', () => {
  const cases = DIGITS_MODELS.flatMap((entry) => (['speed', 'all'] as const).map((placement) => ({ entry, placement })));
  it.each(cases)('$entry.file, placement $placement: runs, top-1 within 1 point of fp32', async ({ entry, placement }) => {
    if (entry.dir === 'corpus' && !hasCorpus()) return;
    const { model } = loadDigitsModel(entry);
    const { model: q, report } = await quantize(model, digitsCalibrator(), { placement });
    const ref = await digitsLogits(model);
    const got = await digitsLogits(q);
    expect(fidelity(ref, got).cosine).toBeGreaterThan(0.99);
    expect(Math.abs(top1(got) - top1(ref))).toBeLessThanOrEqual(0.01);
    expect(report.decisions.length).toBeGreaterThan(0);
    for (const d of report.decisions) expect(d.reason).not.toBe('');
    if (placement === 'all') {
      // Every Conv/MatMul/Gemm quantizable here becomes a QDQ group: int8 weights behind DequantizeLinear.
      expect(report.changedNodes).toBeGreaterThan(0);
      expect(opCount(q, 'DequantizeLinear')).toBeGreaterThan(0);
      expect(report.weightBytesAfter).toBeLessThan(report.weightBytesBefore * 0.3);
    }
    // Logits stay float: the graph output is not written by a DequantizeLinear.
    const outName = q.graph?.output?.[0]?.name ?? '';
    const writer = (q.graph?.node ?? []).find((n) => n.output?.includes(outName));
    expect(writer?.opType).not.toBe('DequantizeLinear');
  });

  it('digits_cnn sample: BatchNormalization folded, per-channel int8 weights and int32 biases', async () => {
    const { model } = loadDigitsModel(DIGITS_CNN);
    const { model: q, report } = await quantize(model, digitsCalibrator(), { placement: 'all' });
    expect(opCount(q, 'BatchNormalization')).toBe(0);
    const inits = new Map((q.graph?.initializer ?? []).map((t) => [t.name ?? '', t]));
    const conv = (q.graph?.node ?? []).find((n) => n.opType === 'Conv' && (n.input?.[1] ?? '').endsWith('_dequantized'));
    expect(conv).toBeDefined();
    const dqW = (q.graph?.node ?? []).find((n) => n.output?.[0] === conv?.input?.[1]);
    expect(inits.get(dqW?.input?.[0] ?? '')?.dataType).toBe(3); // INT8
    expect((inits.get(dqW?.input?.[1] ?? '')?.dims ?? []).length).toBe(1); // one scale per output channel
    const dqB = (q.graph?.node ?? []).find((n) => n.output?.[0] === conv?.input?.[2]);
    expect(inits.get(dqB?.input?.[0] ?? '')?.dataType).toBe(6); // INT32
    expect(report.summary).toMatch(/folded 3 BatchNormalization/);
  });

  it('respects nodesToExclude and opTypesToQuantize', async () => {
    const { model } = loadDigitsModel(DIGITS_CNN);
    const firstConv = (model.graph?.node ?? []).find((n) => n.opType === 'Conv')?.name ?? '';
    const { model: q, report } = await quantize(model, digitsCalibrator(), { placement: 'all', nodesToExclude: firstConv, opTypesToQuantize: 'Conv' });
    const row = report.decisions.find((d) => d.node === firstConv);
    expect(row?.decision).toBe('skipped');
    expect(row?.reason).toMatch(/nodesToExclude/);
    expect(report.decisions.find((d) => d.op === 'Gemm')?.reason).toMatch(/opTypesToQuantize/);
    const conv = (q.graph?.node ?? []).find((n) => n.name === firstConv);
    expect(conv?.input?.[1]).not.toMatch(/_dequantized$/);
    expect(report.decisions.filter((d) => d.op === 'Conv' && d.decision === 'changed').length).toBeGreaterThan(0);
  });

  it('quantizes weights held in Constant nodes, and drops the float ones', async () => {
    const { model } = loadDigitsModel(DIGITS_CNN);
    const asConstants = cloneModel(model);
    const g = asConstants.graph ?? {};
    const constants = (g.initializer ?? []).map((t) => ({ opType: 'Constant', input: [], output: [t.name ?? ''], name: `const_${t.name ?? ''}`, attribute: [{ name: 'value', type: 4, t }] }));
    g.node = [...constants, ...(g.node ?? [])];
    g.initializer = [];
    const { model: q, report } = await quantize(asConstants, digitsCalibrator(), { placement: 'all' });
    expect(report.changedNodes).toBeGreaterThan(0);
    const floatConstants = (q.graph?.node ?? []).filter((n) => n.opType === 'Constant' && n.attribute?.[0]?.t?.dataType === 1 && (n.attribute[0].t.dims ?? []).length >= 2);
    expect(floatConstants.length).toBe(0);
    const ref = await digitsLogits(model);
    expect(Math.abs(top1(await digitsLogits(q)) - top1(ref))).toBeLessThanOrEqual(0.01);
  });

  it("placement 'measure' times layers in onnxruntime-web and decides from the ratios", async () => {
    const { model } = loadDigitsModel(DIGITS_CNN);
    const { model: q, report } = await quantize(model, withLayerTiming(digitsCalibrator(), { runs: 3, warmup: 1 }), { placement: 'measure' });
    const layers = report.decisions.filter((d) => d.op === 'Conv' || d.op === 'Gemm');
    expect(layers.length).toBe(4);
    for (const d of layers) expect(d.reason).toMatch(/measured here: int8 [\d.]+×/);
    await digitsLogits(q);
  });

  it('refuses to run without calibration', () => {
    const { model } = loadDigitsModel(DIGITS_CNN);
    const out = int8StaticPass.apply(model, defaultOptions(int8StaticPass.options), { progress: () => undefined });
    expect(out.ok).toBe(false);
  });
});

const CORPUS = ['mnist-8_cntk.onnx', 'ultraface_rfb320.onnx', 'silero_vad_legacy.onnx', 'melspectrogram.onnx', 'embedding_model.onnx', 'mobilenet_v2_random_op13.onnx', 'squeezenet1_1_random_op13.onnx'];

/** Sizes for free dimensions that must not be 1 (audio models need a real number of samples). */
const SYMBOLS: Readonly<Record<string, Readonly<Record<string, number>>>> = {
  'melspectrogram.onnx': { samples: 1760 },
  'silero_vad_legacy.onnx': { sequence: 512 },
};

/** Seeded random calibration data (with the random-data warning the runtime attaches). */
function randomCalibrator(file: string, samples: number): Calibrator {
  return (model, request, progress, signal) => createCalibrator(randomDataset(modelInputSpecs(model), samples, 1, SYMBOLS[file] ?? {}))(model, request, progress, signal);
}

function feedsFor(file: string, model: onnx.IModelProto): Record<string, Tensor> {
  const feeds = randomFeeds(model, 11);
  // Inside the random calibration range [0, 1): a quantized model clips what calibration never saw.
  if (file === 'melspectrogram.onnx') feeds.input = new OrtTensor('float32', Float32Array.from({ length: 1760 }, (_, i) => 0.5 + 0.45 * Math.sin(i / 7)), [1, 1760]);
  if (file === 'silero_vad_legacy.onnx') {
    feeds.input = new OrtTensor('float32', Float32Array.from({ length: 512 }, (_, i) => 0.5 + 0.3 * Math.sin(i / 5)), [1, 512]);
    feeds.sr = new OrtTensor('int64', BigInt64Array.of(16000n), []);
  }
  return feeds;
}

describe.skipIf(!hasCorpus())('int8-static on the corpus models (random calibration data)', () => {
  // Placement 'all' exercises every QDQ form; 'speed' is checked on the structures below.
  it.each(CORPUS)('%s: placement all runs in onnxruntime-web close to fp32', async (file) => {
    const { model } = corpusModel(file);
    const feeds = feedsFor(file, model);
    const ref = await runOnce(model, feeds);
    for (const placement of ['all']) {
      const { model: q, report } = await quantize(model, randomCalibrator(file, 2), { placement });
      const got = await runOnce(q, feeds);
      for (const [name, values] of Object.entries(ref)) {
        const f = fidelity(values, got[name] ?? new Float32Array());
        // Random weights and inputs make some outputs near-degenerate; a broken graph gives ~0 or NaN.
        expect(f.cosine, `${file} ${placement} ${name}`).toBeGreaterThan(0.95);
      }
      for (const d of report.decisions) expect(d.reason, d.node).not.toBe('');
    }
  });

  it('known structures: mobilenet depthwise and first conv stay float; squeezenet first conv float; logits float', async () => {
    const mobilenet = await quantize(corpusModel('mobilenet_v2_random_op13.onnx').model, randomCalibrator('mobilenet_v2_random_op13.onnx', 1));
    const convs = mobilenet.report.decisions.filter((d) => d.op === 'Conv');
    const depthwise = convs.filter((d) => /depthwise/.test(d.reason));
    expect(depthwise.length).toBe(17);
    for (const d of depthwise) expect(d.decision).toBe('kept');
    expect(convs[0]?.decision).toBe('kept');
    expect(convs[0]?.reason).toMatch(/reduction depth 27/);
    expect(mobilenet.report.decisions.find((d) => d.op === 'Gemm')?.decision).toBe('kept');
    expect(convs.some((d) => d.decision === 'changed')).toBe(true);
    const squeeze = await quantize(corpusModel('squeezenet1_1_random_op13.onnx').model, randomCalibrator('squeezenet1_1_random_op13.onnx', 1));
    const first = squeeze.report.decisions.find((d) => d.op === 'Conv');
    expect(first?.decision).toBe('kept');
    expect(first?.reason).toMatch(/reduction depth 27/);
    // The speed placement runs too, close to fp32.
    for (const [file, out] of [['mobilenet_v2_random_op13.onnx', mobilenet], ['squeezenet1_1_random_op13.onnx', squeeze]] as const) {
      const { model } = corpusModel(file);
      const feeds = feedsFor(file, model);
      const ref = Object.values(await runOnce(model, feeds))[0] ?? new Float32Array();
      const got = Object.values(await runOnce(out.model, feeds))[0] ?? new Float32Array();
      expect(fidelity(ref, got).cosine).toBeGreaterThan(0.99);
    }
  });

  it('silero_vad (If subgraphs with Conv/LSTM weights): subgraph layers stay float with a reason, and the model runs', async () => {
    const { model } = corpusModel('silero_vad_legacy.onnx');
    const { model: q, report } = await quantize(model, randomCalibrator('silero_vad_legacy.onnx', 1), { placement: 'all' });
    const inner = report.decisions.filter((d) => /inside a subgraph/.test(d.reason));
    expect(inner.length).toBeGreaterThan(0);
    for (const d of inner) expect(d.decision).toBe('skipped');
    await runOnce(q, feedsFor('silero_vad_legacy.onnx', model));
  });
});
