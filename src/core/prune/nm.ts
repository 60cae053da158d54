/**
 * N:M semi-structured sparsity (NVIDIA Ampere's 2:4, Mishra et al. 2021 "Accelerating Sparse Deep
 * Neural Networks"): along each output's reduction line, every group of M consecutive weights keeps
 * its N largest magnitudes. A sparse tensor core then stores N values plus 2-bit indices per group
 * and skips the zeros; dense CPU/WASM kernels (onnxruntime-web's included) do not.
 *
 * Lines whose length K is not a multiple of M end in a shorter tail group of r = K mod M weights;
 * the tail keeps ceil(r·N/M) of them, so its density is never below N/M.
 */
import type { ReductionLayout } from './targets.js';

/** How many weights a group of `size` keeps (size = M for full groups, the tail otherwise). */
export const keptInGroup = (size: number, n: number, m: number): number => Math.min(size, Math.ceil((size * n) / m));

/** Non-zero weights N:M keeps in a weight of this layout. */
export function keptCount(layout: ReductionLayout, n: number, m: number): number {
  const full = Math.floor(layout.K / m);
  const tail = layout.K % m;
  return layout.outer * layout.inner * (full * n + (tail > 0 ? keptInGroup(tail, n, m) : 0));
}

/**
 * 1 for every element to zero. Within a group, ties in magnitude keep the earlier element, so the
 * result is deterministic. Already-zero weights are the smallest and are "pruned" first.
 */
export function selectNM(magnitudes: Float32Array, layout: ReductionLayout, n: number, m: number): { readonly mask: Uint8Array; readonly zeroed: number } {
  const { outer, K, inner } = layout;
  const mask = new Uint8Array(magnitudes.length);
  const idx = new Int32Array(m);
  let zeroed = 0;
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) {
      const base = o * K * inner + i;
      for (let start = 0; start < K; start += m) {
        const size = Math.min(m, K - start);
        const keep = keptInGroup(size, n, m);
        for (let j = 0; j < size; j++) idx[j] = base + (start + j) * inner;
        // Insertion sort by descending magnitude (stable: earlier index first on ties); size ≤ 8.
        for (let a = 1; a < size; a++) {
          const cur = idx[a] as number;
          const cv = magnitudes[cur] as number;
          let b = a - 1;
          while (b >= 0 && (magnitudes[idx[b] as number] as number) < cv) {
            idx[b + 1] = idx[b] as number;
            b--;
          }
          idx[b + 1] = cur;
        }
        for (let j = keep; j < size; j++) {
          mask[idx[j] as number] = 1;
          zeroed++;
        }
      }
    }
  }
  return { mask, zeroed };
}
