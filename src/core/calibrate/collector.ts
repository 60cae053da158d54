/**
 * Collects the ranges a CalibrationRequest asks for, one batch of activations at a time (streaming:
 * a tensor's values are read once and dropped; only a min/max or a fixed-size histogram is kept).
 *
 * Method → statistic kept per tensor:
 * - minmax: running min/max (minmax.ts);
 * - percentile: a histogram of |x| when symmetric, of x otherwise (percentile.ts), `bins` bins
 *   (default 2048, ORT's default for this method);
 * - entropy: a histogram of x, at least 512 bins (see entropy.ts for why not ORT's 128), searched
 *   for the KL-optimal threshold with 128 quantized levels.
 * With `symmetric`, every final range is made [-a, a].
 */
import type { CalibrationRequest, TensorRange } from '../transform/types.js';
import { entropySearch, NUM_QUANTIZED_BINS } from './entropy.js';
import { StreamingHistogram } from './histogram.js';
import { MinMaxStats, symmetricRange } from './minmax.js';
import { percentileRange } from './percentile.js';

export type CollectorSettings = Omit<CalibrationRequest, 'tensors'>;

export const DEFAULT_PERCENTILE_BINS = 2048;
export const MIN_ENTROPY_BINS = 4 * NUM_QUANTIZED_BINS;

interface TensorStats {
  add(values: ArrayLike<number>): void;
  range(): TensorRange | undefined;
  readonly nonFinite: number;
  readonly finite: number;
}

function minmaxStats(): TensorStats {
  const s = new MinMaxStats();
  return { add: (v) => s.add(v), range: () => s.range(), get nonFinite() { return s.nonFinite; }, get finite() { return s.count; } };
}

function histogramStats(settings: CollectorSettings): TensorStats {
  const percentile = settings.method === 'percentile';
  const bins = percentile ? settings.bins || DEFAULT_PERCENTILE_BINS : Math.max(settings.bins || 0, MIN_ENTROPY_BINS);
  const h = new StreamingHistogram(percentile && settings.symmetric ? 'abs' : 'signed', bins);
  return {
    add: (v) => h.add(v),
    range: () => (percentile ? percentileRange(h, settings.percentile) : entropySearch(h)?.range),
    get nonFinite() { return h.stats.nonFinite; },
    get finite() { return h.stats.count; },
  };
}

export class RangeCollector {
  private readonly tensors = new Map<string, TensorStats>();

  constructor(readonly settings: CollectorSettings) {}

  /** Adds one batch of a tensor's values (any layout: ranges are per tensor, not per channel). */
  add(name: string, values: ArrayLike<number>): void {
    let stats = this.tensors.get(name);
    if (!stats) {
      stats = this.settings.method === 'minmax' ? minmaxStats() : histogramStats(this.settings);
      this.tensors.set(name, stats);
    }
    stats.add(values);
  }

  has(name: string): boolean {
    return this.tensors.has(name);
  }

  /** Final ranges of every tensor that had at least one finite value. */
  ranges(): Map<string, TensorRange> {
    const out = new Map<string, TensorRange>();
    for (const [name, stats] of this.tensors) {
      const r = stats.range();
      if (r) out.set(name, this.settings.symmetric ? symmetricRange(r) : r);
    }
    return out;
  }

  warnings(): string[] {
    const out: string[] = [];
    for (const [name, stats] of this.tensors) {
      if (stats.nonFinite > 0) out.push(`'${name}' had ${stats.nonFinite} NaN/infinite values; they were left out of its range`);
      if (stats.finite === 0) out.push(`'${name}' had no finite value: no range`);
    }
    return out;
  }
}
