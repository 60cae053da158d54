/**
 * Percentile calibration (ORT's PercentileCalibrater, after NVIDIA's pytorch-quantization): clip the
 * range so that it covers `percentile` % of the values and lets the rarest outliers saturate.
 *
 * - symmetric: over |x| (an 'abs' histogram), the range is [-t, t] where t is the percentile of |x|
 *   (ORT's default for this method).
 * - asymmetric: per tail, over x (a 'signed' histogram): (100 − p)/2 % is cut from each side, as ORT does.
 *
 * Where ORT returns the left edge of the bin in which the cumulative count crosses the target, we
 * interpolate linearly inside that bin (values assumed uniform within a bin): the answer then moves
 * smoothly with `percentile` and is exact for uniform data. The thresholds are finally clamped to the
 * observed [min, max] (as ORT does), so a percentile range always lies inside the MinMax range.
 */
import type { TensorRange } from '../transform/types.js';
import type { StreamingHistogram } from './histogram.js';

/** The value below which `target` of the histogram's counts lie (0 ≤ target ≤ total). */
export function histogramQuantile(h: StreamingHistogram, target: number): number {
  const counts = h.counts;
  let cumulative = 0;
  for (let k = 0; k < h.bins; k++) {
    const c = counts[k] as number;
    if (c > 0 && cumulative + c >= target) {
      const inside = Math.max(0, target - cumulative) / c;
      const lo = h.edge(k);
      return lo + inside * (h.edge(k + 1) - lo);
    }
    cumulative += c;
  }
  return h.edge(h.bins);
}

const clamp = (x: number, lo: number, hi: number): number => (x < lo ? lo : x > hi ? hi : x);

/** The percentile range of a histogram; undefined when it saw no finite value. */
export function percentileRange(h: StreamingHistogram, percentile: number): TensorRange | undefined {
  const seen = h.stats.range();
  if (!seen) return undefined;
  const p = clamp(Number.isFinite(percentile) ? percentile : 100, 0, 100) / 100;
  if (h.limit === 0) return seen; // every value was 0
  if (h.mode === 'abs') {
    const amax = Math.max(Math.abs(seen.min), Math.abs(seen.max));
    const t = Math.min(histogramQuantile(h, p * h.total), amax);
    return { min: -t, max: t };
  }
  const tail = ((1 - p) / 2) * h.total;
  const lo = clamp(histogramQuantile(h, tail), seen.min, seen.max);
  const hi = clamp(histogramQuantile(h, h.total - tail), seen.min, seen.max);
  return { min: lo, max: hi };
}
