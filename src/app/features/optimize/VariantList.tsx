/**
 * The variants made so far: name, size against the original, what each pass did (its report summary,
 * changed/skipped counts, warnings), the calibration it ran on, and every node's decision with its
 * reason (expandable). Actions: Download (model + recipe JSON), Open in graph, Compare with original,
 * Delete.
 */
import { useId } from 'react';
import type { PassReport } from '../../../core/transform/types';
import { useStudio } from '../../store';
import { formatBytes, formatCount } from '../../format';
import { backToOriginal, compareVariant, deleteVariant, downloadVariant, openVariantInGraph } from '../../optimize-actions';
import type { Variant } from './optimize-state';
import { measuredComputeText } from './compute-text';

function ratioText(after: number, before: number): string {
  return before > 0 ? `${(after / before).toFixed(2)}×` : '—';
}

function Decisions({ variant }: { variant: Variant }) {
  const rows = variant.reports.flatMap((r) => r.decisions.map((d) => ({ ...d, pass: r.pass })));
  const label = `Decisions for ${variant.name}`;
  if (rows.length === 0) return null;
  return (
    <details className="decisions">
      <summary>
        {label} ({formatCount(rows.length)})
      </summary>
      <div className="scroll-table">
        <table aria-label={label}>
          <thead>
            <tr>
              {variant.reports.length > 1 && <th>Pass</th>}
              <th>Node</th>
              <th>Op</th>
              <th>Decision</th>
              <th>Reason</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((d, i) => (
              <tr key={`${d.pass}:${d.node}:${i}`} className={`decision-${d.decision}`}>
                {variant.reports.length > 1 && <td className="mono">{d.pass}</td>}
                <td className="mono break">{d.node}</td>
                <td className="mono">{d.op}</td>
                <td>{d.decision}</td>
                <td>{d.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}

function ReportLine({ report }: { report: PassReport }) {
  return (
    <li>
      <span className="mono">{report.pass}</span>: {report.summary}{' '}
      <span className="muted">
        ({formatCount(report.changedNodes)} changed, {formatCount(report.skippedNodes)} skipped
        {report.weightBytesBefore > 0 && `; weights ${formatBytes(report.weightBytesBefore)} → ${formatBytes(report.weightBytesAfter)}`})
      </span>
    </li>
  );
}

function VariantItem({ variant }: { variant: Variant }) {
  const headingId = useId();
  const shown = useStudio((s) => s.modelSource?.kind === 'files' && s.modelSource.files[0] === variant.file);
  const running = useStudio((s) => s.optimize.run !== null || s.loading !== null);
  const size = variant.file.size;
  const changed = variant.reports.reduce((n, r) => n + r.changedNodes, 0);
  const skipped = variant.reports.reduce((n, r) => n + r.skippedNodes, 0);
  const warnings = [...new Set([...variant.reports.flatMap((r) => r.warnings), ...variant.calibration.flatMap((c) => c?.warnings ?? [])])];
  return (
    <li className="variant panel" aria-labelledby={headingId}>
      <div className="variant-head">
        <h3 id={headingId} className="variant-name">
          {variant.name}
          {shown && <span className="tag">shown</span>}
        </h3>
        <div className="variant-actions">
          <button type="button" className="button primary" onClick={() => downloadVariant(variant.id)}>
            Download
          </button>
          {shown ? (
            <button type="button" className="button" disabled={running} onClick={() => void backToOriginal(variant.id)}>
              Back to original
            </button>
          ) : (
            <button type="button" className="button" disabled={running} onClick={() => void openVariantInGraph(variant.id)}>
              Open in graph
            </button>
          )}
          <button type="button" className="button" disabled={running} onClick={() => void compareVariant(variant.id)}>
            Compare with original
          </button>
          <button type="button" className="button" aria-label={`Delete ${variant.name}`} onClick={() => deleteVariant(variant.id)}>
            Delete
          </button>
        </div>
      </div>
      <dl className="facts variant-facts">
        <dt>Size</dt>
        <dd>
          <span className="variant-size">{formatBytes(size)}</span> <span className="muted">({formatCount(size)} bytes)</span>, {ratioText(size, variant.origin.bytes)} of{' '}
          <span className="mono">{variant.origin.fileName}</span> ({formatBytes(variant.origin.bytes)})
        </dd>
        {variant.compute && (
          <>
            <dt>Compute</dt>
            <dd className="variant-compute">{measuredComputeText(variant.compute)}</dd>
          </>
        )}
        <dt>Nodes</dt>
        <dd>
          {formatCount(changed)} changed, {formatCount(skipped)} skipped
        </dd>
        {variant.calibration.some((c) => c) && (
          <>
            <dt>Calibration</dt>
            <dd>
              {variant.calibration
                .filter((c) => c !== undefined)
                .map((c) => `${formatCount(c.samples)} samples of ${c.source}`)
                .join('; ')}
            </dd>
          </>
        )}
        <dt>Took</dt>
        <dd>{variant.seconds.toFixed(2)} s</dd>
      </dl>
      {variant.note && <p className="pass-note variant-note">{variant.note}</p>}
      <ul className="variant-reports">
        {variant.reports.map((r, i) => (
          <ReportLine key={`${r.pass}:${i}`} report={r} />
        ))}
      </ul>
      {warnings.length > 0 && (
        <ul className="variant-warnings" aria-label={`Warnings for ${variant.name}`}>
          {warnings.map((w) => (
            <li key={w} className="pass-note warning">
              {w}
            </li>
          ))}
        </ul>
      )}
      <Decisions variant={variant} />
    </li>
  );
}

export function VariantList() {
  const variants = useStudio((s) => s.optimize.variants);
  return (
    <section className="variants" aria-labelledby="variants-heading">
      <h3 id="variants-heading">Variants</h3>
      {variants.length === 0 ? (
        <p className="muted">Each applied recipe becomes a named variant here, to download, open in the graph view, or compare with the original.</p>
      ) : (
        <ul className="variant-list" aria-label="Variants">
          {variants.map((v) => (
            <VariantItem key={v.id} variant={v} />
          ))}
        </ul>
      )}
    </section>
  );
}
