/**
 * How close a candidate model's outputs are to a reference's on the same inputs: the numbers users of
 * quantization tools compare (cosine similarity, max abs error, relative L2, SQNR in dB; top-1/top-5
 * agreement for classifiers) and labelled accuracy with a confidence interval.
 */
export interface Fidelity {
  readonly cosine: number;
  readonly maxAbsError: number;
  /** ‖cand − ref‖ / ‖ref‖. */
  readonly relativeL2: number;
  /** Signal-to-quantization-noise ratio: 10·log10(‖ref‖² / ‖cand − ref‖²); Infinity when identical. */
  readonly sqnrDb: number;
  readonly elements: number;
}

export function fidelity(ref: ArrayLike<number>, cand: ArrayLike<number>): Fidelity {
  const acc = new FidelityAccumulator();
  acc.add(ref, cand);
  return acc.result();
}

/** fidelity() over data that arrives in pieces (one sample at a time), without keeping it. */
export class FidelityAccumulator {
  private dot = 0;
  private rr = 0;
  private cc = 0;
  private ee = 0;
  private maxAbs = 0;
  private n = 0;

  add(ref: ArrayLike<number>, cand: ArrayLike<number>): void {
    const n = Math.min(ref.length, cand.length);
    let { dot, rr, cc, ee, maxAbs } = this;
    for (let i = 0; i < n; i++) {
      const r = ref[i] as number;
      const c = cand[i] as number;
      dot += r * c;
      rr += r * r;
      cc += c * c;
      const e = c - r;
      ee += e * e;
      const a = Math.abs(e);
      if (a > maxAbs || Number.isNaN(a)) maxAbs = a;
    }
    Object.assign(this, { dot, rr, cc, ee, maxAbs });
    this.n += n;
  }

  result(): Fidelity {
    const { dot, rr, cc, ee, maxAbs, n } = this;
    const cosine = rr === 0 && cc === 0 ? 1 : rr === 0 || cc === 0 ? 0 : dot / Math.sqrt(rr * cc);
    return {
      cosine,
      maxAbsError: maxAbs,
      relativeL2: rr === 0 ? (ee === 0 ? 0 : Infinity) : Math.sqrt(ee / rr),
      sqnrDb: ee === 0 ? Infinity : 10 * Math.log10(rr / ee),
      elements: n,
    };
  }
}

/** Indices of the k largest values of row `row` (width `classes`), best first. */
export function topK(values: ArrayLike<number>, classes: number, row: number, k: number): number[] {
  const idx: number[] = [];
  for (let j = 0; j < classes; j++) idx.push(j);
  const base = row * classes;
  idx.sort((a, b) => (values[base + b] as number) - (values[base + a] as number));
  return idx.slice(0, k);
}

export function argmaxRows(values: ArrayLike<number>, classes: number): Int32Array {
  const rows = Math.floor(values.length / classes);
  const out = new Int32Array(rows);
  for (let r = 0; r < rows; r++) {
    let best = 0;
    let bestV = -Infinity;
    for (let j = 0; j < classes; j++) {
      const v = values[r * classes + j] as number;
      if (v > bestV) {
        bestV = v;
        best = j;
      }
    }
    out[r] = best;
  }
  return out;
}

/** Fraction of rows whose top-1 class agrees; with k > 1, fraction whose reference top-1 is in the candidate's top-k. */
export function topKAgreement(ref: ArrayLike<number>, cand: ArrayLike<number>, classes: number, k = 1): number {
  const rows = Math.floor(Math.min(ref.length, cand.length) / classes);
  if (rows === 0) return NaN;
  let agree = 0;
  for (let r = 0; r < rows; r++) {
    const top = topK(ref, classes, r, 1)[0];
    if (topK(cand, classes, r, k).includes(top as number)) agree++;
  }
  return agree / rows;
}

export interface Accuracy {
  readonly correct: number;
  readonly total: number;
  readonly accuracy: number;
  /** 95 % Wilson score interval: honest for small test sets and accuracies near 1. */
  readonly low: number;
  readonly high: number;
}

export function wilsonInterval(correct: number, total: number, z = 1.96): { low: number; high: number } {
  if (total === 0) return { low: 0, high: 1 };
  const p = correct / total;
  const z2 = z * z;
  const denom = 1 + z2 / total;
  const centre = (p + z2 / (2 * total)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / total + z2 / (4 * total * total))) / denom;
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

export function accuracy(logits: ArrayLike<number>, classes: number, labels: ArrayLike<number>): Accuracy {
  const pred = argmaxRows(logits, classes);
  const total = Math.min(pred.length, labels.length);
  let correct = 0;
  for (let i = 0; i < total; i++) if (pred[i] === labels[i]) correct++;
  return { correct, total, accuracy: total === 0 ? NaN : correct / total, ...wilsonInterval(correct, total) };
}
