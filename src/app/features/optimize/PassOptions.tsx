/**
 * One chosen pass: its note (an honest warning, e.g. "slower than fp32 on WASM") and its options,
 * rendered from the pass's OptionSpecs — number → slider with value and unit, boolean → checkbox,
 * choice → select, list → text input offering the model's op types or node names.
 */
import { useId, useState } from 'react';
import type { ChoiceOption, ListOption, NumberOption, OptionSpec, PassDescriptor, PassOptionValue } from '../../../core/transform/types';
import { useStudio } from '../../store';
import { resetOptions, setOption } from '../../optimize-actions';
import { exclusionOption, optionValue } from './recipe-form';

function formatNumber(v: number, unit: string | undefined): string {
  const text = Number.isInteger(v) ? String(v) : String(Number(v.toPrecision(6)));
  return unit ? `${text} ${unit}` : text;
}

function NumberField({ spec, value, onChange, disabled }: { spec: NumberOption; value: number; onChange: (v: number) => void; disabled: boolean }) {
  const id = useId();
  // A slider over the allowed values when they are a list (block sizes 16…256): every position is valid.
  const choices = spec.choices;
  const index = choices ? Math.max(0, choices.indexOf(value)) : 0;
  return (
    <div className="option-row">
      <label htmlFor={id}>{spec.label}</label>
      <input
        id={id}
        type="range"
        disabled={disabled}
        min={choices ? 0 : spec.min}
        max={choices ? choices.length - 1 : spec.max}
        step={choices ? 1 : spec.step}
        value={choices ? index : value}
        aria-valuetext={formatNumber(value, spec.unit)}
        onChange={(e) => {
          const raw = Number(e.currentTarget.value);
          onChange(choices ? (choices[raw] ?? spec.default) : raw);
        }}
      />
      <output htmlFor={id} className="option-value">
        {formatNumber(value, spec.unit)}
      </output>
    </div>
  );
}

function BooleanField({ spec, value, onChange, disabled }: { spec: OptionSpec; value: boolean; onChange: (v: boolean) => void; disabled: boolean }) {
  return (
    <div className="option-row">
      <label className="option-check">
        <input type="checkbox" checked={value} disabled={disabled} onChange={(e) => onChange(e.currentTarget.checked)} />
        {spec.label}
      </label>
    </div>
  );
}

function ChoiceField({ spec, value, onChange, disabled }: { spec: ChoiceOption; value: string; onChange: (v: string) => void; disabled: boolean }) {
  const id = useId();
  return (
    <div className="option-row">
      <label htmlFor={id}>{spec.label}</label>
      <select id={id} value={value} disabled={disabled} onChange={(e) => onChange(e.currentTarget.value)}>
        {spec.choices.map((c) => (
          <option key={c.value} value={c.value}>
            {c.label}
          </option>
        ))}
      </select>
    </div>
  );
}

/** Op types of the open model; node names of the main graph when the graph view has been built. */
function useSuggestions(items: ListOption['items']): readonly string[] {
  const opTypes = useStudio((s) => s.model?.summary.opHistogram);
  const names = useStudio((s) => (s.graph.modelId === s.model?.modelId && s.graph.scopePath === '' ? s.graph.view?.names : undefined));
  if (items === 'op-types') return Object.keys(opTypes ?? {}).sort();
  return (names ?? []).filter((n) => n !== '');
}

function ListField({ spec, value, onChange, disabled, pinned }: { spec: ListOption; value: string; onChange: (v: string) => void; disabled: boolean; pinned: number }) {
  const id = useId();
  const listId = useId();
  const suggestions = useSuggestions(spec.items);
  return (
    <div className="option-row">
      <label htmlFor={id}>{spec.label}</label>
      <input
        id={id}
        type="text"
        list={suggestions.length > 0 ? listId : undefined}
        value={value}
        disabled={disabled}
        placeholder={spec.items === 'op-types' ? 'e.g. Conv, MatMul' : 'node names, comma-separated'}
        onChange={(e) => onChange(e.currentTarget.value)}
      />
      {suggestions.length > 0 && (
        <datalist id={listId}>
          {suggestions.slice(0, 2000).map((s) => (
            <option key={s} value={s} />
          ))}
        </datalist>
      )}
      {pinned > 0 && (
        <span className="muted small">
          + {pinned} node{pinned === 1 ? '' : 's'} kept in float32 from the graph view
        </span>
      )}
    </div>
  );
}

function OptionField({ pass, name, spec }: { pass: PassDescriptor; name: string; spec: OptionSpec }) {
  const value = useStudio((s) => optionValue(s.optimize.form, pass, name));
  const pinned = useStudio((s) => (exclusionOption(pass) === name ? s.optimize.form.excludedNodes.length : 0));
  const disabled = useStudio((s) => s.optimize.run !== null);
  const onChange = (v: PassOptionValue): void => setOption(pass.id, name, v);
  const field = (() => {
    switch (spec.kind) {
      case 'number':
        return <NumberField spec={spec} value={typeof value === 'number' ? value : spec.default} onChange={onChange} disabled={disabled} />;
      case 'boolean':
        return <BooleanField spec={spec} value={typeof value === 'boolean' ? value : spec.default} onChange={onChange} disabled={disabled} />;
      case 'choice':
        return <ChoiceField spec={spec} value={String(value ?? spec.default)} onChange={onChange} disabled={disabled} />;
      case 'list':
        return <ListField spec={spec} value={String(value ?? spec.default)} onChange={onChange} disabled={disabled} pinned={pinned} />;
    }
  })();
  return (
    <div className="option" title={spec.description}>
      {field}
      <p className="muted small option-description">{spec.description}</p>
    </div>
  );
}

export function PassOptions({ pass, step, steps }: { pass: PassDescriptor; step: number; steps: number }) {
  const [advanced, setAdvanced] = useState(false);
  const changed = useStudio((s) => Object.keys(s.optimize.form.options[pass.id] ?? {}).length > 0);
  const running = useStudio((s) => s.optimize.run !== null);
  const entries = Object.entries(pass.options);
  const shown = entries.filter(([, spec]) => advanced || !spec.advanced);
  const hidden = entries.length - entries.filter(([, spec]) => !spec.advanced).length;
  const headingId = useId();
  return (
    <section className="pass-step" aria-labelledby={headingId}>
      <div className="pass-step-head">
        <h4 id={headingId}>
          {steps > 1 && <span className="muted">Step {step + 1}: </span>}
          {pass.label}
        </h4>
        <div className="pass-step-actions">
          {hidden > 0 && (
            <button type="button" className="link-button" aria-expanded={advanced} onClick={() => setAdvanced(!advanced)}>
              {advanced ? 'Hide advanced options' : `Advanced options (${hidden})`}
            </button>
          )}
          {changed && (
            <button type="button" className="link-button" disabled={running} onClick={() => resetOptions(pass.id)}>
              Reset to defaults
            </button>
          )}
        </div>
      </div>
      {pass.note && (
        <p className="pass-note" role="note">
          <strong>Note:</strong> {pass.note}
        </p>
      )}
      {shown.length === 0 ? (
        <p className="muted small">No options.</p>
      ) : (
        <div className="option-list">
          {shown.map(([name, spec]) => (
            <OptionField key={name} pass={pass} name={name} spec={spec} />
          ))}
        </div>
      )}
    </section>
  );
}
