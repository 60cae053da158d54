/**
 * The lab report over real measurements: for each digits sample model, the original and two variants
 * made by core passes (float16, int8 dynamic) are benchmarked interleaved and compared on the shipped
 * labelled test set in onnxruntime-web (Node, 1 thread); the rows, Pareto front and the three exports
 * must agree with the raw reports. Then the formatting rules on hand-made data: Infinity/NaN in JSON,
 * CSV quoting, the cosine fallback without labels.
 */
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readDatasetPath } from '../../cli/read-dataset.js';
import { benchmarkModels } from '../../runtime/benchmark.js';
import type { BenchModel } from '../../runtime/benchmark.js';
import { compareModels } from '../../runtime/compare-models.js';
import type { CompareReport } from '../../runtime/compare-models.js';
import { ensureRuntime, SAMPLES_DIR, sampleModel } from '../../test-support/models.js';
import { encodeModelProto } from '../onnx/codec.js';
import { resolveOptions } from '../transform/options.js';
import { float16Pass } from '../transform/passes/float16.js';
import { int8DynamicPass } from '../transform/passes/int8-dynamic.js';
import type { PassDefinition } from '../transform/types.js';
import { paretoFront } from '../metrics/pareto.js';
import type { LabResults } from './lab-report.js';
import { LAB_REPORT_FORMAT, labJson, labMarkdown, labRunsCsv, labSummary } from './lab-report.js';

beforeAll(() => ensureRuntime(1));

const SAMPLES = [
  { file: 'digits_cnn.onnx', testAccuracy: 0.9944 },
  { file: 'digits_mlp.onnx', testAccuracy: 0.9806 },
  { file: 'digits_transformer.onnx', testAccuracy: 0.9889 },
] as const;

function variant(file: string, pass: PassDefinition): BenchModel {
  const options = resolveOptions(pass.id, pass.options, {});
  if (!options.ok) throw new Error(options.error);
  const out = pass.apply(sampleModel(file).model, options.value, { progress: () => undefined });
  if (!out.ok) throw new Error(`${pass.id} on ${file}: ${out.error}`);
  return { id: pass.id, bytes: encodeModelProto(out.value.model) };
}

describe.each(SAMPLES)('$file: benchmark + accuracy → report', ({ file, testAccuracy }) => {
  it('rows, Pareto front and exports agree with the measurements', async () => {
    const original: BenchModel = { id: 'original', bytes: sampleModel(file).bytes };
    const models = [original, variant(file, float16Pass), variant(file, int8DynamicPass)];
    const bench = await benchmarkModels(models, { graphOptimizationLevel: 'all', warmup: 1, runs: 8 });
    if (!bench.ok) throw new Error(JSON.stringify(bench.error));
    const data = readDatasetPath(join(SAMPLES_DIR, 'digits_test.json'));
    if (!data.ok) throw new Error(data.error);
    const candidates: { id: string; report: CompareReport }[] = [];
    for (const cand of models.slice(1)) {
      const c = await compareModels(original, cand, { kind: 'dataset', dataset: data.value });
      if (!c.ok) throw new Error(JSON.stringify(c.error));
      candidates.push({ id: cand.id, report: c.value });
    }
    const first = candidates[0]?.report as CompareReport;
    const results: LabResults = {
      model: file,
      models: models.map((m, i) => ({ id: m.id, name: i === 0 ? 'Original' : m.id, fileName: `${m.id}.onnx`, bytes: m.bytes.byteLength, original: i === 0 })),
      bench: bench.value,
      accuracy: { referenceId: 'original', source: first.source, samples: first.samples, graphOptimizationLevel: 'all', ...(first.refAccuracy ? { referenceAccuracy: first.refAccuracy } : {}), candidates, warnings: [] },
    };
    const s = labSummary(results);

    // Rows: one per model, the benchmark's numbers and the comparison's, unchanged.
    expect(s.rows.map((r) => r.id)).toEqual(models.map((m) => m.id));
    const [orig, fp16, int8] = s.rows;
    expect(orig?.sizeRatio).toBe(1);
    expect(fp16?.sizeRatio).toBeCloseTo((models[1]?.bytes.byteLength ?? NaN) / original.bytes.byteLength, 12);
    expect(orig?.bench?.speedup).toBe(1);
    expect(orig?.accuracy?.accuracy).toBeCloseTo(testAccuracy, 4);
    expect(orig?.fidelity?.cosine).toBe(1);
    expect(int8?.fidelity?.cosine).toBe(candidates[1]?.report.outputs[0]?.cosine);
    expect(int8?.accuracyDeltaPoints).toBeCloseTo(((candidates[1]?.report.candAccuracy?.accuracy ?? NaN) - testAccuracy) * 100, 1);

    // Pareto: labelled data → accuracy on the y axis; the front is core/metrics/pareto.ts on the points.
    expect(s.pareto.metric).toBe('accuracy');
    expect(s.pareto.points).toHaveLength(3);
    expect(s.pareto.front).toEqual(paretoFront(s.pareto.points.map((p) => ({ id: p.id, cost: Math.round(p.latencyMs * 1e6) / 1e6, value: p.quality }))));
    expect(s.pareto.front.length).toBeGreaterThanOrEqual(1);
    expect(s.rows.filter((r) => r.onParetoFront).map((r) => r.id).sort()).toEqual([...s.pareto.front].sort());

    // JSON: versioned, three models, every run.
    const doc = JSON.parse(s.json) as { format: string; version: number; models: { id: string; latency: { runsMs: number[]; medianMs: number }; accuracy: { accuracy: number } | null }[]; settings: { benchmark: { numThreads: number; runs: number } } };
    expect(doc.format).toBe(LAB_REPORT_FORMAT);
    expect(doc.models).toHaveLength(3);
    expect(doc.models[0]?.latency.runsMs).toEqual(bench.value.models[0]?.runsMs);
    expect(doc.models[2]?.latency.medianMs).toBe(bench.value.models[2]?.summary.median);
    expect(doc.settings.benchmark).toMatchObject({ numThreads: 1, runs: 8 });

    // CSV: header + one line per measured run of every model.
    const lines = s.csv.trimEnd().split('\n');
    expect(lines[0]).toBe('model,run,ms');
    expect(lines).toHaveLength(1 + 3 * bench.value.rounds);
    expect(lines[1]).toBe(`Original,1,${bench.value.models[0]?.runsMs[0]}`);

    // Markdown: the settings next to the numbers, both tables, the front.
    expect(s.markdown).toContain(`# Benchmark report: ${file}`);
    expect(s.markdown).toMatch(/Measured with onnxruntime-web [\d.]+ \(wasm, SIMD\), 1 thread, graph optimization all; 1 warm-up run, 8 measured runs \(8 interleaved rounds\); inputs: random/);
    expect(s.markdown).toContain('| Model | Size | Size vs original |');
    expect(s.markdown).toContain(`On 360 samples of digits_test.json`);
    expect(s.markdown).toMatch(/Pareto front \(lowest median latency, highest accuracy\): /);
  }, 60_000);
});

describe('formatting rules', () => {
  const summary = (count: number, median: number) => ({ count, median, p90: median, p99: median, min: median, max: median, mean: median, std: 0, throughput: 1000 / median, histogram: [] });
  const base: LabResults = {
    model: 'm.onnx',
    models: [
      { id: 'a', name: 'Original', fileName: 'm.onnx', bytes: 1000, original: true },
      { id: 'b', name: 'int8, "static"', fileName: 'm.b.onnx', bytes: 300, original: false },
    ],
    bench: {
      execution: { runtime: 'onnxruntime-web', version: '1.30.0', numThreads: 1, simd: true, graphOptimizationLevel: 'all', crossOriginIsolated: false },
      threadsRequested: 2,
      warmup: 0,
      runs: 2,
      rounds: 2,
      inputs: 'random (seed 1): input [1] float32',
      models: [
        { id: 'a', modelBytes: 1000, sessionCreateMs: 5, firstRunMs: 2, runsMs: [1, 1], summary: summary(2, 1), wasmMemoryBytes: null, threads: 1, speedup: 1, pairedSpeedup: 1 },
        { id: 'b', modelBytes: 300, sessionCreateMs: 5, firstRunMs: 2, runsMs: [0.5, 0.5], summary: summary(2, 0.5), wasmMemoryBytes: 16_777_216, threads: 1, speedup: 2, pairedSpeedup: 2 },
      ],
      warnings: ['2 thread(s) requested, but the runtime runs 1'],
    },
    accuracy: {
      referenceId: 'a',
      source: 'random data',
      samples: 4,
      graphOptimizationLevel: 'all',
      candidates: [{ id: 'b', report: { samples: 4, source: 'random data', outputs: [{ name: 'y', cosine: 0.99, maxAbsError: 0.1, relativeL2: 0.1, sqnrDb: 20, elements: 4 }], warnings: ['compared on random inputs'] } }],
      warnings: ['compared on random inputs'],
    },
  };

  it('falls back to cosine without labels, and the faster variant alone is on the front when cosine is all that is lost', () => {
    const s = labSummary(base);
    expect(s.pareto.metric).toBe('cosine');
    expect(s.pareto.points.map((p) => [p.id, p.quality])).toEqual([['a', 1], ['b', 0.99]]);
    expect(s.pareto.front).toEqual(['b', 'a']);
    expect(s.markdown).toContain('highest cosine similarity of the outputs');
    expect(s.markdown).toContain('1 thread (2 requested)');
    expect(s.markdown).toContain('not cross-origin isolated');
    expect(s.markdown).toContain('| int8, "static" | 300 B | −70.0 % |');
    expect(s.markdown).toContain('- compared on random inputs');
  });

  it('medians equal but for floating-point noise are a tie: both models stay on the front', () => {
    const noisy = (id: string, median: number) => ({ ...(base.bench?.models[0] as NonNullable<LabResults['bench']>['models'][number]), id, summary: summary(2, median) });
    const tie: LabResults = {
      ...base,
      bench: { ...(base.bench as NonNullable<LabResults['bench']>), models: [noisy('a', 0.11500000208616257), noisy('b', 0.11499999910593033)] },
      accuracy: { ...(base.accuracy as NonNullable<LabResults['accuracy']>), candidates: [{ id: 'b', report: { samples: 4, source: 'x', outputs: [{ name: 'y', cosine: 1, maxAbsError: 0, relativeL2: 0, sqnrDb: Infinity, elements: 4 }], warnings: [] } }] },
    };
    expect([...labSummary(tie).pareto.front].sort()).toEqual(['a', 'b']);
  });

  it('JSON has no Infinity: the original’s own SQNR is null and marked identical', () => {
    const doc = JSON.parse(labSummary(base).json) as { models: { fidelity: { sqnrDb: number | null; identical: boolean } | null; latency: { wasmMemoryBytes: number | null } }[] };
    expect(doc.models[0]?.fidelity).toMatchObject({ sqnrDb: null, identical: true });
    expect(doc.models[1]?.fidelity).toMatchObject({ sqnrDb: 20, identical: false });
    expect(doc.models[0]?.latency.wasmMemoryBytes).toBeNull();
  });

  it('CSV quotes names with commas and quotes (RFC 4180)', () => {
    expect(labRunsCsv(base)).toBe('model,run,ms\nOriginal,1,1\nOriginal,2,1\n"int8, ""static""",1,0.5\n"int8, ""static""",2,0.5\n');
  });

  it('without a benchmark: no points, no latency section', () => {
    const { bench: _bench, ...noBench } = base;
    const s = labSummary(noBench);
    expect(s.pareto.points).toEqual([]);
    expect(s.markdown).not.toContain('## Latency');
    expect(s.csv).toBe('model,run,ms\n');
  });
});

describe('Why and auto-tune sections', () => {
  it('are in the Markdown and the JSON when they were run, absent otherwise', () => {
    const fid = (sqnrDb: number) => ({ cosine: 0.9999, maxAbsError: 0.01, relativeL2: 0.01, sqnrDb, elements: 10 });
    const base = { model: 'm.onnx', models: [] };
    const withWhy = {
      ...base,
      profile: {
        model: 'int8',
        summary: { runs: 3, kernelUsPerRun: 120, runUs: 130, nodes: [{ node: 'conv1', kernel: 'QLinearConv', meanUs: 100, share: 100 / 120 }], kernels: [{ kernel: 'QLinearConv', meanUs: 100, share: 100 / 120, nodes: 1 }] },
        counts: { ran: 1, fused: 2, folded: 0, quantizedFused: 1, quantizedButFloat: 0 },
      },
      activations: { model: 'int8', samples: 16, source: 'test.npz', tensors: [{ tensor: 'a', producer: 'conv1', op: 'Conv', via: 'qdq', fidelity: fid(40) }, { tensor: 'b', producer: 'conv2', op: 'Conv', via: 'qdq', fidelity: fid(25) }] },
      sensitivity: { model: 'int8', pass: 'int8-static', samples: 32, source: 'test.npz', full: { fidelity: fid(30) }, layers: [{ node: 'conv1', op: 'Conv', fidelity: fid(31), accuracyDrop: 0.01 }] },
      tune: { metric: 'accuracy', budget: { maxDrop: 0.01 }, samples: 32, source: 'test.npz', best: 'fp16', candidates: [{ name: 'fp16', bytes: 2048, speedup: 1.2, metric: 0.99, drop: 0, withinBudget: true, onPareto: true }, { name: 'int8 dynamic', withinBudget: false, onPareto: false, error: 'changes nothing in this model' }], warnings: [] },
    };
    const md = labMarkdown(withWhy);
    expect(md).toContain('## Where the time goes');
    expect(md).toContain('| conv1 | QLinearConv | 100.0 | 83.33 % |');
    expect(md).toContain('## Layer sensitivity');
    expect(md).toContain('| 1 | conv1 | Conv | 31.0 | 0.999900 | +1.00 |');
    // Worst tensor first.
    expect(md.indexOf('| b | conv2 | Conv | 25.0 |')).toBeGreaterThan(0);
    expect(md.indexOf('| b | conv2 |')).toBeLessThan(md.indexOf('| a | conv1 |'));
    expect(md).toContain('Chosen: **fp16**');
    expect(md).toContain('changes nothing in this model');
    const json = JSON.parse(labJson(withWhy)) as Record<string, unknown>;
    expect(json.profile).toBeDefined();
    expect((json.activations as { tensors: Array<{ sqnrDb: number }> }).tensors.map((t) => t.sqnrDb)).toEqual([40, 25]);
    expect((json.sensitivity as { layers: Array<{ sqnrDb: number }> }).layers[0]?.sqnrDb).toBe(31);
    expect((json.tune as { best: string }).best).toBe('fp16');
    const plain = labMarkdown(base);
    expect(plain).not.toContain('## Where the time goes');
    expect(JSON.parse(labJson(base))).not.toHaveProperty('tune');
  });
});
