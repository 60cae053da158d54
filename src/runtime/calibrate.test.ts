/**
 * Calibration in onnxruntime-web on real models: the digits CNN with the digits test set (every Conv
 * input and output, every method), determinism, abort, random data, and a model whose Convs live in
 * If subgraphs (silero_vad_legacy: those tensors cannot be exposed and are reported, not crashed on).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import type { onnx } from '../core/onnx/codec.js';
import type { BoundDataset, SampleTensor } from '../core/data/types.js';
import { exposeTensors } from '../core/transform/expose-tensors.js';
import { modelInputSpecs } from '../core/transform/model-inputs.js';
import type { CalibrationInfo, CalibrationMethod, CalibrationRequest } from '../core/transform/types.js';
import { walkGraphs } from '../core/transform/graph-edit.js';
import { corpusModel, digitsTestSet, ensureRuntime, hasCorpus, runOnce, sampleModel } from '../test-support/models.js';
import { OrtTensor } from './ort.js';
import { createCalibrator, RANDOM_DATA_WARNING, randomDataset } from './calibrate.js';

/** The digits test set as a BoundDataset (the real binder lives in core/data): [n,1,8,8] float32 feeds. */
function digitsDataset(batchSize: number, limit?: number): BoundDataset {
  const set = digitsTestSet();
  const count = Math.min(limit ?? set.count, set.count);
  return {
    source: 'digits_test.json',
    count,
    batchSize,
    warnings: [],
    *feeds() {
      for (let i = 0; i < count; i += batchSize) {
        const n = Math.min(batchSize, count - i);
        const sample: SampleTensor = { dtype: 'float32', dims: [n, 1, 8, 8], data: set.x.subarray(i * 64, (i + n) * 64) };
        yield new Map([['input', sample]]);
      }
    },
  };
}

/** Inputs and outputs of every Conv in every scope (subgraph ones included). */
function convTensors(model: onnx.IModelProto): string[] {
  const names = new Set<string>();
  walkGraphs(model, (scope) => {
    for (const n of scope.graph.node ?? []) {
      if (n.opType !== 'Conv') continue;
      const x = n.input?.[0];
      if (x) names.add(x);
      for (const o of n.output ?? []) names.add(o);
    }
  });
  return [...names];
}

const request = (tensors: string[], method: CalibrationMethod, symmetric = false): CalibrationRequest => ({ tensors, method, percentile: 99.9, bins: 2048, symmetric });

const noProgress = (): void => undefined;

async function calibrated(model: onnx.IModelProto, data: BoundDataset, req: CalibrationRequest): Promise<CalibrationInfo> {
  const result = await createCalibrator(data)(model, req, noProgress);
  if (!result.ok) throw new Error(result.error);
  return result.value;
}

describe('calibration in onnxruntime-web', () => {
  beforeAll(() => ensureRuntime());

  const DIGITS = [
    { name: 'digits_cnn.onnx (samples)', load: () => sampleModel('digits_cnn.onnx'), corpus: false },
    { name: 'digits_cnn_op13.onnx (corpus)', load: () => corpusModel('digits_cnn_op13.onnx'), corpus: true },
  ];

  describe.each(DIGITS)('$name', ({ load, corpus }) => {
    const skip = corpus && !hasCorpus();
    it.skipIf(skip)('minmax = exact min/max of every value; percentile and entropy inside it; deterministic', async () => {
      const { model } = load();
      const tensors = convTensors(model);
      expect(tensors.length).toBeGreaterThanOrEqual(4);
      const data = digitsDataset(32);

      // Reference: the exposed model run once on all 360 samples.
      const exposed = exposeTensors(model, tensors);
      const set = digitsTestSet();
      const all = await runOnce(exposed.model, { input: new OrtTensor('float32', set.x, [set.count, 1, 8, 8]) });
      all.input = set.x;

      const mm = await calibrated(model, data, request(tensors, 'minmax'));
      expect(mm.samples).toBe(360);
      expect(mm.source).toBe('digits_test.json');
      for (const name of tensors) {
        const values = all[name];
        const r = mm.ranges.get(name);
        expect(values, name).toBeDefined();
        expect(r, name).toBeDefined();
        if (!values || !r) continue;
        let lo = Infinity;
        let hi = -Infinity;
        for (const v of values) {
          lo = Math.min(lo, v);
          hi = Math.max(hi, v);
        }
        // Batches of 32 vs one batch of 360: the same values up to float rounding of the kernels.
        expect(r.min, name).toBeCloseTo(lo, 4);
        expect(r.max, name).toBeCloseTo(hi, 4);
      }
      for (const method of ['percentile', 'entropy'] as const) {
        const info = await calibrated(model, data, request(tensors, method));
        for (const name of tensors) {
          const r = info.ranges.get(name);
          const outer = mm.ranges.get(name);
          expect(r, `${method} ${name}`).toBeDefined();
          if (!r || !outer) continue;
          expect(r.min, `${method} ${name}`).toBeGreaterThanOrEqual(outer.min);
          expect(r.max, `${method} ${name}`).toBeLessThanOrEqual(outer.max);
          expect(r.min).toBeLessThanOrEqual(r.max);
        }
        const again = await calibrated(model, data, request(tensors, method));
        expect([...again.ranges]).toEqual([...info.ranges]);
      }
      const sym = await calibrated(model, data, request(tensors, 'percentile', true));
      for (const r of sym.ranges.values()) expect(r.min).toBe(-r.max);
    });
  });

  it('reports progress per batch and stops when aborted', async () => {
    const { model } = sampleModel('digits_cnn.onnx');
    const controller = new AbortController();
    const seen: number[] = [];
    const result = await createCalibrator(digitsDataset(32))(model, request(convTensors(model), 'minmax'), (_stage, done) => {
      seen.push(done);
      if (done >= 64) controller.abort();
    }, controller.signal);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatch(/cancelled/);
    expect(seen).toEqual([0, 32, 64]);
    // The runtime is usable afterwards (the session was released, the queue is free).
    const full: number[] = [];
    const ok = await createCalibrator(digitsDataset(100))(model, request(convTensors(model), 'minmax'), (_s, done) => full.push(done));
    expect(ok.ok).toBe(true);
    expect(full).toEqual([0, 100, 200, 300, 360]);
  });

  it('random data: deterministic, and says so in the warnings', async () => {
    const { model } = sampleModel('digits_cnn.onnx');
    const data = randomDataset(modelInputSpecs(model), 20, 3);
    expect(data.warnings).toContain(RANDOM_DATA_WARNING);
    const a = await calibrated(model, data, request(convTensors(model), 'entropy'));
    const b = await calibrated(model, randomDataset(modelInputSpecs(model), 20, 3), request(convTensors(model), 'entropy'));
    expect(a.warnings).toContain(RANDOM_DATA_WARNING);
    expect(a.samples).toBe(20);
    expect([...a.ranges]).toEqual([...b.ranges]);
    const input = a.ranges.get('input');
    expect(input?.min).toBeGreaterThanOrEqual(0);
    expect(input?.max).toBeLessThan(1);
  });

  it('reports tensors that are weights or do not exist instead of failing', async () => {
    const { model } = sampleModel('digits_cnn.onnx');
    const info = await calibrated(model, digitsDataset(360), request(['logits', 'features.0.weight', 'nope', '/features/features.0/Conv_output_0'], 'minmax'));
    expect([...info.ranges.keys()].sort()).toEqual(['/features/features.0/Conv_output_0', 'logits']);
    const text = info.warnings.join('\n');
    expect(text).toMatch(/weight/);
    expect(text).toMatch(/no such tensor/);
  });

  // Every value of the main graph exposed at once: ORT must accept the augmented model (types from
  // value_info or inference, non-float values left out) and return every float value.
  const CORPUS: ReadonlyArray<{ file: string; symbols: Readonly<Record<string, number>> }> = [
    { file: 'mnist-8_cntk.onnx', symbols: {} },
    { file: 'digits_mlp_op13.onnx', symbols: {} },
    { file: 'digits_attn_op14.onnx', symbols: {} },
    { file: 'melspectrogram.onnx', symbols: { samples: 16000 } },
    { file: 'embedding_model.onnx', symbols: {} },
    { file: 'silero_vad_legacy.onnx', symbols: { sequence: 512 } },
  ];
  describe.skipIf(!hasCorpus())('corpus: every main-graph value exposed and measured (2 random samples)', () => {
    it.each(CORPUS)('$file', async ({ file, symbols }) => {
      const { model } = corpusModel(file);
      const tensors = (model.graph?.node ?? []).flatMap((n) => n.output ?? []).filter(Boolean);
      const info = await calibrated(model, randomDataset(modelInputSpecs(model), 2, 1, symbols), request(tensors, 'percentile'));
      const plan = exposeTensors(model, tensors);
      const measurable = [...plan.exposed, ...plan.outputs];
      expect(measurable.length).toBeGreaterThan(0);
      for (const name of measurable) {
        const r = info.ranges.get(name);
        expect(r, name).toBeDefined();
        expect(r && r.min <= r.max, name).toBe(true);
      }
      expect(info.warnings).toContain(RANDOM_DATA_WARNING);
    });
  });

  describe.skipIf(!hasCorpus())('silero_vad_legacy.onnx (Convs and LSTMs inside If subgraphs)', () => {
    it.each(['minmax', 'percentile', 'entropy'] as const)('%s: does not crash; subgraph tensors are reported unavailable', async (method) => {
      const { model } = corpusModel('silero_vad_legacy.onnx');
      const random = (n: number, seed: number): Float32Array => {
        let s = seed;
        return Float32Array.from({ length: n }, () => ((s = (s * 1103515245 + 12345) % 2147483648) / 2147483648) * 2 - 1);
      };
      const data: BoundDataset = {
        source: 'synthetic audio',
        count: 4,
        batchSize: 1,
        warnings: [],
        *feeds() {
          for (let i = 0; i < 4; i++) {
            yield new Map<string, SampleTensor>([
              ['input', { dtype: 'float32', dims: [1, 512], data: random(512, i + 1) }],
              ['sr', { dtype: 'int64', dims: [], data: BigInt64Array.of(16000n) }],
              ['h', { dtype: 'float32', dims: [2, 1, 64], data: new Float32Array(128) }],
              ['c', { dtype: 'float32', dims: [2, 1, 64], data: new Float32Array(128) }],
            ]);
          }
        },
      };
      const tensors = [...convTensors(model), 'input', 'output', 'hn'];
      const info = await calibrated(model, data, request(tensors, method));
      expect([...info.ranges.keys()].sort()).toEqual(['hn', 'input', 'output']);
      expect(info.warnings.join('\n')).toMatch(/inside a subgraph/);
      const input = info.ranges.get('input');
      expect(input?.min).toBeGreaterThanOrEqual(-1);
      expect(input?.max).toBeLessThanOrEqual(1);
    });
  });
});
