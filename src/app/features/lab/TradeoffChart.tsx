/**
 * The "Accuracy vs latency" chart (issue 6, "Decide"): every measured model a point — x the median
 * latency or the speedup against the original (a toggle), y the accuracy when the data has labels, else
 * the cosine similarity to the original's outputs; a point's AREA is proportional to the model's file
 * size — the Pareto front (core/metrics/pareto.ts, computed in the bench worker) drawn as a line, the
 * original ringed. Clicking a point (or Enter on it) selects that model and highlights its table rows.
 *
 * Points and the front are SVG elements with role="img" and a name that says what they show, so the
 * chart can be read without seeing it (and tested).
 */
import type { KeyboardEvent } from 'react';
import { CartesianGrid, Label, Scatter, ScatterChart, XAxis, YAxis } from 'recharts';
import type { LabPareto } from '../../../core/report/lab-report';
import { formatBytes } from '../../format';
import { useLab } from './lab-store';
import { selectLabModel, setXAxis } from './lab-actions';
import { ms } from './lab-format';

export const CHART_ID = 'lab-tradeoff-chart';
const WIDTH = 680;
const HEIGHT = 380;
/** Radius of the largest model's point; the others scale by √(bytes / largest) so areas follow sizes. */
const R_MAX = 18;
const R_MIN = 3;

interface Datum {
  readonly id: string;
  readonly name: string;
  readonly original: boolean;
  readonly x: number;
  readonly y: number;
  readonly bytes: number;
  readonly r: number;
  readonly onFront: boolean;
  readonly label: string;
  /** Lines the name is moved down by, so that names of points drawn on top of each other stay readable. */
  readonly labelLine: number;
}

interface ShapeProps {
  readonly cx?: number;
  readonly cy?: number;
  readonly payload?: Datum;
}

function describe(p: LabPareto['points'][number], metric: LabPareto['metric'], onFront: boolean): string {
  const quality = metric === 'accuracy' ? `accuracy ${(p.quality * 100).toFixed(2)} %` : `cosine ${p.quality.toFixed(6)}`;
  return `${p.name}${p.original ? ' (original)' : ''}: median ${ms(p.latencyMs)} ms, ${p.speedup.toFixed(2)}× speed, ${quality}, ${formatBytes(p.bytes)}${onFront ? ', on the Pareto front' : ''}`;
}

function Point({ cx, cy, payload, selected }: ShapeProps & { selected: string | null }) {
  if (cx === undefined || cy === undefined || !payload) return <g />;
  const isSelected = selected === payload.id;
  const onKey = (e: KeyboardEvent): void => {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      selectLabModel(payload.id);
    }
  };
  return (
    <g role="img" aria-label={payload.label} className={isSelected ? 'lab-point selected' : 'lab-point'} tabIndex={0} onClick={() => selectLabModel(payload.id)} onKeyDown={onKey} data-model={payload.id}>
      {payload.original && <circle cx={cx} cy={cy} r={payload.r + 4} fill="none" stroke="#1b2330" strokeWidth={1.5} strokeDasharray="3 2" />}
      <circle cx={cx} cy={cy} r={payload.r} fill={payload.original ? '#5d6878' : payload.onFront ? '#1f4e79' : '#8aa4bf'} fillOpacity={0.75} stroke={isSelected ? '#ffb000' : '#ffffff'} strokeWidth={isSelected ? 3 : 1} />
      <text x={cx + payload.r + 6} y={cy + 4 + 13 * payload.labelLine} fontSize={11} fill="#1b2330">
        {payload.name}
      </text>
    </g>
  );
}

function FrontLine({ points, names }: { points?: ReadonlyArray<{ x?: number | null; y?: number | null }>; names: string }) {
  const drawn = (points ?? []).filter((p): p is { x: number; y: number } => typeof p.x === 'number' && typeof p.y === 'number');
  if (drawn.length === 0) return <g />;
  // One point alone is still a front: a zero-length path with round caps shows it as a dot.
  const d = drawn.map((p, i) => `${i === 0 ? 'M' : 'L'}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' ') + (drawn.length === 1 ? ' l0.01,0' : '');
  return <path role="img" aria-label={`Pareto front: ${names}`} d={d} fill="none" stroke="#d97706" strokeWidth={2.5} strokeLinecap="round" strokeLinejoin="round" strokeDasharray={drawn.length === 1 ? undefined : '6 4'} />;
}

export function TradeoffChart() {
  const pareto = useLab((s) => s.summary?.pareto);
  const xAxis = useLab((s) => s.xAxis);
  const selected = useLab((s) => s.selected);
  const hasBench = useLab((s) => s.bench !== null);
  if (!pareto || pareto.points.length === 0) {
    return (
      <section className="panel lab-chart" aria-label="Accuracy vs latency">
        <h3>Accuracy vs latency</h3>
        <p className="muted">{hasBench ? 'Measure accuracy to place the models on the chart.' : 'Run the benchmark (accuracy follows) to see every model as a point of latency against accuracy.'}</p>
      </section>
    );
  }
  const accuracy = pareto.metric === 'accuracy';
  const front = new Set(pareto.front);
  const largest = Math.max(...pareto.points.map((p) => p.bytes), 1);
  const raw = pareto.points.map((p) => ({
    id: p.id,
    name: p.name,
    original: p.original,
    x: xAxis === 'latency' ? p.latencyMs : p.speedup,
    y: accuracy ? p.quality * 100 : p.quality,
    bytes: p.bytes,
    r: Math.max(R_MIN, R_MAX * Math.sqrt(p.bytes / largest)),
    onFront: front.has(p.id),
    label: describe(p, pareto.metric, front.has(p.id)),
  }));
  // Bigger points first, so a smaller one on the same spot is drawn on top and stays clickable.
  raw.sort((a, b) => b.bytes - a.bytes);
  const spanX = Math.max(...raw.map((d) => d.x)) - Math.min(...raw.map((d) => d.x)) || 1;
  const spanY = Math.max(...raw.map((d) => d.y)) - Math.min(...raw.map((d) => d.y)) || 1;
  const near = (a: { x: number; y: number }, b: { x: number; y: number }): boolean => Math.abs(a.x - b.x) < spanX * 0.04 && Math.abs(a.y - b.y) < spanY * 0.04;
  const data: Datum[] = raw.map((d, i) => ({ ...d, labelLine: raw.slice(0, i).filter((o) => near(o, d)).length }));
  const frontData = data.filter((d) => d.onFront).sort((a, b) => a.x - b.x);
  const frontNames = pareto.front.map((id) => data.find((d) => d.id === id)?.name ?? id).join(' → ');
  const xLabel = xAxis === 'latency' ? 'Median latency (ms) — lower is better' : 'Speedup vs original (×) — higher is better';
  const yLabel = accuracy ? 'Accuracy (%)' : 'Cosine similarity to the original';
  return (
    <section className="panel lab-chart" aria-label="Accuracy vs latency">
      <div className="lab-chart-head">
        <h3>Accuracy vs latency</h3>
        <div role="radiogroup" aria-label="X axis" className="lab-toggle">
          <label>
            <input type="radio" name="lab-x-axis" checked={xAxis === 'latency'} onChange={() => setXAxis('latency')} /> Latency
          </label>
          <label>
            <input type="radio" name="lab-x-axis" checked={xAxis === 'speedup'} onChange={() => setXAxis('speedup')} /> Speedup
          </label>
        </div>
      </div>
      <figure id={CHART_ID} className="lab-figure" aria-label="Accuracy vs latency chart">
        <ScatterChart width={WIDTH} height={HEIGHT} margin={{ top: 16, right: 24, bottom: 28, left: 16 }} accessibilityLayer={false}>
          <CartesianGrid stroke="#eef1f5" />
          <XAxis type="number" dataKey="x" domain={['auto', 'auto']} padding={{ left: 36, right: 90 }} fontSize={11} tickFormatter={(v: number) => (xAxis === 'latency' ? ms(v) : `${v.toFixed(2)}×`)}>
            <Label value={xLabel} position="bottom" offset={8} fontSize={12} />
          </XAxis>
          <YAxis type="number" dataKey="y" domain={['auto', 'auto']} padding={{ top: 24, bottom: 24 }} width={64} fontSize={11} tickFormatter={(v: number) => (accuracy ? v.toFixed(1) : v.toFixed(4))}>
            <Label value={yLabel} angle={-90} position="insideLeft" offset={0} fontSize={12} style={{ textAnchor: 'middle' }} />
          </YAxis>
          <Scatter data={frontData} isAnimationActive={false} legendType="none" shape={() => <g />} line={(props: { points?: ReadonlyArray<{ x?: number | null; y?: number | null }> }) => <FrontLine points={props.points} names={frontNames} />} />
          <Scatter data={data} isAnimationActive={false} shape={(props: ShapeProps) => <Point {...props} selected={selected} />} />
        </ScatterChart>
        <figcaption className="muted small">
          Accuracy vs latency of {data.length} model{data.length === 1 ? '' : 's'}: y is {accuracy ? 'the labelled accuracy' : 'the cosine similarity of the outputs to the original’s (no labels)'}, a point’s area follows its file size, the dashed line is the Pareto front ({frontNames}), the ringed point is the original. Click a point to select it.
        </figcaption>
      </figure>
    </section>
  );
}
