/** Texts of the graph panel derived from the store: the scope breadcrumb and the layout stage. */
import type { ViewGraph } from '../../../core/graph-view/types';
import type { GraphState } from '../../store';

export interface Crumb {
  readonly path: string;
  readonly label: string;
}

/** The view's breadcrumb, always starting at the main graph. */
export function crumbsFor(view: ViewGraph | null, scopePath: string): Crumb[] {
  const crumbs: Crumb[] = view ? [...view.breadcrumb] : scopePath ? [{ path: scopePath, label: scopePath }] : [];
  if (crumbs[0]?.path !== '') crumbs.unshift({ path: '', label: 'Main graph' });
  return crumbs;
}

/** 'Laying out 20,002 nodes · order' — the layout worker reports bare phase names. */
export function stageText(graph: Pick<GraphState, 'status' | 'progress' | 'view'>): string {
  const stage = graph.progress?.stage ?? '';
  if (graph.status === 'building') return stage || 'Building the graph';
  const nodes = graph.view ? `Laying out ${graph.view.nodeCount.toLocaleString('en-US')} nodes` : 'Laying out the graph';
  return stage && !stage.startsWith('Laying out') ? `${nodes} · ${stage}` : stage || nodes;
}
