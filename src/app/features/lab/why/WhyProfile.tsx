/**
 * "Profile" of the Why section: where the time goes in one model, per node and per kernel type, which
 * nodes onnxruntime fused into a neighbour or folded, which quantized layers still ran in float (the
 * usual reason an int8 model is not faster), and kernels the runtime added. Show on graph paints the
 * kernel time on the model's graph.
 */
import { useWhy } from './why-store';
import type { ModelProfile } from './why-store';
import { showProfileOnGraph } from './why-actions';
import { profileCounts } from './why-format';
import { pct } from '../lab-format';

/** Rows drawn at most; a 20,000-node model lists its slowest nodes (the graph shows them all). */
const MAX_ROWS = 300;

const us = (x: number | undefined): string => (x === undefined || !Number.isFinite(x) ? '—' : x >= 100 ? x.toFixed(0) : x.toFixed(1));

function measuredWith(p: ModelProfile): string {
  const s = p.settings;
  return `onnxruntime-web ${s.version} (${s.executionProvider}${s.simd ? ', SIMD' : ''}), ${s.numThreads} thread${s.numThreads === 1 ? '' : 's'}, graph optimization ${s.graphOptimizationLevel}`;
}

function statusText(n: ModelProfile['attribution']['nodes'][number]): string {
  if (n.status === 'fused') return n.fusedInto ? `fused into ${n.fusedInto.label} (${n.fusedInto.kernel})` : 'fused';
  if (n.status === 'folded') return 'folded by onnxruntime';
  return n.quantizedButFloat ? 'ran in float (its Q/DQ were not fused)' : 'ran';
}

export function ProfileResult() {
  const profile = useWhy((s) => s.profile);
  const busy = useWhy((s) => s.job !== null);
  if (!profile) return null;
  const { summary, attribution } = profile.result;
  // Slowest first; then the nodes without a kernel of their own, in graph order.
  const ran = attribution.nodes.filter((n) => n.status === 'ran').sort((a, b) => (b.meanUs ?? 0) - (a.meanUs ?? 0));
  const rest = attribution.nodes.filter((n) => n.status !== 'ran');
  const rows = [...ran, ...rest];
  const shown = rows.slice(0, MAX_ROWS);
  return (
    <div className="why-result">
      <p className="small lab-measured">
        <strong>{profile.name}</strong>: {us(summary.kernelUsPerRun)} µs of kernels per run (run span {us(summary.runUs)} µs), measured with {measuredWith(profile.result)}; {profile.note}.
      </p>
      <p className="small" aria-label="Node counts">
        {profileCounts(attribution.counts)}.
      </p>
      <div className="optimize-actions">
        <button type="button" className="button" disabled={busy} onClick={() => void showProfileOnGraph()}>
          Show on graph
        </button>
      </div>
      <div className="lab-table-wrap">
        <table aria-label="Operator profile" className="lab-table">
          <thead>
            <tr>
              <th scope="col">Node</th>
              <th scope="col">Op</th>
              <th scope="col">Kernel</th>
              <th scope="col" className="num">Median µs</th>
              <th scope="col" className="num">Share</th>
              <th scope="col">Status</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((n) => (
              <tr key={n.index}>
                <th scope="row" className="mono">
                  {n.label}
                </th>
                <td>{n.op}</td>
                <td>{n.kernel ?? n.fusedInto?.kernel ?? '—'}</td>
                <td className="num">{n.status === 'ran' ? us(n.meanUs) : '—'}</td>
                <td className="num">{n.status === 'ran' ? pct(n.share, 1) : '—'}</td>
                <td className={n.quantizedButFloat ? 'sev-warning' : undefined}>{statusText(n)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {rows.length > shown.length && <p className="small muted">{rows.length - shown.length} more nodes not listed (the graph overlay shows every node).</p>}
      <div className="lab-table-wrap">
        <table aria-label="Time per kernel type" className="lab-table">
          <thead>
            <tr>
              <th scope="col">Kernel type</th>
              <th scope="col" className="num">µs per run</th>
              <th scope="col" className="num">Share</th>
              <th scope="col" className="num">Nodes</th>
            </tr>
          </thead>
          <tbody>
            {summary.kernels.map((k) => (
              <tr key={k.kernel}>
                <th scope="row">{k.kernel}</th>
                <td className="num">{us(k.meanUs)}</td>
                <td className="num">{pct(k.share, 1)}</td>
                <td className="num">{k.nodes}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {attribution.runtimeKernels.length > 0 ? (
        <div className="small">
          Kernels onnxruntime added (no node of the model; e.g. layout Transposes around int8 regions):
          <ul aria-label="Kernels added by onnxruntime">
            {attribution.runtimeKernels.map((k) => (
              <li key={k.node}>
                <span className="mono">{k.node}</span> {k.kernel}: {us(k.meanUs)} µs ({pct(k.share, 1)})
              </li>
            ))}
          </ul>
        </div>
      ) : (
        <p className="small muted">onnxruntime added no kernels of its own.</p>
      )}
    </div>
  );
}
