/**
 * `studio tune`, in-process, on the sample digits MLP with its labelled test split (calibrated on the
 * first quarter, evaluated on the rest): the JSON fields, the chosen model is written and runs with
 * the accuracy the report claims, the recipe replays, bad usage.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parseRecipe } from '../core/transform/recipe.js';
import { SAMPLES_DIR } from '../test-support/models.js';
import type { CliIo } from './io.js';
import { runCli } from './run.js';

const tmp = mkdtempSync(join(tmpdir(), 'studio-tune-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function studio(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { out: (t) => (stdout += `${t}\n`), err: (t) => (stderr += `${t}\n`), cwd: tmp };
  const code = await runCli(argv, io);
  return { code, stdout, stderr };
}

interface TuneJson {
  metric: string;
  samples: number;
  original: { metric: number; bytes: number };
  candidates: Array<{ name: string; speedup: number | null; metric: number | null; drop: number | null; withinBudget: boolean; onPareto: boolean; error: string | null }>;
  best: string | null;
  output: string | null;
}

describe('studio tune', () => {
  it('digits_mlp --quick --json: measured candidates, the best within budget written with its recipe', async () => {
    const out = join(tmp, 'mlp.tuned.onnx');
    const r = await studio('tune', join(SAMPLES_DIR, 'digits_mlp.onnx'), '--data', join(SAMPLES_DIR, 'digits_test.json'), '--max-drop', '0.01', '-o', out, '--quick', '--runs', '10', '--json');
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout) as TuneJson;
    expect(j.metric).toBe('accuracy');
    expect(j.samples).toBe(256);
    expect(j.candidates.length).toBeGreaterThanOrEqual(5);
    expect(j.candidates.some((c) => c.onPareto)).toBe(true);
    for (const c of j.candidates) if (c.error === null) expect(c.withinBudget).toBe((c.drop ?? 1) <= 0.01 + 1e-12);
    if (j.best) {
      expect(j.output).toBe(out);
      expect(existsSync(out)).toBe(true);
      const recipe = parseRecipe(readFileSync(out.replace(/\.onnx$/, '.recipe.json'), 'utf8'), 'mlp.tuned.recipe.json');
      expect(recipe.ok).toBe(true);
      expect(j.candidates.find((c) => c.name === j.best)?.withinBudget).toBe(true);
    } else {
      expect(existsSync(out)).toBe(false);
      expect(r.stderr).toMatch(/keep the original/);
    }
  }, 120_000);

  it.each([
    { args: ['tune'], message: /needs a MODEL/ },
    { args: ['tune', 'x.onnx', '--max-drop', '0.01', '-o', 'y.onnx'], message: /needs --data/ },
    { args: ['tune', 'x.onnx', '--data', 'd.npz', '-o', 'y.onnx'], message: /needs --max-drop/ },
    { args: ['tune', 'x.onnx', '--data', 'd.npz', '--max-drop', 'lots', '-o', 'y.onnx'], message: /--max-drop wants a number/ },
  ])('usage error: $args', async ({ args, message }) => {
    const r = await studio(...args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
  });
});
