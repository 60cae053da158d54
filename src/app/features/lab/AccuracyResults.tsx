/**
 * "Accuracy results": per model the labelled accuracy with its 95 % Wilson interval and the change in
 * points against the original, and the fidelity to the original on the same inputs (cosine, max abs
 * error, SQNR of the classifier output — or the first output —, top-1 agreement).
 */
import { useLab } from './lab-store';
import { db, pct, sci, signed } from './lab-format';
import { rowKeys } from './BenchResults';

export function AccuracyResults() {
  const accuracy = useLab((s) => s.accuracy);
  const rows = useLab((s) => s.summary?.rows);
  const selected = useLab((s) => s.selected);
  const running = useLab((s) => s.job?.kind === 'accuracy');
  if (!accuracy || !rows) return null;
  const shown = rows.filter((r) => r.accuracy || r.fidelity);
  const output = shown.find((r) => !r.original)?.fidelity?.name;
  return (
    <section className="panel lab-results" aria-label="Accuracy" aria-busy={running}>
      <h3>Accuracy</h3>
      <p className="small lab-measured">
        <strong>Measured on</strong> {accuracy.samples} sample{accuracy.samples === 1 ? '' : 's'} of <span className="mono">{accuracy.source}</span>, graph optimization {accuracy.graphOptimizationLevel}
        {output ? (
          <>
            ; fidelity of output <span className="mono">{output}</span> against the original on the same inputs
          </>
        ) : null}
        .
      </p>
      {accuracy.warnings.length > 0 && (
        <ul className="variant-warnings">
          {accuracy.warnings.map((w) => (
            <li key={w} className="pass-note warning">
              {w}
            </li>
          ))}
        </ul>
      )}
      <div className="lab-table-wrap">
        <table aria-label="Accuracy results" className="lab-table">
          <thead>
            <tr>
              <th scope="col">Model</th>
              <th scope="col" className="num">Accuracy (95 % CI)</th>
              <th scope="col" className="num">Δ points</th>
              <th scope="col" className="num">Cosine</th>
              <th scope="col" className="num">Max abs error</th>
              <th scope="col" className="num">SQNR (dB)</th>
              <th scope="col" className="num">Top-1 agreement</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((r) => (
              <tr key={r.id} className={selected === r.id ? 'lab-row selected' : 'lab-row'} aria-current={selected === r.id ? 'true' : undefined} {...rowKeys(r.id)}>
                <th scope="row">{r.name}</th>
                <td className="num">
                  {r.accuracy ? (
                    <>
                      {pct(r.accuracy.accuracy)}{' '}
                      <span className="muted small">
                        ({pct(r.accuracy.low, 1)}–{pct(r.accuracy.high, 1)})
                      </span>
                    </>
                  ) : (
                    '—'
                  )}
                </td>
                <td className="num">{r.original ? '—' : signed(r.accuracyDeltaPoints)}</td>
                <td className="num">{r.fidelity ? r.fidelity.cosine.toFixed(6) : '—'}</td>
                <td className="num">{sci(r.fidelity?.maxAbsError)}</td>
                <td className="num">{db(r.fidelity?.sqnrDb)}</td>
                <td className="num">{pct(r.top1Agreement)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
