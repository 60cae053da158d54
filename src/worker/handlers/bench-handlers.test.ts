/**
 * The bench worker's handlers in Node (onnxruntime-web, 1 thread), on the sample digits models passed
 * as File handles the way the page passes them: 'bench/run' benchmarks them interleaved, 'bench/accuracy'
 * compares each candidate with the reference on the shipped labelled test set (and the reference alone
 * with itself), 'bench/report' turns both into the lab's rows and exports; bad data is a user error.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureRuntime, SAMPLES_DIR } from '../../test-support/models.js';
import type { HandlerContext } from '../host.js';
import { ModelFailure } from '../host.js';
import type { BenchModelSource, PayloadOf, RequestType, ResultOf } from '../protocol.js';
import { benchHandlers, threadsFromName } from './bench-handlers.js';

beforeAll(() => ensureRuntime(1));

const ctx: HandlerContext = { progress: () => undefined };
const file = (name: string): File => new File([readFileSync(join(SAMPLES_DIR, name))], name);
const model = (id: string, name: string): BenchModelSource => ({ id, source: { kind: 'files', files: [file(name)] } });

async function call<T extends RequestType>(type: T, payload: PayloadOf<T>): Promise<ResultOf<T>> {
  const handler = benchHandlers[type];
  if (!handler) throw new Error(`no handler for ${type}`);
  return (await handler(payload, ctx)).result;
}

describe('threadsFromName', () => {
  it.each([
    ['bench-1', 1],
    ['bench-2', 2],
    ['bench-16', 16],
    ['bench-0', 1],
    ['bench', 1],
    ['runtime', 1],
    ['bench-2x', 1],
  ])('%s → %i', (name, threads) => expect(threadsFromName(name)).toBe(threads));
});

describe('bench handlers on the digits samples', () => {
  const MODELS = [model('original', 'digits_cnn.onnx'), model('mlp', 'digits_mlp.onnx')];

  it('bench/run → interleaved report in the order given, random inputs in the declared range', async () => {
    const r = await call('bench/run', { models: MODELS, settings: { graphOptimizationLevel: 'all', warmup: 1, runs: 5, shapes: { batch: 2 }, ranges: { input: [0, 1] } } });
    expect(r.models.map((m) => m.id)).toEqual(['original', 'mlp']);
    expect(r.rounds).toBe(5);
    expect(r.models[0]?.inputShapes).toEqual({ input: [2, 1, 8, 8] });
    expect(r.models[0]?.modelBytes).toBe(readFileSync(join(SAMPLES_DIR, 'digits_cnn.onnx')).byteLength);
    expect(r.inputs).toMatch(/^random \(seed 1.*input \[2,1,8,8\] float32/);
  }, 30_000);

  it('bench/accuracy on the labelled test set: reference accuracy, candidate fidelity and accuracy', async () => {
    const r = await call('bench/accuracy', { reference: MODELS[0] as BenchModelSource, candidates: [MODELS[1] as BenchModelSource], data: { kind: 'files', files: [file('digits_test.json')] } });
    expect(r.samples).toBe(360);
    expect(r.source).toBe('digits_test.json');
    // The manifest's test accuracies: CNN 0.9944 (358/360), MLP 0.9806 (353/360).
    expect(r.referenceAccuracy?.correct).toBe(358);
    expect(r.candidates.map((c) => c.id)).toEqual(['mlp']);
    expect(r.candidates[0]?.report.candAccuracy?.correct).toBe(353);
    expect(r.candidates[0]?.report.top1Agreement).toBeGreaterThan(0.95);
  }, 30_000);

  it('bench/accuracy with the reference alone measures its own accuracy', async () => {
    const r = await call('bench/accuracy', { reference: MODELS[0] as BenchModelSource, candidates: [], data: { kind: 'files', files: [file('digits_test.json')] }, maxSamples: 100 });
    expect(r.candidates).toEqual([]);
    // The engine stops after the batch that reaches maxSamples (whole batches), so at least 100, fewer than all 360.
    expect(r.samples).toBeGreaterThanOrEqual(100);
    expect(r.samples).toBeLessThan(360);
    expect(r.referenceAccuracy?.total).toBe(r.samples);
  }, 30_000);

  it('bench/accuracy on random data warns and has no accuracy', async () => {
    const r = await call('bench/accuracy', { reference: MODELS[0] as BenchModelSource, candidates: [MODELS[1] as BenchModelSource], data: { kind: 'random', samples: 4, seed: 1 } });
    expect(r.referenceAccuracy).toBeUndefined();
    expect(r.warnings.join()).toMatch(/random/);
  }, 30_000);

  it('data that is not sample data is a user error naming the file', async () => {
    const notes = new File([new TextEncoder().encode('my notes')], 'notes.txt');
    const run = call('bench/accuracy', { reference: MODELS[0] as BenchModelSource, candidates: [], data: { kind: 'files', files: [notes] } });
    await expect(run).rejects.toBeInstanceOf(ModelFailure);
    await expect(run).rejects.toMatchObject({ error: { title: 'The accuracy data could not be read', file: 'notes.txt' } });
  });

  it('bench/report joins both into rows with a Pareto front', async () => {
    const bench = await call('bench/run', { models: MODELS, settings: { graphOptimizationLevel: 'all', warmup: 0, runs: 5 } });
    const accuracy = await call('bench/accuracy', { reference: MODELS[0] as BenchModelSource, candidates: [MODELS[1] as BenchModelSource], data: { kind: 'files', files: [file('digits_test.json')] } });
    const models = [
      { id: 'original', name: 'Original', fileName: 'digits_cnn.onnx', bytes: bench.models[0]?.modelBytes ?? 0, original: true },
      { id: 'mlp', name: 'mlp', fileName: 'digits_mlp.onnx', bytes: bench.models[1]?.modelBytes ?? 0, original: false },
    ];
    const s = await call('bench/report', { results: { model: 'digits_cnn.onnx', models, bench, accuracy } });
    expect(s.rows).toHaveLength(2);
    expect(s.pareto.metric).toBe('accuracy');
    expect(s.pareto.points).toHaveLength(2);
    // The faster model is always on the front.
    const [a, b] = bench.models.map((m) => m.summary.median);
    expect(s.pareto.front).toContain((a ?? 0) <= (b ?? 0) ? 'original' : 'mlp');
    expect((JSON.parse(s.json) as { models: unknown[] }).models).toHaveLength(2);
  }, 30_000);
});
