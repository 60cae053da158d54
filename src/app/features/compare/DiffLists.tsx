import type { ChangedNode, DiffNode, ModelDiff } from '../../../core/diff/types';
import { formatCount } from '../../format';

/** Rows shown per list before 'and N more': the lists are for reading, the graphs for the whole picture. */
const SHOWN = 300;

export type DiffSide = 'base' | 'other';

interface ListProps {
  onShow(side: DiffSide, id: string): void;
}

function NodeLabel({ node }: { node: DiffNode }) {
  return (
    <>
      <span className="mono">{node.opType}</span> {node.name ? <span className="mono break">{node.name}</span> : <span className="muted">#{node.id}</span>}
    </>
  );
}

function More({ total }: { total: number }) {
  return total > SHOWN ? <p className="muted small">… and {formatCount(total - SHOWN)} more.</p> : null;
}

function NodeList({ title, nodes, side, onShow }: ListProps & { title: string; nodes: readonly DiffNode[]; side: DiffSide }) {
  return (
    <div className="diff-list">
      <h3>
        {title} <span className="muted">({formatCount(nodes.length)})</span>
      </h3>
      {/* Rendered even when empty, so 'no removed nodes' is an empty list, not a missing one. role="list"
          is explicit because list-style: none drops the list role in Safari. */}
      <ul role="list" aria-label={title}>
        {nodes.slice(0, SHOWN).map((n) => (
          <li key={n.id}>
            <button type="button" className="link-button" onClick={() => onShow(side, n.id)} title="Show in the graph">
              <NodeLabel node={n} />
            </button>
          </li>
        ))}
      </ul>
      {nodes.length === 0 && <p className="muted">None.</p>}
      <More total={nodes.length} />
    </div>
  );
}

function ChangedList({ nodes, onShow }: ListProps & { nodes: readonly ChangedNode[] }) {
  return (
    <div className="diff-list diff-list-changed">
      <h3>
        Changed nodes <span className="muted">({formatCount(nodes.length)})</span>
      </h3>
      <ul role="list" aria-label="Changed nodes">
        {nodes.slice(0, SHOWN).map((c) => (
          <li key={c.base.id}>
            <button type="button" className="link-button" onClick={() => onShow('base', c.base.id)} title="Show in the graphs">
              <NodeLabel node={c.other} />
            </button>
            <ul className="change-list" aria-label={`Changes of ${c.other.name || c.other.opType}`}>
              {c.changes.map((text, k) => (
                <li key={k} className="mono">
                  {text}
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ul>
      {nodes.length === 0 && <p className="muted">None.</p>}
      <More total={nodes.length} />
    </div>
  );
}

/** Added, removed and changed nodes; each entry shows its node in the graphs. */
export function DiffLists({ diff, onShow }: ListProps & { diff: ModelDiff }) {
  return (
    <div className="diff-lists">
      <ChangedList nodes={diff.changed} onShow={onShow} />
      <NodeList title="Added nodes" nodes={diff.added} side="other" onShow={onShow} />
      <NodeList title="Removed nodes" nodes={diff.removed} side="base" onShow={onShow} />
    </div>
  );
}
