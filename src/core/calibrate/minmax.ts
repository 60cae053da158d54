/**
 * Running min/max of one tensor over every batch the calibrator sees: ORT's MinMaxCalibrater default
 * (no moving average) takes the min of the per-batch mins and the max of the per-batch maxes, which is
 * the same as the min/max over all values. Non-finite values (NaN, ±Inf) are counted and left out: one
 * NaN would otherwise poison the range and with it every scale derived from it.
 */
import type { TensorRange } from '../transform/types.js';

export class MinMaxStats {
  min = Infinity;
  max = -Infinity;
  /** Finite values seen. */
  count = 0;
  /** NaN and ±Infinity values seen (ignored). */
  nonFinite = 0;

  add(values: ArrayLike<number>): void {
    let lo = this.min;
    let hi = this.max;
    let bad = 0;
    const n = values.length;
    for (let i = 0; i < n; i++) {
      const x = values[i] as number;
      // x - x is NaN for NaN and ±Infinity: one test for both.
      if (x - x !== 0) {
        bad++;
        continue;
      }
      if (x < lo) lo = x;
      if (x > hi) hi = x;
    }
    this.min = lo;
    this.max = hi;
    this.count += n - bad;
    this.nonFinite += bad;
  }

  /** undefined when no finite value was seen. */
  range(): TensorRange | undefined {
    return this.count > 0 ? { min: this.min, max: this.max } : undefined;
  }
}

/** The range made symmetric around zero, [-a, a] with a = max(|min|, |max|) (ORT's `symmetric` option). */
export function symmetricRange(r: TensorRange): TensorRange {
  const a = Math.max(Math.abs(r.min), Math.abs(r.max));
  return { min: -a, max: a };
}
