/**
 * Auto-tune's results: what they were measured with, the chosen recipe (or why the original stays) with
 * **Add as variant**, the table "Auto-tune results" — per recipe the speed against the original (paired
 * median ratio), the size, the metric and its drop, within budget, on the speed/metric Pareto front,
 * and for a recipe that did not run, its reason — and the chart (TuneChart).
 */
import { formatBytes } from '../../../format';
import { ms, times } from '../lab-format';
import { dropText, metricText } from './tune-format';
import { useTune } from './tune-store';
import type { TuneCandidate, TuneOutcome } from './tune-store';
import { addTunedVariant, budgetText, metricLabel } from './tune-actions';
import { TuneChart } from './TuneChart';

function conditionsText(o: TuneOutcome): string {
  const c = o.conditions;
  const budget = c.budgetMs !== undefined ? `, at most ${c.budgetMs / 1000} s` : '';
  const calib = `${o.calibration.source}${o.calibration.split ? ' (split off the data, so no sample both calibrates and evaluates)' : ''}`;
  return `onnxruntime-web (wasm) in the bench worker, ${c.threads} thread${c.threads === 1 ? '' : 's'} requested, graph optimization all; 3 warm-up and up to ${c.runs} measured runs per recipe${budget}, interleaved with the original, the leaders again together with twice the runs; ${o.report.samples} samples of ${o.report.source}; calibration: ${calib}`;
}

/** The engine's "no recipe … : keep the original" as a sentence after the bold "Keep the original." */
function keepReason(warning: string | undefined): string {
  const text = (warning ?? 'no recipe within the budget is faster than the original').replace(/:\s*keep the original$/, '');
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}.`;
}

function AddButton({ candidate, label }: { candidate: TuneCandidate; label?: string }) {
  const added = useTune((s) => s.added[candidate.name]);
  const busy = useTune((s) => s.job !== null);
  if (added !== undefined) {
    return (
      <span className="tag tune-added" aria-label={`${candidate.name} added as a variant`}>
        added
      </span>
    );
  }
  return (
    <button type="button" className={label ? 'button primary' : 'button'} disabled={busy} aria-label={label ?? `Add ${candidate.name} as variant`} onClick={() => void addTunedVariant(candidate.name)}>
      {label ?? 'Add'}
    </button>
  );
}

function Chosen({ outcome }: { outcome: TuneOutcome }) {
  const { report } = outcome;
  const best = report.candidates.find((c) => c.name === report.best);
  if (!best) {
    return (
      <p className="pass-note tune-keep" role="note">
        <strong>Keep the original.</strong> {keepReason(report.warnings.find((w) => /keep the original/.test(w)))}
      </p>
    );
  }
  return (
    <div className="tune-chosen" role="note" aria-label="Chosen recipe">
      <p>
        <strong>Chosen: {best.name}</strong> — {times(best.speedup)} the original’s speed ({ms(best.latencyMs)} ms vs {ms(report.original.latencyMs)} ms), {formatBytes(best.bytes ?? 0)} vs {formatBytes(report.original.bytes)}, {metricLabel(report.metric)}{' '}
        {metricText(report.metric, best.metric)} vs {metricText(report.metric, report.original.metric)}.
      </p>
      <AddButton candidate={best} label="Add as variant" />
    </div>
  );
}

export function TuneResults() {
  const outcome = useTune((s) => s.outcome);
  if (!outcome) return null;
  const { report } = outcome;
  const metricHead = report.metric === 'accuracy' ? 'Accuracy' : report.metric === 'top1-agreement' ? 'Top-1 agreement' : 'Cosine';
  const dropHead = report.metric === 'cosine' ? 'Drop (1 − cosine)' : 'Drop (points)';
  const others = report.warnings.filter((w) => !/keep the original/.test(w));
  return (
    <div className="tune-results">
      <p className="small lab-measured">
        <strong>Budget</strong> {budgetText(report)}. <strong>Measured with</strong> {conditionsText(outcome)}.
      </p>
      <Chosen outcome={outcome} />
      {others.length > 0 && (
        <ul className="variant-warnings">
          {others.map((w) => (
            <li key={w} className="pass-note warning">
              {w}
            </li>
          ))}
        </ul>
      )}
      <div className="lab-table-wrap">
        <table aria-label="Auto-tune results" className="lab-table">
          <thead>
            <tr>
              <th scope="col">Recipe</th>
              <th scope="col" className="num">Speedup</th>
              <th scope="col" className="num">Median (ms)</th>
              <th scope="col" className="num">Size</th>
              <th scope="col" className="num">{metricHead}</th>
              <th scope="col" className="num">{dropHead}</th>
              <th scope="col">Within budget</th>
              <th scope="col">On the front</th>
              <th scope="col">
                <span className="visually-hidden">Action</span>
              </th>
            </tr>
          </thead>
          <tbody>
            <tr className="tune-original">
              <th scope="row">Original</th>
              <td className="num">1.00×</td>
              <td className="num">{ms(report.original.latencyMs)}</td>
              <td className="num">{formatBytes(report.original.bytes)}</td>
              <td className="num">{metricText(report.metric, report.original.metric)}</td>
              <td className="num">—</td>
              <td>—</td>
              <td>—</td>
              <td />
            </tr>
            {report.candidates.map((c) =>
              c.error ? (
                <tr key={c.name} className="tune-error">
                  <th scope="row">{c.name}</th>
                  <td colSpan={8} className="muted">
                    not used — {c.error}
                  </td>
                </tr>
              ) : (
                <tr key={c.name} className={c.name === report.best ? 'lab-row selected tune-best' : 'lab-row'} aria-current={c.name === report.best ? 'true' : undefined}>
                  <th scope="row">
                    {c.name}
                    {c.name === report.best && <span className="tag lab-front-tag">chosen</span>}
                  </th>
                  <td className="num strong">{times(c.speedup)}</td>
                  <td className="num">{ms(c.latencyMs)}</td>
                  <td className="num">{c.bytes !== undefined ? formatBytes(c.bytes) : '—'}</td>
                  <td className="num">{metricText(report.metric, c.metric)}</td>
                  <td className="num">{dropText(report.metric, c.drop)}</td>
                  <td>{c.withinBudget ? 'yes' : 'no'}</td>
                  <td>{c.onPareto ? 'yes' : 'no'}</td>
                  <td>
                    <AddButton candidate={c} />
                  </td>
                </tr>
              ),
            )}
          </tbody>
        </table>
      </div>
      <TuneChart report={report} />
    </div>
  );
}
