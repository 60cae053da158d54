/**
 * "Benchmark results": per model the figures of issue 6 (size and ±% against the original, session
 * creation, first run, median, p90, p99, min, mean, std, throughput, WebAssembly memory, speedup) under
 * the settings that produced them, then each model's latency histogram and per-run series.
 */
import type { KeyboardEvent } from 'react';
import { Bar, BarChart, CartesianGrid, Line, LineChart, Tooltip, XAxis, YAxis } from 'recharts';
import type { LabRow } from '../../../core/report/lab-report';
import { formatBytes } from '../../format';
import { useLab } from './lab-store';
import type { BenchmarkReport } from './lab-store';
import { selectLabModel } from './lab-actions';
import { ms, signed, times } from './lab-format';

/** "onnxruntime-web 1.30.0 (wasm, SIMD), 2 threads, graph optimization all; …" — as the Markdown export says it. */
export function measuredWith(b: BenchmarkReport): string {
  const e = b.execution;
  const threads = `${e.numThreads} thread${e.numThreads === 1 ? '' : 's'}${b.threadsRequested !== undefined && b.threadsRequested !== e.numThreads ? ` (${b.threadsRequested} requested)` : ''}`;
  const budget = b.budgetMs !== undefined ? `, time budget ${b.budgetMs / 1000} s` : '';
  return `${e.runtime} ${e.version} (wasm${e.simd ? ', SIMD' : ''}${e.crossOriginIsolated ? '' : ', not cross-origin isolated'}), ${threads}, graph optimization ${e.graphOptimizationLevel}; ${b.warmup} warm-up runs, ${b.runs} measured runs${budget} (${b.rounds} interleaved rounds); inputs: ${b.inputs}`;
}

export function rowKeys(id: string) {
  return {
    onClick: () => selectLabModel(id),
    onKeyDown: (e: KeyboardEvent) => {
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        selectLabModel(id);
      }
    },
    tabIndex: 0,
  };
}

function BenchRow({ row, selected }: { row: LabRow; selected: boolean }) {
  const m = row.bench;
  if (!m) return null;
  return (
    <tr className={selected ? 'lab-row selected' : 'lab-row'} aria-current={selected ? 'true' : undefined} {...rowKeys(row.id)}>
      <th scope="row">
        {row.name}
        {row.onParetoFront && <span className="tag lab-front-tag" title="On the Pareto front">front</span>}
      </th>
      <td className="num">
        {formatBytes(row.bytes)}
        {!row.original && <span className="muted small"> ({signed((row.sizeRatio - 1) * 100, 1)} %)</span>}
      </td>
      <td className="num">{ms(m.sessionCreateMs)}</td>
      <td className="num">{ms(m.firstRunMs)}</td>
      <td className="num strong">{ms(m.summary.median)}</td>
      <td className="num">{ms(m.summary.p90)}</td>
      <td className="num">{ms(m.summary.p99)}</td>
      <td className="num">{ms(m.summary.min)}</td>
      <td className="num">{ms(m.summary.mean)}</td>
      <td className="num">{ms(m.summary.std)}</td>
      <td className="num">{Number.isFinite(m.summary.throughput) ? m.summary.throughput.toFixed(1) : '—'}</td>
      <td className="num">{m.wasmMemoryBytes === null ? '—' : formatBytes(m.wasmMemoryBytes)}</td>
      <td className="num" title={`paired (median of per-round ratios): ${times(m.pairedSpeedup)}`}>
        {row.original ? '1.00×' : times(m.speedup)}
      </td>
    </tr>
  );
}

export function BenchResults() {
  const bench = useLab((s) => s.bench);
  const rows = useLab((s) => s.summary?.rows);
  const selected = useLab((s) => s.selected);
  if (!bench || !rows) return null;
  const shown = rows.filter((r) => r.bench);
  return (
    <section className="panel lab-results" aria-label="Latency">
      <h3>Latency</h3>
      <p className="small lab-measured">
        <strong>Measured with</strong> {measuredWith(bench)}. Ratios are against the first model (median / median; the paired ratio in the tooltip cancels drift round by round). The first session a fresh bench worker creates also pays for compiling onnxruntime-web’s WebAssembly.
      </p>
      {bench.warnings.length > 0 && (
        <ul className="variant-warnings">
          {bench.warnings.map((w) => (
            <li key={w} className="pass-note warning">
              {w}
            </li>
          ))}
        </ul>
      )}
      <div className="lab-table-wrap">
        <table aria-label="Benchmark results" className="lab-table">
          <thead>
            <tr>
              <th scope="col">Model</th>
              <th scope="col" className="num">Size</th>
              <th scope="col" className="num">Session creation (ms)</th>
              <th scope="col" className="num">First run (ms)</th>
              <th scope="col" className="num">Median (ms)</th>
              <th scope="col" className="num">p90 (ms)</th>
              <th scope="col" className="num">p99 (ms)</th>
              <th scope="col" className="num">Min (ms)</th>
              <th scope="col" className="num">Mean (ms)</th>
              <th scope="col" className="num">Std (ms)</th>
              <th scope="col" className="num">Throughput (runs/s)</th>
              <th scope="col" className="num">WebAssembly memory</th>
              <th scope="col" className="num">Speedup</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((r) => (
              <BenchRow key={r.id} row={r} selected={selected === r.id} />
            ))}
          </tbody>
        </table>
      </div>
      <LatencyCharts rows={shown} />
    </section>
  );
}

function LatencyCharts({ rows }: { rows: readonly LabRow[] }) {
  return (
    <div className="lab-latency-charts">
      {rows.map((r) => {
        const m = r.bench;
        if (!m) return null;
        const bins = m.summary.histogram.map((b) => ({ from: b.lo, to: b.hi, count: b.count, overflow: b.overflow === true }));
        const series = m.runsMs.map((v, i) => ({ run: i + 1, ms: v }));
        return (
          <figure key={r.id} className="lab-latency" aria-label={`Latency of ${r.name}`}>
            <figcaption className="small">
              <strong>{r.name}</strong> <span className="muted">median {ms(m.summary.median)} ms over {m.runsMs.length} runs</span>
            </figcaption>
            <BarChart width={260} height={110} data={bins} margin={{ top: 4, right: 4, bottom: 0, left: 0 }} barCategoryGap={0}>
              <XAxis dataKey="from" tickFormatter={(v: number) => ms(v)} fontSize={10} minTickGap={20} />
              <YAxis width={30} fontSize={10} allowDecimals={false} />
              <Tooltip formatter={(value) => [String(value), 'runs']} labelFormatter={(_l, payload) => {
                const b = payload?.[0]?.payload as { from: number; to: number; overflow: boolean } | undefined;
                return b ? `${ms(b.from)} … ${ms(b.to)} ms${b.overflow ? ' (far-out runs, beyond Q3 + 3·IQR)' : ''}` : '';
              }} />
              <Bar dataKey="count" fill="#1f4e79" isAnimationActive={false} />
            </BarChart>
            <LineChart width={260} height={90} data={series} margin={{ top: 4, right: 4, bottom: 0, left: 0 }}>
              <CartesianGrid stroke="#eef1f5" />
              <XAxis dataKey="run" fontSize={10} minTickGap={20} />
              <YAxis width={40} fontSize={10} domain={['auto', 'auto']} tickFormatter={(v: number) => (v >= 10 ? v.toFixed(0) : v.toPrecision(2))} />
              <Tooltip formatter={(value) => [`${ms(Number(value))} ms`, 'run']} labelFormatter={(l) => `run ${String(l)}`} />
              <Line dataKey="ms" stroke="#1f4e79" dot={false} strokeWidth={1} isAnimationActive={false} />
            </LineChart>
            <p className="muted small">Histogram of run times (ms) and the runs in measuring order.</p>
          </figure>
        );
      })}
    </div>
  );
}
