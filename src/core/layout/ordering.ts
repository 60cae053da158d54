/**
 * Crossing reduction: order the nodes inside each rank so that edges between adjacent ranks cross as
 * little as possible. Initial order from a depth-first search (so a node's subtree starts out
 * contiguous), then alternating down and up sweeps of the barycenter heuristic (each node moves to the
 * mean position of its neighbours in the rank just fixed; Sugiyama, Tagawa & Toda 1981), keeping the
 * order with the fewest crossings, counted with a Fenwick tree in O(E log V) per rank pair (Barth,
 * Jünger & Mutzel 2002). Nodes with no neighbour in the fixed rank keep their slot.
 */
import type { LayeredGraph } from './layered.js';

export interface Ordering {
  /** Rank r holds order[layerStart[r] … layerStart[r + 1]). */
  readonly order: Int32Array;
  readonly layerStart: Int32Array;
  /** Position of each node inside its rank. */
  readonly pos: Int32Array;
}

export interface OrderResult extends Ordering {
  readonly crossings: number;
  readonly sweeps: number;
}

export function initialOrder(g: LayeredGraph): Ordering {
  const { count, rank, rankCount, down } = g;
  const layerStart = new Int32Array(rankCount + 1);
  for (let v = 0; v < count; v++) layerStart[(rank[v] as number) + 1] = (layerStart[(rank[v] as number) + 1] as number) + 1;
  for (let r = 0; r < rankCount; r++) layerStart[r + 1] = (layerStart[r + 1] as number) + (layerStart[r] as number);
  const fill = layerStart.slice(0, rankCount);
  const order = new Int32Array(count);
  const pos = new Int32Array(count);
  const visited = new Uint8Array(count);
  const place = (v: number): void => {
    const r = rank[v] as number;
    const at = fill[r] as number;
    fill[r] = at + 1;
    order[at] = v;
    pos[v] = at - (layerStart[r] as number);
  };
  // Real nodes by rank (then index) as DFS roots; every dummy hangs below a real node.
  const byRank = new Int32Array(g.realCount);
  {
    const start = new Int32Array(rankCount + 1);
    for (let v = 0; v < g.realCount; v++) start[(rank[v] as number) + 1] = (start[(rank[v] as number) + 1] as number) + 1;
    for (let r = 0; r < rankCount; r++) start[r + 1] = (start[r + 1] as number) + (start[r] as number);
    for (let v = 0; v < g.realCount; v++) {
      const r = rank[v] as number;
      const at = start[r] as number;
      start[r] = at + 1;
      byRank[at] = v;
    }
  }
  const stack = new Int32Array(count);
  for (const root of byRank) {
    if (visited[root]) continue;
    let sp = 0;
    stack[sp++] = root;
    visited[root] = 1;
    while (sp > 0) {
      const v = stack[--sp] as number;
      place(v);
      // Push children last-to-first so the first child is visited first.
      for (let k = (down.offsets[v + 1] as number) - 1, end = down.offsets[v] as number; k >= end; k--) {
        const w = down.list[k] as number;
        if (!visited[w]) {
          visited[w] = 1;
          stack[sp++] = w;
        }
      }
    }
  }
  return { order, layerStart, pos };
}

/** Crossings between rank r and r + 1. `scratch` and `tree` must hold the widest rank (+1). */
function crossingsBetween(g: LayeredGraph, o: Ordering, r: number, scratch: Int32Array, tree: Int32Array): number {
  const { order, layerStart, pos } = o;
  const lowerWidth = (layerStart[r + 2] as number) - (layerStart[r + 1] as number);
  tree.fill(0, 0, lowerWidth + 1);
  let inserted = 0;
  let crossings = 0;
  for (let i = layerStart[r] as number, end = layerStart[r + 1] as number; i < end; i++) {
    const v = order[i] as number;
    // Lower end positions of v's edges, sorted (insertion sort: degrees are small).
    let c = 0;
    for (let k = g.down.offsets[v] as number, e = g.down.offsets[v + 1] as number; k < e; k++) {
      const p = pos[g.down.list[k] as number] as number;
      let j = c++;
      while (j > 0 && (scratch[j - 1] as number) > p) {
        scratch[j] = scratch[j - 1] as number;
        j--;
      }
      scratch[j] = p;
    }
    for (let j = 0; j < c; j++) {
      const p = (scratch[j] as number) + 1;
      // Already inserted edges ending strictly right of p cross this one.
      let le = 0;
      for (let x = p; x > 0; x -= x & -x) le += tree[x] as number;
      crossings += inserted - le;
      for (let x = p; x <= lowerWidth; x += x & -x) tree[x] = (tree[x] as number) + 1;
      inserted++;
    }
  }
  return crossings;
}

export function countCrossings(g: LayeredGraph, o: Ordering): number {
  const widest = widestRank(o);
  const scratch = new Int32Array(Math.max(widest, maxDegree(g)) + 1);
  const tree = new Int32Array(widest + 2);
  let total = 0;
  for (let r = 0; r + 1 < g.rankCount; r++) total += crossingsBetween(g, o, r, scratch, tree);
  return total;
}

function widestRank(o: Ordering): number {
  let w = 0;
  for (let r = 0; r + 1 < o.layerStart.length; r++) w = Math.max(w, (o.layerStart[r + 1] as number) - (o.layerStart[r] as number));
  return w;
}

function maxDegree(g: LayeredGraph): number {
  let d = 0;
  for (let v = 0; v < g.count; v++) d = Math.max(d, (g.down.offsets[v + 1] as number) - (g.down.offsets[v] as number));
  return d;
}

/** Reorders rank r by the barycenters of its neighbours in `adj` (the rank above for a down sweep). */
function sweepRank(o: Ordering, r: number, adj: { readonly offsets: Int32Array; readonly list: Int32Array }, key: Float64Array, movable: number[], fixedSlot: Uint8Array): void {
  const { order, layerStart, pos } = o;
  const start = layerStart[r] as number;
  const end = layerStart[r + 1] as number;
  movable.length = 0;
  for (let i = start; i < end; i++) {
    const v = order[i] as number;
    const k0 = adj.offsets[v] as number;
    const k1 = adj.offsets[v + 1] as number;
    if (k0 === k1) {
      fixedSlot[i - start] = 1;
      continue;
    }
    fixedSlot[i - start] = 0;
    let sum = 0;
    for (let k = k0; k < k1; k++) sum += pos[adj.list[k] as number] as number;
    key[v] = sum / (k1 - k0);
    movable.push(v);
  }
  // Ties keep the current order, so repeated sweeps are stable and the result deterministic.
  movable.sort((a, b) => (key[a] as number) - (key[b] as number) || (pos[a] as number) - (pos[b] as number));
  let m = 0;
  for (let i = start; i < end; i++) {
    if (fixedSlot[i - start] === 1) continue;
    const v = movable[m++] as number;
    order[i] = v;
  }
  for (let i = start; i < end; i++) pos[order[i] as number] = i - start;
}

export interface SweepOptions {
  /** Down+up sweep pairs at most. */
  readonly iterations: number;
  /** Called after each sweep (abort checks, progress). */
  readonly onSweep?: (done: number, total: number) => void;
}

export function reduceCrossings(g: LayeredGraph, options: SweepOptions): OrderResult {
  const o = initialOrder(g);
  const key = new Float64Array(g.count);
  const fixedSlot = new Uint8Array(widestRank(o) + 1);
  const movable: number[] = [];
  let best = countCrossings(g, o);
  let bestOrder = o.order.slice();
  let sweeps = 0;
  const total = options.iterations * 2;
  let stale = 0;
  for (let s = 0; s < total && best > 0 && stale < 2; s++) {
    if (s % 2 === 0) for (let r = 1; r < g.rankCount; r++) sweepRank(o, r, g.up, key, movable, fixedSlot);
    else for (let r = g.rankCount - 2; r >= 0; r--) sweepRank(o, r, g.down, key, movable, fixedSlot);
    sweeps++;
    const c = countCrossings(g, o);
    if (c < best) {
      best = c;
      bestOrder = o.order.slice();
      stale = 0;
    } else stale++;
    options.onSweep?.(s + 1, total);
  }
  o.order.set(bestOrder);
  for (let r = 0; r < g.rankCount; r++) {
    for (let i = o.layerStart[r] as number, end = o.layerStart[r + 1] as number; i < end; i++) o.pos[o.order[i] as number] = i - (o.layerStart[r] as number);
  }
  return { ...o, crossings: best, sweeps };
}
