/**
 * The per-operator profile over real models in onnxruntime-web: squeezenet fp32 (Conv+Relu fused into
 * FusedConv), its int8 static variant (QDQ groups fused into QLinearConv, the DequantizeLinear /
 * QuantizeLinear nodes gone into them), and the digits CNN sample (unnamed nodes named #i for the trace).
 */
import { describe, expect, it } from 'vitest';
import type { onnx } from '../core/onnx/codec.js';
import { ok } from '../core/errors.js';
import { applyRecipe, resolveSteps } from '../core/transform/apply-recipe.js';
import { corpusModel, ensureRuntime, hasCorpus, randomFeeds, sampleModel } from '../test-support/models.js';
import { randomCalibrator } from './dataset-calibrator.js';
import { profileModel } from './profile.js';
import type { ModelProfile } from './profile.js';

async function profile(model: onnx.IModelProto): Promise<ModelProfile> {
  ensureRuntime();
  const feeds = randomFeeds(model, 3);
  const r = await profileModel(model, () => ok(feeds), { runs: 3, warmup: 1 });
  if (!r.ok) throw new Error(r.error);
  return r.value;
}

function checkConsistent(p: ModelProfile): void {
  expect(p.summary.runs).toBe(3);
  expect(p.summary.nodes.length).toBeGreaterThan(0);
  const shares = p.summary.nodes.reduce((s, n) => s + n.share, 0);
  expect(shares).toBeCloseTo(1, 6);
  expect(p.summary.kernelUsPerRun).toBeGreaterThan(0);
  // Kernel time fits inside the runs it was measured in.
  expect(p.summary.kernelUsPerRun).toBeLessThanOrEqual(p.summary.runUs * 1.001);
  const { counts, nodes } = p.attribution;
  expect(counts.ran + counts.fused + counts.folded).toBe(nodes.length);
}

describe('profileModel', () => {
  it('digits_cnn sample: every kernel is attributed, unnamed nodes by their #index', async () => {
    const model = sampleModel('digits_cnn.onnx').model;
    const p = await profile(model);
    checkConsistent(p);
    expect(p.attribution.counts.ran).toBeGreaterThan(0);
    // Conv nodes ran (as Conv or FusedConv), BatchNormalization was folded into the Conv weights by ORT.
    const convs = p.attribution.nodes.filter((n) => n.op === 'Conv');
    expect(convs.length).toBeGreaterThan(0);
    for (const c of convs) expect(c.status).toBe('ran');
  }, 30_000);

  it.skipIf(!hasCorpus())('squeezenet: Relu fused into FusedConv; the int8 variant runs QLinearConv with its Q/DQ fused', async () => {
    const model = corpusModel('squeezenet1_1_random_op13.onnx').model;
    const fp32 = await profile(model);
    checkConsistent(fp32);
    const relus = fp32.attribution.nodes.filter((n) => n.op === 'Relu');
    expect(relus.length).toBeGreaterThan(0);
    expect(relus.filter((n) => n.status === 'fused' && n.fusedInto?.kernel === 'FusedConv').length).toBeGreaterThan(relus.length / 2);

    const steps = resolveSteps([{ pass: 'int8-static', options: { placement: 'all' } }]);
    if (!steps.ok) throw new Error(steps.error);
    const out = await applyRecipe(model, steps.value, { calibrate: randomCalibrator(4, 1) });
    if (!out.ok) throw new Error(JSON.stringify(out.error));
    const int8 = await profile(out.value.model);
    checkConsistent(int8);
    expect(int8.attribution.counts.quantizedFused).toBeGreaterThan(10);
    expect(int8.summary.kernels.some((k) => k.kernel === 'QLinearConv')).toBe(true);
    const dq = int8.attribution.nodes.filter((n) => n.op === 'DequantizeLinear');
    expect(dq.filter((n) => n.status === 'fused').length).toBeGreaterThan(dq.length / 2);
  }, 60_000);
});
