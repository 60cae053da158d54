/**
 * int8-dynamic over real models: every output runs in onnxruntime-web, digits accuracy stays within
 * 1 point of fp32, the touched weights shrink to ≤ 0.3× (report numbers and encoded file), and the
 * edge cases the brief lists (per channel, exclusions, Constant-node weights, shared weights, Gemm
 * alpha/beta/transB, activation×activation MatMuls, Conv in If subgraphs) behave.
 */
import { describe, expect, it } from 'vitest';
import { model as buildModel } from '../../graph/test-models.js';
import type { onnx } from '../../onnx/codec.js';
import { encodeModelProto, encodeTensorProto, Long } from '../../onnx/codec.js';
import { accuracy, fidelity } from '../../metrics/fidelity.js';
import { OrtTensor } from '../../../runtime/ort.js';
import type { Tensor } from '../../../runtime/ort.js';
import { corpusModel, DIGITS_MODELS, digitsLogits, digitsTestSet, hasCorpus, loadDigitsModel, randomFeeds, runOnce } from '../../../test-support/models.js';
import { floatTensor, node, walkGraphs } from '../graph-edit.js';
import { resolveOptions } from '../options.js';
import type { PassOptions, PassOutcome } from '../types.js';
import { int8DynamicPass } from './int8-dynamic.js';

function applyPass(model: onnx.IModelProto, given: PassOptions = {}): PassOutcome {
  const options = resolveOptions(int8DynamicPass.id, int8DynamicPass.options, given);
  if (!options.ok) throw new Error(options.error);
  const out = int8DynamicPass.apply(model, options.value, { progress: () => undefined });
  if (!out.ok) throw new Error(out.error);
  return out.value;
}

/** Encoded bytes of every weight (initializers and Constant values) by name, across subgraphs. */
function storedWeights(m: onnx.IModelProto): Map<string, number> {
  const out = new Map<string, number>();
  walkGraphs(m, (scope) => {
    for (const t of scope.graph.initializer ?? []) out.set(t.name ?? '', encodeTensorProto(t).byteLength);
    for (const n of scope.graph.node ?? []) {
      const t = n.opType === 'Constant' ? n.attribute?.find((a) => a.name === 'value')?.t : undefined;
      if (t) out.set(n.output?.[0] ?? '', encodeTensorProto(t).byteLength);
    }
  });
  return out;
}

/** Stored bytes of the weights the pass added over those it removed. */
function storedRatio(before: onnx.IModelProto, after: onnx.IModelProto): number {
  const a = storedWeights(before);
  const b = storedWeights(after);
  let removed = 0;
  let added = 0;
  for (const [name, bytes] of a) if (!b.has(name)) removed += bytes;
  for (const [name, bytes] of b) if (!a.has(name)) added += bytes;
  return added / removed;
}

const ops = (m: onnx.IModelProto): string[] => (m.graph?.node ?? []).map((n) => n.opType ?? '');
const labels = digitsTestSet().y;
const corpusNote = hasCorpus() ? '' : ' (SKIPPED: ../shared/corpus is absent)';

describe('int8-dynamic over the digits models', () => {
  const table = DIGITS_MODELS.flatMap((entry) => [
    { entry, options: {} as PassOptions, mode: 'per tensor', limit: 0.3 },
    // A scale and zero point per column cost 5 bytes per column: 0.16 bytes per weight on 32-row weights.
    { entry, options: { perChannel: true } as PassOptions, mode: 'per channel', limit: 0.35 },
  ]);
  it.each(table)('$entry.file $mode: runs, accuracy within 1 point, weights ≤ 0.3×', async ({ entry, options, mode, limit }) => {
    if (entry.dir === 'corpus' && !hasCorpus()) return;
    const loaded = loadDigitsModel(entry);
    const { model, report } = applyPass(loaded.model, options);
    expect(report.changedNodes).toBeGreaterThan(0);
    expect(ops(model)).toContain('DynamicQuantizeLinear');
    expect(ops(model)).not.toContain('Gemm');
    // Only activation × activation MatMuls (attention) stay float, each with its reason.
    for (const d of report.decisions.filter((x) => x.decision !== 'changed')) expect(d.reason).toMatch(/activations/);

    const ref = await digitsLogits(loaded.bytes);
    const got = await digitsLogits(model);
    const a0 = accuracy(ref, 10, labels).accuracy;
    const a1 = accuracy(got, 10, labels).accuracy;
    expect(a0 - a1).toBeLessThanOrEqual(0.01);
    expect(fidelity(ref, got).cosine).toBeGreaterThan(0.999);

    expect(report.weightBytesAfter / report.weightBytesBefore).toBeLessThanOrEqual(limit);
    // As encoded in the file: the protobuf bytes of the weight tensors that replaced the float ones.
    const stored = storedRatio(loaded.model, model);
    expect(stored).toBeLessThanOrEqual(limit);
    // The whole file also carries the new nodes' names: on these tiny models that is visible.
    const fileDelta = (encodeModelProto(model).byteLength - (loaded.bytes.byteLength - report.weightBytesBefore)) / report.weightBytesBefore;
    console.log(`| ${entry.file} | int8-dynamic ${mode} | ${(a0 * 100).toFixed(1)} → ${(a1 * 100).toFixed(1)} % | cos ${fidelity(ref, got).cosine.toFixed(5)} | weights ${(report.weightBytesAfter / report.weightBytesBefore).toFixed(3)}× | stored ${stored.toFixed(3)}× | file ${fileDelta.toFixed(3)}× |`);
  });
});

/** Silero VAD: 512 samples at 16 kHz (sr picks the If branch), zero LSTM state. */
const SILERO = { input: [1, 512], sr: 16000, h: [2, 1, 64], c: [2, 1, 64] };

/** Random float feeds of the given shapes (an int64 scalar for numbers); randomFeeds for the rest. */
function feedsFor(model: onnx.IModelProto, shapes: Readonly<Record<string, number | number[]>> | undefined): Record<string, Tensor> {
  const feeds: Record<string, Tensor> = randomFeeds(model, 3);
  let seed = 1;
  for (const [name, shape] of Object.entries(shapes ?? {})) {
    if (typeof shape === 'number') feeds[name] = new OrtTensor('int64', BigInt64Array.of(BigInt(shape)), []);
    else feeds[name] = new OrtTensor('float32', Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 2 - 1), shape);
  }
  return feeds;
}

describe(`int8-dynamic over corpus models${corpusNote}`, () => {
  interface Case {
    readonly file: string;
    readonly options: PassOptions;
    readonly changed: number;
    readonly minCosine: number;
    readonly feeds?: Readonly<Record<string, number | number[]>>;
    /** A speed warning the report must carry. */
    readonly warns?: RegExp;
  }
  const cases: Case[] = [
    // Its only MatMul multiplies two computed tensors (the weight comes through a Reshape).
    { file: 'mnist-8_cntk.onnx', options: {}, changed: 0, minCosine: 1 },
    { file: 'melspectrogram.onnx', options: {}, changed: 1, minCosine: 0.999, feeds: { input: [1, 1760] } },
    { file: 'mobilenet_v2_random_op13.onnx', options: { perChannel: true }, changed: 1, minCosine: 0.99 },
    // Conv is opt-in: uint8 weights (ConvInteger u8×u8); silero's convs live in If branches.
    { file: 'silero_vad_legacy.onnx', options: { opTypesToQuantize: 'Conv' }, changed: 1, minCosine: 0.95, feeds: SILERO },
    { file: 'embedding_model.onnx', options: { opTypesToQuantize: 'Conv', perChannel: true }, changed: 1, minCosine: 0.98 },
  ];
  it.skipIf(!hasCorpus()).each(cases)('$file runs and stays close', async ({ file, options, changed, minCosine, feeds: shapes, warns }) => {
    const loaded = corpusModel(file);
    const { model, report } = applyPass(loaded.model, options);
    if (changed === 0) expect(report.changedNodes).toBe(0);
    else expect(report.changedNodes).toBeGreaterThanOrEqual(changed);
    expect(report.decisions.length).toBe(report.changedNodes + report.skippedNodes);
    if (warns) expect(report.warnings.join(' ')).toMatch(warns);
    const feeds = feedsFor(loaded.model, shapes);
    const ref = await runOnce(loaded.bytes, feeds);
    const got = await runOnce(model, feeds);
    for (const [name, r] of Object.entries(ref)) {
      const f = fidelity(r, got[name] ?? new Float32Array());
      expect(f.cosine, `${file} ${name}`).toBeGreaterThanOrEqual(minCosine);
    }
    if (report.changedNodes > 0) expect(report.weightBytesAfter / report.weightBytesBefore).toBeLessThanOrEqual(0.3);
  });
});

/** x [2, 8] → MatMul(W) → MatMul(W) (a shared weight) → Gemm(alpha, beta, transB) → y [2, 4]. */
function handmade(weightsAsConstants: boolean): onnx.IModelProto {
  const w = Float32Array.from({ length: 64 }, (_, i) => Math.sin(i * 1.3) * 0.5);
  const g = Float32Array.from({ length: 32 }, (_, i) => Math.cos(i * 0.7));
  const c = Float32Array.from({ length: 4 }, (_, i) => i - 1.5);
  const weights = [floatTensor('W', [8, 8], w), floatTensor('G', [4, 8], g), floatTensor('C', [4], c)];
  const m = buildModel({
    nodes: [
      { op: 'MatMul', inputs: ['x', 'W'], outputs: ['h1'], name: 'first' },
      { op: 'MatMul', inputs: ['h1', 'W'], outputs: ['h2'], name: 'second' },
      { op: 'Gemm', inputs: ['h2', 'G', 'C'], outputs: ['y'], name: 'head', attrs: { transB: 1, alpha: { f: 0.5 }, beta: { f: 2 } } },
    ],
    inputs: [['x', 1, [2, 8]]],
    outputs: [['y', 1, [2, 4]]],
    initializers: weightsAsConstants ? [] : weights,
  });
  if (weightsAsConstants && m.graph) {
    const consts = weights.map((t) => node('Constant', [], [t.name ?? ''], `const_${t.name ?? ''}`, [{ name: 'value', type: 4, t: { ...t, name: '' } }]));
    m.graph.node = [...consts, ...(m.graph.node ?? [])];
  }
  return m;
}

describe('int8-dynamic edge cases', () => {
  it('a model older than opset 11 (no DynamicQuantizeLinear) is left as it is, with the reason', () => {
    const mlp = loadDigitsModel({ file: 'digits_mlp.onnx', dir: 'samples' }).model;
    const old: onnx.IModelProto = { ...mlp, opsetImport: [{ domain: '', version: Long.fromNumber(9) }] };
    const { report } = applyPass(old);
    expect(report.changedNodes).toBe(0);
    expect(report.decisions.every((d) => d.decision === 'skipped' && /opset 9 is older than 11/.test(d.reason))).toBe(true);
    expect(report.warnings.join(' ')).toMatch(/convert the model to opset ≥ 11/);
  });
  const x = new OrtTensor('float32', Float32Array.from({ length: 16 }, (_, i) => Math.sin(i) + 0.2), [2, 8]);
  it.each([
    { weights: 'initializers', constants: false },
    { weights: 'Constant nodes', constants: true },
  ])('shared weight, Gemm alpha/beta/transB, weights as $weights', async ({ constants }) => {
    const m = handmade(constants);
    const { model, report } = applyPass(m);
    expect(report.changedNodes).toBe(3);
    // x has 2 rows (known shape): the report says int8 is not faster there.
    expect(report.warnings.join(' ')).toMatch(/only 2 rows per run/);
    // W is quantized once for both readers; the float W, G and C are gone.
    expect(ops(model).filter((o) => o === 'Constant')).toHaveLength(0);
    const names = (model.graph?.initializer ?? []).map((t) => t.name);
    expect(names.filter((n) => n?.startsWith('W_quantized'))).toHaveLength(1);
    expect(names).not.toContain('W');
    expect(names).not.toContain('G');
    const ref = (await runOnce(m, { x })).y ?? new Float32Array();
    const got = (await runOnce(model, { x })).y ?? new Float32Array();
    expect(fidelity(ref, got).cosine).toBeGreaterThan(0.999);
    expect(fidelity(ref, got).maxAbsError).toBeLessThan(0.05 * Math.max(...ref.map(Math.abs)));
  });

  it('respects nodesToExclude, keeps the float weight its reader still needs', async () => {
    const m = handmade(false);
    const { model, report } = applyPass(m, { nodesToExclude: 'second', perChannel: true, weightType: 'uint8' });
    expect(report.changedNodes).toBe(2);
    expect(report.decisions.find((d) => d.node === 'second')).toMatchObject({ decision: 'skipped', reason: 'excluded by nodesToExclude' });
    expect((model.graph?.node ?? []).find((n) => n.name === 'second')?.opType).toBe('MatMul');
    expect((model.graph?.initializer ?? []).map((t) => t.name)).toContain('W');
    const ref = (await runOnce(m, { x })).y ?? new Float32Array();
    const got = (await runOnce(model, { x })).y ?? new Float32Array();
    expect(fidelity(ref, got).cosine).toBeGreaterThan(0.999);
  });

  it('minElements and opTypesToQuantize limit the candidates; the input model is untouched', () => {
    const m = handmade(false);
    const before = encodeModelProto(m);
    const { report } = applyPass(m, { minElements: 40, opTypesToQuantize: 'MatMul' });
    expect(report.changedNodes).toBe(2); // the Gemm is not a candidate, the two 64-element MatMuls are
    expect(report.decisions).toHaveLength(2);
    const small = applyPass(m, { minElements: 100 }).report;
    expect(small.changedNodes).toBe(0);
    expect(small.decisions.every((d) => /minElements/.test(d.reason))).toBe(true);
    expect(encodeModelProto(m)).toEqual(before);
    const est = int8DynamicPass.estimate(m, { opTypesToQuantize: 'MatMul,Gemm' });
    expect(est.nodes).toBe(3);
    expect(est.weightBytesAfter / est.weightBytesBefore).toBeLessThan(0.4);
  });
});
