/**
 * Where in the model the view is (breadcrumb from the main graph to the open subgraph) and, when the
 * selected node holds subgraphs (If/Loop/Scan), buttons to open each of them.
 */
import type { ViewGraph } from '../../../core/graph-view/types';
import { crumbsFor } from './panel-text';

export function ScopeBar({
  view,
  scopePath,
  selectedIndex,
  onScope,
  onEnter,
}: {
  view: ViewGraph | null;
  scopePath: string;
  selectedIndex: number | null;
  onScope(path: string): void;
  onEnter(index: number, attribute: string): void;
}) {
  const crumbs = crumbsFor(view, scopePath);
  const subs = view && selectedIndex !== null ? (view.subgraphs[selectedIndex] ?? []) : [];
  if (crumbs.length < 2 && subs.length === 0) return null;
  return (
    <div className="graph-scope">
      {crumbs.length >= 2 && (
        <nav aria-label="Graph scope">
          <ol className="graph-breadcrumb">
            {crumbs.map((c, j) => (
              <li key={c.path}>
                {j === crumbs.length - 1 ? (
                  <span aria-current="location">{c.label}</span>
                ) : (
                  <button type="button" className="link-button" onClick={() => onScope(c.path)}>
                    {c.label}
                  </button>
                )}
              </li>
            ))}
          </ol>
        </nav>
      )}
      {subs.length > 0 && selectedIndex !== null && view && (
        <div className="graph-subgraphs">
          <span className="muted">
            {view.titles[selectedIndex]} {view.names[selectedIndex] ? `“${view.names[selectedIndex]}”` : ''} has subgraphs:
          </span>
          {subs.map((attribute) => (
            <button key={attribute} type="button" className="button" onClick={() => onEnter(selectedIndex, attribute)}>
              Open {attribute}
            </button>
          ))}
        </div>
      )}
    </div>
  );
}
