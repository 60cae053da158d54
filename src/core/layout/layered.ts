/**
 * The proper layered graph: every edge between adjacent ranks, long edges through virtual ("dummy")
 * nodes, one per rank crossed.
 *
 * Dummies are shared per source node: all long edges leaving a node run down one chain, and each
 * leaves it at the rank just above its target. A tensor read at many depths (a residual input, a
 * DenseNet feature map feeding every later concat, a transformer's attention mask) is thus one bus
 * rather than k parallel lines, and the dummy count is the sum over sources of their longest span
 * instead of the sum over edges (DenseNet-like blocks: O(L²) instead of O(L³) for L layers).
 */
import { buildCsr } from './csr.js';

export interface LayeredGraph {
  /** Real nodes are 0 … realCount−1, dummies realCount … count−1. */
  readonly realCount: number;
  readonly count: number;
  readonly rank: Int32Array;
  readonly rankCount: number;
  /** Chain of real node u: dummies chainStart[u] … chainStart[u] + chainLength[u] − 1, one per rank below u. */
  readonly chainStart: Int32Array;
  readonly chainLength: Int32Array;
  /** Edges between adjacent ranks, upper → lower, without duplicates. */
  readonly down: { readonly offsets: Int32Array; readonly list: Int32Array };
  readonly up: { readonly offsets: Int32Array; readonly list: Int32Array };
  readonly edgeCount: number;
}

/** `src[k] → dst[k]`: the acyclic edges (self-loops removed), rank[src] < rank[dst]. */
export function buildLayered(n: number, rank: Int32Array, rankCount: number, src: Int32Array, dst: Int32Array): LayeredGraph {
  const out = buildCsr(n, src, dst, src.length);
  const chainStart = new Int32Array(n);
  const chainLength = new Int32Array(n);
  let count = n;
  for (let u = 0; u < n; u++) {
    let deepest = -1;
    for (let k = out.offsets[u] as number, end = out.offsets[u + 1] as number; k < end; k++) {
      deepest = Math.max(deepest, rank[out.list[k] as number] as number);
    }
    const length = Math.max(0, deepest - (rank[u] as number) - 1);
    chainStart[u] = count;
    chainLength[u] = length;
    count += length;
  }

  const fullRank = new Int32Array(count);
  fullRank.set(rank);
  // At most one link per dummy plus one per edge (parallel edges collapse).
  const capacity = count - n + src.length;
  const from = new Int32Array(capacity);
  const to = new Int32Array(capacity);
  let links = 0;
  // stamp[t] = u + 1 once u's edge to t is in, so parallel edges u → t appear once.
  const stamp = new Int32Array(n);
  for (let u = 0; u < n; u++) {
    const ru = rank[u] as number;
    const start = chainStart[u] as number;
    const length = chainLength[u] as number;
    for (let k = 0; k < length; k++) {
      fullRank[start + k] = ru + 1 + k;
      from[links] = k === 0 ? u : start + k - 1;
      to[links++] = start + k;
    }
    for (let k = out.offsets[u] as number, end = out.offsets[u + 1] as number; k < end; k++) {
      const t = out.list[k] as number;
      if (stamp[t] === u + 1) continue;
      stamp[t] = u + 1;
      const hop = (rank[t] as number) - ru - 1;
      from[links] = hop === 0 ? u : start + hop - 1;
      to[links++] = t;
    }
  }
  return {
    realCount: n,
    count,
    rank: fullRank,
    rankCount,
    chainStart,
    chainLength,
    down: buildCsr(count, from, to, links),
    up: buildCsr(count, to, from, links),
    edgeCount: links,
  };
}
