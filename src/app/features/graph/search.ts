/**
 * "Find node": case-insensitive substring search over node names, op types (titles — for graph
 * inputs/outputs the title is the tensor name) and tensor names, where a tensor carried by an edge
 * leads to the node that produces it (for a graph input: the input node), and a weight drawn inside
 * a node (ViewGraph.lineTensors) leads to the node that reads it.
 * Lower-cased strings are prepared once per view, so a keystroke is a plain scan.
 */
import type { ViewGraph } from '../../../core/graph-view/types';

export type MatchField = 'name' | 'op' | 'tensor';

export interface SearchHit {
  readonly index: number;
  readonly field: MatchField;
  /** The text that matched (the node name, op type or tensor name). */
  readonly text: string;
}

export interface SearchResult {
  /** Number of distinct nodes that match. */
  readonly total: number;
  /** The first `limit` of them, in node order. */
  readonly hits: readonly SearchHit[];
}

export interface SearchIndex {
  readonly view: ViewGraph;
  readonly names: readonly string[];
  readonly titles: readonly string[];
  /** Distinct tensor names (lower-cased) and their producer node. */
  readonly tensors: readonly string[];
  readonly tensorText: readonly string[];
  readonly tensorNode: Uint32Array;
}

export const MAX_SHOWN_RESULTS = 200;

export function buildSearchIndex(view: ViewGraph): SearchIndex {
  const names = view.names.map((s) => s.toLowerCase());
  const titles = view.titles.map((s) => s.toLowerCase());
  const seen = new Set<string>();
  const tensors: string[] = [];
  const tensorText: string[] = [];
  const nodes: number[] = [];
  for (let e = 0; e < view.edgeCount; e++) {
    const t = view.edgeTensors[e] ?? '';
    if (t === '' || seen.has(t)) continue;
    seen.add(t);
    tensors.push(t.toLowerCase());
    tensorText.push(t);
    nodes.push(view.edgeFrom[e] ?? 0);
  }
  // Weights and folded constants are drawn inside the node that reads them: they lead to that node.
  view.lineTensors?.forEach((names, i) => {
    for (const t of names) {
      if (t === '' || seen.has(t)) continue;
      tensors.push(t.toLowerCase());
      tensorText.push(t);
      nodes.push(i);
    }
  });
  return { view, names, titles, tensors, tensorText, tensorNode: Uint32Array.from(nodes) };
}

const indexCache = new WeakMap<ViewGraph, SearchIndex>();

/** buildSearchIndex, once per view (built on the first search, not when the graph appears). */
export function searchIndexFor(view: ViewGraph): SearchIndex {
  let index = indexCache.get(view);
  if (!index) {
    index = buildSearchIndex(view);
    indexCache.set(view, index);
  }
  return index;
}

/**
 * Matches `query` (trimmed, case-insensitive substring). One hit per node: its name if that matches,
 * else its op type, else the first matching tensor it produces. Empty query → no hits.
 */
export function searchNodes(index: SearchIndex, query: string, limit = MAX_SHOWN_RESULTS): SearchResult {
  const q = query.trim().toLowerCase();
  if (q === '') return { total: 0, hits: [] };
  const { view } = index;
  const n = view.nodeCount;
  // 0 = no match, 1 = name, 2 = op, 3 = tensor (index into tensors kept separately).
  const field = new Uint8Array(n);
  const tensorOf = new Int32Array(n).fill(-1);
  for (let i = 0; i < n; i++) {
    if ((index.names[i] ?? '').includes(q)) field[i] = 1;
    else if ((index.titles[i] ?? '').includes(q)) field[i] = 2;
  }
  for (let t = 0; t < index.tensors.length; t++) {
    const node = index.tensorNode[t] ?? 0;
    if (field[node] !== 0 || !(index.tensors[t] ?? '').includes(q)) continue;
    field[node] = 3;
    tensorOf[node] = t;
  }
  let total = 0;
  const hits: SearchHit[] = [];
  for (let i = 0; i < n; i++) {
    const f = field[i] ?? 0;
    if (f === 0) continue;
    total++;
    if (hits.length >= limit) continue;
    if (f === 1) hits.push({ index: i, field: 'name', text: view.names[i] ?? '' });
    else if (f === 2) hits.push({ index: i, field: 'op', text: view.titles[i] ?? '' });
    else hits.push({ index: i, field: 'tensor', text: index.tensorText[tensorOf[i] ?? 0] ?? '' });
  }
  return { total, hits };
}

/** "No matches", "1 match", "3 matches", "1,234 matches (first 200 shown)". */
export function matchCountText(result: SearchResult, limit = MAX_SHOWN_RESULTS): string {
  if (result.total === 0) return 'No matches';
  const count = `${result.total.toLocaleString('en-US')} ${result.total === 1 ? 'match' : 'matches'}`;
  return result.total > limit ? `${count} (first ${limit} shown)` : count;
}
