/**
 * The Optimize panel (issue #4, "In the page"), built from the pass registry the model worker sends:
 * pick passes (the order ticked is the recipe's order), adjust their options, give calibration data
 * when a pass needs it, see the estimated size, Apply (progress and Cancel; the page stays responsive
 * because the work runs in the optimize worker), and get a named variant per run.
 */
import { JobProgress as Progress } from '../../components/JobProgress';
import { useEffect } from 'react';
import { useStudio } from '../../store';
import { applyOptimize, cancelOptimize, dismissOptimizeError, loadPasses, scheduleEstimate, toggleKeepFloat } from '../../optimize-actions';
import { formatBytes } from '../../format';
import { ErrorMessage } from '../../components/ErrorBanner';
import { PassPicker } from './PassPicker';
import { PassOptions } from './PassOptions';
import { CalibrationData } from './CalibrationData';
import { VariantList } from './VariantList';
import { needsCalibration } from './recipe-form';
import { combineCompute, computeText } from './compute-text';

function Estimate() {
  const estimate = useStudio((s) => s.optimize.estimate);
  const chosen = useStudio((s) => s.optimize.form.chosen.length);
  if (chosen === 0) return <p className="muted estimate">Choose a pass to see the estimated size.</p>;
  let text = 'Estimating…';
  if (estimate.status === 'done') {
    const { modelBytes, estimatedBytes, steps } = estimate.estimate;
    const errors = steps.filter((s) => s.error);
    text = `Estimated size: ${formatBytes(estimatedBytes)} (${(estimatedBytes / Math.max(1, modelBytes)).toFixed(2)}× of ${formatBytes(modelBytes)})`;
    if (errors.length > 0) text += ` — ${errors.map((e) => `${e.pass}: ${e.error ?? ''}`).join('; ')}`;
  } else if (estimate.status === 'error') {
    text = `No estimate: ${estimate.message}`;
  }
  return (
    <p className="estimate" role="status" aria-label="Estimated size">
      {text}
    </p>
  );
}

/**
 * Parameters and MACs the recipe would leave, next to the size (only when a chosen pass prunes: the
 * other passes keep the counts). Updated with the same debounced estimate request as the size.
 */
function ComputeEstimateStatus() {
  const estimate = useStudio((s) => s.optimize.estimate);
  if (estimate.status !== 'done') return null;
  const combined = combineCompute(estimate.estimate.steps);
  if (!combined) return null;
  return (
    <p className="estimate" role="status" aria-label="Estimated compute">
      {computeText(combined)}
    </p>
  );
}

function RunProgress() {
  const run = useStudio((s) => s.optimize.run);
  if (!run) return null;
  return <Progress job={run} label="Optimizing" onCancel={cancelOptimize} />;
}

function PinnedNodes() {
  const pinned = useStudio((s) => s.optimize.form.excludedNodes);
  if (pinned.length === 0) {
    return <p className="muted small">Tip: select a node in the Graph view and press “Keep in float32” to leave it unquantized.</p>;
  }
  return (
    <div className="pinned">
      <span>Kept in float32:</span>
      <ul className="pinned-list" aria-label="Nodes kept in float32">
        {pinned.map((n) => (
          <li key={n} className="tag">
            <span className="mono">{n}</span>{' '}
            <button type="button" className="link-button" aria-label={`Stop keeping ${n} in float32`} onClick={() => toggleKeepFloat(n)}>
              ×
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}

export function OptimizePanel() {
  const passes = useStudio((s) => s.optimize.passes);
  const form = useStudio((s) => s.optimize.form);
  const running = useStudio((s) => s.optimize.run !== null);
  const error = useStudio((s) => s.optimize.error);
  const modelId = useStudio((s) => s.model?.modelId);
  const fileName = useStudio((s) => s.model?.fileName ?? '');

  useEffect(() => {
    void loadPasses();
  }, []);
  // A different model (or the same one re-opened after a worker restart) needs a new estimate.
  useEffect(() => {
    scheduleEstimate();
  }, [modelId]);

  const byId = new Map(passes.list.map((p) => [p.id, p]));
  const chosen = form.chosen.map((id) => byId.get(id)).filter((p) => p !== undefined);
  const calibrate = needsCalibration(form, passes.list);

  return (
    <section className="optimize" aria-label="Optimize">
      <div className="optimize-head">
        <h2>Optimize</h2>
        <p className="muted">
          Make a smaller or faster variant of <span className="mono">{fileName}</span>. Nothing changes the open model: every run creates a new variant below.
        </p>
      </div>
      <div className="optimize-body">
        <div className="optimize-form panel">
          <h3>Passes</h3>
          {passes.status === 'loading' && <p role="status">Loading the transformations…</p>}
          {passes.status === 'error' && <p className="sev-error">{passes.error}</p>}
          {passes.status === 'ready' && passes.list.length === 0 && <p className="muted">No transformations are available in this build.</p>}
          {passes.status === 'ready' && <PassPicker passes={passes.list} />}
          {chosen.length > 0 && (
            <div className="recipe-steps">
              <h3>Options</h3>
              {chosen.map((p, i) => (
                <PassOptions key={p.id} pass={p} step={i} steps={chosen.length} />
              ))}
            </div>
          )}
          {calibrate && <CalibrationData />}
          <PinnedNodes />
          <Estimate />
          <ComputeEstimateStatus />
          <div className="optimize-actions">
            <button type="button" className="button primary" disabled={running || chosen.length === 0} onClick={() => void applyOptimize()}>
              Apply
            </button>
          </div>
          <RunProgress />
          {error && <ErrorMessage error={error} onDismiss={dismissOptimizeError} />}
        </div>
        <VariantList />
      </div>
    </section>
  );
}
