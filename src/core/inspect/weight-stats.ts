/**
 * Summary statistics and a histogram of a tensor's values, streamed chunk by chunk (value-chunks.ts):
 * one pass for min/max/mean/std/sparsity/NaN/Inf, a second for the histogram (its bins need min and
 * max first). Memory stays at one chunk buffer whatever the tensor size.
 *
 * Conventions: NaN and ±Inf are counted, and left out of min/max/mean/std and the histogram; std is
 * the population standard deviation (numpy's default, ddof = 0); sparsity counts exact zeros (-0
 * included) over all elements. A sparse tensor's implicit zeros are passed as `implicitZeros`: they
 * count as elements equal to 0 everywhere.
 */
import type { Histogram, WeightStats } from './types.js';
import { forEachChunk } from './value-chunks.js';

export const HISTOGRAM_BINS = 64;

export interface ValueSummary {
  readonly stats: WeightStats;
  readonly histogram: Histogram | null;
}

// Running moments live in a Float64Array and are updated by a plain function working on locals: V8
// keeps those in registers, where closure-captured or object-field counters cost several times more.
const MIN = 0;
const MAX = 1;
const FINITE = 2;
const ZEROS = 3;
const NAN = 4;
const INF = 5;
// Sums of (v - shift) and (v - shift)²: the shifted-data variance formula stays accurate when the
// values sit far from zero (an int64 index table, a bias of ~1e3), unlike raw sums of squares.
const SHIFT = 6;
const S1 = 7;
const S2 = 8;

function newMoments(): Float64Array {
  return Float64Array.of(Infinity, -Infinity, 0, 0, 0, 0, NaN, 0, 0);
}

function addMoments(m: Float64Array, v: Float64Array, n: number): void {
  let min = m[MIN] as number;
  let max = m[MAX] as number;
  let finite = m[FINITE] as number;
  let zeros = m[ZEROS] as number;
  let nan = m[NAN] as number;
  let inf = m[INF] as number;
  let shift = m[SHIFT] as number;
  let s1 = m[S1] as number;
  let s2 = m[S2] as number;
  for (let i = 0; i < n; i++) {
    const x = v[i] as number;
    if (x === 0) zeros++;
    if (x - x !== 0) {
      // NaN - NaN and Inf - Inf are NaN: one test catches both.
      if (x !== x) nan++;
      else inf++;
      continue;
    }
    if (finite === 0) shift = x;
    finite++;
    if (x < min) min = x;
    if (x > max) max = x;
    const d = x - shift;
    s1 += d;
    s2 += d * d;
  }
  m[MIN] = min;
  m[MAX] = max;
  m[FINITE] = finite;
  m[ZEROS] = zeros;
  m[NAN] = nan;
  m[INF] = inf;
  m[SHIFT] = shift;
  m[S1] = s1;
  m[S2] = s2;
}

/**
 * Statistics of `count` values of `dtype` stored in `bytes` (plus `implicitZeros` zeros). undefined
 * when the dtype has no numeric reading (strings, complex) or the bytes are short.
 */
export function summarizeValues(dtype: number, bytes: Uint8Array, count: number, implicitZeros = 0, bins = HISTOGRAM_BINS): ValueSummary | undefined {
  const m = newMoments();
  const readable = forEachChunk(dtype, bytes, count, (v, n) => addMoments(m, v, n));
  if (!readable) return undefined;
  let [min, max, finite, zeros] = [m[MIN] as number, m[MAX] as number, m[FINITE] as number, m[ZEROS] as number];
  let [shift, s1, s2] = [m[SHIFT] as number, m[S1] as number, m[S2] as number];
  const [nan, inf] = [m[NAN] as number, m[INF] as number];
  if (implicitZeros > 0) {
    if (finite === 0) shift = 0;
    finite += implicitZeros;
    zeros += implicitZeros;
    if (min > 0) min = 0;
    if (max < 0) max = 0;
    const d = -shift;
    s1 += d * implicitZeros;
    s2 += d * d * implicitZeros;
  }
  const total = count + implicitZeros;
  const meanShifted = finite > 0 ? s1 / finite : NaN;
  const variance = finite > 0 ? Math.max(0, s2 / finite - meanShifted * meanShifted) : NaN;
  const stats: WeightStats = {
    min: finite > 0 ? min : NaN,
    max: finite > 0 ? max : NaN,
    mean: finite > 0 ? shift + meanShifted : NaN,
    std: Math.sqrt(variance),
    sparsity: total > 0 ? zeros / total : 0,
    nan,
    inf,
  };
  const histogram = finite > 0 ? histogramOf(dtype, bytes, count, implicitZeros, min, max, bins) : null;
  return { stats, histogram };
}

/** `bins` equal bins over [min, max], the last one closed (as numpy.histogram). One bin when min = max. */
function histogramOf(dtype: number, bytes: Uint8Array, count: number, implicitZeros: number, min: number, max: number, bins: number): Histogram {
  if (!(max > min)) {
    return { edges: [min, max], counts: [count + implicitZeros] };
  }
  const width = (max - min) / bins;
  const edges = Array.from({ length: bins + 1 }, (_, i) => (i === bins ? max : min + i * width));
  const edgeArray = Float64Array.from(edges);
  const scale = bins / (max - min);
  const tally = new Float64Array(bins);
  forEachChunk(dtype, bytes, count, (v, n) => countBins(v, n, tally, edgeArray, min, scale));
  if (implicitZeros > 0) {
    const k = binIndex(0, edgeArray, min, scale, bins - 1);
    tally[k] = (tally[k] as number) + implicitZeros;
  }
  const counts = Array.from(tally);
  return { edges, counts };
}

/**
 * Bin k holds edges[k] <= x < edges[k + 1] (the last bin also holds max). The scaled index can be off
 * by one next to an edge through rounding, so it is checked against the edges the histogram reports.
 */
function binIndex(x: number, edges: Float64Array, min: number, scale: number, last: number): number {
  let k = Math.floor((x - min) * scale);
  if (k > last) k = last;
  else if (k < 0) k = 0;
  if (x < (edges[k] as number)) k--;
  else if (k < last && x >= (edges[k + 1] as number)) k++;
  return k;
}

/** One chunk into the histogram; a plain function over its arguments so the loop runs on locals. */
function countBins(v: Float64Array, n: number, tally: Float64Array, edges: Float64Array, min: number, scale: number): void {
  const last = tally.length - 1;
  for (let i = 0; i < n; i++) {
    const x = v[i] as number;
    if (x - x !== 0) continue;
    const k = binIndex(x, edges, min, scale, last);
    tally[k] = (tally[k] as number) + 1;
  }
}
