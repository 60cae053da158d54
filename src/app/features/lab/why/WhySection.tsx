/**
 * "Why" under the Benchmark tab's results (issue 6, "Seeing why"): a per-operator profile, the
 * per-tensor quantization error of a variant, and per-layer sensitivity with "Exclude and re-apply".
 * Each part picks its model, runs in the bench worker (progress, Cancel) and can paint its result on
 * the graph.
 */
import { JobProgress as Progress } from '../../../components/JobProgress';
import { useEffect, useId } from 'react';
import { useStudio } from '../../../store';
import { ErrorMessage } from '../../../components/ErrorBanner';
import { useLab } from '../lab-store';
import { useLabCandidates } from '../lab-models';
import { NumberField } from '../LabSettings';
import { useWhy } from './why-store';
import type { WhyJobKind } from './why-store';
import { cancelWhy, compareActivations, dismissWhyError, quantizedVariants, runProfile, runSensitivity, setWhy, syncWhyWithModel } from './why-actions';
import { ProfileResult } from './WhyProfile';
import { ActivationResult, SensitivityResult } from './WhyTables';

const PROGRESS_LABEL: Record<WhyJobKind, string> = {
  profile: 'Profiling',
  activations: 'Comparing activations',
  sensitivity: 'Ranking layers',
  reapply: 'Re-applying the recipe',
};

function WhyProgress({ kinds }: { kinds: readonly WhyJobKind[] }) {
  const job = useWhy((s) => s.job);
  if (!job || !kinds.includes(job.kind)) return null;
  return <Progress job={job} label={PROGRESS_LABEL[job.kind]} onCancel={cancelWhy} />;
}

function ModelSelect({ label, value, options, onChange, disabled }: { label: string; value: string; options: readonly { id: string; name: string }[]; onChange: (id: string) => void; disabled: boolean }) {
  const id = useId();
  const current = options.some((o) => o.id === value) ? value : (options[0]?.id ?? '');
  return (
    <div className="lab-field">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={current} disabled={disabled || options.length === 0} onChange={(e) => onChange(e.currentTarget.value)}>
        {options.map((o) => (
          <option key={o.id} value={o.id}>
            {o.name}
          </option>
        ))}
      </select>
    </div>
  );
}

export function WhySection() {
  const modelSource = useStudio((s) => s.modelSource);
  const variants = useStudio((s) => s.optimize.variants);
  const candidates = useLabCandidates();
  const profileChoice = useWhy((s) => s.profileChoice);
  const errorChoice = useWhy((s) => s.errorChoice);
  const sensitivityChoice = useWhy((s) => s.sensitivityChoice);
  const profileRuns = useWhy((s) => s.profileRuns);
  const error = useWhy((s) => s.error);
  const whyRunning = useWhy((s) => s.job !== null);
  const labRunning = useLab((s) => s.job !== null);
  const busy = whyRunning || labRunning;
  // Results belong to one original: another model clears them.
  useEffect(() => {
    syncWhyWithModel();
  }, [modelSource]);
  if (candidates.length === 0) return null;

  const all = candidates.map((c) => ({ id: c.model.id, name: c.model.name }));
  const others = all.slice(1);
  const quantized = quantizedVariants(candidates, variants).map((v) => ({ id: v.id, name: v.name }));

  return (
    <section className="panel lab-results why" aria-label="Why">
      <h3>Why</h3>
      <p className="small muted">Where the time goes, where a variant departs from the original, and which layers to keep in float. Runs in the bench worker with the threads and graph optimization level above.</p>
      {error && <ErrorMessage error={error} onDismiss={dismissWhyError} />}

      <section aria-label="Profile" className="why-part">
        <h4>Profile</h4>
        <div className="optimize-actions">
          <ModelSelect label="Model to profile" value={profileChoice} options={all} onChange={(profileChoice) => setWhy({ profileChoice })} disabled={busy} />
          <NumberField label="Profiled runs" value={profileRuns} min={1} max={1000} onChange={(v) => setWhy({ profileRuns: v })} disabled={busy} />
          <button type="button" className="button" disabled={busy} onClick={() => void runProfile()}>
            Profile
          </button>
        </div>
        <WhyProgress kinds={['profile']} />
        <ProfileResult />
      </section>

      <section aria-label="Quantization error" className="why-part">
        <h4>Quantization error</h4>
        {others.length === 0 ? (
          <p className="small muted">Make a variant in Optimize to compare its activations with the original’s.</p>
        ) : (
          <div className="optimize-actions">
            <ModelSelect label="Variant to compare" value={errorChoice} options={others} onChange={(errorChoice) => setWhy({ errorChoice })} disabled={busy} />
            <button type="button" className="button" disabled={busy} onClick={() => void compareActivations()}>
              Compare activations
            </button>
          </div>
        )}
        <WhyProgress kinds={['activations']} />
        <ActivationResult />
      </section>

      <section aria-label="Sensitivity" className="why-part">
        <h4>Sensitivity</h4>
        {quantized.length === 0 ? (
          <p className="small muted">Make a quantized variant (int8 static, int8 dynamic or weight-only) in Optimize to rank its layers.</p>
        ) : (
          <div className="optimize-actions">
            <ModelSelect label="Quantized variant" value={sensitivityChoice} options={quantized} onChange={(sensitivityChoice) => setWhy({ sensitivityChoice })} disabled={busy} />
            <button type="button" className="button" disabled={busy} onClick={() => void runSensitivity()}>
              Run sensitivity
            </button>
          </div>
        )}
        <WhyProgress kinds={['sensitivity', 'reapply']} />
        <SensitivityResult />
      </section>
    </section>
  );
}
