/**
 * "Auto-tune" (issue 6, "Decide"): an accuracy budget — points of top-1 when the chosen data has labels,
 * else the lowest cosine to the original's outputs —, "Quick search" (the base recipes only), the
 * **Auto-tune** button with progress and Cancel, then the results (TuneResults) and their chart
 * (TuneChart). The search runs on the Accuracy data chosen above, with the Threads / runs / time budget
 * settings (per candidate), in the bench worker.
 */
import { JobProgress as Progress } from '../../../components/JobProgress';
import { useEffect, useId } from 'react';
import { useStudio } from '../../../store';
import { ErrorMessage } from '../../../components/ErrorBanner';
import { useLab } from '../lab-store';
import { labOriginal } from '../lab-models';
import { useTune } from './tune-store';
import { cancelTune, dataHasLabels, dismissTuneError, runTune, setTuneForm, syncTuneWithModel } from './tune-actions';
import { TuneResults } from './TuneResults';

function TuneProgress() {
  const job = useTune((s) => s.job);
  if (!job) return null;
  return <Progress job={job} label={job.kind === 'tune' ? 'Auto-tuning' : 'Making the variant'} onCancel={cancelTune} />;
}

function BudgetForm({ labelled, disabled }: { labelled: boolean; disabled: boolean }) {
  const form = useTune((s) => s.form);
  const id = useId();
  return (
    <div className="tune-form">
      {labelled ? (
        <div className="lab-field">
          <label htmlFor={`${id}-drop`}>Max accuracy drop (points)</label>
          <input
            id={`${id}-drop`}
            type="number"
            min={0}
            max={100}
            step={0.1}
            disabled={disabled}
            value={form.maxDropPoints}
            onChange={(e) => setTuneForm({ maxDropPoints: Number(e.currentTarget.value) })}
          />
        </div>
      ) : (
        <div className="lab-field">
          <label htmlFor={`${id}-cos`}>Min cosine</label>
          <input id={`${id}-cos`} type="number" min={0} max={1} step={0.0001} disabled={disabled} value={form.minCosine} onChange={(e) => setTuneForm({ minCosine: Number(e.currentTarget.value) })} />
        </div>
      )}
      <label className="tune-quick">
        <input type="checkbox" checked={form.quick} disabled={disabled} onChange={(e) => setTuneForm({ quick: e.currentTarget.checked })} /> Quick search
      </label>
      <button type="button" className="button primary" disabled={disabled} onClick={() => void runTune()}>
        Auto-tune
      </button>
    </div>
  );
}

export function TuneSection() {
  const modelSource = useStudio((s) => s.modelSource);
  // Subscribed so that the budget's kind follows the shipped test set once the manifest has loaded.
  useStudio((s) => s.samples);
  const variants = useStudio((s) => s.optimize.variants);
  const data = useLab((s) => s.data);
  const labBusy = useLab((s) => s.job !== null);
  const tuning = useTune((s) => s.job !== null);
  const busy = labBusy || tuning;
  const error = useTune((s) => s.error);
  // Results belong to one original: another model clears them.
  useEffect(() => {
    syncTuneWithModel();
  }, [modelSource, variants]);
  const labelled = dataHasLabels(data, labOriginal()?.source);
  return (
    <section className="panel lab-tune" aria-label="Auto-tune">
      <h3>Auto-tune</h3>
      <p className="muted small">
        Tries float16, int8 dynamic, int8 static (speed and all placement; min-max, percentile and entropy calibration){' '}
        and — unless Quick search — int8 static with the most sensitive layers kept float and light channel pruning; measures each against the original (interleaved runs, the Threads, Measured runs and Time budget above, per recipe) and on the Accuracy data chosen above, and picks the fastest recipe within the budget.
        {labelled ? ' The budget is on top-1 accuracy.' : ' Without labels the budget is on the cosine of the outputs (top-1 agreement with the original for classifiers: at most 1 − min cosine of it).'}
      </p>
      <BudgetForm labelled={labelled} disabled={busy} />
      <TuneProgress />
      {error && <ErrorMessage error={error} onDismiss={dismissTuneError} />}
      <TuneResults />
    </section>
  );
}
