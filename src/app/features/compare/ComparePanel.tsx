/**
 * Compare (issue #3): open a second version of the model (an optimized one) and see what differs —
 * counts, op count deltas, weight bytes, which nodes gained Quantize/Dequantize pairs, the lists of
 * added/removed/changed nodes, and both graphs side by side coloured by status. The diff itself is
 * computed in the model worker (core/diff/model-diff.ts).
 */
import { useCallback, useId, useMemo, useState } from 'react';
import { useStudio } from '../../store';
import { clearCompare, openCompare } from '../../graph-actions';
import { CompareSummary } from './CompareSummary';
import { DiffLists } from './DiffLists';
import type { DiffSide } from './DiffLists';
import { DiffLegend, SideBySide } from './SideBySide';
import type { CompareSelection } from './SideBySide';
import { ErrorMessage } from '../../components/ErrorBanner';

function CompareInput({ disabled }: { disabled: boolean }) {
  const id = useId();
  return (
    <span className="open-model">
      {/* The input comes first so the focus ring can follow it to the label (input:focus-visible + label). */}
      <input
        id={id}
        type="file"
        multiple
        disabled={disabled}
        className="visually-hidden"
        accept=".onnx,.data,.bin,.onnx_data,.pb,*/*"
        onChange={(e) => {
          const files = Array.from(e.currentTarget.files ?? []);
          e.currentTarget.value = '';
          if (files.length > 0) void openCompare(files);
        }}
      />
      <label htmlFor={id} className={`button${disabled ? ' disabled' : ''}`}>
        Compare with
      </label>
    </span>
  );
}

export function ComparePanel() {
  const fileName = useStudio((s) => s.model?.fileName ?? '');
  const status = useStudio((s) => s.compare.status);
  const diff = useStudio((s) => s.compare.diff);
  const error = useStudio((s) => s.compare.error);
  const [selection, setSelection] = useState<CompareSelection>({ base: null, other: null, baseCentre: null, otherCentre: null });

  // other id → base id, for selecting a node's counterpart from the compared graph.
  const toBase = useMemo(() => {
    const m = new Map<string, string>();
    for (const [b, o] of Object.entries(diff?.matches ?? {})) m.set(o, b);
    return m;
  }, [diff]);

  const select = useCallback(
    (side: DiffSide, id: string | null, centre = false) => {
      setSelection((s) => {
        if (id === null) return { ...s, base: null, other: null };
        const partner = side === 'base' ? (diff?.matches?.[id] ?? null) : (toBase.get(id) ?? null);
        // Clicking in one graph centres the counterpart in the other; a list entry centres both.
        const centreBase = centre || (side === 'other' && partner !== null);
        const centreOther = centre || (side === 'base' && partner !== null);
        const base = side === 'base' ? id : partner;
        const other = side === 'base' ? partner : id;
        const seq = Math.max(s.baseCentre?.seq ?? 0, s.otherCentre?.seq ?? 0) + 1;
        return {
          base,
          other,
          baseCentre: centreBase && base !== null ? { id: base, seq } : s.baseCentre,
          otherCentre: centreOther && other !== null ? { id: other, seq } : s.otherCentre,
        };
      });
    },
    [diff, toBase],
  );
  const selectFromGraph = useCallback((side: DiffSide, id: string | null) => select(side, id), [select]);
  const show = useCallback((side: DiffSide, id: string) => select(side, id, true), [select]);

  return (
    <section className="compare" aria-label="Compare">
      <div className="compare-head">
        <div>
          <h2>Compare</h2>
          <p className="muted">
            Open another version of <span className="mono">{fileName}</span> (for example the optimized one) to see which nodes were added, removed or changed.
          </p>
        </div>
        <div className="compare-actions">
          <CompareInput disabled={status === 'loading'} />
          {status !== 'idle' && (
            <button type="button" className="button" onClick={clearCompare}>
              Clear comparison
            </button>
          )}
        </div>
      </div>

      {status === 'loading' && (
        <p className="load-progress" role="status">
          Opening and comparing the models…
        </p>
      )}
      {status === 'error' && error && <ErrorMessage error={error} />}

      {status === 'ready' && diff && (
        <>
          <p>
            <span className="mono">{diff.baseName}</span> → <span className="mono">{diff.otherName}</span>
          </p>
          <CompareSummary diff={diff} />
          <DiffLegend />
          <SideBySide diff={diff} selection={selection} onSelect={selectFromGraph} />
          <DiffLists diff={diff} onShow={show} />
        </>
      )}
    </section>
  );
}
