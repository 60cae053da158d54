import { useMemo } from 'react';
import { Bar, BarChart, Tooltip, XAxis, YAxis } from 'recharts';
import type { Histogram } from '../../../core/inspect/types';
import { formatCount } from '../../format';
import { formatStat } from './format-value';

interface BinRow {
  readonly from: number;
  readonly to: number;
  readonly count: number;
}

/** A weight's value histogram as a bar chart, in a figure named 'Histogram of <name>'. */
export function WeightHistogram({ name, histogram }: { name: string; histogram: Histogram }) {
  const rows = useMemo<BinRow[]>(
    () => histogram.counts.map((count, i) => ({ from: histogram.edges[i] ?? 0, to: histogram.edges[i + 1] ?? 0, count })),
    [histogram],
  );
  const total = histogram.counts.reduce((a, b) => a + b, 0);
  const peak = rows.reduce((best, r) => (r.count > best.count ? r : best), rows[0] ?? { from: 0, to: 0, count: 0 });
  const first = histogram.edges[0];
  const last = histogram.edges[histogram.edges.length - 1];
  return (
    <figure className="weight-histogram" aria-label={`Histogram of ${name}`}>
      <BarChart width={300} height={110} data={rows} margin={{ top: 4, right: 4, bottom: 0, left: 0 }} barCategoryGap={0}>
        <XAxis dataKey="from" tickFormatter={(v: number) => formatStat(v)} fontSize={10} minTickGap={24} />
        <YAxis width={36} fontSize={10} allowDecimals={false} tickFormatter={(v: number) => (v >= 1000 ? `${Math.round(v / 1000)}k` : String(v))} />
        <Tooltip
          formatter={(value) => [formatCount(Number(value)), 'values']}
          labelFormatter={(_label, payload) => {
            const row = payload?.[0]?.payload as BinRow | undefined;
            return row ? `${formatStat(row.from)} … ${formatStat(row.to)}` : '';
          }}
        />
        <Bar dataKey="count" fill="#1f4e79" isAnimationActive={false} />
      </BarChart>
      <figcaption className="muted">
        {formatCount(total)} values in {rows.length} bin{rows.length === 1 ? '' : 's'} from {formatStat(first)} to {formatStat(last)}; most in{' '}
        {formatStat(peak.from)} … {formatStat(peak.to)} ({formatCount(peak.count)}).
      </figcaption>
    </figure>
  );
}
