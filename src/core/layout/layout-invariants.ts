/**
 * The properties every layout must have, as a checker that names each violation: used by the unit tests
 * on real and generated graphs, and by the layout benchmark to make sure a fast layout is also a valid one.
 */
import type { GraphLayout, ViewGraph } from '../graph-view/types.js';

const EPS = 0.5;

export function layoutViolations(g: ViewGraph, l: GraphLayout, limit = 20): string[] {
  const out: string[] = [];
  const fail = (msg: string): boolean => {
    out.push(msg);
    return out.length >= limit;
  };
  const n = g.nodeCount;
  if (l.x.length !== n || l.y.length !== n || l.ranks.length !== n) {
    fail(`arrays sized ${l.x.length}/${l.y.length}/${l.ranks.length}, expected ${n}`);
    return out;
  }
  if (l.edgeOffsets.length !== g.edgeCount + 1) {
    fail(`edgeOffsets has ${l.edgeOffsets.length} entries, expected ${g.edgeCount + 1}`);
    return out;
  }

  // Boxes inside the drawing; ranks stacked without vertical overlap.
  const rankCount = n === 0 ? 0 : Math.max(...Array.from(l.ranks)) + 1;
  const top = new Float64Array(rankCount).fill(Infinity);
  const bottom = new Float64Array(rankCount).fill(-Infinity);
  for (let i = 0; i < n; i++) {
    const x = l.x[i] as number;
    const y = l.y[i] as number;
    const w = g.widths[i] as number;
    const h = g.heights[i] as number;
    if (!(x >= -EPS && y >= -EPS && x + w <= l.width + EPS && y + h <= l.height + EPS)) {
      if (fail(`node ${i} (${g.titles[i]}) at ${x},${y} ${w}×${h} outside ${l.width}×${l.height}`)) return out;
    }
    const r = l.ranks[i] as number;
    top[r] = Math.min(top[r] as number, y);
    bottom[r] = Math.max(bottom[r] as number, y + h);
  }
  for (let r = 0; r + 1 < rankCount; r++) {
    if ((bottom[r] as number) > (top[r + 1] as number) + EPS) {
      if (fail(`rank ${r} (bottom ${bottom[r]}) overlaps rank ${r + 1} (top ${top[r + 1]})`)) return out;
    }
  }

  // No two boxes of a rank overlap.
  const byRank = sortedByRank(g, l, rankCount);
  for (const row of byRank) {
    for (let k = 1; k < row.length; k++) {
      const a = row[k - 1] as number;
      const b = row[k] as number;
      if ((l.x[a] as number) + (g.widths[a] as number) > (l.x[b] as number) + EPS) {
        if (fail(`nodes ${a} (${g.titles[a]}) and ${b} (${g.titles[b]}) overlap in rank ${l.ranks[a]}`)) return out;
      }
    }
  }

  // Edges: downward (ranks respect the topological order), anchored at bottom/top centres, at least 2 points.
  for (let e = 0; e < g.edgeCount; e++) {
    const start = l.edgeOffsets[e] as number;
    const end = l.edgeOffsets[e + 1] as number;
    if (end - start < 2) {
      if (fail(`edge ${e} has ${end - start} points`)) return out;
      continue;
    }
    const s = g.edgeFrom[e] as number;
    const t = g.edgeTo[e] as number;
    if (s === t) continue;
    const rs = l.ranks[s] as number;
    const rt = l.ranks[t] as number;
    if (rt <= rs) {
      continue; // a reversed edge (only on a cycle)
    }
    const px = (k: number): number => l.edgePoints[2 * k] as number;
    const py = (k: number): number => l.edgePoints[2 * k + 1] as number;
    const sx = (l.x[s] as number) + (g.widths[s] as number) / 2;
    const sy = (l.y[s] as number) + (g.heights[s] as number);
    const tx = (l.x[t] as number) + (g.widths[t] as number) / 2;
    const ty = l.y[t] as number;
    if (Math.abs(px(start) - sx) > EPS || Math.abs(py(start) - sy) > EPS) {
      if (fail(`edge ${e} starts at ${px(start)},${py(start)}, not at the bottom centre ${sx},${sy} of node ${s}`)) return out;
    }
    if (Math.abs(px(end - 1) - tx) > EPS || Math.abs(py(end - 1) - ty) > EPS) {
      if (fail(`edge ${e} ends at ${px(end - 1)},${py(end - 1)}, not at the top centre ${tx},${ty} of node ${t}`)) return out;
    }
    for (let k = start + 1; k < end; k++) {
      if (py(k) < py(k - 1) - EPS) {
        if (fail(`edge ${e} goes up between points ${k - 1 - start} and ${k - start}`)) return out;
        break;
      }
    }
    // Vertical runs (where the edge crosses ranks) must not cut a box of a rank they cross.
    for (let k = start; k < end - 1; k++) {
      if (Math.abs(px(k) - px(k + 1)) > EPS) continue;
      const hit = boxOnVertical(g, l, byRank, top, px(k), py(k), py(k + 1));
      if (hit >= 0 && hit !== s && hit !== t) {
        if (fail(`edge ${e} (${g.edgeTensors[e]}) runs through node ${hit} (${g.titles[hit]})`)) return out;
        break;
      }
    }
  }
  return out;
}

function sortedByRank(g: ViewGraph, l: GraphLayout, rankCount: number): number[][] {
  const rows: number[][] = Array.from({ length: rankCount }, () => []);
  for (let i = 0; i < g.nodeCount; i++) (rows[l.ranks[i] as number] as number[]).push(i);
  for (const row of rows) row.sort((a, b) => (l.x[a] as number) - (l.x[b] as number));
  return rows;
}

/**
 * A node whose box the vertical segment x, y1 → y2 passes through (strictly inside), or −1. Binary
 * searches: the first rank reaching y1, then each rank's boxes by x.
 */
function boxOnVertical(g: ViewGraph, l: GraphLayout, rows: number[][], top: Float64Array, x: number, y1: number, y2: number): number {
  let lo = 0;
  let hi = rows.length - 1;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if ((top[mid] as number) <= y1) lo = mid;
    else hi = mid - 1;
  }
  for (let r = lo; r < rows.length && (top[r] as number) < y2; r++) {
    const row = rows[r] as number[];
    let a = 0;
    let b = row.length - 1;
    while (a < b) {
      const mid = (a + b + 1) >> 1;
      if ((l.x[row[mid] as number] as number) <= x) a = mid;
      else b = mid - 1;
    }
    const i = row[a];
    if (i === undefined) continue;
    const x0 = l.x[i] as number;
    const y0 = l.y[i] as number;
    const inX = x > x0 + EPS && x < x0 + (g.widths[i] as number) - EPS;
    const inY = y1 < y0 + (g.heights[i] as number) - EPS && y2 > y0 + EPS;
    if (inX && inY) return i;
  }
  return -1;
}

/** Reversed edges in a layout: edges whose target is not below their source (only on cycles). */
export function upwardEdges(g: ViewGraph, l: GraphLayout): number {
  let count = 0;
  for (let e = 0; e < g.edgeCount; e++) {
    const s = g.edgeFrom[e] as number;
    const t = g.edgeTo[e] as number;
    if (s !== t && (l.ranks[t] as number) <= (l.ranks[s] as number)) count++;
  }
  return count;
}
