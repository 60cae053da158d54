import type { ModelSummary } from '../../../core/model/summary';
import { formatBytes, formatCount, formatShape } from '../../format';

/** Where the bytes are: size by element type, and the largest tensors. */
export function WeightsByDtype({ summary }: { summary: ModelSummary }) {
  const rows = Object.entries(summary.bytesByDtype);
  return (
    <div className="panel">
      <h3 id="dtype-title">Size by dtype</h3>
      {rows.length === 0 ? (
        <p className="muted">No weights.</p>
      ) : (
        <table aria-labelledby="dtype-title">
          <thead>
            <tr>
              <th>Type</th>
              <th className="num">Tensors</th>
              <th className="num">Parameters</th>
              <th className="num">Bytes</th>
              <th className="num">Share</th>
            </tr>
          </thead>
          <tbody>
            {rows.map(([dtype, t]) => (
              <tr key={dtype}>
                <td className="mono">{dtype}</td>
                <td className="num">{formatCount(t.tensors)}</td>
                <td className="num">{formatCount(t.elements)}</td>
                <td className="num">{formatBytes(t.bytes)}</td>
                <td className="num">{summary.weightBytes ? `${((100 * t.bytes) / summary.weightBytes).toFixed(1)}%` : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {summary.largestWeights.length > 0 && (
        <>
          <h3 id="largest-title" style={{ marginTop: 16 }}>
            Largest weights
          </h3>
          <table aria-labelledby="largest-title">
            <thead>
              <tr>
                <th>Name</th>
                <th>Type</th>
                <th>Shape</th>
                <th className="num">Bytes</th>
              </tr>
            </thead>
            <tbody>
              {summary.largestWeights.map((w) => (
                <tr key={`${w.kind}:${w.name}`}>
                  <td className="mono" style={{ wordBreak: 'break-all' }}>
                    {w.name}
                    {w.kind !== 'initializer' && <span className="tag">{w.kind}</span>}
                  </td>
                  <td className="mono">{w.dtype}</td>
                  <td className="mono">{formatShape(w.shape)}</td>
                  <td className="num">{formatBytes(w.bytes)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </div>
  );
}
