import type { InspectTensor } from '../../../core/model/summary';
import { formatShape } from '../../format';

/** Graph inputs or outputs: name, element type, shape with symbolic dims by name and unknown dims as "?". */
export function TensorTable({ tensors, labelledBy }: { tensors: readonly InspectTensor[]; labelledBy: string }) {
  if (tensors.length === 0) return <p className="muted">None.</p>;
  return (
    <table aria-labelledby={labelledBy}>
      <thead>
        <tr>
          <th>Name</th>
          <th>Type</th>
          <th>Shape</th>
        </tr>
      </thead>
      <tbody>
        {tensors.map((t) => (
          <tr key={t.name}>
            <td className="mono">{t.name}</td>
            <td className="mono">{t.dtype}</td>
            <td className="mono">{formatShape(t.shape)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
