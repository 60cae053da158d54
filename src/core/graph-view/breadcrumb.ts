/**
 * The path from the main graph to a subgraph, for the view's header: 'main' › 'If_3 › then_branch' ›
 * 'Loop_12 › body'. An unnamed owner is called by its op type and index in its graph, as Netron does.
 */
import type { Scope } from '../graph/ir.js';

export interface Crumb {
  readonly path: string;
  readonly label: string;
}

function scopeLabel(scope: Scope): string {
  const owner = scope.owner;
  if (!owner) return scope.graph.name || 'main graph';
  // The path ends with the attribute label ('then_branch', or 'branches.2' for a GRAPHS attribute).
  const attribute = scope.path.slice(owner.id.length + 1);
  return `${owner.name || `${owner.opType}_${owner.index}`} › ${attribute}`;
}

export function breadcrumb(scope: Scope): Crumb[] {
  const out: Crumb[] = [];
  for (let s: Scope | undefined = scope; s; s = s.parent) out.push({ path: s.path, label: scopeLabel(s) });
  return out.reverse();
}
