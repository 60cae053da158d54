/**
 * The benchmark's settings (issue 6: threads, graph optimization level, warm-up, measured runs, time
 * budget, sizes of symbolic input dims) and the models that take part. Every value reappears next to
 * the results it produced (BenchResults' "Measured with" line), since the form may change afterwards.
 */
import { useId } from 'react';
import { useLab } from './lab-store';
import type { OptimizationLevel } from './lab-store';
import { setLabSettings, setModelChecked } from './lab-actions';
import { useLabCandidates, useSymbolicDims } from './lab-models';
import { formatBytes } from '../../format';

const LEVELS: readonly OptimizationLevel[] = ['all', 'extended', 'basic', 'disabled'];

function whole(text: string, min: number, max: number, fallback: number): number {
  const n = Math.floor(Number(text));
  return Number.isFinite(n) ? Math.min(max, Math.max(min, n)) : fallback;
}

export function NumberField({ label, value, min, max, step = 1, onChange, disabled }: { label: string; value: number; min: number; max: number; step?: number; onChange: (v: number) => void; disabled?: boolean }) {
  const id = useId();
  return (
    <div className="lab-field">
      <label htmlFor={id}>{label}</label>
      <input id={id} type="number" min={min} max={max} step={step} value={value} disabled={disabled} onChange={(e) => onChange(whole(e.currentTarget.value, min, max, value))} />
    </div>
  );
}

function ThreadsField({ disabled }: { disabled: boolean }) {
  const threads = useLab((s) => s.settings.threads);
  const id = useId();
  const cores = Math.max(1, navigator.hardwareConcurrency || 1);
  const isolated = typeof crossOriginIsolated !== 'undefined' && crossOriginIsolated;
  return (
    <div className="lab-field">
      <label htmlFor={id}>Threads</label>
      <select id={id} value={threads} disabled={disabled} onChange={(e) => setLabSettings({ threads: Number(e.currentTarget.value) })}>
        {Array.from({ length: cores }, (_, i) => i + 1).map((n) => (
          <option key={n} value={n}>
            {n}
          </option>
        ))}
      </select>
      {!isolated && (
        <p className="pass-note warning lab-wide" role="note">
          <strong>Not cross-origin isolated: onnxruntime-web runs 1 thread</strong> whatever is chosen here (the page needs the COOP/COEP headers for SharedArrayBuffer).
        </p>
      )}
    </div>
  );
}

export function LabSettingsForm() {
  const settings = useLab((s) => s.settings);
  const running = useLab((s) => s.job !== null);
  const dims = useSymbolicDims();
  const levelId = useId();
  return (
    <fieldset className="lab-settings" disabled={running}>
      <legend>Settings</legend>
      <ThreadsField disabled={running} />
      <div className="lab-field">
        <label htmlFor={levelId}>Graph optimization</label>
        <select id={levelId} value={settings.graphOptimizationLevel} onChange={(e) => setLabSettings({ graphOptimizationLevel: e.currentTarget.value as OptimizationLevel })}>
          {LEVELS.map((l) => (
            <option key={l} value={l}>
              {l}
            </option>
          ))}
        </select>
      </div>
      <NumberField label="Warm-up runs" value={settings.warmup} min={0} max={1000} onChange={(warmup) => setLabSettings({ warmup })} />
      <NumberField label="Measured runs" value={settings.runs} min={1} max={100_000} onChange={(runs) => setLabSettings({ runs })} />
      <NumberField label="Time budget (s)" value={settings.budgetS} min={0} max={3600} onChange={(budgetS) => setLabSettings({ budgetS })} />
      {dims.map((d) => (
        <NumberField key={d} label={d} value={settings.shapes[d] ?? 1} min={1} max={65_536} onChange={(v) => setLabSettings({ shapes: { ...settings.shapes, [d]: v } })} />
      ))}
      <p className="muted small lab-wide">
        Time budget 0 = all runs. {dims.length > 0 ? 'Symbolic input dims are set by name (' + dims.join(', ') + ').' : 'The model has no symbolic input dims.'} Inputs are random (seed 1), in the sample’s declared range when it has one.
      </p>
    </fieldset>
  );
}

export function LabModelChoice() {
  const candidates = useLabCandidates();
  const unchecked = useLab((s) => s.unchecked);
  const running = useLab((s) => s.job !== null);
  return (
    <fieldset className="lab-models" disabled={running}>
      <legend>Models</legend>
      {candidates.map((c) => (
        <label key={c.model.id} className="lab-model-choice">
          <input type="checkbox" checked={!unchecked.includes(c.model.id)} onChange={(e) => setModelChecked(c.model.id, e.currentTarget.checked)} />
          <span className="pass-label">{c.model.name}</span>
          <span className="muted small mono">
            {c.model.fileName} · {formatBytes(c.model.bytes)}
          </span>
        </label>
      ))}
      {candidates.length === 1 && <p className="muted small">Make variants in the Optimize tab to compare them with the original here.</p>}
    </fieldset>
  );
}
