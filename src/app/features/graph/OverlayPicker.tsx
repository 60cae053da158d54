/**
 * "Colour by": op type, none, or any per-node metric of the view; and the legend of the active
 * overlay (op families with counts, or the log colour scale with its min/max, zero and "no value").
 */
import type { ViewGraph } from '../../../core/graph-view/types';
import type { Legend } from './node-paint';
import { overlayOptions } from './node-paint';
import { formatCompact, NAN_FILL } from './color-scale';

export function OverlayPicker({ view, overlay, onChange }: { view: ViewGraph | null; overlay: string; onChange(overlay: string): void }) {
  const options = overlayOptions(view);
  return (
    <label className="graph-colour-by">
      Colour by{' '}
      <select value={overlay} onChange={(e) => onChange(e.target.value)} disabled={view === null}>
        {options.map((o) => (
          <option key={o.id} value={o.id}>
            {o.label}
          </option>
        ))}
      </select>
    </label>
  );
}

function Swatch({ fill }: { fill: string }) {
  return <span className="graph-swatch" style={{ background: fill }} aria-hidden="true" />;
}

export function OverlayLegend({ legend }: { legend: Legend }) {
  if (legend.kind === 'none') return null;
  if (legend.kind === 'op') {
    return (
      <ul className="graph-legend" aria-label="Colour legend: op type">
        {legend.entries.map((e) => (
          <li key={e.label} title={e.ops.join(', ')}>
            <Swatch fill={e.fill} />
            {e.label} <span className="muted">{e.count.toLocaleString('en-US')}</span>
          </li>
        ))}
      </ul>
    );
  }
  const hasRange = Number.isFinite(legend.min);
  const gradient = `linear-gradient(to right, ${legend.stops.join(', ')})`;
  return (
    <ul className="graph-legend" aria-label={`Colour legend: ${legend.label}`}>
      {hasRange ? (
        <li>
          <span>{legend.label}, log scale:</span>
          <span className="graph-scale-min">{formatCompact(legend.min)}</span>
          <span className="graph-scale-bar" style={{ background: gradient }} aria-hidden="true" />
          <span className="graph-scale-max">{formatCompact(legend.max)}</span>
          <span className="muted">({legend.counts.positive.toLocaleString('en-US')} nodes)</span>
        </li>
      ) : (
        <li>
          {legend.label}: no node has a positive value
        </li>
      )}
      {legend.zeroFill && (
        <li>
          <Swatch fill={legend.zeroFill} />0 <span className="muted">{legend.counts.zero.toLocaleString('en-US')}</span>
        </li>
      )}
      {legend.missingFill && (
        <li>
          <Swatch fill={legend.missingFill ?? NAN_FILL} />
          no value <span className="muted">{legend.counts.missing.toLocaleString('en-US')}</span>
        </li>
      )}
    </ul>
  );
}
