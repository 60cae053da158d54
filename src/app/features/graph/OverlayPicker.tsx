/**
 * "Colour by": op type, none, or any per-node metric of the view; and the legend of the active
 * overlay (op families with counts, or the colour scale — log or linear — with its ends, what the
 * colour means, and the zero and "no value" colours).
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
  // A fixed 0–100 % scale always has a range; a data-driven one needs a positive value.
  const hasRange = Number.isFinite(legend.min) && Number.isFinite(legend.max) && (legend.unit === 'percent' || legend.counts.positive > 0);
  const gradient = `linear-gradient(to right, ${legend.stops.join(', ')})`;
  const end = (v: number): string => (legend.unit === 'percent' ? `${Math.round(v * 100)} %` : formatCompact(v));
  return (
    <ul className="graph-legend" aria-label={`Colour legend: ${legend.label}`}>
      {hasRange ? (
        <li>
          <span>
            {legend.label}, {legend.scale === 'log' ? 'log' : 'linear'} scale:
          </span>
          <span className="graph-scale-min">{end(legend.min)}</span>
          <span className="graph-scale-bar" style={{ background: gradient }} aria-hidden="true" />
          <span className="graph-scale-max">{end(legend.max)}</span>
          <span className="muted">({legend.counts.positive.toLocaleString('en-US')} nodes)</span>
        </li>
      ) : (
        <li>
          {legend.label}: no node has a positive value
        </li>
      )}
      {legend.description && <li className="muted">{legend.description}</li>}
      {legend.zeroFill && (
        <li>
          <Swatch fill={legend.zeroFill} />
          {legend.zeroLabel} <span className="muted">{legend.counts.zero.toLocaleString('en-US')}</span>
        </li>
      )}
      {legend.missingFill && (
        <li>
          <Swatch fill={legend.missingFill ?? NAN_FILL} />
          {legend.missingLabel} <span className="muted">{legend.counts.missing.toLocaleString('en-US')}</span>
        </li>
      )}
    </ul>
  );
}
