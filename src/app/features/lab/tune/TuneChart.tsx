/**
 * Auto-tune's own small chart: each measured recipe a point of speedup (x, paired against the original)
 * and the budget's metric (y), the original at 1×, the engine's speed/metric Pareto front as a line, the
 * chosen recipe ringed. Kept apart from the lab's "Accuracy vs latency" chart, whose points are the
 * models in the model list (a recipe here is not a model until "Add as variant").
 */
import { CartesianGrid, Label, ReferenceLine, Scatter, ScatterChart, XAxis, YAxis } from 'recharts';
import type { TuneReport } from './tune-store';
import { metricText } from './tune-format';

const WIDTH = 480;
const HEIGHT = 260;

interface Datum {
  readonly name: string;
  readonly x: number;
  readonly y: number;
  readonly kind: 'original' | 'chosen' | 'front' | 'other';
  readonly within: boolean;
  readonly label: string;
}

interface ShapeProps {
  readonly cx?: number;
  readonly cy?: number;
  readonly payload?: Datum;
}

const FILL: Record<Datum['kind'], string> = { original: '#5d6878', chosen: '#1f4e79', front: '#1f4e79', other: '#8aa4bf' };

function Dot({ cx, cy, payload }: ShapeProps) {
  if (cx === undefined || cy === undefined || !payload) return <g />;
  return (
    <g role="img" aria-label={payload.label}>
      {payload.kind === 'chosen' && <circle cx={cx} cy={cy} r={10} fill="none" stroke="#ffb000" strokeWidth={3} />}
      {payload.kind === 'original' && <circle cx={cx} cy={cy} r={9} fill="none" stroke="#1b2330" strokeWidth={1.5} strokeDasharray="3 2" />}
      <circle cx={cx} cy={cy} r={5} fill={FILL[payload.kind]} fillOpacity={payload.within || payload.kind === 'original' ? 0.9 : 0.4} stroke="#ffffff" />
    </g>
  );
}

function FrontLine({ points }: { points?: ReadonlyArray<{ x?: number | null; y?: number | null }> }) {
  const drawn = (points ?? []).filter((p): p is { x: number; y: number } => typeof p.x === 'number' && typeof p.y === 'number');
  if (drawn.length === 0) return <g />;
  const d = drawn.map((p, i) => `${i === 0 ? 'M' : 'L'}${p.x.toFixed(1)},${p.y.toFixed(1)}`).join(' ') + (drawn.length === 1 ? ' l0.01,0' : '');
  return <path d={d} fill="none" stroke="#d97706" strokeWidth={2} strokeLinecap="round" strokeDasharray={drawn.length === 1 ? undefined : '6 4'} />;
}

export function TuneChart({ report }: { report: TuneReport }) {
  const scale = report.metric === 'cosine' ? 1 : 100;
  const measured = report.candidates.filter((c) => !c.error && c.speedup !== undefined && c.metric !== undefined && Number.isFinite(c.metric) && Number.isFinite(c.speedup));
  if (measured.length === 0) return null;
  const data: Datum[] = [
    {
      name: 'Original',
      x: 1,
      y: report.original.metric * scale,
      kind: 'original',
      within: true,
      label: `Original: 1.00× speed, ${metricText(report.metric, report.original.metric)}`,
    },
    ...measured.map((c): Datum => {
      const kind: Datum['kind'] = c.name === report.best ? 'chosen' : c.onPareto ? 'front' : 'other';
      return {
        name: c.name,
        x: c.speedup as number,
        y: (c.metric as number) * scale,
        kind,
        within: c.withinBudget,
        label: `${c.name}: ${(c.speedup as number).toFixed(2)}× speed, ${metricText(report.metric, c.metric)}, ${c.withinBudget ? 'within' : 'over'} budget${c.onPareto ? ', on the Pareto front' : ''}${kind === 'chosen' ? ', chosen' : ''}`,
      };
    }),
  ];
  const front = data.filter((d) => measured.find((c) => c.name === d.name)?.onPareto).sort((a, b) => a.x - b.x);
  const floor = report.metric === 'cosine' ? (1 - report.budget.maxDrop) * scale : (report.original.metric - report.budget.maxDrop) * scale;
  const yName = report.metric === 'accuracy' ? 'Accuracy (%)' : report.metric === 'top1-agreement' ? 'Top-1 agreement (%)' : 'Cosine';
  return (
    <figure className="lab-figure tune-figure" aria-label="Auto-tune chart">
      <ScatterChart width={WIDTH} height={HEIGHT} margin={{ top: 12, right: 20, bottom: 24, left: 8 }} accessibilityLayer={false}>
        <CartesianGrid stroke="#eef1f5" />
        <XAxis type="number" dataKey="x" domain={['auto', 'auto']} padding={{ left: 20, right: 20 }} fontSize={11} tickFormatter={(v: number) => `${v.toFixed(2)}×`}>
          <Label value="Speedup vs original (×)" position="bottom" offset={6} fontSize={11} />
        </XAxis>
        <YAxis type="number" dataKey="y" domain={['auto', 'auto']} padding={{ top: 16, bottom: 16 }} width={60} fontSize={11} tickFormatter={(v: number) => (scale === 1 ? v.toFixed(4) : v.toFixed(1))}>
          <Label value={yName} angle={-90} position="insideLeft" offset={0} fontSize={11} style={{ textAnchor: 'middle' }} />
        </YAxis>
        <ReferenceLine y={floor} stroke="#b42318" strokeDasharray="4 3" ifOverflow="extendDomain" label={{ value: 'budget', position: 'insideBottomLeft', fontSize: 10, fill: '#b42318' }} />
        <Scatter data={front} isAnimationActive={false} legendType="none" shape={() => <g />} line={(props: { points?: ReadonlyArray<{ x?: number | null; y?: number | null }> }) => <FrontLine points={props.points} />} />
        <Scatter data={data} isAnimationActive={false} shape={(props: ShapeProps) => <Dot {...props} />} />
      </ScatterChart>
      <figcaption className="muted small">
        Each recipe measured by auto-tune: speedup against the original (x) and {yName.toLowerCase()} (y). The dashed red line is the budget, the dashed orange line the Pareto front, the ringed point the chosen recipe; faded points are over budget.
      </figcaption>
    </figure>
  );
}
