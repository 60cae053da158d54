/**
 * A streaming histogram of one tensor's values that never stores the values themselves.
 *
 * The range problem: a histogram needs its edges before it sees the data, and calibration sees the
 * data one batch at a time. ORT's HistogramCollector keeps the bin width of the first batch and adds
 * bins when a later batch goes further (so the bin count — and memory — grows without bound when the
 * first batch happens to be narrow). We keep the bin count fixed instead and anchor the histogram at
 * zero: it covers [0, limit] (of |x|, mode 'abs') or [-limit, limit] (mode 'signed'). When a batch
 * goes beyond `limit`, the limit doubles (as often as needed) and every pair of neighbouring bins
 * merges into one. Because the new edges are a subset of the old ones, this rebinning is exact: no
 * count is ever split or guessed, so the result does not depend on how the data was batched beyond
 * the final resolution. The price is resolution: the final limit is at most 2× the largest |x|, so
 * at least half of the bins (a quarter on each side in 'signed' mode) cover the data. One pass over
 * the data suffices (no separate min/max pass: calibrating runs the model once).
 */
import { MinMaxStats } from './minmax.js';

export type HistogramMode = 'abs' | 'signed';

/** Bins are rounded up to a multiple of 4 so that doubling a signed range merges bins exactly. */
export function normalizeBins(bins: number, fallback: number): number {
  const b = Number.isFinite(bins) && bins >= 8 ? Math.floor(bins) : fallback;
  return Math.ceil(b / 4) * 4;
}

export class StreamingHistogram {
  readonly bins: number;
  readonly counts: Float64Array;
  /** Half-width of the covered range (signed) or its upper end (abs); 0 until a non-zero value arrives. */
  limit = 0;
  /** Exact min/max (and non-finite count) of the raw values, for clamping thresholds. */
  readonly stats = new MinMaxStats();
  /** Zeros seen while every value so far was zero (limit 0): binned when the range becomes known. */
  private pendingZeros = 0;

  constructor(
    readonly mode: HistogramMode,
    bins: number,
  ) {
    this.bins = normalizeBins(bins, 2048);
    this.counts = new Float64Array(this.bins);
  }

  /** Finite values counted. */
  get total(): number {
    return this.stats.count;
  }

  /** Left edge of bin k (k = bins gives the right end of the range). */
  edge(k: number): number {
    return this.mode === 'abs' ? (k * this.limit) / this.bins : -this.limit + (2 * k * this.limit) / this.bins;
  }

  /** Index of the bin holding zero. */
  get zeroBin(): number {
    return this.mode === 'abs' ? 0 : this.bins / 2;
  }

  add(values: ArrayLike<number>): void {
    const before = this.stats.count;
    this.stats.add(values);
    if (this.stats.count === before) return;
    const amax = Math.max(Math.abs(this.stats.min), Math.abs(this.stats.max));
    if (amax === 0) {
      this.pendingZeros += this.stats.count - before;
      return;
    }
    if (this.limit === 0) this.limit = amax;
    while (amax > this.limit) this.double();
    if (this.pendingZeros > 0) {
      this.counts[this.zeroBin] = (this.counts[this.zeroBin] as number) + this.pendingZeros;
      this.pendingZeros = 0;
    }
    this.binValues(values);
  }

  private binValues(values: ArrayLike<number>): void {
    const counts = this.counts;
    const last = this.bins - 1;
    const n = values.length;
    if (this.mode === 'abs') {
      const scale = this.bins / this.limit;
      for (let i = 0; i < n; i++) {
        const x = values[i] as number;
        if (x - x !== 0) continue;
        const k = Math.floor(Math.abs(x) * scale);
        const idx = k > last ? last : k;
        counts[idx] = (counts[idx] as number) + 1;
      }
    } else {
      const scale = this.bins / (2 * this.limit);
      const offset = this.limit;
      for (let i = 0; i < n; i++) {
        const x = values[i] as number;
        if (x - x !== 0) continue;
        const k = Math.floor((x + offset) * scale);
        const idx = k < 0 ? 0 : k > last ? last : k;
        counts[idx] = (counts[idx] as number) + 1;
      }
    }
  }

  /**
   * limit → 2·limit, merging bins 2m and 2m+1 into one. abs: the old range [0, L] becomes the lower
   * half. signed: [-L, L] becomes the middle half, new bin B/4 + m = old bins 2m, 2m+1 (B % 4 = 0).
   */
  private double(): void {
    const c = this.counts;
    const half = this.bins / 2;
    const merged = new Float64Array(half);
    for (let m = 0; m < half; m++) merged[m] = (c[2 * m] as number) + (c[2 * m + 1] as number);
    c.fill(0);
    c.set(merged, this.mode === 'abs' ? 0 : this.bins / 4);
    this.limit *= 2;
  }
}
