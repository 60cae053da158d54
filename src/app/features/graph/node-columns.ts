/**
 * Per-node columns from outside the model worker (the Benchmark tab's profile and per-tensor error) onto
 * a graph view: values keyed by node label → one Float64Array per column in view order (NaN = no value),
 * added to the view's metrics so that Colour by offers them like any other metric.
 *
 * Labels are how ORT's profile and the reports name main-graph nodes: the node's name, or `#<index>`
 * (its position in the graph's node list) when it has none — the view's ids of main-graph ops are those
 * indices. One pass over the nodes with a Map lookup each: negligible next to building a 20,000-node
 * view. The result is a new view object sharing every array of the old one.
 */
import type { ViewGraph } from '../../../core/graph-view/types';
import { NodeKind } from './graph-kinds';

/** The label a profile or a report uses for view node i of a main-graph view, or undefined for inputs/outputs. */
export function nodeLabel(view: ViewGraph, i: number): string | undefined {
  if (view.kinds[i] !== NodeKind.Op) return undefined;
  const name = view.names[i];
  return name ? name : `#${view.ids[i] ?? ''}`;
}

export function withNodeColumns(view: ViewGraph, columns: Readonly<Record<string, ReadonlyMap<string, number>>>): ViewGraph {
  const keys = Object.keys(columns);
  if (keys.length === 0 || view.scopePath !== '') return view;
  const added: Record<string, Float64Array> = {};
  for (const key of keys) added[key] = new Float64Array(view.nodeCount).fill(NaN);
  for (let i = 0; i < view.nodeCount; i++) {
    const label = nodeLabel(view, i);
    if (label === undefined) continue;
    for (const key of keys) {
      const v = columns[key]?.get(label);
      if (v !== undefined) (added[key] as Float64Array)[i] = v;
    }
  }
  return { ...view, metrics: { ...view.metrics, ...added } };
}
