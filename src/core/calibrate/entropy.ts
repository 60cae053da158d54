/**
 * Entropy calibration: TensorRT's KL-divergence threshold search (Szymon Migacz, "8-bit Inference with
 * TensorRT", GTC 2017), in the symmetric form ORT's HistogramCollector.get_entropy_threshold uses.
 *
 * Over a 'signed' histogram of B bins on [-L, L], for every candidate half-width i (in bins) from
 * Q/2 to B/2 (Q = quantized levels, 128 as in ORT's num_quantized_bins):
 *   P = the 2i bins around zero, with everything outside added to the two edge bins (clipped values
 *       saturate there);
 *   Q = the same 2i bins (without the outliers) merged into Q levels and spread back evenly over the
 *       bins where P is non-zero (what quantization to Q levels keeps of the distribution);
 *   cost = KL(P || Q) after smoothing zeros.
 * The threshold with the smallest KL wins: ±i·binWidth, clamped to the observed [min, max] (as ORT).
 *
 * Deliberate differences from ORT's code, each a quirk rather than part of the method:
 * - the window is the symmetric 2i bins (ORT takes 2i+1, one bin more on the positive side, a leftover
 *   of MXNet's odd-sized histograms);
 * - Q is kept in floating point (ORT stores it in an int64 array, truncating each spread count);
 * - bins left over when 2i is not a multiple of Q belong to the last level when spreading back (ORT
 *   counts them in the last level but never spreads them);
 * - smoothing adds ε to empty bins and renormalises (ORT's smooth_distribution also subtracts from
 *   non-empty bins, which can go negative for the fractional Q above).
 * With ORT's default of 128 bins and 128 levels there is a single candidate (no clipping); our
 * histograms keep a fixed bin count (see histogram.ts), so the caller uses ≥ 512 bins.
 */
import type { TensorRange } from '../transform/types.js';
import type { StreamingHistogram } from './histogram.js';

export const NUM_QUANTIZED_BINS = 128;
/** Added to empty bins before KL (in counts, as ORT's smooth_distribution eps=0.0001). */
export const EPSILON = 1e-4;

export interface EntropySearch {
  readonly range: TensorRange;
  /** Chosen half-width in bins, and the KL at it (for tests and reports). */
  readonly halfBins: number;
  readonly kl: number;
}

/**
 * Cost. A direct evaluation builds P and Q and takes a logarithm per bin for every candidate:
 * O(B²/4) logarithms, ~30 ms per tensor at B = 2048, seconds for a model with a hundred calibrated
 * tensors. Within one quantized level Q is a constant `share` on every bin where P is non-zero, so
 * with normalisers SP = ΣP' and SQ = ΣQ' (P', Q' = smoothed: empty bins get ε; where P is empty Q is
 * too, and those bins contribute nothing):
 *   KL = (1/SP) · Σ_levels [ Σ_{P>0} P log P − log(share) · Σ P ] + log(SQ / SP)
 * and Σ P log P, Σ P and the non-zero counts over a level come from prefix sums of the histogram (the
 * two window-edge bins, which also hold the clipped outliers, are corrected one by one). Each
 * candidate then costs O(levels), not O(bins). The test compares it with the direct evaluation.
 */
export function entropySearch(h: StreamingHistogram, quantizedBins = NUM_QUANTIZED_BINS): EntropySearch | undefined {
  if (h.mode !== 'signed') throw new Error('entropy calibration needs a signed histogram');
  const seen = h.stats.range();
  if (!seen) return undefined;
  if (h.limit === 0) return { range: seen, halfBins: 0, kl: 0 };
  const B = h.bins;
  const center = B / 2;
  const levels = Math.max(2, Math.min(quantizedBins, B));
  const counts = h.counts;
  // Prefix sums over bins [0, k): counts, c·log c, non-empty bins.
  const sumC = new Float64Array(B + 1);
  const sumClogC = new Float64Array(B + 1);
  const sumNz = new Float64Array(B + 1);
  for (let k = 0; k < B; k++) {
    const c = counts[k] as number;
    sumC[k + 1] = (sumC[k] as number) + c;
    sumClogC[k + 1] = (sumClogC[k] as number) + xlogx(c);
    sumNz[k + 1] = (sumNz[k] as number) + (c > 0 ? 1 : 0);
  }
  const total = sumC[B] as number;
  const logEps = Math.log(EPSILON);

  let best = { halfBins: center, kl: Infinity };
  for (let i = Math.ceil(levels / 2); i <= center; i++) {
    const start = center - i;
    const end = start + 2 * i; // exclusive
    const length = 2 * i;
    const firstC = counts[start] as number;
    const lastC = counts[end - 1] as number;
    const firstP = firstC + (sumC[start] as number); // + left outliers
    const lastP = lastC + (total - (sumC[end] as number)); // + right outliers
    const merged = Math.floor(length / levels);

    let weighted = 0; // Σ P' (log P' − log Q') over bins where P > 0
    let massP = 0; // Σ P over the window
    let nonZeroP = 0;
    let massQ = 0; // Σ Q
    let zerosQ = 0; // bins where Q = 0 (P = 0, or P > 0 in a level whose slice is empty)
    for (let level = 0; level < levels; level++) {
      const from = start + level * merged;
      const to = level === levels - 1 ? end : from + merged;
      const sliceSum = (sumC[to] as number) - (sumC[from] as number);
      let pSum = sliceSum;
      let pLogP = (sumClogC[to] as number) - (sumClogC[from] as number);
      let nz = (sumNz[to] as number) - (sumNz[from] as number);
      // The window's first and last bins hold the outliers too.
      if (from === start && firstP !== firstC) {
        pSum += firstP - firstC;
        pLogP += xlogx(firstP) - xlogx(firstC);
        if (firstC === 0) nz += 1;
      }
      if (to === end && lastP !== lastC) {
        pSum += lastP - lastC;
        pLogP += xlogx(lastP) - xlogx(lastC);
        if (lastC === 0) nz += 1;
      }
      massP += pSum;
      nonZeroP += nz;
      if (nz === 0) continue;
      if (sliceSum > 0) {
        weighted += pLogP - Math.log(sliceSum / nz) * pSum;
        massQ += sliceSum;
      } else {
        // Only clipped outliers here: Q is empty where P is not (smoothed to ε).
        weighted += pLogP - logEps * pSum;
        zerosQ += nz;
      }
    }
    const zerosP = length - nonZeroP;
    const sp = massP + EPSILON * zerosP;
    const sq = massQ + EPSILON * (zerosP + zerosQ);
    if (!(sp > 0)) continue;
    const kl = weighted / sp + Math.log(sq / sp);
    // Strictly smaller: ties keep the narrower threshold, as numpy's argmin keeps the first.
    if (kl < best.kl) best = { halfBins: i, kl };
  }
  const t = (best.halfBins * 2 * h.limit) / B;
  const min = Math.min(Math.max(-t, seen.min), seen.max);
  const max = Math.max(Math.min(t, seen.max), seen.min);
  return { range: { min, max }, halfBins: best.halfBins, kl: best.kl };
}

const xlogx = (x: number): number => (x > 0 ? x * Math.log(x) : 0);
