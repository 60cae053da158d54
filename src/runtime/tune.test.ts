/**
 * Auto-tune over the sample digits models with the shipped calibration set and the labelled test split
 * (quick search: the base recipes). Checks the decision logic on real measurements: every candidate is
 * measured or carries a reason, the Pareto front is non-dominated, and the pick is the fastest within
 * budget (and faster than the original).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bindDataset } from '../core/data/bind.js';
import { modelInputSpecs } from '../core/transform/model-inputs.js';
import { readDatasetPath } from '../cli/read-dataset.js';
import { ensureRuntime, SAMPLES_DIR, sampleModel } from '../test-support/models.js';
import { calibratorForDataset } from './dataset-calibrator.js';
import { baseCandidates, tune } from './tune.js';

describe('tune', () => {
  it.each(['digits_cnn.onnx', 'digits_mlp.onnx'])('%s within 1 point of top-1', async (file) => {
    ensureRuntime();
    const model = sampleModel(file).model;
    const test = readDatasetPath(join(SAMPLES_DIR, 'digits_test.json'));
    const calib = readDatasetPath(join(SAMPLES_DIR, 'digits_calib.npz'));
    if (!test.ok || !calib.ok) throw new Error('sample data missing');
    const data = bindDataset(test.value, modelInputSpecs(model));
    if (!data.ok) throw new Error(data.error);
    const r = await tune(model, data.value, calibratorForDataset(calib.value), { maxDrop: 0.01 }, { quick: true, maxSamples: 360, runs: 15, budgetMs: 800 });
    if (!r.ok) throw new Error(r.error);
    const { report } = r.value;
    expect(report.metric).toBe('accuracy');
    expect(report.candidates).toHaveLength(baseCandidates().length);
    for (const c of report.candidates) {
      if (c.error) expect(c.error.length).toBeGreaterThan(5);
      else {
        expect(c.speedup).toBeGreaterThan(0);
        expect(c.metric).toBeGreaterThan(0.5);
        expect(c.withinBudget).toBe((c.drop ?? 1) <= 0.01 + 1e-12);
      }
    }
    const measured = report.candidates.filter((c) => !c.error);
    const front = measured.filter((c) => c.onPareto);
    expect(front.length).toBeGreaterThan(0);
    for (const p of front) {
      const dominator = measured.find((o) => o !== p && (o.speedup ?? 0) >= (p.speedup ?? 0) && (o.metric ?? 0) >= (p.metric ?? 0) && ((o.speedup ?? 0) > (p.speedup ?? 0) || (o.metric ?? 0) > (p.metric ?? 0)));
      expect(dominator).toBeUndefined();
    }
    if (report.best) {
      const best = report.candidates.find((c) => c.name === report.best);
      expect(best?.withinBudget).toBe(true);
      expect(best?.speedup).toBeGreaterThan(1);
      for (const c of measured.filter((m) => m.withinBudget)) expect(c.speedup ?? 0).toBeLessThanOrEqual(best?.speedup ?? 0);
      expect(r.value.model).toBeDefined();
    } else expect(report.warnings.join(' ')).toMatch(/keep the original/);
    console.log(`[tune] ${file}: original ${(report.original.metric * 100).toFixed(2)} %, best ${report.best ?? '(original)'}; ${measured.map((c) => `${c.name} ${c.speedup?.toFixed(2)}× ${((c.drop ?? 0) * 100).toFixed(2)} pt${c.onPareto ? ' *' : ''}`).join(' | ')}`);
  }, 120_000);
});
