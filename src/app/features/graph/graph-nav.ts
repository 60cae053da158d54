/**
 * Keyboard navigation over a laid-out graph: Down goes to a consumer, Up to a producer, Left/Right to
 * the neighbours in the same layer. Adjacency is built once per layout as CSR arrays so a key press
 * costs only the degree of the current node.
 */
import type { GraphLayout, ViewGraph } from '../../../core/graph-view/types';

export interface GraphNavigation {
  readonly outStart: Uint32Array;
  readonly outNodes: Uint32Array;
  /** Edge id of each outNodes entry (for highlighting a node's edges). */
  readonly outEdges: Uint32Array;
  readonly inStart: Uint32Array;
  readonly inNodes: Uint32Array;
  readonly inEdges: Uint32Array;
  /** Nodes of each rank sorted by x: rankNodes[rankStart[r] .. rankStart[r+1]). */
  readonly rankStart: Uint32Array;
  readonly rankNodes: Uint32Array;
  /** Position of each node within rankNodes. */
  readonly rankPos: Uint32Array;
  readonly ranks: Uint32Array;
  readonly centreX: Float32Array;
}

export type NavDirection = 'up' | 'down' | 'left' | 'right';

function csr(count: number, from: Uint32Array, to: Uint32Array): { start: Uint32Array; nodes: Uint32Array; edges: Uint32Array } {
  const start = new Uint32Array(count + 1);
  for (let e = 0; e < from.length; e++) {
    const s = (from[e] ?? 0) + 1;
    start[s] = (start[s] ?? 0) + 1;
  }
  for (let i = 0; i < count; i++) start[i + 1] = (start[i + 1] ?? 0) + (start[i] ?? 0);
  const fill = start.slice(0, count);
  const nodes = new Uint32Array(from.length);
  const edges = new Uint32Array(from.length);
  for (let e = 0; e < from.length; e++) {
    const f = from[e] ?? 0;
    const p = fill[f] ?? 0;
    fill[f] = p + 1;
    nodes[p] = to[e] ?? 0;
    edges[p] = e;
  }
  return { start, nodes, edges };
}

export function buildNavigation(view: ViewGraph, layout: GraphLayout): GraphNavigation {
  const n = view.nodeCount;
  const from = view.edgeFrom.subarray(0, view.edgeCount);
  const to = view.edgeTo.subarray(0, view.edgeCount);
  const out = csr(n, from, to);
  const inn = csr(n, to, from);
  const centreX = new Float32Array(n);
  let maxRank = 0;
  for (let i = 0; i < n; i++) {
    centreX[i] = (layout.x[i] ?? 0) + (view.widths[i] ?? 0) / 2;
    maxRank = Math.max(maxRank, layout.ranks[i] ?? 0);
  }
  const rankStart = new Uint32Array(maxRank + 2);
  for (let i = 0; i < n; i++) {
    const r = (layout.ranks[i] ?? 0) + 1;
    rankStart[r] = (rankStart[r] ?? 0) + 1;
  }
  for (let r = 0; r <= maxRank; r++) rankStart[r + 1] = (rankStart[r + 1] ?? 0) + (rankStart[r] ?? 0);
  const fill = rankStart.slice(0, maxRank + 1);
  const rankNodes = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const r = layout.ranks[i] ?? 0;
    const at = fill[r] ?? 0;
    rankNodes[at] = i;
    fill[r] = at + 1;
  }
  const rankPos = new Uint32Array(n);
  for (let r = 0; r <= maxRank; r++) {
    const slice = rankNodes.subarray(rankStart[r] ?? 0, rankStart[r + 1] ?? 0);
    slice.sort((a, b) => (centreX[a] ?? 0) - (centreX[b] ?? 0) || a - b);
    for (let p = 0; p < slice.length; p++) rankPos[(slice[p] ?? 0)] = (rankStart[r] ?? 0) + p;
  }
  return { outStart: out.start, outNodes: out.nodes, outEdges: out.edges, inStart: inn.start, inNodes: inn.nodes, inEdges: inn.edges, rankStart, rankNodes, rankPos, ranks: layout.ranks, centreX };
}

/**
 * The node reached from `index` by an arrow key, or null when there is none. Down picks the consumer
 * on the nearest layer below, then the one closest horizontally (the "main path", not a skip
 * connection); Up does the same for producers above.
 */
export function navigate(nav: GraphNavigation, index: number, direction: NavDirection): number | null {
  if (direction === 'left' || direction === 'right') {
    const pos = nav.rankPos[index] ?? 0;
    const rank = nav.ranks[index] ?? 0;
    const next = direction === 'left' ? pos - 1 : pos + 1;
    if (next < (nav.rankStart[rank] ?? 0) || next >= (nav.rankStart[rank + 1] ?? 0)) return null;
    return nav.rankNodes[next] ?? 0;
  }
  const start = direction === 'down' ? nav.outStart : nav.inStart;
  const nodes = direction === 'down' ? nav.outNodes : nav.inNodes;
  const rank = nav.ranks[index] ?? 0;
  const x = nav.centreX[index] ?? 0;
  let best = -1;
  let bestGap = Infinity;
  let bestDx = Infinity;
  for (let p = start[index] ?? 0, end = start[index + 1] ?? 0; p < end; p++) {
    const j = nodes[p] ?? 0;
    if (j === index) continue;
    const gap = Math.abs((nav.ranks[j] ?? 0) - rank);
    const dx = Math.abs((nav.centreX[j] ?? 0) - x);
    if (gap < bestGap || (gap === bestGap && (dx < bestDx || (dx === bestDx && j < best)))) {
      best = j;
      bestGap = gap;
      bestDx = dx;
    }
  }
  return best < 0 ? null : best;
}

/** Producers and consumers of a node (deduplicated), for announcing a selection. */
export function degree(nav: GraphNavigation, index: number): { inputs: number; outputs: number } {
  const uniq = (start: Uint32Array, nodes: Uint32Array): number => new Set(nodes.subarray(start[index] ?? 0, start[index + 1] ?? 0)).size;
  return { inputs: uniq(nav.inStart, nav.inNodes), outputs: uniq(nav.outStart, nav.outNodes) };
}
