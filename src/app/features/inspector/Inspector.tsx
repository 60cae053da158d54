/**
 * The node inspector (issue #3): everything about the selected node — attributes, inputs and outputs
 * with shapes, each weight's statistics, histogram and quantization, parameters and MACs, and the
 * subgraphs it carries. The details are computed in the model worker (core/inspect/node-details.ts)
 * and arrive through store.details.
 */
import type { NodeDetails, WeightDetails } from '../../../core/inspect/types';
import { useStudio } from '../../store';
import { enterScope, selectNode } from '../../graph-actions';
import { toggleKeepFloat } from '../../optimize-actions';
import { formatCount, formatSi } from '../../format';
import { NodeKind } from '../graph/graph-kinds';
import { PortTable } from './PortTable';
import { WeightBlock } from './WeightBlock';

/** Weights of the node's ports, each once (a tensor may feed two ports), in port order. */
function weightsOf(d: NodeDetails): { port: string; weight: WeightDetails }[] {
  const seen = new Set<string>();
  const out: { port: string; weight: WeightDetails }[] = [];
  for (const p of [...d.inputs, ...d.outputs]) {
    if (!p.weight) continue;
    const key = `${p.weight.name}|${(p.weight.via ?? []).join('>')}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ port: p.port, weight: p.weight });
  }
  return out;
}

function CloseButton() {
  return (
    <button type="button" className="button inspector-close" aria-label="Close inspector" onClick={() => void selectNode(null)}>
      ×
    </button>
  );
}

/**
 * The name the Optimize passes match nodesToExclude against: the node's name, or `#index` for an
 * unnamed node of the main graph (GraphScope.nodeLabel). Unnamed subgraph nodes have no stable label.
 */
function exclusionName(d: NodeDetails): string | null {
  if (d.name) return d.name;
  return d.id.includes('/') ? null : `#${d.id}`;
}

/** Pins the node to float32 for every Optimize pass (its name joins the form's excluded nodes), or unpins it. */
function KeepFloatToggle({ d }: { d: NodeDetails }) {
  const name = exclusionName(d);
  const pinned = useStudio((s) => name !== null && s.optimize.form.excludedNodes.includes(name));
  if (name === null) return null;
  return (
    <button
      type="button"
      className={pinned ? 'button keep-float pressed' : 'button keep-float'}
      aria-pressed={pinned}
      title="Optimize passes leave this node in float32 (it joins each pass's nodes to exclude)"
      onClick={() => toggleKeepFloat(name)}
    >
      Keep in float32
    </button>
  );
}

function NodeBody({ d }: { d: NodeDetails }) {
  const weights = weightsOf(d);
  return (
    <>
      <dl className="facts">
        {d.domain && (
          <>
            <dt>Domain</dt>
            <dd className="mono">{d.domain}</dd>
          </>
        )}
        <dt>Parameters</dt>
        <dd>{formatCount(d.params)}</dd>
        <dt>MACs</dt>
        <dd>{d.macs === null ? <span className="muted">—</span> : `${formatSi(d.macs)} (${formatCount(d.macs)})`}</dd>
        <dt>Node id</dt>
        <dd className="mono">{d.id}</dd>
      </dl>
      {d.docString && <p className="doc">{d.docString}</p>}
      <KeepFloatToggle d={d} />

      <section className="inspector-section">
        <h3 id="inspector-attributes">Attributes</h3>
        {d.attributes.length === 0 ? (
          <p className="muted">None.</p>
        ) : (
          <table aria-labelledby="inspector-attributes">
            <thead>
              <tr>
                <th>Name</th>
                <th>Value</th>
              </tr>
            </thead>
            <tbody>
              {d.attributes.map((a) => (
                <tr key={a.name}>
                  <td className="mono" title={a.type}>
                    {a.name}
                  </td>
                  <td className="mono break">{a.value}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <PortTable title="Inputs" ports={d.inputs} />
      <PortTable title="Outputs" ports={d.outputs} />

      {weights.length > 0 && (
        <section className="inspector-section">
          <h3>Weights</h3>
          {weights.map(({ port, weight }) => (
            <WeightBlock key={`${port}:${weight.name}`} port={port} weight={weight} />
          ))}
        </section>
      )}

      {d.subgraphs.length > 0 && (
        <section className="inspector-section">
          <h3>Subgraphs</h3>
          <ul className="subgraph-list">
            {d.subgraphs.map((g) => (
              <li key={g.path}>
                <button type="button" className="button" onClick={() => enterScope(g.path)}>
                  Open {g.attribute}
                </button>{' '}
                <span className="muted">
                  {formatCount(g.nodes)} node{g.nodes === 1 ? '' : 's'}
                </span>
              </li>
            ))}
          </ul>
        </section>
      )}
    </>
  );
}

/** What the view knows about a selected graph input or output (they have no node details), or a node whose details are not requested yet. */
function ValueSummary({ index }: { index: number }) {
  const title = useStudio((s) => s.graph.view?.titles[index] ?? '');
  const text = useStudio((s) => s.graph.view?.names[index] ?? '');
  const kind = useStudio((s) => s.graph.view?.kinds[index]);
  const label = kind === NodeKind.Input ? 'Graph input' : kind === NodeKind.Output ? 'Graph output' : 'Node';
  return (
    <>
      <div className="inspector-head">
        <h2>
          {label} <span className="mono break">{title}</span>
        </h2>
        <CloseButton />
      </div>
      {text && <p className="mono">{text}</p>}
    </>
  );
}

export function Inspector() {
  const selection = useStudio((s) => s.selection);
  const details = useStudio((s) => s.details);
  if (!selection) return null;
  const current = details.nodeId === selection.id ? details : null;

  return (
    <aside className="inspector panel" aria-label="Inspector">
      {current?.status === 'ready' && current.details ? (
        <>
          <div className="inspector-head">
            <h2>
              {current.details.opType} {current.details.name && <span className="mono break node-name">{current.details.name}</span>}
            </h2>
            <CloseButton />
          </div>
          <NodeBody d={current.details} />
        </>
      ) : current?.status === 'loading' ? (
        <>
          <div className="inspector-head">
            <h2>Node</h2>
            <CloseButton />
          </div>
          <p role="status">Reading node details…</p>
        </>
      ) : current?.status === 'error' ? (
        <>
          <div className="inspector-head">
            <h2>Node</h2>
            <CloseButton />
          </div>
          <div className="banner error" role="alert">
            <div>
              <strong>Could not read this node</strong>
              <p>{current.error ?? 'Unknown error'}</p>
            </div>
          </div>
        </>
      ) : (
        <ValueSummary index={selection.index} />
      )}
    </aside>
  );
}
