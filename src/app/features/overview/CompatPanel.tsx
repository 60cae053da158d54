import { useStudio } from '../../store';

/**
 * The CPU-compatibility report: operators onnxruntime-web's WASM backend could not run (asked of the
 * runtime itself, one probe session per operator signature) and patterns that run slowly on a CPU.
 */
export function CompatPanel() {
  const compat = useStudio((s) => s.compat);
  return (
    <section className="panel" aria-label="CPU compatibility">
      <h3>CPU compatibility</h3>
      {compat.status === 'idle' && <p className="muted">Not checked yet.</p>}
      {compat.status === 'running' && <p className="muted">Asking onnxruntime-web (WASM) about every operator…</p>}
      {compat.status === 'error' && <p className="sev-error">Could not check: {compat.message}</p>}
      {compat.status === 'done' && (
        <>
          <p className="muted" style={{ marginTop: 0 }}>
            onnxruntime-web {compat.runtime.ortVersion}, WASM CPU backend, {compat.runtime.threads} thread
            {compat.runtime.threads === 1 ? '' : 's'}, SIMD {compat.runtime.simd ? 'on' : 'off'}
            {compat.runtime.crossOriginIsolated ? '' : ' (page not cross-origin isolated: 1 thread)'}; {compat.report.signatures} operator
            signatures probed.
          </p>
          {compat.report.unsupported.length === 0 ? (
            <p className="ok-text">onnxruntime-web runs every operator of this model.</p>
          ) : (
            <>
              <p className="sev-error">
                onnxruntime-web cannot run {compat.report.unsupported.length} operator type
                {compat.report.unsupported.length === 1 ? '' : 's'} of this model:
              </p>
              <ul className="issue-list" aria-label="Unsupported operators">
                {compat.report.unsupported.map((u) => (
                  <li key={`${u.domain}.${u.op}`}>
                    <strong className="mono">{u.domain ? `${u.domain}.${u.op}` : u.op}</strong> ({u.nodes} node{u.nodes === 1 ? '' : 's'}): {u.reason}
                  </li>
                ))}
              </ul>
            </>
          )}
          {compat.report.unprobed.length > 0 && (
            <p className="muted">
              Not checked (element types unknown): {compat.report.unprobed.map((u) => u.op).join(', ')}.
            </p>
          )}
          {compat.report.slow.length > 0 && (
            <>
              <h3 style={{ marginTop: 12 }}>Slow on a CPU</h3>
              <ul className="issue-list" aria-label="Slow on a CPU">
                {compat.report.slow.map((s) => (
                  <li key={s.what}>
                    <strong>{s.what}</strong> ({s.nodes} node{s.nodes === 1 ? '' : 's'}): {s.why}
                  </li>
                ))}
              </ul>
            </>
          )}
        </>
      )}
    </section>
  );
}
