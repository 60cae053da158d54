import { Bar, BarChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { ModelSummary } from '../../../core/model/summary';
import { formatCount, formatSi } from '../../format';

const CHART_TOP = 12;

/** Operator histogram: a chart of the most frequent ops and the full table (with MACs per op type). */
export function OperatorTable({ summary }: { summary: ModelSummary }) {
  const rows = Object.entries(summary.opHistogram).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const chart = rows.slice(0, CHART_TOP).map(([op, count]) => ({ op, count }));
  return (
    <div className="panel">
      <h3 id="ops-title">Operators ({rows.length} types)</h3>
      {chart.length > 0 && (
        <div style={{ height: Math.max(120, chart.length * 22 + 20) }} aria-hidden="true">
          <ResponsiveContainer width="100%" height="100%">
            <BarChart data={chart} layout="vertical" margin={{ left: 10, right: 20, top: 4, bottom: 4 }}>
              <XAxis type="number" allowDecimals={false} fontSize={11} />
              <YAxis type="category" dataKey="op" width={140} fontSize={11} interval={0} />
              <Tooltip />
              <Bar dataKey="count" fill="#1f4e79" isAnimationActive={false} />
            </BarChart>
          </ResponsiveContainer>
        </div>
      )}
      <div className="scroll-table">
        <table aria-labelledby="ops-title">
          <thead>
            <tr>
              <th>Operator</th>
              <th className="num">Nodes</th>
              <th className="num">MACs</th>
            </tr>
          </thead>
          <tbody>
            {rows.map(([op, count]) => {
              const macs = summary.macsByOpType[op];
              return (
                <tr key={op}>
                  <td className="mono">{op}</td>
                  <td className="num">{formatCount(count)}</td>
                  <td className="num">{macs ? formatSi(macs) : ''}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </div>
  );
}
