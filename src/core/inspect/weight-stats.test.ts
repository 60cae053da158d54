import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DataType, Long, decodeModelProto } from '../onnx/codec.js';
import { numberToFloat16 } from '../onnx/float-formats.js';
import { bytesToNumbers, tensorBytes, tensorToNumbers } from '../onnx/tensor.js';
import { buildGraph } from '../graph/build-graph.js';
import { floatTensor, int64Tensor, model } from '../graph/test-models.js';
import { forEachChunk } from './value-chunks.js';
import { HISTOGRAM_BINS, summarizeValues } from './weight-stats.js';
import { weightDetails } from './weight-details.js';

const CORPUS = fileURLToPath(new URL('../../../../shared/corpus/', import.meta.url));
const hasCorpus = existsSync(CORPUS);
const note = hasCorpus ? '' : ` — SKIPPED: the test corpus is not at ${CORPUS}`;

const MODELS = [
  'mnist-8_cntk.onnx',
  'digits_cnn_op13.onnx',
  'digits_mlp_op13.onnx',
  'digits_attn_op14.onnx',
  'melspectrogram.onnx',
  'embedding_model.onnx',
  'silero_vad_legacy.onnx',
  'ultraface_rfb320.onnx',
  'squeezenet1_1_random_op13.onnx',
  'mobilenet_v2_random_op13.onnx',
];

/** Statistics computed the plain way, from the whole Float64Array, independently of weight-stats.ts. */
function reference(values: Float64Array) {
  const finite: number[] = [];
  let nan = 0;
  let inf = 0;
  let zeros = 0;
  for (const v of values) {
    if (v === 0) zeros++;
    if (Number.isNaN(v)) nan++;
    else if (!Number.isFinite(v)) inf++;
    else finite.push(v);
  }
  let min = Infinity;
  let max = -Infinity;
  let sum = 0;
  for (const v of finite) {
    min = Math.min(min, v);
    max = Math.max(max, v);
    sum += v;
  }
  const mean = sum / finite.length;
  let sq = 0;
  for (const v of finite) sq += (v - mean) ** 2;
  const std = Math.sqrt(sq / finite.length);
  return { min, max, mean, std, sparsity: zeros / values.length, nan, inf, finite };
}

/**
 * Checks a histogram against the values: edges evenly spaced from min to max, and each count equal to
 * the number of values in [edges[k], edges[k+1]) (the last bin closed), counted by binary search.
 */
function checkHistogram(h: { edges: number[]; counts: number[] } | null | undefined, finite: readonly number[], min: number, max: number): void {
  if (!h) throw new Error('no histogram');
  if (!(max > min)) {
    expect(h.counts).toEqual([finite.length]);
    return;
  }
  expect(h.counts.length).toBe(HISTOGRAM_BINS);
  expect(h.edges.length).toBe(HISTOGRAM_BINS + 1);
  expect(h.edges[0]).toBe(min);
  expect(h.edges.at(-1)).toBe(max);
  const width = (max - min) / HISTOGRAM_BINS;
  h.edges.forEach((e, i) => expect(Math.abs(e - (min + i * width))).toBeLessThanOrEqual(1e-12 * Math.max(Math.abs(min), Math.abs(max))));
  const expected = new Array<number>(HISTOGRAM_BINS).fill(0);
  for (const v of finite) {
    let lo = 0;
    let hi = HISTOGRAM_BINS - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (v >= (h.edges[mid] as number)) lo = mid;
      else hi = mid - 1;
    }
    expected[lo] = (expected[lo] as number) + 1;
  }
  expect(h.counts).toEqual(expected);
}

function closeTo(actual: number, expected: number, scale: number): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(1e-9 * Math.max(1, Math.abs(scale)));
}

describe(`weight statistics against a plain computation, every weight of the corpus models${note}`, () => {
  it.skipIf(!hasCorpus).each(MODELS)('%s', (file) => {
    const ir = buildGraph(decodeModelProto(new Uint8Array(readFileSync(`${CORPUS}models/${file}`))));
    let checked = 0;
    let histogramElements = 0;
    for (const w of ir.weights) {
      if (!w.tensor) continue;
      const values = tensorToNumbers(w.tensor);
      const d = weightDetails(w);
      if (!values || values.length === 0) {
        expect(d.stats).toBeNull();
        continue;
      }
      const ref = reference(values);
      const s = d.stats;
      if (!s) throw new Error(`${file}: ${w.name} has no statistics`);
      expect(s.nan).toBe(ref.nan);
      expect(s.inf).toBe(ref.inf);
      expect(s.sparsity).toBe(ref.sparsity);
      if (ref.nan + ref.inf === values.length) continue;
      const spread = Math.max(Math.abs(ref.min), Math.abs(ref.max));
      expect(s.min).toBe(ref.min);
      expect(s.max).toBe(ref.max);
      closeTo(s.mean, ref.mean, spread);
      closeTo(s.std, ref.std, spread);
      checkHistogram(d.histogram, ref.finite, ref.min, ref.max);
      expect(d.elements).toBe(values.length);
      checked++;
      histogramElements += ref.finite.length;
    }
    expect(checked).toBeGreaterThan(0);
    expect(histogramElements).toBeGreaterThan(0);
  });

  it.skipIf(!hasCorpus)('melspectrogram: a Clip bound of +inf is counted, not averaged', () => {
    const ir = buildGraph(decodeModelProto(new Uint8Array(readFileSync(`${CORPUS}models/melspectrogram.onnx`))));
    const infinite = ir.weights.filter((w) => w.tensor && tensorToNumbers(w.tensor)?.some((v) => v === Infinity));
    expect(infinite.length).toBeGreaterThan(0);
    for (const w of infinite) {
      const d = weightDetails(w);
      expect(d.stats?.inf).toBeGreaterThan(0);
      expect(Number.isNaN(d.stats?.min)).toBe(d.elements === d.stats?.inf);
    }
  });
});

describe('chunked reading equals whole-tensor decoding', () => {
  // Small chunks force many chunk boundaries, including inside packed 4-bit bytes.
  const cases: Array<[string, number, (i: number) => number]> = [
    ['float32', DataType.FLOAT, (i) => Math.sin(i) * 3],
    ['float16', DataType.FLOAT16, (i) => Math.cos(i)],
    ['float64', DataType.DOUBLE, (i) => i / 7],
    ['int8', DataType.INT8, (i) => ((i * 37) % 256) - 128],
    ['uint8', DataType.UINT8, (i) => (i * 13) % 256],
    ['int32', DataType.INT32, (i) => i * 1000 - 5e6],
    ['int64', DataType.INT64, (i) => i - 500],
    ['int4', DataType.INT4, (i) => ((i * 5) % 16) - 8],
    ['uint4', DataType.UINT4, (i) => (i * 3) % 16],
    ['bfloat16', DataType.BFLOAT16, (i) => i],
  ];
  it.each(cases)('%s', (_name, dtype, gen) => {
    const count = 1003;
    const bytes = encode(dtype, count, gen);
    const whole = bytesToNumbers(dtype, bytes, count);
    if (!whole) throw new Error('reference decoding failed');
    const streamed = new Float64Array(count);
    let calls = 0;
    expect(forEachChunk(dtype, bytes, count, (v, n, start) => {
      streamed.set(v.subarray(0, n), start);
      calls++;
    }, 64)).toBe(true);
    expect(calls).toBe(Math.ceil(count / 64));
    expect(Array.from(streamed)).toEqual(Array.from(whole));
    const s = summarizeValues(dtype, bytes, count);
    const ref = reference(whole);
    expect(s?.stats.min).toBe(ref.min);
    expect(s?.stats.max).toBe(ref.max);
    checkHistogram(s?.histogram, ref.finite, ref.min, ref.max);
  });

  it('refuses strings and short buffers instead of reading garbage', () => {
    expect(summarizeValues(DataType.STRING, new Uint8Array(8), 2)).toBeUndefined();
    expect(summarizeValues(DataType.FLOAT, new Uint8Array(7), 2)).toBeUndefined();
  });
});

describe('sparse weights and large tensors', () => {
  it('a sparse initializer counts its implicit zeros', () => {
    // Dense [4, 5] with 3 stored values at flat positions 3, 9, 19: 17 implicit zeros.
    const sparse = { values: floatTensor('sp', [3], [2, -4, 6]), indices: int64Tensor('', [3], [3, 9, 19]), dims: [4, 5].map((d) => Long.fromNumber(d)) };
    const ir = buildGraph(model({ nodes: [{ op: 'Add', inputs: ['x', 'sp'], outputs: ['y'] }], inputs: [['x', DataType.FLOAT, [4, 5]]], outputs: [['y', DataType.FLOAT, [4, 5]]], sparseInitializers: [sparse] }));
    const w = ir.weights.find((x) => x.name === 'sp');
    if (!w) throw new Error('no sparse weight');
    const d = weightDetails(w);
    const dense = new Float64Array(20);
    dense[3] = 2;
    dense[9] = -4;
    dense[19] = 6;
    const ref = reference(dense);
    expect(d.kind).toBe('sparse-initializer');
    expect(d.shape).toEqual([4, 5]);
    expect(d.stats?.sparsity).toBe(17 / 20);
    expect(d.stats?.min).toBe(-4);
    expect(d.stats?.max).toBe(6);
    closeTo(d.stats?.mean ?? NaN, ref.mean, 6);
    closeTo(d.stats?.std ?? NaN, ref.std, 6);
    checkHistogram(d.histogram, Array.from(dense), -4, 6);
  });

  it('streams 8M float32 values with a closed-form answer', () => {
    // Values 0..999 repeating: mean 499.5, population std sqrt((1000²-1)/12), 1/1000 zeros.
    const count = 8_000_000;
    const f = new Float32Array(count);
    for (let i = 0; i < count; i++) f[i] = i % 1000;
    const t0 = performance.now();
    const s = summarizeValues(DataType.FLOAT, new Uint8Array(f.buffer), count);
    const ms = performance.now() - t0;
    expect(s?.stats.min).toBe(0);
    expect(s?.stats.max).toBe(999);
    closeTo(s?.stats.mean ?? NaN, 499.5, 1000);
    closeTo(s?.stats.std ?? NaN, Math.sqrt((1000 * 1000 - 1) / 12), 1000);
    expect(s?.stats.sparsity).toBe(1 / 1000);
    expect(s?.histogram?.counts.reduce((a, b) => a + b, 0)).toBe(count);
    // Two passes over 32 MB; generous bound so a slow CI machine does not flake.
    expect(ms).toBeLessThan(5000);
  });

  it('tensorBytes is a view: reading a raw_data weight does not copy it', () => {
    const raw = new Uint8Array(16);
    expect(tensorBytes({ dataType: DataType.FLOAT, dims: [], rawData: raw })).toBe(raw);
  });
});

function encode(dtype: number, count: number, gen: (i: number) => number): Uint8Array {
  switch (dtype) {
    case DataType.FLOAT:
      return new Uint8Array(Float32Array.from({ length: count }, (_, i) => gen(i)).buffer);
    case DataType.DOUBLE:
      return new Uint8Array(Float64Array.from({ length: count }, (_, i) => gen(i)).buffer);
    case DataType.FLOAT16:
      return new Uint8Array(Uint16Array.from({ length: count }, (_, i) => numberToFloat16(gen(i))).buffer);
    case DataType.BFLOAT16:
      return new Uint8Array(Uint16Array.from({ length: count }, (_, i) => (new Uint32Array(Float32Array.of(gen(i)).buffer)[0] as number) >>> 16).buffer);
    case DataType.INT8:
      return new Uint8Array(Int8Array.from({ length: count }, (_, i) => gen(i)).buffer);
    case DataType.UINT8:
      return Uint8Array.from({ length: count }, (_, i) => gen(i));
    case DataType.INT32:
      return new Uint8Array(Int32Array.from({ length: count }, (_, i) => gen(i)).buffer);
    case DataType.INT64:
      return new Uint8Array(BigInt64Array.from({ length: count }, (_, i) => BigInt(gen(i))).buffer);
    case DataType.INT4:
    case DataType.UINT4: {
      const out = new Uint8Array(Math.ceil(count / 2));
      for (let i = 0; i < count; i++) out[i >> 1] = (out[i >> 1] as number) | ((gen(i) & 0xf) << ((i & 1) * 4));
      return out;
    }
    default:
      throw new Error(`no encoder for ${dtype}`);
  }
}
