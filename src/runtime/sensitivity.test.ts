/**
 * Quantization debugging over the sample digits models, with the shipped calibration set and the
 * labelled test split: per-tensor error against the float model (activation-diff.ts) and per-layer
 * sensitivity (sensitivity.ts). The product promise is checked, not just the plumbing: keeping the
 * most sensitive layers in float brings the variant's outputs closer to the original.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { onnx } from '../core/onnx/codec.js';
import { bindDataset } from '../core/data/bind.js';
import type { BoundDataset } from '../core/data/types.js';
import { applyRecipe, resolveSteps } from '../core/transform/apply-recipe.js';
import { modelInputSpecs } from '../core/transform/model-inputs.js';
import type { PassStep } from '../core/transform/recipe.js';
import { readDatasetPath } from '../cli/read-dataset.js';
import { ensureRuntime, SAMPLES_DIR, sampleModel } from '../test-support/models.js';
import { activationDiff } from './activation-diff.js';
import { calibratorForDataset } from './dataset-calibrator.js';
import { layerSensitivity } from './sensitivity.js';

function dataset(file: string, model: onnx.IModelProto): BoundDataset {
  const ds = readDatasetPath(join(SAMPLES_DIR, file));
  if (!ds.ok) throw new Error(ds.error);
  const bound = bindDataset(ds.value, modelInputSpecs(model));
  if (!bound.ok) throw new Error(bound.error);
  return bound.value;
}

const calibration = () => {
  const ds = readDatasetPath(join(SAMPLES_DIR, 'digits_calib.npz'));
  if (!ds.ok) throw new Error(ds.error);
  return calibratorForDataset(ds.value);
};

async function variant(model: onnx.IModelProto, step: PassStep): Promise<onnx.IModelProto> {
  const steps = resolveSteps([step]);
  if (!steps.ok) throw new Error(steps.error);
  const r = await applyRecipe(model, steps.value, { calibrate: calibration() });
  if (!r.ok) throw new Error(JSON.stringify(r.error));
  return r.value.model;
}

const INT8_ALL: PassStep = { pass: 'int8-static', options: { placement: 'all' } };

describe('activationDiff', () => {
  it.each([
    { file: 'digits_cnn.onnx', step: INT8_ALL, via: 'qdq', minCosine: 0.95 },
    { file: 'digits_mlp.onnx', step: INT8_ALL, via: 'qdq', minCosine: 0.95 },
    { file: 'digits_cnn.onnx', step: { pass: 'fp16', options: {} }, via: 'same', minCosine: 0.9999 },
  ])('$file with $step.pass: every matched tensor close to the original', async ({ file, step, via, minCosine }) => {
    ensureRuntime();
    const model = sampleModel(file).model;
    const cand = await variant(model, step);
    const r = await activationDiff(model, cand, dataset('digits_test.json', model), { maxSamples: 16 });
    if (!r.ok) throw new Error(r.error);
    expect(r.value.samples).toBe(16);
    expect(r.value.tensors.length).toBeGreaterThan(3);
    expect(r.value.tensors.some((t) => t.via === via)).toBe(true);
    for (const t of r.value.tensors) {
      expect(t.fidelity.cosine, t.tensor).toBeGreaterThan(minCosine);
      expect(t.fidelity.elements).toBeGreaterThan(0);
    }
    // Quantization error is not zero everywhere (the comparison sees the variant, not the original twice).
    expect(r.value.tensors.some((t) => Number.isFinite(t.fidelity.sqnrDb))).toBe(true);
  }, 30_000);

  it('a model against itself: no error anywhere', async () => {
    ensureRuntime();
    const model = sampleModel('digits_cnn.onnx').model;
    const r = await activationDiff(model, model, dataset('digits_test.json', model), { maxSamples: 4 });
    if (!r.ok) throw new Error(r.error);
    for (const t of r.value.tensors) expect(t.fidelity.sqnrDb).toBe(Infinity);
  }, 30_000);
});

describe('layerSensitivity', () => {
  it.each(['digits_cnn.onnx', 'digits_mlp.onnx'])('%s: ranks every int8 layer; keeping the worst two float reduces the error', async (file) => {
    ensureRuntime();
    const model = sampleModel(file).model;
    const data = dataset('digits_test.json', model);
    const r = await layerSensitivity(model, INT8_ALL, data, calibration(), { maxSamples: 128 });
    if (!r.ok) throw new Error(r.error);
    const s = r.value;
    expect(s.samples).toBe(128);
    expect(s.layers.length).toBeGreaterThan(1);
    expect(s.referenceAccuracy?.total).toBe(128);
    for (const l of s.layers) expect(l.accuracy?.total).toBe(128);
    // Every layer alone moves the outputs less than all of them together.
    const maxSingle = Math.max(...s.layers.map((l) => l.fidelity.sqnrDb));
    expect(s.full.fidelity.sqnrDb).toBeLessThanOrEqual(maxSingle);
    // Excluding the two most sensitive layers: closer to the original than quantizing everything.
    const worst = s.layers.slice(0, 2).map((l) => l.node).join(',');
    const kept = await variant(model, { pass: 'int8-static', options: { placement: 'all', nodesToExclude: worst } });
    const diff = await activationDiff(model, kept, data, { maxSamples: 128 });
    if (!diff.ok) throw new Error(diff.error);
    const output = diff.value.tensors.find((t) => t.tensor === (model.graph?.output?.[0]?.name ?? ''));
    expect(output).toBeDefined();
    console.log(`[sensitivity] ${file}: full SQNR ${s.full.fidelity.sqnrDb.toFixed(1)} dB → without ${worst}: ${output?.fidelity.sqnrDb.toFixed(1)} dB; ranking ${s.layers.map((l) => `${l.node} ${l.fidelity.sqnrDb.toFixed(1)}`).join(' | ')}`);
    expect(output?.fidelity.sqnrDb ?? -Infinity).toBeGreaterThan(s.full.fidelity.sqnrDb);
  }, 60_000);
});
