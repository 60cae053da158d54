/**
 * "Side by side" (issue 6, "Decide", in the spirit of Squoosh's before/after): two models of the lab —
 * the original or any variant — next to each other: how each was made (recipe steps and options), its
 * size and the difference against the other, its latency distribution from the last benchmark (median,
 * p90, p99, histogram), its accuracy and fidelity from the last accuracy run, and between them the graph
 * diff (added / removed / changed nodes, operator count deltas) with a way into the Compare tab.
 */
import { useEffect, useId } from 'react';
import { Bar, BarChart, XAxis, YAxis } from 'recharts';
import type { LabRow } from '../../../../core/report/lab-report';
import type { PassStep } from '../../../../core/transform/recipe';
import { useStudio } from '../../../store';
import { formatBytes, formatCount } from '../../../format';
import { useLab } from '../lab-store';
import { useLabCandidates } from '../lab-models';
import type { LabCandidate } from '../lab-models';
import { db, ms, pct, signed } from '../lab-format';
import { useSides } from './side-store';
import { chooseSide, loadSideDiff, openSidesInCompare, pairKey, resolveSides } from './side-actions';

function stepText(step: PassStep): string {
  const options = Object.entries(step.options)
    .filter(([, v]) => v !== '' && v !== undefined)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(', ');
  return options ? `${step.pass} (${options})` : step.pass;
}

function Recipe({ candidate }: { candidate: LabCandidate }) {
  const variant = useStudio((s) => s.optimize.variants.find((v) => v.id === candidate.model.id));
  if (candidate.model.original) return <dd>the original model, unchanged</dd>;
  if (!variant) return <dd>—</dd>;
  return (
    <dd>
      <ol className="side-steps">
        {variant.recipe.steps.map((s, i) => (
          <li key={`${s.pass}:${i}`} className="mono small">
            {stepText(s)}
          </li>
        ))}
      </ol>
      {variant.recipe.calibration && <span className="muted small">calibrated on {variant.recipe.calibration}</span>}
    </dd>
  );
}

function Latency({ row }: { row: LabRow | undefined }) {
  const m = row?.bench;
  if (!m) return <dd className="muted">not benchmarked yet (Run benchmark)</dd>;
  const bins = m.summary.histogram.map((b) => ({ from: b.lo, count: b.count }));
  return (
    <dd>
      median <strong>{ms(m.summary.median)}</strong> ms, p90 {ms(m.summary.p90)} ms, p99 {ms(m.summary.p99)} ms{' '}
      <span className="muted small">({m.runsMs.length} runs{row.original ? '' : `, ${m.speedup.toFixed(2)}× the original’s speed`})</span>
      <BarChart width={200} height={70} data={bins} margin={{ top: 4, right: 4, bottom: 0, left: 0 }} barCategoryGap={0} aria-label={`Latency histogram of ${row.name}`}>
        <XAxis dataKey="from" tickFormatter={(v: number) => ms(v)} fontSize={9} minTickGap={24} />
        <YAxis width={24} fontSize={9} allowDecimals={false} />
        <Bar dataKey="count" fill="#1f4e79" isAnimationActive={false} />
      </BarChart>
    </dd>
  );
}

function Quality({ row }: { row: LabRow | undefined }) {
  if (!row || (!row.accuracy && !row.fidelity)) return <dd className="muted">not measured yet (Measure accuracy)</dd>;
  return (
    <dd>
      {row.accuracy ? (
        <>
          accuracy <strong>{pct(row.accuracy.accuracy)}</strong> <span className="muted small">({pct(row.accuracy.low, 1)}–{pct(row.accuracy.high, 1)})</span>
          {!row.original && row.accuracyDeltaPoints !== undefined && <> {signed(row.accuracyDeltaPoints)} points</>}
        </>
      ) : (
        'no labels'
      )}
      {!row.original && row.fidelity && (
        <div className="small">
          vs the original: cosine {row.fidelity.cosine.toFixed(6)}, SQNR {db(row.fidelity.sqnrDb)} dB{row.top1Agreement !== undefined ? `, top-1 agreement ${pct(row.top1Agreement)}` : ''}
        </div>
      )}
    </dd>
  );
}

function SidePanel({ side, candidate, other, candidates, row }: { side: 'left' | 'right'; candidate: LabCandidate; other: LabCandidate; candidates: readonly LabCandidate[]; row: LabRow | undefined }) {
  const id = useId();
  const label = side === 'left' ? 'Left' : 'Right';
  const bytes = candidate.model.bytes;
  const delta = other.model.bytes > 0 && candidate !== other ? (bytes / other.model.bytes - 1) * 100 : null;
  return (
    <div className="side-panel" role="group" aria-label={`${label}: ${candidate.model.name}`}>
      <label htmlFor={id} className="side-label">
        {label}
      </label>
      <select id={id} value={candidate.model.id} onChange={(e) => chooseSide(side, e.currentTarget.value)}>
        {candidates.map((c) => (
          <option key={c.model.id} value={c.model.id}>
            {c.model.name}
          </option>
        ))}
      </select>
      <p className="mono small break">{candidate.model.fileName}</p>
      <dl className="facts side-facts">
        <dt>Recipe</dt>
        <Recipe candidate={candidate} />
        <dt>Size</dt>
        <dd>
          <span className="side-size">{formatBytes(bytes)}</span>
          {delta !== null && (
            <span className="muted small">
              {' '}
              ({signed(delta, 1)} % vs {other.model.name})
            </span>
          )}
        </dd>
        <dt>Latency</dt>
        <Latency row={row} />
        <dt>Accuracy</dt>
        <Quality row={row} />
      </dl>
    </div>
  );
}

function DiffSummary({ left, right }: { left: LabCandidate; right: LabCandidate }) {
  const diff = useSides((s) => s.diff);
  const key = pairKey(left, right);
  const busy = useStudio((s) => s.loading !== null);
  let body;
  if (left === right) body = <p className="muted small">The same model on both sides.</p>;
  else if (diff.status === 'idle' || diff.key !== key || diff.status === 'loading') body = <p className="muted small">Comparing the graphs…</p>;
  else if (diff.status === 'error') body = <p className="pass-note warning">{diff.message}</p>;
  else {
    const d = diff.diff;
    const deltas = Object.entries(d.opCountDelta).sort((a, b) => Math.abs(b[1]) - Math.abs(a[1]) || a[0].localeCompare(b[0]));
    body = (
      <>
        <p className="side-diff-counts">
          {formatCount(d.added.length)} added, {formatCount(d.removed.length)} removed, {formatCount(d.changed.length)} changed, {formatCount(d.sameCount)} same
          {d.quantizedNodes.length > 0 && `; ${formatCount(d.quantizedNodes.length)} gained Quantize/Dequantize`}
        </p>
        {deltas.length > 0 ? (
          <ul className="op-deltas" aria-label="Operator count changes">
            {deltas.slice(0, 12).map(([op, n]) => (
              <li key={op} className={n > 0 ? 'delta-up' : 'delta-down'}>
                <span className="num">{n > 0 ? `+${formatCount(n)}` : `−${formatCount(-n)}`}</span> <span className="mono">{op}</span>
              </li>
            ))}
          </ul>
        ) : (
          <p className="muted small">Same operators in both.</p>
        )}
      </>
    );
  }
  return (
    <div className="side-diff" role="group" aria-label="Graph diff">
      <h4>
        Graph diff <span className="muted small">({left.model.name} → {right.model.name})</span>
      </h4>
      {body}
      <button type="button" className="button link-button" disabled={left === right || busy} onClick={() => void openSidesInCompare(left, right)}>
        Open in Compare tab
      </button>
    </div>
  );
}

export function LabSideBySide() {
  const candidates = useLabCandidates();
  const chosenLeft = useSides((s) => s.left);
  const chosenRight = useSides((s) => s.right);
  const rows = useLab((s) => s.summary?.rows);
  const { left, right } = resolveSides(candidates, chosenLeft, chosenRight);
  useEffect(() => {
    if (left && right && left !== right) void loadSideDiff(left, right);
  }, [left, right]);
  if (!left || !right || candidates.length < 2) {
    return (
      <section className="panel lab-side" aria-label="Side by side">
        <h3>Side by side</h3>
        <p className="muted">Make a variant in Optimize (or with Auto-tune’s “Add as variant”) to see it next to the original.</p>
      </section>
    );
  }
  const rowOf = (c: LabCandidate): LabRow | undefined => rows?.find((r) => r.id === c.model.id);
  return (
    <section className="panel lab-side" aria-label="Side by side">
      <h3>Side by side</h3>
      <div className="side-grid">
        <SidePanel side="left" candidate={left} other={right} candidates={candidates} row={rowOf(left)} />
        <DiffSummary left={left} right={right} />
        <SidePanel side="right" candidate={right} other={left} candidates={candidates} row={rowOf(right)} />
      </div>
    </section>
  );
}
