/**
 * Coordinates. y: ranks stacked top to bottom, each as tall as its tallest node, nodes centred in it.
 * x: start packed left to right, then alternate passes that pull each node towards the mean x of its
 * neighbours in the rank just placed (down: inputs, up: consumers, last: both), keeping the order and
 * the minimum gaps. Each rank is solved exactly: with the gaps folded into offsets c_i, "x_i as close as
 * possible to its wish d_i, order and gaps kept" is weighted isotonic regression of d_i − c_i, which the
 * pool-adjacent-violators algorithm solves in linear time (Barlow et al. 1972).
 */
import type { LayeredGraph } from './layered.js';
import type { Ordering } from './ordering.js';

export const NODE_GAP = 24;
export const DUMMY_GAP = 10;
export const RANK_GAP = 40;

/**
 * Edge weights when averaging neighbours, after Gansner et al. 1993 (Ω): dummy–dummy edges weigh most,
 * so long edges run straight; an edge from a leaf source (a box with no input and one consumer, like
 * DenseNet's Unsqueeze of a weight) weighs little, so the data path does not drift towards it.
 */
const OMEGA_DUMMY_DUMMY = 8;
const OMEGA_DUMMY_REAL = 2;
const OMEGA_REAL = 1;
const LEAF_FACTOR = 0.25;
/** A node without neighbours in the reference rank only mildly wants to stay where it is. */
const FREE_WEIGHT = 0.25;

interface Adjacency {
  readonly offsets: Int32Array;
  readonly list: Int32Array;
}

export function assignX(g: LayeredGraph, o: Ordering, realWidths: Float32Array, passes: number): Float64Array {
  const { count, realCount, rankCount } = g;
  const { order, layerStart } = o;
  const width = (v: number): number => (v < realCount ? (realWidths[v] as number) : 0);
  const gap = (a: number, b: number): number => (a < realCount && b < realCount ? NODE_GAP : DUMMY_GAP);

  const leaf = new Uint8Array(realCount);
  for (let v = 0; v < realCount; v++) {
    const ins = (g.up.offsets[v + 1] as number) - (g.up.offsets[v] as number);
    const outs = (g.down.offsets[v + 1] as number) - (g.down.offsets[v] as number);
    if (ins === 0 && outs === 1) leaf[v] = 1;
  }
  const edgeWeight = (a: number, b: number): number => {
    const dummies = (a >= realCount ? 1 : 0) + (b >= realCount ? 1 : 0);
    const base = dummies === 2 ? OMEGA_DUMMY_DUMMY : dummies === 1 ? OMEGA_DUMMY_REAL : OMEGA_REAL;
    return (a < realCount && leaf[a] === 1) || (b < realCount && leaf[b] === 1) ? base * LEAF_FACTOR : base;
  };

  const x = new Float64Array(count);
  let widest = 0;
  for (let r = 0; r < rankCount; r++) {
    const start = layerStart[r] as number;
    const end = layerStart[r + 1] as number;
    widest = Math.max(widest, end - start);
    let cursor = 0;
    for (let i = start; i < end; i++) {
      const v = order[i] as number;
      const w = width(v);
      if (i > start) cursor += gap(order[i - 1] as number, v);
      x[v] = cursor + w / 2;
      cursor += w;
    }
  }
  // Centre every rank on the same axis so the first pass starts from a symmetric picture.
  for (let r = 0; r < rankCount; r++) {
    const start = layerStart[r] as number;
    const end = layerStart[r + 1] as number;
    if (end === start) continue;
    const first = order[start] as number;
    const last = order[end - 1] as number;
    const mid = ((x[first] as number) - width(first) / 2 + (x[last] as number) + width(last) / 2) / 2;
    for (let i = start; i < end; i++) x[order[i] as number] = (x[order[i] as number] as number) - mid;
  }

  const offsets = new Float64Array(widest);
  const wish = new Float64Array(widest);
  const weight = new Float64Array(widest);
  const blockWeight = new Float64Array(widest);
  const blockSum = new Float64Array(widest);
  const blockStart = new Int32Array(widest);

  const placeRank = (r: number, adjs: readonly Adjacency[]): void => {
    const start = layerStart[r] as number;
    const k = (layerStart[r + 1] as number) - start;
    let c = 0;
    for (let i = 0; i < k; i++) {
      const v = order[start + i] as number;
      if (i > 0) {
        const u = order[start + i - 1] as number;
        c += (width(u) + width(v)) / 2 + gap(u, v);
      }
      offsets[i] = c;
      let sum = 0;
      let total = 0;
      for (const adj of adjs) {
        for (let e = adj.offsets[v] as number, end = adj.offsets[v + 1] as number; e < end; e++) {
          const u = adj.list[e] as number;
          const w = edgeWeight(u, v);
          sum += w * (x[u] as number);
          total += w;
        }
      }
      wish[i] = (total > 0 ? sum / total : (x[v] as number)) - c;
      weight[i] = total > 0 ? total : FREE_WEIGHT;
    }
    // Pool adjacent violators: blocks of equal (shifted) position, merged while out of order.
    let top = -1;
    for (let i = 0; i < k; i++) {
      top++;
      blockWeight[top] = weight[i] as number;
      blockSum[top] = (weight[i] as number) * (wish[i] as number);
      blockStart[top] = i;
      while (top > 0 && (blockSum[top - 1] as number) / (blockWeight[top - 1] as number) > (blockSum[top] as number) / (blockWeight[top] as number)) {
        blockWeight[top - 1] = (blockWeight[top - 1] as number) + (blockWeight[top] as number);
        blockSum[top - 1] = (blockSum[top - 1] as number) + (blockSum[top] as number);
        top--;
      }
    }
    for (let b = 0; b <= top; b++) {
      const value = (blockSum[b] as number) / (blockWeight[b] as number);
      const end = b < top ? (blockStart[b + 1] as number) : k;
      for (let i = blockStart[b] as number; i < end; i++) x[order[start + i] as number] = value + (offsets[i] as number);
    }
  };

  const up = [g.up];
  const down = [g.down];
  const both = [g.up, g.down];
  for (let p = 0; p < passes; p++) {
    const last = p === passes - 1;
    if (last) for (let r = 0; r < rankCount; r++) placeRank(r, both);
    else if (p % 2 === 0) for (let r = 1; r < rankCount; r++) placeRank(r, up);
    else for (let r = rankCount - 2; r >= 0; r--) placeRank(r, down);
  }
  return x;
}

export interface RankBands {
  /** Top of rank r's band and its height (the tallest node in it). */
  readonly top: Float64Array;
  readonly height: Float64Array;
  readonly total: number;
}

export function rankBands(g: LayeredGraph, realHeights: Float32Array): RankBands {
  const top = new Float64Array(g.rankCount);
  const height = new Float64Array(g.rankCount);
  for (let v = 0; v < g.realCount; v++) {
    const r = g.rank[v] as number;
    height[r] = Math.max(height[r] as number, realHeights[v] as number);
  }
  let y = 0;
  for (let r = 0; r < g.rankCount; r++) {
    if (r > 0) y += RANK_GAP;
    top[r] = y;
    y += height[r] as number;
  }
  return { top, height, total: y };
}
