/**
 * The precision passes (fp16, fp16-weights, to-fp32) over the sample digits models and the corpus
 * models, run in onnxruntime-web: every output model runs and matches the original (labelled accuracy
 * on digits, cosine on the rest), files shrink as promised, fp16 → to-fp32 gives an all-float32 model
 * again, block lists really keep nodes in float32, and Constant weights and If subgraphs convert.
 */
import { afterAll, describe, expect, it } from 'vitest';
import type { onnx } from '../../onnx/codec.js';
import { DataType, encodeModelProto } from '../../onnx/codec.js';
import { accuracy, fidelity } from '../../metrics/fidelity.js';
import { walkGraphs } from '../graph-edit.js';
import type { PassDefinition, PassOptions, PassOutcome } from '../types.js';
import { OrtTensor } from '../../../runtime/ort.js';
import type { Tensor } from '../../../runtime/ort.js';
import type { Feeds, LoadedTestModel } from '../../../test-support/models.js';
import { corpusModel, digitsLogits, digitsTestSet, hasCorpus, randomFeeds, runOnce, sampleModel } from '../../../test-support/models.js';
import { seededRandom } from '../../util/seeded-random.js';
import { numberToFloat16 } from '../../onnx/float-formats.js';
import { float16Pass } from './float16.js';
import { fp16WeightsPass } from './fp16-weights.js';
import { toFloat32Pass } from './to-float32.js';

const { FLOAT, FLOAT16 } = DataType;

interface Case {
  readonly file: string;
  readonly load: () => LoadedTestModel;
  readonly corpus: boolean;
  /** Labelled digits model: [N,1,8,8] → logits [N,10]. */
  readonly digits: boolean;
}

const CASES: readonly Case[] = [
  ...['digits_cnn.onnx', 'digits_transformer.onnx', 'digits_mlp.onnx'].map((file) => ({ file, load: () => sampleModel(file), corpus: false, digits: true })),
  ...['digits_cnn_op13.onnx', 'digits_mlp_op13.onnx', 'digits_attn_op14.onnx'].map((file) => ({ file, load: () => corpusModel(file), corpus: true, digits: true })),
  ...['mnist-8_cntk.onnx', 'ultraface_rfb320.onnx', 'silero_vad_legacy.onnx', 'melspectrogram.onnx', 'embedding_model.onnx', 'mobilenet_v2_random_op13.onnx', 'squeezenet1_1_random_op13.onnx'].map(
    (file) => ({ file, load: () => corpusModel(file), corpus: true, digits: false }),
  ),
];

/** Feeds in each model's working range: random [0,1) by default; audio-like noise for the audio models. */
function feedsFor(file: string, model: onnx.IModelProto): Feeds {
  const random = seededRandom(7);
  const noise = (n: number, amp: number): Float32Array => Float32Array.from({ length: n }, () => (random() * 2 - 1) * amp);
  if (file.startsWith('silero')) {
    return {
      input: new OrtTensor('float32', noise(512, 0.5), [1, 512]),
      sr: new OrtTensor('int64', BigInt64Array.from([16000n]), []),
      h: new OrtTensor('float32', noise(128, 0.5), [2, 1, 64]),
      c: new OrtTensor('float32', noise(128, 0.5), [2, 1, 64]),
    };
  }
  if (file.startsWith('melspectrogram')) return { input: new OrtTensor('float32', noise(1280, 1), [1, 1280]) };
  return randomFeeds(model, 3);
}

/** The same feeds with float inputs the model declares float16 given as float16 bits. */
function halfFeeds(feeds: Feeds, model: onnx.IModelProto): Feeds {
  const half = new Set((model.graph?.input ?? []).filter((v) => v.type?.tensorType?.elemType === FLOAT16).map((v) => v.name ?? ''));
  const out: Record<string, Tensor> = {};
  for (const [name, t] of Object.entries(feeds)) {
    out[name] = half.has(name) && t.type === 'float32' ? new OrtTensor('float16', Uint16Array.from(t.data as Float32Array, numberToFloat16), t.dims) : t;
  }
  return out;
}

function run(pass: PassDefinition, model: onnx.IModelProto, options: PassOptions = {}): PassOutcome {
  const r = pass.apply(model, options, { progress: () => undefined });
  if (!r.ok) throw new Error(`${pass.id}: ${r.error}`);
  return r.value;
}

/** Worst cosine over the outputs; vectors of one element (a probability) say nothing and are skipped. */
const references = new Map<onnx.IModelProto, Promise<Record<string, Float32Array>>>();
/** The original's outputs, computed once per model for all the tests that compare against it. */
function reference(file: string, ref: onnx.IModelProto): Promise<Record<string, Float32Array>> {
  let p = references.get(ref);
  if (!p) references.set(ref, (p = runOnce(ref, feedsFor(file, ref))));
  return p;
}

async function worstCosine(file: string, ref: onnx.IModelProto, cand: onnx.IModelProto | Uint8Array): Promise<number> {
  const a = await reference(file, ref);
  const b = await runOnce(cand, feedsFor(file, ref));
  let worst = 1;
  for (const [name, va] of Object.entries(a)) {
    const vb = b[name];
    if (!vb) throw new Error(`output ${name} missing`);
    if (va.length > 1) worst = Math.min(worst, fidelity(va, vb).cosine);
  }
  return worst;
}

const digitsReference = new Map<onnx.IModelProto, Promise<number>>();
async function digitsAccuracy(model: onnx.IModelProto | Uint8Array): Promise<number> {
  if (model instanceof Uint8Array) return accuracy(await digitsLogits(model), 10, digitsTestSet().y).accuracy;
  let p = digitsReference.get(model);
  if (!p) digitsReference.set(model, (p = digitsLogits(model).then((l) => accuracy(l, 10, digitsTestSet().y).accuracy)));
  return p;
}

/** Element types found anywhere in a model: tensors, ValueInfos, Cast targets, ConstantOfShape values. */
function floatTypesIn(model: onnx.IModelProto): Set<number> {
  const seen = new Set<number>();
  walkGraphs(model, (scope) => {
    const g = scope.graph;
    for (const t of g.initializer ?? []) seen.add(t.dataType ?? 0);
    for (const vi of [...(g.input ?? []), ...(g.output ?? []), ...(g.valueInfo ?? [])]) seen.add(vi.type?.tensorType?.elemType ?? 0);
    for (const n of g.node ?? []) {
      for (const a of n.attribute ?? []) {
        if (a.t) seen.add(a.t.dataType ?? 0);
        if (n.opType === 'Cast' && a.name === 'to') seen.add(Number(a.i ?? 0));
      }
    }
  });
  return seen;
}

/** Byte equality without vitest's deep-equal (which crawls a 14 MB array element by element). */
const sameBytes = (a: Uint8Array, b: Uint8Array): boolean => a.length === b.length && a.every((v, i) => v === b[i]);

const nodesOf = (model: onnx.IModelProto): onnx.INodeProto[] => {
  const all: onnx.INodeProto[] = [];
  walkGraphs(model, (s) => all.push(...(s.graph.node ?? [])));
  return all;
};

/** Size of the touched weights after the pass, from the file: everything else is assumed unchanged. */
const touchedRatio = (inBytes: number, outBytes: number, touched: number): number => (outBytes - (inBytes - touched)) / touched;

const table: Record<string, Record<string, string>> = {};
const note = (file: string, key: string, value: string): void => {
  (table[file] ??= {})[key] = value;
};
afterAll(() => {
  if (Object.keys(table).length > 0) console.table(table);
});

const loaded = new Map<string, LoadedTestModel>();
const load = (c: Case): LoadedTestModel => {
  let m = loaded.get(c.file);
  if (!m) loaded.set(c.file, (m = c.load()));
  return m;
};

describe.each(CASES)('$file', (c) => {
  const skip = c.corpus && !hasCorpus();
  if (skip) it.skip(`corpus absent (../shared/corpus/models): ${c.file} skipped`, () => undefined);

  it.skipIf(skip)('fp16 (defaults): runs, matches, ≤ 0.55× the weights it touches', async () => {
    const m = load(c);
    const before = encodeModelProto(m.model);
    const { model, report } = run(float16Pass, m.model);
    expect(sameBytes(encodeModelProto(m.model), before)).toBe(true); // the input model is untouched
    const bytes = encodeModelProto(model);
    expect(report.weightBytesBefore).toBeGreaterThan(0);
    const ratio = touchedRatio(m.bytes.length, bytes.length, report.weightBytesBefore);
    expect(ratio).toBeLessThanOrEqual(0.55);
    expect(float16Pass.estimate(m.model, {})).toMatchObject({ weightBytesBefore: report.weightBytesBefore, weightBytesAfter: report.weightBytesAfter });
    // keepIoTypes: the interface is unchanged.
    const inits = new Set((m.model.graph?.initializer ?? []).map((t) => t.name));
    const realInputs = (g: onnx.IModelProto): (number | null | undefined)[] => (g.graph?.input ?? []).filter((v) => !inits.has(v.name)).map((v) => v.type?.tensorType?.elemType);
    expect(realInputs(model)).toEqual(realInputs(m.model));
    expect(model.graph?.output?.map((v) => v.type?.tensorType?.elemType)).toEqual(m.model.graph?.output?.map((v) => v.type?.tensorType?.elemType));
    note(c.file, 'fp16 size', ratio.toFixed(3));
    if (c.digits) {
      const [a32, a16] = [await digitsAccuracy(m.model), await digitsAccuracy(bytes)];
      note(c.file, 'fp32 acc', (a32 * 100).toFixed(2));
      note(c.file, 'fp16 acc', (a16 * 100).toFixed(2));
      expect(Math.abs(a16 - a32)).toBeLessThanOrEqual(0.001);
    } else {
      const cos = await worstCosine(c.file, m.model, bytes);
      note(c.file, 'fp16 cos', cos.toFixed(6));
      expect(cos).toBeGreaterThanOrEqual(0.999);
    }
  });

  it.skipIf(skip)('fp16-weights: float32 compute, runs, matches, ≤ 0.55× the weights it touches', async () => {
    const m = load(c);
    const { model, report } = run(fp16WeightsPass, m.model);
    const bytes = encodeModelProto(model);
    const ratio = touchedRatio(m.bytes.length, bytes.length, report.weightBytesBefore);
    expect(ratio).toBeLessThanOrEqual(0.55);
    expect(fp16WeightsPass.estimate(m.model, {})).toMatchObject({ weightBytesBefore: report.weightBytesBefore, weightBytesAfter: report.weightBytesAfter });
    // Only stored weights change type: every ValueInfo keeps its declared type.
    expect(floatTypesIn(model).has(FLOAT16)).toBe(true);
    for (const vi of model.graph?.valueInfo ?? []) expect(vi.type?.tensorType?.elemType).not.toBe(FLOAT16);
    note(c.file, 'w16 size', ratio.toFixed(3));
    if (c.digits) {
      const [a32, a16] = [await digitsAccuracy(m.model), await digitsAccuracy(bytes)];
      note(c.file, 'w16 acc', (a16 * 100).toFixed(2));
      expect(Math.abs(a16 - a32)).toBeLessThanOrEqual(0.001);
    } else {
      const cos = await worstCosine(c.file, m.model, bytes);
      note(c.file, 'w16 cos', cos.toFixed(6));
      expect(cos).toBeGreaterThanOrEqual(0.999);
    }
  });

  it.skipIf(skip)('fp16 without keepIoTypes or block list, then to-fp32: all float32 again, runs, matches', async () => {
    const m = load(c);
    const half = run(float16Pass, m.model, { keepIoTypes: false, opBlockList: '' }).model;
    // A float16 model: float inputs are declared float16 and it runs when fed float16.
    const floatInputs = (m.model.graph?.input ?? []).filter((v) => v.type?.tensorType?.elemType === FLOAT && !(m.model.graph?.initializer ?? []).some((t) => t.name === v.name));
    for (const vi of half.graph?.input ?? []) if (floatInputs.some((f) => f.name === vi.name)) expect(vi.type?.tensorType?.elemType).toBe(FLOAT16);
    await runOnce(half, halfFeeds(feedsFor(c.file, m.model), half));

    const { model, report } = run(toFloat32Pass, half);
    const types = floatTypesIn(model);
    expect(types.has(FLOAT16)).toBe(false);
    expect(types.has(FLOAT)).toBe(true);
    // The fp16 pass's Casts are gone (a float-to-float Cast of the original may go too).
    const castsLeft = nodesOf(model).filter((n) => n.opType === 'Cast').length;
    expect(castsLeft).toBeLessThanOrEqual(nodesOf(m.model).filter((n) => n.opType === 'Cast').length);
    expect(report.weightBytesAfter).toBe(report.weightBytesBefore * 2);
    const bytes = encodeModelProto(model);
    if (c.digits) {
      const [a32, aBack] = [await digitsAccuracy(m.model), await digitsAccuracy(bytes)];
      note(c.file, 'fp16→32 acc', (aBack * 100).toFixed(2));
      expect(Math.abs(aBack - a32)).toBeLessThanOrEqual(0.001);
    } else {
      const cos = await worstCosine(c.file, m.model, bytes);
      note(c.file, 'fp16→32 cos', cos.toFixed(6));
      expect(cos).toBeGreaterThanOrEqual(0.999);
    }
  });
});

describe('block lists, Casts, Constants, subgraphs', () => {
  it('opBlockList keeps the op in float32 with Casts around it', () => {
    const m = sampleModel('digits_cnn.onnx');
    const { model, report } = run(float16Pass, m.model, { opBlockList: 'Gemm' });
    const gemm = nodesOf(model).find((n) => n.opType === 'Gemm');
    if (!gemm) throw new Error('no Gemm');
    const producers = new Map(nodesOf(model).flatMap((n) => (n.output ?? []).map((o) => [o, n] as const)));
    const inits = new Map((model.graph?.initializer ?? []).map((t) => [t.name ?? '', t]));
    // Activation input: a Cast to float32; weights: still float32 initializers.
    const act = producers.get(gemm.input?.[0] ?? '');
    expect(act?.opType).toBe('Cast');
    expect(Number(act?.attribute?.[0]?.i)).toBe(FLOAT);
    for (const w of (gemm.input ?? []).slice(1)) expect(inits.get(w)?.dataType).toBe(FLOAT);
    expect(report.decisions.find((d) => d.op === 'Gemm')).toMatchObject({ decision: 'kept' });
    expect(report.decisions.filter((d) => d.op === 'Conv').every((d) => d.decision === 'changed')).toBe(true);
  });

  it('nodeBlockList pins a node by name; the other nodes of its op convert', () => {
    const m = sampleModel('digits_cnn.onnx');
    const convs = (m.model.graph?.node ?? []).filter((n) => n.opType === 'Conv');
    const pinned = convs[1]?.name ?? '';
    const { report } = run(float16Pass, m.model, { nodeBlockList: pinned });
    expect(report.decisions.find((d) => d.node === pinned)).toMatchObject({ decision: 'kept', reason: 'kept float32: in the node block list' });
    expect(report.decisions.filter((d) => d.op === 'Conv' && d.decision === 'changed')).toHaveLength(convs.length - 1);
  });

  it.skipIf(!hasCorpus())('default block list: embedding_model Max nodes stay float32 behind Casts and still run', async () => {
    const m = corpusModel('embedding_model.onnx');
    const { model, report } = run(float16Pass, m.model);
    const maxRows = report.decisions.filter((d) => d.op === 'Max');
    expect(maxRows.length).toBeGreaterThan(0);
    expect(maxRows.every((d) => d.decision === 'kept')).toBe(true);
    expect(nodesOf(model).filter((n) => n.opType === 'Cast').length).toBeGreaterThanOrEqual(maxRows.length * 2);
    expect(await worstCosine('embedding_model.onnx', m.model, model)).toBeGreaterThan(0.999);
  });

  it('a model whose weights are Constant nodes (digits_mlp rebuilt so) converts in both fp16 passes', async () => {
    // PyTorch exporters often emit weights as Constant nodes: move every initializer into one.
    const m = sampleModel('digits_mlp.onnx');
    const g = m.model.graph;
    const constModel: onnx.IModelProto = {
      ...m.model,
      graph: {
        ...g,
        initializer: [],
        node: [...(g?.initializer ?? []).map((t) => ({ opType: 'Constant', name: `const_${t.name ?? ''}`, input: [], output: [t.name ?? ''], attribute: [{ name: 'value', type: 4, t: { ...t, name: '' } }] })), ...(g?.node ?? [])],
      },
    };
    const a32 = await digitsAccuracy(constModel);
    for (const pass of [float16Pass, fp16WeightsPass]) {
      // minElements 1: the 10-element output bias converts too.
      const { model, report } = run(pass, constModel, pass === fp16WeightsPass ? { minElements: 1 } : {});
      const constants = nodesOf(model).filter((n) => n.opType === 'Constant');
      expect(constants.length).toBe(g?.initializer?.length);
      for (const n of constants) expect(n.attribute?.[0]?.t?.dataType).toBe(FLOAT16);
      expect(report.weightBytesAfter * 2).toBe(report.weightBytesBefore);
      expect(Math.abs((await digitsAccuracy(encodeModelProto(model))) - a32)).toBeLessThanOrEqual(0.001);
    }
  });

  it.skipIf(!hasCorpus())('scalar float Constants (mobilenet_v2 Clip bounds) follow their readers into float16', () => {
    const { model } = run(float16Pass, corpusModel('mobilenet_v2_random_op13.onnx').model);
    const constants = nodesOf(model).filter((n) => n.opType === 'Constant' && n.attribute?.[0]?.t);
    expect(constants.length).toBeGreaterThan(0);
    expect(constants.every((n) => n.attribute?.[0]?.t?.dataType === FLOAT16)).toBe(true);
  });

  it.skipIf(!hasCorpus())('silero_vad_legacy: weights inside If branches convert, branch outputs and If outputs agree', () => {
    const m = corpusModel('silero_vad_legacy.onnx');
    const { model, report } = run(float16Pass, m.model);
    let subgraphHalf = 0;
    walkGraphs(model, (scope) => {
      if (!scope.parent) return;
      subgraphHalf += (scope.graph.initializer ?? []).filter((t) => t.dataType === FLOAT16).length;
      // Both branches of an If declare the same output types (the If's outputs take them).
      for (const n of scope.graph.node ?? []) {
        if (n.opType !== 'If') continue;
        const [a, b] = ['then_branch', 'else_branch'].map((k) => n.attribute?.find((x) => x.name === k)?.g?.output?.map((o) => o.type?.tensorType?.elemType));
        expect(a).toEqual(b);
      }
    });
    expect(subgraphHalf).toBeGreaterThan(10);
    expect(report.decisions.some((d) => d.node.includes('/then_branch/') && d.op === 'LSTM' && d.decision === 'changed')).toBe(true);
    // 2^20 in the spectrogram scaling is beyond float16: clamped and reported.
    expect(report.warnings.join(' ')).toMatch(/2 weight values beyond ±65504 were clamped/);
    const unclamped = run(float16Pass, m.model, { clampValues: false }).report;
    expect(unclamped.warnings.join(' ')).toMatch(/became ±Infinity/);
  });

  it('to-fp32 on a float32 model changes nothing; keepIoTypes keeps a float16 interface', async () => {
    const m = sampleModel('digits_mlp.onnx');
    expect(run(toFloat32Pass, m.model).report.summary).toMatch(/already float32/);
    const half = run(float16Pass, m.model, { keepIoTypes: false }).model;
    const { model } = run(toFloat32Pass, half, { keepIoTypes: true });
    expect(model.graph?.input?.[0]?.type?.tensorType?.elemType).toBe(FLOAT16);
    expect(model.graph?.output?.[0]?.type?.tensorType?.elemType).toBe(FLOAT16);
    expect((model.graph?.initializer ?? []).every((t) => t.dataType !== FLOAT16)).toBe(true);
    await runOnce(model, randomFeeds(model, 1));
  });
});
