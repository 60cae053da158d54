/**
 * Summary of a series of run times (ms): the figures a benchmark report shows next to its settings.
 *
 * Definitions, so that two reports can be compared:
 * - median: the middle value of the sorted series; for an even count, the mean of the two middle
 *   values (the usual statistical median, as numpy.median).
 * - p90, p99: nearest-rank percentiles — the value at 1-based rank ceil(p/100 · n) of the sorted
 *   series, always a measured run (never interpolated), so p99 of 50 runs is the slowest run.
 * - std: the sample standard deviation (n − 1 in the denominator); 0 for a single run.
 * - throughput: runs per second implied by the mean, 1000 / mean (one run at a time, batch as fed).
 * - histogram: Freedman–Diaconis bin width 2·IQR·n^(−1/3) (IQR from nearest-rank quartiles), clamped
 *   to between 1 and MAX_BINS bins; when the IQR is 0 (most runs identical) Sturges' rule
 *   ceil(log2 n) + 1 bins over the range instead. Bins are half-open [lo, hi), the last one closed.
 *   Far-out runs (beyond Q3 + 3·IQR, Tukey's outer fence: preempted runs on a busy machine) are
 *   counted in one last `overflow` bin instead of stretching the range of the others.
 */

export interface HistogramBin {
  readonly lo: number;
  readonly hi: number;
  readonly count: number;
  /** The far-out runs (beyond Q3 + 3·IQR), from the last ordinary run to the slowest. */
  readonly overflow?: true;
}

export interface LatencySummary {
  readonly count: number;
  readonly median: number;
  readonly p90: number;
  readonly p99: number;
  readonly min: number;
  readonly max: number;
  readonly mean: number;
  readonly std: number;
  /** Runs per second from the mean. */
  readonly throughput: number;
  readonly histogram: readonly HistogramBin[];
}

export const MAX_BINS = 40;

/** Nearest-rank percentile of an ascending series (p in 0–100); NaN for an empty series. */
export function nearestRank(sorted: ArrayLike<number>, p: number): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const rank = Math.min(n, Math.max(1, Math.ceil((p / 100) * n)));
  return sorted[rank - 1] as number;
}

export function median(sorted: ArrayLike<number>): number {
  const n = sorted.length;
  if (n === 0) return NaN;
  const m = n >> 1;
  return n % 2 === 1 ? (sorted[m] as number) : ((sorted[m - 1] as number) + (sorted[m] as number)) / 2;
}

/** Bins of an ascending series; see the file comment for the rule. */
export function histogram(sorted: readonly number[]): HistogramBin[] {
  const n = sorted.length;
  if (n === 0) return [];
  const lo = sorted[0] as number;
  const hi = sorted[n - 1] as number;
  if (hi === lo) return [{ lo, hi, count: n }];
  const q1 = nearestRank(sorted, 25);
  const q3 = nearestRank(sorted, 75);
  const iqr = q3 - q1;
  // Far-out runs (beyond Tukey's outer fence) share one last bin, so that a few preempted runs do not
  // stretch the range and squeeze every ordinary run into the first bin.
  const fence = iqr > 0 ? q3 + 3 * iqr : hi;
  const top = fence < hi ? Math.max(lo, ...sorted.filter((v) => v <= fence)) : hi;
  const tail = fence < hi ? sorted.filter((v) => v > top).length : 0;
  const body = n - tail;
  if (top === lo) return tail ? [{ lo, hi: lo, count: body }, { lo, hi, count: tail, overflow: true }] : [{ lo, hi, count: n }];
  const bins = iqr > 0 ? Math.ceil((top - lo) / (2 * iqr * Math.cbrt(1 / body))) : Math.ceil(Math.log2(body)) + 1;
  const count = Math.min(MAX_BINS - (tail ? 1 : 0), Math.max(1, bins));
  const width = (top - lo) / count;
  const counts = new Array<number>(count).fill(0);
  for (const v of sorted) {
    if (v > top) continue;
    const k = Math.min(count - 1, Math.floor((v - lo) / width));
    counts[k] = (counts[k] as number) + 1;
  }
  const out: HistogramBin[] = counts.map((c, k) => ({ lo: lo + k * width, hi: k === count - 1 ? top : lo + (k + 1) * width, count: c }));
  if (tail) out.push({ lo: top, hi, count: tail, overflow: true });
  return out;
}

/** Summary of run times in ms. An empty series gives count 0 and NaN figures. */
export function summarizeLatency(runsMs: readonly number[]): LatencySummary {
  const sorted = [...runsMs].sort((a, b) => a - b);
  const n = sorted.length;
  let sum = 0;
  for (const v of sorted) sum += v;
  const mean = n === 0 ? NaN : sum / n;
  let ss = 0;
  for (const v of sorted) ss += (v - mean) * (v - mean);
  return {
    count: n,
    median: median(sorted),
    p90: nearestRank(sorted, 90),
    p99: nearestRank(sorted, 99),
    min: n === 0 ? NaN : (sorted[0] as number),
    max: n === 0 ? NaN : (sorted[n - 1] as number),
    mean,
    std: n < 2 ? (n === 1 ? 0 : NaN) : Math.sqrt(ss / (n - 1)),
    throughput: n === 0 || mean <= 0 ? NaN : 1000 / mean,
    histogram: histogram(sorted),
  };
}
