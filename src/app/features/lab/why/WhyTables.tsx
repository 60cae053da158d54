/**
 * "Quantization error" (the error of each activation of a variant against the original's, in graph
 * order, worst rows highlighted) and "Sensitivity" (layers ranked by the output SQNR with only that
 * layer quantized; keep the N most sensitive in float and re-apply) of the Why section.
 */
import { useWhy } from './why-store';
import { excludeAndReapply, setWhy, showErrorOnGraph } from './why-actions';
import { worstRows } from './why-format';
import { db, pct, sci, signed } from '../lab-format';
import { NumberField } from '../LabSettings';

const WORST = 3;
const MAX_ROWS = 500;
const WORST_STYLE = { background: '#fde2e1' };

function Warnings({ warnings }: { warnings: readonly string[] }) {
  if (warnings.length === 0) return null;
  return (
    <ul className="variant-warnings">
      {warnings.map((w) => (
        <li key={w} className="pass-note warning">
          {w}
        </li>
      ))}
    </ul>
  );
}

export function ActivationResult() {
  const a = useWhy((s) => s.activations);
  const busy = useWhy((s) => s.job !== null);
  if (!a) return null;
  const { tensors } = a.result;
  const worst = worstRows(tensors, WORST);
  const shown = tensors.slice(0, MAX_ROWS);
  return (
    <div className="why-result">
      <p className="small lab-measured">
        <strong>{a.name}</strong> against the original on {a.result.samples} samples of {a.result.source}: {tensors.length} activations compared, in graph order; the {Math.min(WORST, worst.size)} with the lowest SQNR are highlighted.
      </p>
      <Warnings warnings={a.result.warnings} />
      <div className="optimize-actions">
        <button type="button" className="button" disabled={busy} onClick={() => void showErrorOnGraph()}>
          Show on graph
        </button>
      </div>
      <div className="lab-table-wrap">
        <table aria-label="Per-tensor error" className="lab-table">
          <thead>
            <tr>
              <th scope="col">Tensor</th>
              <th scope="col">Producer</th>
              <th scope="col">Op</th>
              <th scope="col" className="num">Cosine</th>
              <th scope="col" className="num">SQNR (dB)</th>
              <th scope="col" className="num">Rel. L2</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((t, i) => (
              <tr key={t.tensor} style={worst.has(i) ? WORST_STYLE : undefined} aria-label={worst.has(i) ? `${t.tensor} (among the worst)` : undefined}>
                <th scope="row" className="mono">
                  {t.tensor}
                  {t.via === 'qdq' && <span className="tag" title="Compared after the variant's Quantize/Dequantize pair">qdq</span>}
                </th>
                <td className="mono">{t.producer}</td>
                <td>{t.op}</td>
                <td className="num">{t.fidelity.cosine.toFixed(5)}</td>
                <td className="num">{db(t.fidelity.sqnrDb)}</td>
                <td className="num">{sci(t.fidelity.relativeL2)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {tensors.length > shown.length && <p className="small muted">{tensors.length - shown.length} more tensors not listed.</p>}
    </div>
  );
}

export function SensitivityResult() {
  const s = useWhy((st) => st.sensitivity);
  const keep = useWhy((st) => st.keepFloat);
  const busy = useWhy((st) => st.job !== null);
  if (!s) return null;
  const r = s.result;
  const hasAccuracy = r.layers.some((l) => l.accuracy);
  return (
    <div className="why-result">
      <p className="small lab-measured">
        <strong>{s.name}</strong> ({r.pass}): each of {r.layers.length} layers quantized alone, the rest float, on {r.samples} samples of {r.source}. All quantized: output SQNR {db(r.full.fidelity.sqnrDb)} dB
        {r.full.accuracy ? `, accuracy ${pct(r.full.accuracy.accuracy)}` : ''}
        {r.referenceAccuracy ? ` (original ${pct(r.referenceAccuracy.accuracy)})` : ''}. Ranked by output SQNR, lowest (most sensitive) first.
      </p>
      <Warnings warnings={r.warnings} />
      <div className="lab-table-wrap">
        <table aria-label="Layer sensitivity" className="lab-table">
          <thead>
            <tr>
              <th scope="col" className="num">Rank</th>
              <th scope="col">Node</th>
              <th scope="col">Op</th>
              <th scope="col" className="num">SQNR (dB)</th>
              <th scope="col" className="num">Cosine</th>
              {hasAccuracy && <th scope="col" className="num">Accuracy</th>}
              {hasAccuracy && <th scope="col" className="num">Drop (points)</th>}
            </tr>
          </thead>
          <tbody>
            {r.layers.map((l, i) => (
              <tr key={l.node} style={i < keep ? WORST_STYLE : undefined}>
                <td className="num">{i + 1}</td>
                <th scope="row" className="mono">
                  {l.node}
                </th>
                <td>{l.op}</td>
                <td className="num">{db(l.fidelity.sqnrDb)}</td>
                <td className="num">{l.fidelity.cosine.toFixed(5)}</td>
                {hasAccuracy && <td className="num">{pct(l.accuracy?.accuracy)}</td>}
                {hasAccuracy && <td className="num">{l.accuracyDrop === undefined ? '—' : signed(l.accuracyDrop * 100)}</td>}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <div className="optimize-actions why-reapply">
        <NumberField label="Keep most sensitive in float" value={keep} min={1} max={Math.max(1, r.layers.length)} onChange={(keepFloat) => setWhy({ keepFloat })} disabled={busy} />
        <button type="button" className="button primary" disabled={busy || r.layers.length === 0} onClick={() => void excludeAndReapply()}>
          Exclude and re-apply
        </button>
      </div>
      <p className="small muted">
        Adds the {Math.min(keep, r.layers.length)} highlighted node{keep === 1 ? '' : 's'} to Optimize’s “Keep in float32” list and applies {s.name}’s recipe again, with the calibration data chosen there; the new variant appears in Variants and in the models above.
      </p>
    </div>
  );
}
