/**
 * Calibration statistics on synthetic data whose answer is known: uniform data (every method should
 * keep (nearly) the whole range), a Gaussian with a few large outliers (percentile and entropy clip
 * them, minmax does not), exact rebinning of the streaming histogram, and streaming = one-shot.
 */
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../util/seeded-random.js';
import type { CalibrationMethod } from '../transform/types.js';
import { RangeCollector } from './collector.js';
import { entropySearch } from './entropy.js';
import { StreamingHistogram } from './histogram.js';
import { MinMaxStats } from './minmax.js';
import { percentileRange } from './percentile.js';

function uniform(n: number, lo: number, hi: number, seed: number): Float32Array {
  const r = seededRandom(seed);
  return Float32Array.from({ length: n }, () => lo + (hi - lo) * r());
}

function gaussian(n: number, sigma: number, seed: number): Float32Array {
  const r = seededRandom(seed);
  const out = new Float32Array(n);
  for (let i = 0; i < n; i++) out[i] = sigma * Math.sqrt(-2 * Math.log(1 - r())) * Math.cos(2 * Math.PI * r());
  return out;
}

/** N(0,1) with a handful of outliers at ±40 and 50 (0.005 % of the values). */
function gaussianWithOutliers(): Float32Array {
  const g = gaussian(200_000, 1, 7);
  g[10] = 50;
  g[20_000] = -40;
  g[150_000] = 45;
  return g;
}

function chunks(values: Float32Array, size: number): Float32Array[] {
  const out: Float32Array[] = [];
  for (let i = 0; i < values.length; i += size) out.push(values.subarray(i, i + size));
  return out;
}

function collect(method: CalibrationMethod, values: Float32Array, opts: { symmetric?: boolean; percentile?: number; bins?: number; chunk?: number } = {}) {
  const c = new RangeCollector({ method, percentile: opts.percentile ?? 99.99, bins: opts.bins ?? 2048, symmetric: opts.symmetric ?? false });
  for (const part of chunks(values, opts.chunk ?? 4096)) c.add('t', part);
  const r = c.ranges().get('t');
  if (!r) throw new Error('no range');
  return r;
}

describe('MinMaxStats', () => {
  const cases: Array<{ name: string; values: number[]; min: number; max: number; nonFinite: number }> = [
    { name: 'plain', values: [3, -2, 7.5, 0], min: -2, max: 7.5, nonFinite: 0 },
    { name: 'NaN and Inf ignored', values: [1, NaN, -Infinity, 2, Infinity], min: 1, max: 2, nonFinite: 3 },
    { name: 'single value', values: [4], min: 4, max: 4, nonFinite: 0 },
  ];
  it.each(cases)('$name', ({ values, min, max, nonFinite }) => {
    const s = new MinMaxStats();
    for (const v of values) s.add([v]);
    expect(s.range()).toEqual({ min, max });
    expect(s.nonFinite).toBe(nonFinite);
  });
  it('has no range without finite values', () => {
    const s = new MinMaxStats();
    s.add([NaN]);
    expect(s.range()).toBeUndefined();
  });
});

describe('StreamingHistogram', () => {
  it.each(['abs', 'signed'] as const)('rebinning on growth is exact (%s)', (mode) => {
    // The first batch is narrow (|x| < 0.01), later ones reach 37: the limit doubles many times.
    const batches = [uniform(1000, -0.01, 0.01, 1), uniform(5000, -3, 2, 2), uniform(5000, -37, 20, 3), new Float32Array([0, 0, 0])];
    const h = new StreamingHistogram(mode, 64);
    for (const b of batches) h.add(b);
    expect(h.limit).toBeGreaterThanOrEqual(37);
    expect(h.limit).toBeLessThan(74);
    // Reference: every value binned once with the final edges.
    const ref = new Float64Array(64);
    for (const b of batches)
      for (const x of b) {
        const k = mode === 'abs' ? Math.floor((Math.abs(x) * 64) / h.limit) : Math.floor(((x + h.limit) * 64) / (2 * h.limit));
        const idx = Math.min(63, Math.max(0, k));
        ref[idx] = (ref[idx] as number) + 1;
      }
    expect([...h.counts]).toEqual([...ref]);
    expect(h.total).toBe(11_003);
  });
  it('counts zeros seen before the range is known in the zero bin', () => {
    const h = new StreamingHistogram('signed', 16);
    h.add(new Float32Array(5));
    h.add([1, -1]);
    expect(h.counts[8]).toBe(5); // [0, 1/8)
    expect(h.counts[0]).toBe(1); // -1
    expect(h.counts[15]).toBe(1); // 1, the right end, in the last bin
    expect(h.total).toBe(7);
  });
});

describe('percentile', () => {
  it.each([
    { symmetric: true, p: 99, expected: { min: -0.99, max: 0.99 } },
    { symmetric: false, p: 99, expected: { min: -0.99, max: 0.99 } },
    { symmetric: false, p: 100, expected: { min: -1, max: 1 } },
  ])('uniform on [-1, 1], symmetric=$symmetric, p=$p', ({ symmetric, p, expected }) => {
    const r = collect('percentile', uniform(400_000, -1, 1, 3), { symmetric, percentile: p });
    expect(r.min).toBeCloseTo(expected.min, 2);
    expect(r.max).toBeCloseTo(expected.max, 2);
  });
  it('per-tail cut of skewed data (uniform on [0, 4])', () => {
    const r = collect('percentile', uniform(400_000, 0, 4, 4), { percentile: 98 });
    expect(r.min).toBeCloseTo(0.04, 2); // 1 % of 4 from each end
    expect(r.max).toBeCloseTo(3.96, 2);
  });
  it('clips the outliers of a Gaussian; minmax keeps them', () => {
    const values = gaussianWithOutliers();
    const mm = collect('minmax', values);
    expect(mm).toEqual({ min: -40, max: 50 });
    for (const symmetric of [true, false]) {
      const r = collect('percentile', values, { symmetric, percentile: 99.99 });
      // 99.99 % of |x| of N(0,1) is 3.89; per tail 99.995 % is 3.89 too.
      expect(Math.abs(r.max)).toBeGreaterThan(3.5);
      expect(Math.abs(r.max)).toBeLessThan(4.5);
      expect(r.min).toBeGreaterThanOrEqual(mm.min);
      expect(r.max).toBeLessThanOrEqual(mm.max);
    }
  });
  it('does not depend on batching', () => {
    const values = gaussianWithOutliers();
    const a = collect('percentile', values, { chunk: 1000 });
    const b = collect('percentile', values, { chunk: 200_000 });
    // Final limits may differ (they are the first batch's max times a power of two); the answers
    // agree within a bin width of the coarser histogram (limit < 2 · 50 over 2048 bins).
    expect(Math.abs(a.max - b.max)).toBeLessThan((2 * 100) / 2048);
  });
  it('a range of zeros stays [0, 0]', () => {
    const h = new StreamingHistogram('abs', 64);
    h.add(new Float32Array(10));
    expect(percentileRange(h, 99)).toEqual({ min: 0, max: 0 });
  });
});

describe('entropy', () => {
  it('keeps (nearly) the whole range of uniform data', () => {
    const r = collect('entropy', uniform(200_000, -1, 1, 5));
    expect(r.max).toBeGreaterThan(0.9);
    expect(r.min).toBeLessThan(-0.9);
  });
  it('puts the threshold of a Gaussian with outliers far below its max', () => {
    const values = gaussianWithOutliers();
    const r = collect('entropy', values);
    expect(r.max).toBeLessThan(25);
    expect(r.max).toBeGreaterThan(2);
    expect(r.min).toBeGreaterThan(-25);
    expect(r.min).toBeLessThan(-2);
  });
  it('clamps to the observed values of a one-sided distribution (ReLU-like)', () => {
    const values = gaussian(100_000, 1, 9).map(Math.abs);
    const r = collect('entropy', values);
    expect(r.min).toBe(Math.min(...values));
    expect(r.max).toBeGreaterThan(2);
    expect(r.max).toBeLessThanOrEqual(Math.max(...values));
  });
  it('picks the minimal KL among the candidates', () => {
    const h = new StreamingHistogram('signed', 512);
    h.add(gaussianWithOutliers());
    const found = entropySearch(h);
    expect(found).toBeDefined();
    expect(found?.kl).toBeGreaterThanOrEqual(0);
    expect(found?.halfBins).toBeGreaterThanOrEqual(64);
    expect(found?.halfBins).toBeLessThan(256);
  });
});

describe('RangeCollector', () => {
  it.each(['minmax', 'percentile', 'entropy'] as const)('%s: symmetric ranges are [-a, a] and runs are deterministic', (method) => {
    const values = Float32Array.from(gaussian(50_000, 1, 11), (x) => x + 0.7);
    const r = collect(method, values, { symmetric: true });
    expect(r.min).toBe(-r.max);
    expect(collect(method, values, { symmetric: true })).toEqual(r);
  });
  it('reports NaN values and tensors without a finite value', () => {
    const c = new RangeCollector({ method: 'minmax', percentile: 99.9, bins: 128, symmetric: false });
    c.add('a', [1, NaN, 2]);
    c.add('b', [NaN]);
    expect(c.ranges().get('a')).toEqual({ min: 1, max: 2 });
    expect(c.ranges().has('b')).toBe(false);
    expect(c.warnings().join('\n')).toMatch(/'a' had 1 NaN/);
    expect(c.warnings().join('\n')).toMatch(/'b' had no finite value/);
  });
});
