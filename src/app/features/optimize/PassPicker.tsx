/**
 * The passes of the registry as checkboxes, grouped by category. Ticking appends a pass to the recipe:
 * the order ticked is the order applied (shown as "step N" beside the box).
 */
import type { PassCategory, PassDescriptor } from '../../../core/transform/types';
import { useStudio } from '../../store';
import { togglePass } from '../../optimize-actions';

const CATEGORY_LABEL: Record<PassCategory, string> = {
  precision: 'Precision',
  quantize: 'Quantize',
  prune: 'Prune',
};

export function PassPicker({ passes }: { passes: readonly PassDescriptor[] }) {
  const chosen = useStudio((s) => s.optimize.form.chosen);
  const running = useStudio((s) => s.optimize.run !== null);
  const categories = [...new Set(passes.map((p) => p.category))];
  return (
    <div className="pass-picker">
      {categories.map((category) => (
        <fieldset key={category} className="pass-group">
          <legend>{CATEGORY_LABEL[category] ?? category}</legend>
          {passes
            .filter((p) => p.category === category)
            .map((p) => {
              const step = chosen.indexOf(p.id);
              const labelId = `pass-${p.id}-label`;
              const summaryId = `pass-${p.id}-summary`;
              // Named by the pass label alone (the summary describes it), so "Int8 static (QDQ)" finds exactly one box.
              return (
                <label key={p.id} className="pass-choice">
                  <input type="checkbox" aria-labelledby={labelId} aria-describedby={summaryId} checked={step >= 0} disabled={running} onChange={(e) => togglePass(p.id, e.currentTarget.checked)} />
                  <span>
                    <span id={labelId} className="pass-label">
                      {p.label}
                    </span>
                    {step >= 0 && chosen.length > 1 && <span className="tag">step {step + 1}</span>}
                    <span id={summaryId} className="muted small pass-summary">
                      {p.summary}
                    </span>
                  </span>
                </label>
              );
            })}
        </fieldset>
      ))}
    </div>
  );
}
