/**
 * `studio bench` and `studio compare`, in-process, on the sample digits models and corpus models: the
 * JSON fields (a contract, issue 6), human output, a variant made with the pass registry, bad input.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CORPUS, hasCorpus, MODELS_DIR, SAMPLES_DIR } from '../test-support/models.js';
import type { CliIo } from './io.js';
import { runCli } from './run.js';

const tmp = mkdtempSync(join(tmpdir(), 'studio-bench-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const sample = (f: string): string => join(SAMPLES_DIR, f);
const corpus = (f: string): string => join(MODELS_DIR, f);
if (!hasCorpus()) console.warn(`bench-cli.test: the corpus is not at ${CORPUS}; corpus cases are skipped`);

async function studio(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { out: (t) => (stdout += `${t}\n`), err: (t) => (stderr += `${t}\n`), cwd: tmp };
  const code = await runCli(argv, io);
  return { code, stdout, stderr };
}

const BENCH_MODELS = [
  { path: sample('digits_cnn.onnx'), input: [1, 1, 8, 8] },
  { path: sample('digits_transformer.onnx'), input: [1, 1, 8, 8] },
  { path: sample('digits_mlp.onnx'), input: [1, 1, 8, 8] },
  ...(hasCorpus() ? [{ path: corpus('mnist-8_cntk.onnx'), input: [1, 1, 28, 28] }] : []),
];

describe('studio bench', () => {
  it.each(BENCH_MODELS)('$path --json has the contract fields', async ({ path, input }) => {
    const r = await studio('bench', path, '--runs', '5', '--warmup', '1', '--json');
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout) as Record<string, unknown> & { latencyMs: Record<string, number> };
    for (const key of ['threads', 'runs', 'sessionCreateMs', 'firstRunMs']) expect(typeof j[key], key).toBe('number');
    expect(j.threads).toBe(1);
    expect(j.runs).toBe(5);
    const l = j.latencyMs;
    for (const key of ['median', 'p90', 'p99', 'min', 'mean']) expect(l[key], key).toBeGreaterThan(0);
    expect(l.min).toBeLessThanOrEqual(l.median as number);
    expect(l.median).toBeLessThanOrEqual(l.p90 as number);
    expect(l.p90).toBeLessThanOrEqual(l.p99 as number);
    expect(j.runsMs).toHaveLength(5);
    expect(j.wasmMemoryBytes).toBeGreaterThan(0);
    expect(j.inputs).toBe(`random (seed 1): ${path.includes('mnist') ? 'Input3' : 'input'} [${input.join(',')}] float32`);
  });

  it('prints the conditions and the figures for people', async () => {
    const r = await studio('bench', sample('digits_mlp.onnx'), '--runs', '8', '--warmup', '0', '--shape', 'batch=4');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^digits_mlp\.onnx: onnxruntime-web 1\.\d+\.\d+ \(wasm, SIMD\), 1 thread, graph optimization all$/m);
    expect(r.stdout).toMatch(/inputs: random \(seed 1\): input \[4,1,8,8\] float32; 0 warm-up \+ 8 measured runs/);
    expect(r.stdout).toMatch(/median [\d.]+ ms +p90 [\d.]+ +p99/);
    expect(r.stdout).toMatch(/WebAssembly memory \d+ MB/);
  });

  it.each([
    { args: ['bench'], code: 2, line: /^studio: bench needs a MODEL\.onnx/ },
    { args: ['bench', sample('digits_mlp.onnx'), '--runs', '0'], code: 2, line: /--runs wants a whole number ≥ 1, got '0'/ },
    { args: ['bench', sample('digits_mlp.onnx'), '--opt-level', 'max'], code: 2, line: /--opt-level wants one of disabled, basic, extended, all/ },
    { args: ['bench', sample('digits_mlp.onnx'), '--shape', 'batch'], code: 2, line: /--shape wants NAME=N/ },
    { args: ['bench', sample('digits_mlp.onnx'), '--frob'], code: 2, line: /Unknown option '--frob'/ },
    { args: ['bench', join(tmp, 'missing.onnx')], code: 1, line: /missing\.onnx: File not found/ },
    { args: ['bench', sample('digits_test.json')], code: 1, line: /digits_test\.json: / },
  ])('bad input $args → exit $code, one line', async ({ args, code, line }) => {
    const r = await studio(...args);
    expect(r.code).toBe(code);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(line);
  });
});

interface CompareOut {
  samples: number;
  outputs: Record<string, { cosine: number; maxAbsError: number; sqnrDb: number | null; identical: boolean }>;
  top1Agreement: number | null;
  refAccuracy: number | null;
  candAccuracy: number | null;
  refAccuracyInterval: [number, number] | null;
}

describe('studio compare', () => {
  it.each([sample('digits_cnn.onnx'), sample('digits_transformer.onnx'), ...(hasCorpus() ? [corpus('digits_attn_op14.onnx')] : [])])(
    '%s with itself on the labelled test set: cosine 1, top-1 agreement 1, same accuracy',
    async (model) => {
      const r = await studio('compare', model, model, '--data', sample('digits_test.json'), '--json');
      expect(r.code, r.stderr).toBe(0);
      const j = JSON.parse(r.stdout) as CompareOut;
      expect(j.samples).toBe(360);
      expect(j.outputs.logits).toMatchObject({ cosine: 1, maxAbsError: 0, sqnrDb: null, identical: true });
      expect(j.top1Agreement).toBe(1);
      expect(j.refAccuracy).toBeGreaterThan(0.96);
      expect(j.candAccuracy).toBe(j.refAccuracy);
      expect(j.refAccuracyInterval?.[0]).toBeLessThan(j.refAccuracy ?? 0);
    },
  );

  it('fp32 vs an int8-static variant made with the registry: close, not identical', async () => {
    const out = join(tmp, 'cnn-int8.onnx');
    // placement=all: the default speed placement leaves this tiny CNN float (int8 is not faster there).
    const made = await studio('optimize', sample('digits_cnn.onnx'), '-o', out, '--pass', 'int8-static:placement=all', '--calib', sample('digits_calib.npz'), '--json');
    expect(made.code, made.stderr).toBe(0);
    const r = await studio('compare', sample('digits_cnn.onnx'), out, '--data', sample('digits_test.json'), '--json');
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout) as CompareOut;
    const logits = j.outputs.logits;
    expect(logits?.identical).toBe(false);
    expect(logits?.cosine).toBeGreaterThan(0.99);
    expect(logits?.cosine).toBeLessThan(1);
    expect(logits?.sqnrDb).toBeGreaterThan(15);
    expect(j.top1Agreement).toBeGreaterThan(0.95);
    expect(Math.abs((j.candAccuracy ?? 0) - (j.refAccuracy ?? 0))).toBeLessThan(0.03);

    const human = await studio('compare', sample('digits_cnn.onnx'), out, '--data', sample('digits_test.json'));
    expect(human.stdout).toMatch(/^cnn-int8\.onnx vs digits_cnn\.onnx on 360 samples of digits_test\.json$/m);
    expect(human.stdout).toMatch(/logits: cosine 0\.99\d+, max \|error\| .*SQNR [\d.]+ dB; top-1 agreement [\d.]+ %, top-5/);
    expect(human.stdout).toMatch(/accuracy \(logits vs labels\): reference 99\.44 % \(95 % CI/);
  });

  it('without --data: random inputs, a warning, no accuracy', async () => {
    const r = await studio('compare', sample('digits_mlp.onnx'), sample('digits_mlp.onnx'), '--samples', '3', '--json');
    expect(r.code, r.stderr).toBe(0);
    const j = JSON.parse(r.stdout) as CompareOut;
    expect(j.samples).toBe(3);
    expect(j.refAccuracy).toBeNull();
    expect(j.candAccuracy).toBeNull();
    expect(r.stderr).toMatch(/^warning: compared on random inputs/m);
  });

  it.each([
    { args: ['compare', sample('digits_mlp.onnx')], code: 2, line: /compare takes two models/ },
    { args: ['compare', sample('digits_mlp.onnx'), sample('digits_mlp.onnx'), '--samples', 'x'], code: 2, line: /--samples wants a whole number/ },
    { args: ['compare', sample('digits_mlp.onnx'), join(tmp, 'nope.onnx')], code: 1, line: /nope\.onnx: File not found/ },
    { args: ['compare', sample('digits_mlp.onnx'), sample('digits_mlp.onnx'), '--data', join(tmp, 'nope.npz')], code: 1, line: /nope\.npz: Cannot use the data\. .*does not exist/ },
    ...(hasCorpus()
      ? [
          { args: ['compare', corpus('mnist-8_cntk.onnx'), corpus('mnist-8_cntk.onnx'), '--data', sample('digits_test.json')], code: 1, line: /digits_test\.json: Cannot compare the models\. .*Input3/ },
          { args: ['compare', sample('digits_mlp.onnx'), corpus('mnist-8_cntk.onnx')], code: 1, line: /digits_mlp\.onnx: Cannot compare the models\. the two models share no output name/ },
        ]
      : []),
  ])('bad input $args → exit $code, one line', async ({ args, code, line }) => {
    const r = await studio(...args);
    expect(r.code).toBe(code);
    expect(r.stdout).toBe('');
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(line);
  });
});
