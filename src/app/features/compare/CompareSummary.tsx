import type { ModelDiff } from '../../../core/diff/types';
import { formatBytes, formatCount } from '../../format';
import { DIFF_COLORS } from './diff-colors';

function signed(n: number): string {
  return n > 0 ? `+${formatCount(n)}` : `−${formatCount(-n)}`;
}

/** Counts by status, op count deltas, weight bytes before → after, and the QDQ headline. */
export function CompareSummary({ diff }: { diff: ModelDiff }) {
  const deltas = Object.entries(diff.opCountDelta).sort((a, b) => Math.abs(b[1]) - Math.abs(a[1]) || a[0].localeCompare(b[0]));
  const { base, other } = diff.parameterBytes;
  const ratio = base > 0 ? other / base : null;
  const rows: [string, number, string][] = [
    ['Same', diff.sameCount, DIFF_COLORS.same],
    ['Changed', diff.changed.length, DIFF_COLORS.changed],
    ['Added', diff.added.length, DIFF_COLORS.added],
    ['Removed', diff.removed.length, DIFF_COLORS.removed],
  ];
  return (
    <div className="compare-summary grid-2">
      <div className="panel">
        <h3 id="compare-counts">Nodes</h3>
        <table aria-labelledby="compare-counts">
          <thead>
            <tr>
              <th>Status</th>
              <th className="num">Nodes</th>
            </tr>
          </thead>
          <tbody>
            {rows.map(([label, count, color]) => (
              <tr key={label}>
                <th scope="row">
                  <span className="swatch" style={{ background: color }} aria-hidden="true" />
                  {label}
                </th>
                <td className="num">{formatCount(count)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {diff.renamed && diff.renamed.length > 0 && (
          <p className="muted small">
            {formatCount(diff.renamed.length)} node{diff.renamed.length === 1 ? ' was' : 's were'} only renamed (counted as same).
          </p>
        )}
      </div>
      <div className="panel">
        <h3>What changed</h3>
        <dl className="facts">
          <dt>Weights</dt>
          <dd>
            {formatBytes(base)} → {formatBytes(other)}
            {ratio !== null && <span className="muted"> ({ratio.toFixed(ratio < 0.1 ? 3 : 2)}×)</span>}
          </dd>
          <dt>Quantization</dt>
          <dd>
            {formatCount(diff.quantizedNodes.length)} node{diff.quantizedNodes.length === 1 ? '' : 's'} gained Quantize/Dequantize pairs
          </dd>
        </dl>
        <h4 id="compare-op-deltas">Operator counts</h4>
        {deltas.length === 0 ? (
          <p className="muted">Same operators in both models.</p>
        ) : (
          <ul className="op-deltas" aria-labelledby="compare-op-deltas">
            {deltas.map(([op, d]) => (
              <li key={op} className={d > 0 ? 'delta-up' : 'delta-down'}>
                <span className="num">{signed(d)}</span> <span className="mono">{op}</span>
              </li>
            ))}
          </ul>
        )}
      </div>
    </div>
  );
}
