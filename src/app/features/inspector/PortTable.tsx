import type { PortDetails } from '../../../core/inspect/types';
import { formatShape } from '../../format';

/** Inputs or outputs of a node: port, tensor, dtype, shape. */
export function PortTable({ title, ports }: { title: string; ports: readonly PortDetails[] }) {
  const id = `inspector-${title.toLowerCase()}`;
  return (
    <section className="inspector-section">
      <h3 id={id}>{title}</h3>
      {ports.length === 0 ? (
        <p className="muted">None.</p>
      ) : (
        <table aria-labelledby={id}>
          <thead>
            <tr>
              <th>Port</th>
              <th>Tensor</th>
              <th>Type</th>
              <th>Shape</th>
            </tr>
          </thead>
          <tbody>
            {ports.map((p, k) => (
              <tr key={`${p.port}:${k}`}>
                <td className="mono">{p.port}</td>
                <td className="mono break">
                  {p.name || <span className="muted">(omitted)</span>}
                  {p.weight && <span className="tag">weight</span>}
                </td>
                <td className="mono">{p.dtype || <span className="muted">?</span>}</td>
                <td className="mono">{p.name ? formatShape(p.shape) : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
