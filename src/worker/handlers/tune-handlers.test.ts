/**
 * 'bench/tune' in Node (onnxruntime-web, 1 thread) on the sample digits models, passed as File handles
 * the way the page passes them: with the shipped calibration set and the labelled test set (budget on
 * accuracy), without calibration (the data is split: the first quarter calibrates), and on random data
 * (no labels: the budget is on top-1 agreement). Checks the result's shape: a recipe per measured
 * candidate under a file-safe name, the chosen model's bytes decode and match the recipe, errors carry
 * their reason; and that a bad budget is a user error.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { decodeModelProto } from '../../core/onnx/codec.js';
import { ensureRuntime, SAMPLES_DIR } from '../../test-support/models.js';
import type { HandlerContext } from '../host.js';
import { ModelFailure } from '../host.js';
import type { BenchTunePayload, BenchTuneResult, DataSource } from '../protocol.js';
import { tuneHandlers, tunedRecipeName } from './tune-handlers.js';

beforeAll(() => ensureRuntime(1));

const file = (name: string): File => new File([readFileSync(join(SAMPLES_DIR, name))], name);
const files = (name: string): DataSource => ({ kind: 'files', files: [file(name)] });

async function tuneWith(payload: Omit<BenchTunePayload, 'quick' | 'runs' | 'budgetMs'>, stages: string[] = []): Promise<BenchTuneResult> {
  const handler = tuneHandlers['bench/tune'];
  if (!handler) throw new Error('no bench/tune handler');
  const ctx: HandlerContext = { progress: (stage) => stages.push(stage) };
  return (await handler({ ...payload, quick: true, runs: 6, budgetMs: 300 }, ctx)).result;
}

describe('tunedRecipeName', () => {
  it.each([
    ['fp16', 'fp16'],
    ['int8 dynamic', 'int8-dynamic'],
    ['int8 static (all, percentile)', 'int8-static-all-percentile'],
    ['int8 static (all, 2 most sensitive float)', 'int8-static-all-2-most-sensitive-float'],
    ['prune channels 10 % + int8 static (speed)', 'prune-channels-10-pct-int8-static-speed'],
    ['(((', 'tuned'],
  ])('%s → %s', (name, slug) => expect(tunedRecipeName(name)).toBe(slug));
});

describe('bench/tune on the digits samples', () => {
  it.each(['digits_cnn.onnx', 'digits_mlp.onnx'])('%s with the shipped calibration set and the labelled test set', async (name) => {
    const stages: string[] = [];
    const r = await tuneWith({ model: { id: 'original', source: { kind: 'files', files: [file(name)] } }, data: files('digits_test.json'), calibration: files('digits_calib.npz'), maxDrop: 0.01, maxSamples: 500 }, stages);
    expect(r.report.metric).toBe('accuracy');
    expect(r.report.samples).toBe(360);
    expect(r.calibration).toEqual({ source: 'digits_calib.npz', split: false });
    expect(stages.some((s) => s.startsWith('Auto-tune: '))).toBe(true);
    const measured = r.report.candidates.filter((c) => !c.error);
    expect(measured.length).toBeGreaterThan(0);
    expect(Object.keys(r.recipes).sort()).toEqual(measured.map((c) => c.name).sort());
    for (const c of measured) {
      const recipe = r.recipes[c.name];
      expect(recipe?.name).toMatch(/^[a-z0-9-]+$/);
      expect(recipe?.steps).toEqual(c.steps);
      expect(recipe?.model).toEqual({ fileName: name, bytes: readFileSync(join(SAMPLES_DIR, name)).byteLength });
      if (c.steps.some((s) => s.pass === 'int8-static')) expect(recipe?.calibration).toBe('digits_calib.npz');
    }
    for (const c of r.report.candidates.filter((x) => x.error)) expect(c.error?.length).toBeGreaterThan(5);
    if (r.report.best) {
      const best = r.report.candidates.find((c) => c.name === r.report.best);
      expect(best?.withinBudget).toBe(true);
      expect(r.best?.recipe.name).toBe(tunedRecipeName(r.report.best));
      const decoded = decodeModelProto(new Uint8Array(r.best?.bytes ?? new ArrayBuffer(0)));
      expect(decoded.graph?.node?.length).toBeGreaterThan(0);
      expect(r.best?.bytes.byteLength).toBe(best?.bytes);
    } else {
      expect(r.best).toBeUndefined();
      expect(r.report.warnings.join(' ')).toMatch(/keep the original/);
    }
    console.log(`[bench/tune] ${name}: best ${r.report.best ?? '(original)'}; ${measured.map((c) => `${c.name} ${c.speedup?.toFixed(2)}× ${((c.drop ?? 0) * 100).toFixed(2)} pt`).join(' | ')}`);
  }, 60_000);

  it('without calibration data the first quarter of the data calibrates and the rest evaluates', async () => {
    const r = await tuneWith({ model: { id: 'original', source: { kind: 'files', files: [file('digits_mlp.onnx')] } }, data: files('digits_test.json'), maxDrop: 0.01, maxSamples: 500 });
    expect(r.calibration.split).toBe(true);
    expect(r.calibration.source).toBe('digits_test.json (samples 1–90)');
    expect(r.report.samples).toBe(270);
    expect(r.report.source).toBe('digits_test.json (samples 91–360)');
  }, 60_000);

  it('on random data the budget is on top-1 agreement, with the random-data warning', async () => {
    const r = await tuneWith({ model: { id: 'original', source: { kind: 'files', files: [file('digits_mlp.onnx')] } }, data: { kind: 'random', samples: 16, seed: 3 }, maxDrop: 0.001 });
    expect(r.report.metric).toBe('top1-agreement');
    expect(r.report.samples).toBe(16);
    expect(r.report.warnings.join(' ')).toMatch(/random/i);
    expect(r.calibration.split).toBe(false);
  }, 60_000);

  it('a negative budget is a user error', async () => {
    const run = tuneWith({ model: { id: 'original', source: { kind: 'files', files: [file('digits_mlp.onnx')] } }, data: files('digits_test.json'), maxDrop: -1 });
    await expect(run).rejects.toBeInstanceOf(ModelFailure);
    await expect(run).rejects.toMatchObject({ error: { title: 'The accuracy budget is not a number' } });
  });

  it('data that is not sample data is a user error naming the file', async () => {
    const notes = new File([new TextEncoder().encode('my notes')], 'notes.txt');
    const run = tuneWith({ model: { id: 'original', source: { kind: 'files', files: [file('digits_mlp.onnx')] } }, data: { kind: 'files', files: [notes] }, maxDrop: 0.01 });
    await expect(run).rejects.toMatchObject({ error: { title: 'The auto-tune data could not be read', file: 'notes.txt' } });
  });
});
