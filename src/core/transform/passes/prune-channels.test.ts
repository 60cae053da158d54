/**
 * prune-channels over real models: the digits CNNs (Conv→BN→Relu→…→Flatten→Gemm, labelled accuracy
 * reported), squeezenet (Concat of expand convs), mobilenet_v2 (depthwise + residual Add) and the
 * light ResNet50 structure (residual stages, weights materialised). For each: the pruned model runs
 * in onnxruntime-web with finite outputs of unchanged shape, parameters and MACs fall, the file is
 * smaller, the estimate matches the report, skipped groups carry a reason, and the input is not mutated.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { onnx } from '../../onnx/codec.js';
import { decodeModelProto, encodeModelProto } from '../../onnx/codec.js';
import { elementCount, tensorDims } from '../../onnx/tensor.js';
import { accuracy } from '../../metrics/fidelity.js';
import { inferShapes } from '../../shape/index.js';
import { computeStats } from '../../stats/index.js';
import { modelCompute } from '../../stats/model-compute.js';
import { CORPUS, corpusModel, digitsLogits, digitsTestSet, hasCorpus, randomFeeds, readBytes, runOnce, sampleModel } from '../../../test-support/models.js';
import { materializeConstantOfShape } from '../../../test-support/materialize.js';
import { findChannelGroups } from '../../prune/channel-groups.js';
import { resolveOptions } from '../options.js';
import type { PassOptions, PassOutcome } from '../types.js';
import { planChannels, pruneChannelsPass } from './prune-channels.js';
import { cloneModel } from '../graph-edit.js';
import { writeZeroed } from '../../prune/weights.js';
import { fidelity } from '../../metrics/fidelity.js';

const corpusNote = hasCorpus() ? '' : ' (SKIPPED: ../shared/corpus is absent)';

function prune(model: onnx.IModelProto, given: PassOptions = {}): PassOutcome {
  const options = resolveOptions(pruneChannelsPass.id, pruneChannelsPass.options, given);
  if (!options.ok) throw new Error(options.error);
  const out = pruneChannelsPass.apply(model, options.value, { progress: () => undefined });
  if (!out.ok) throw new Error(out.error);
  return out.value;
}

const params = (m: onnx.IModelProto): number => (m.graph?.initializer ?? []).reduce((s, t) => s + elementCount(tensorDims(t)), 0);
const macs = (m: onnx.IModelProto): number => computeStats(m, inferShapes(m, { symbols: {} })).totalMacs ?? 0;

interface Case {
  readonly name: string;
  readonly load: () => onnx.IModelProto;
  readonly corpus: boolean;
  /** At least this many groups must be pruned at ratio 0.3. */
  readonly minChanged: number;
  readonly digits?: boolean;
  /** A group that must be left alone, with its reason. */
  readonly skipped?: RegExp;
}

const lightPath = (name: string): string => join(CORPUS, `onnx-backend-tests/light/light_${name}.onnx`);
const resnetPath = lightPath('resnet50');
const light = (name: string) => (): onnx.IModelProto => materializeConstantOfShape(decodeModelProto(readBytes(lightPath(name))));

const CASES: readonly Case[] = [
  { name: 'digits_cnn (sample)', load: () => sampleModel('digits_cnn.onnx').model, corpus: false, minChanged: 1, digits: true },
  { name: 'digits_cnn_op13', load: () => corpusModel('digits_cnn_op13.onnx').model, corpus: true, minChanged: 1, digits: true },
  { name: 'squeezenet1_1_random_op13', load: () => corpusModel('squeezenet1_1_random_op13.onnx').model, corpus: true, minChanged: 8, skipped: /reach graph output logits/ },
  { name: 'mobilenet_v2_random_op13', load: () => corpusModel('mobilenet_v2_random_op13.onnx').model, corpus: true, minChanged: 8 },
  // ResNet50: residual stages; its classifier input is a Reshape to [1, 2048] (a flatten, rewritten to [0, -1]).
  { name: 'light_resnet50 (materialised)', load: light('resnet50'), corpus: true, minChanged: 37 },
  // DenseNet121: every layer's output is concatenated into all later ones, BatchNorm as Mul/Add of Unsqueezed vectors.
  { name: 'light_densenet121 (materialised)', load: light('densenet121'), corpus: true, minChanged: 100, skipped: /reach graph output/ },
  // Inception v1: four-branch Concats, LRN (mixes neighbouring channels: left alone), Reshape of the classifier weight.
  { name: 'light_inception_v1 (materialised)', load: light('inception_v1'), corpus: true, minChanged: 50, skipped: /LRN/ },
  { name: 'light_inception_v2 (materialised)', load: light('inception_v2'), corpus: true, minChanged: 60 },
  // ShuffleNet v1: grouped 1×1 convs and channel shuffles; grouped convs are not pruned, the model stays as it was.
  { name: 'light_shufflenet (materialised)', load: light('shufflenet'), corpus: true, minChanged: 0, skipped: /grouped Conv/ },
];

describe.each(CASES)('prune-channels on $name', (c) => {
  const absent = c.corpus && (!hasCorpus() || (c.name.startsWith('light') && !existsSync(resnetPath)));
  const prunes = c.minChanged > 0;
  it.skipIf(absent)(`prunes 30 % of the channels, stays valid and gets smaller${c.corpus ? corpusNote : ''}`, async () => {
    const model = c.load();
    const bytesIn = encodeModelProto(model);
    const { model: out, report } = prune(model, { ratio: 0.3 });

    // The input is untouched.
    expect(Buffer.compare(encodeModelProto(model), bytesIn)).toBe(0);

    const changed = report.decisions.filter((d) => d.decision === 'changed');
    const skipped = report.decisions.filter((d) => d.decision === 'skipped');
    expect(changed.length).toBeGreaterThanOrEqual(c.minChanged);
    for (const d of report.decisions) expect(d.reason.length).toBeGreaterThan(5);
    if (c.skipped) expect(skipped.some((d) => c.skipped?.test(d.reason))).toBe(true);
    for (const d of changed) expect(d.reason).toMatch(/^\d+ → \d+ channels \(l1/);

    // Physically smaller: parameters, MACs, file, and the estimate agrees with the report.
    const pBefore = params(model);
    const pAfter = params(out);
    const mBefore = macs(model);
    const mAfter = macs(out);
    const fileAfter = encodeModelProto(out).byteLength;
    if (prunes) {
      expect(pAfter).toBeLessThan(pBefore);
      expect(mAfter).toBeLessThan(mBefore);
      expect(fileAfter).toBeLessThan(bytesIn.byteLength);
      expect(report.weightBytesAfter).toBeLessThan(report.weightBytesBefore);
    } else {
      expect(pAfter).toBe(pBefore);
      expect(mAfter).toBe(mBefore);
    }
    const est = pruneChannelsPass.estimate(model, { ...resolveOptionsOrThrow({ ratio: 0.3 }) });
    expect(est.weightBytesBefore).toBe(report.weightBytesBefore);
    expect(est.weightBytesAfter).toBe(report.weightBytesAfter);
    // The panel's live parameters/MACs figure agrees with the pruned model's own count.
    const measured = modelCompute(out);
    expect(est.compute?.paramsBefore).toBe(modelCompute(model).params);
    expect(Math.abs((est.compute?.paramsAfter ?? 0) - measured.params)).toBeLessThanOrEqual(Math.max(8, measured.params * 1e-3));
    expect(Math.abs((est.compute?.macsAfter ?? 0) - (measured.macs ?? 0))).toBeLessThanOrEqual((measured.macs ?? 0) * 5e-3);

    // Runs in onnxruntime-web; outputs keep their shape and are finite.
    const feeds = randomFeeds(model, 3);
    const ref = await runOnce(model, feeds);
    const got = await runOnce(out, feeds);
    for (const [name, v] of Object.entries(ref)) {
      expect(got[name]?.length).toBe(v.length);
      expect(got[name]?.every(Number.isFinite)).toBe(true);
    }
    // Declared output shapes are unchanged; value_info left behind agrees with the pruned model.
    expect(out.graph?.output?.map((o) => JSON.stringify(o.type))).toEqual(model.graph?.output?.map((o) => JSON.stringify(o.type)));
    const inferred = inferShapes(out, { symbols: {} });
    for (const vi of out.graph?.valueInfo ?? []) {
      const declared = (vi.type?.tensorType?.shape?.dim ?? []).map((d) => (d.dimValue === undefined || d.dimValue === null ? undefined : Number(d.dimValue)));
      const got = inferred.get(vi.name ?? '')?.shape;
      if (got && declared.every((d) => d !== undefined)) expect(got, vi.name ?? '').toEqual(declared);
    }

    let acc = '';
    if (c.digits) {
      const set = digitsTestSet();
      const before = accuracy(await digitsLogits(model), 10, set.y).accuracy;
      const after = accuracy(await digitsLogits(out), 10, set.y).accuracy;
      acc = `; digits accuracy ${(before * 100).toFixed(1)} % → ${(after * 100).toFixed(1)} %`;
    }
    console.log(
      `[prune-channels] ${c.name}: params ${pBefore} → ${pAfter} (${(pAfter / pBefore).toFixed(3)}×), MACs ${mBefore} → ${mAfter} (${(mAfter / mBefore).toFixed(3)}×), file ${bytesIn.byteLength} → ${fileAfter} B; groups ${changed.length} changed, ${skipped.length} skipped, ${report.decisions.length - changed.length - skipped.length} kept${acc}`,
    );
    for (const d of skipped.slice(0, 4)) console.log(`   skipped ${d.node}: ${d.reason}`);
  }, 60_000);
});

function resolveOptionsOrThrow(given: PassOptions): PassOptions {
  const r = resolveOptions(pruneChannelsPass.id, pruneChannelsPass.options, given);
  if (!r.ok) throw new Error(r.error);
  return r.value;
}

describe.skipIf(!hasCorpus())(`prune-channels group analysis${corpusNote}`, () => {
  it('mobilenet_v2: residual joins merge producers, depthwise convs follow their channels', () => {
    const groups = findChannelGroups(corpusModel('mobilenet_v2_random_op13.onnx').model, new Set());
    expect(groups.some((g) => !g.reason && g.producers.length > 1)).toBe(true);
    expect(groups.some((g) => !g.reason && g.depthwise.length > 0)).toBe(true);
  });

  it('squeezenet: expand convs feeding a Concat are pruned at their offsets in the next squeeze conv', () => {
    const model = corpusModel('squeezenet1_1_random_op13.onnx').model;
    const groups = findChannelGroups(model, new Set());
    const viaConcat = groups.filter((g) => !g.reason && g.slices.some((s) => s.axis === 1 && s.offset > 0));
    expect(viaConcat.length).toBeGreaterThan(0);
  });

  it('nodesToExclude keeps a group whole, minChannels and roundTo bound the kept count', () => {
    const model = corpusModel('digits_cnn_op13.onnx').model;
    const first = findChannelGroups(model, new Set()).find((g) => !g.reason);
    expect(first).toBeDefined();
    const label = first?.label ?? '';
    const excluded = prune(model, { ratio: 0.5, nodesToExclude: label });
    expect(excluded.report.decisions.find((d) => d.node === label)?.decision).toBe('skipped');
    const rounded = prune(model, { ratio: 0.5, roundTo: 4, minChannels: 1 });
    for (const d of rounded.report.decisions.filter((r) => r.decision === 'changed')) {
      const kept = Number(/→ (\d+) channels/.exec(d.reason)?.[1]);
      expect(kept % 4 === 0 || d.reason.startsWith(`${kept} `)).toBe(true);
    }
    const none = prune(model, { ratio: 0.3, minChannels: 4096 });
    expect(none.report.changedNodes).toBe(0);
  });

  it('global scope removes the same total and the model still runs', async () => {
    const model = corpusModel('mobilenet_v2_random_op13.onnx').model;
    const { model: out, report } = prune(model, { ratio: 0.3, scope: 'global', importance: 'l2' });
    expect(report.changedNodes).toBeGreaterThan(0);
    const got = await runOnce(out, randomFeeds(model, 2));
    for (const v of Object.values(got)) expect(v.every(Number.isFinite)).toBe(true);
  }, 20_000);
});

/**
 * Exactness: removing channel c must equal keeping it but zeroing every consumer weight that reads it
 * (next convs' input channel c, the classifier's feature c): channel c then reaches nothing. Checked
 * through BN/activations/pools, depthwise convs, residual joins and Concat offsets.
 */
describe.skipIf(!hasCorpus())(`prune-channels equals masking the consumers${corpusNote}`, () => {
  const cases = [
    { name: 'digits_cnn (sample)', load: () => sampleModel('digits_cnn.onnx').model },
    { name: 'digits_cnn_op13', load: () => corpusModel('digits_cnn_op13.onnx').model },
    { name: 'squeezenet1_1_random_op13', load: () => corpusModel('squeezenet1_1_random_op13.onnx').model },
    { name: 'mobilenet_v2_random_op13', load: () => corpusModel('mobilenet_v2_random_op13.onnx').model },
    // Concat offsets of concatenations of concatenations, Mul/Add per-channel vectors, folded Unsqueezes.
    { name: 'light_densenet121', load: light('densenet121') },
    // A flattening Reshape in front of the classifier.
    { name: 'light_inception_v1', load: light('inception_v1') },
  ];
  it.each(cases)('$name', async ({ load }) => {
    const model = load();
    const options = resolveOptionsOrThrow({ ratio: 0.3 });
    const { model: pruned } = prune(model, options);
    const masked = cloneModel(model);
    const plan = planChannels(masked, options);
    let zeroedSlices = 0;
    for (const g of plan.groups) {
      if (g.decision !== 'changed') continue;
      for (const s of g.group.slices) {
        const consumer = (s.reader.opType === 'Conv' && s.axis === 1) || s.reader.opType === 'Gemm' || s.reader.opType === 'MatMul';
        if (!consumer || s.private) continue;
        const dims = tensorDims(s.weight.tensor);
        const mask = new Uint8Array(elementCount(dims));
        const inner = elementCount(dims.slice(s.axis + 1));
        const n = dims[s.axis] as number;
        const cut = new Set(g.removed.map((c) => c + s.offset));
        for (let i = 0; i < mask.length; i++) if (cut.has(Math.floor((Math.floor(i / inner) % n) / s.block))) mask[i] = 1;
        writeZeroed(s.weight.tensor, mask);
        zeroedSlices++;
      }
    }
    expect(zeroedSlices).toBeGreaterThan(0);
    const feeds = randomFeeds(model, 5);
    const a = await runOnce(masked, feeds);
    const b = await runOnce(pruned, feeds);
    for (const [name, v] of Object.entries(a)) {
      const f = fidelity(v, b[name] ?? new Float32Array());
      expect(f.cosine).toBeGreaterThan(0.99999);
    }
  }, 20_000);
});
