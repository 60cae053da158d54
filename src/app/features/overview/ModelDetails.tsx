import type { ModelSummary } from '../../../core/model/summary';

/** Less-asked facts: model domain/version, metadata properties, local functions. */
export function ModelDetails({ summary }: { summary: ModelSummary }) {
  const hasAny = summary.metadata.length > 0 || summary.functions.count > 0 || summary.modelDomain || summary.modelVersion;
  if (!hasAny) return null;
  return (
    <section className="panel" aria-label="Model details">
      <h3>Model details</h3>
      <dl className="facts">
        {summary.modelDomain && (
          <>
            <dt>Domain</dt>
            <dd className="mono">{summary.modelDomain}</dd>
          </>
        )}
        {summary.modelVersion !== 0 && (
          <>
            <dt>Model version</dt>
            <dd>{summary.modelVersion}</dd>
          </>
        )}
        {summary.functions.count > 0 && (
          <>
            <dt>Functions</dt>
            <dd className="mono">{summary.functions.names.join(', ')}</dd>
          </>
        )}
        {summary.metadata.map((m) => (
          <FragmentRow key={m.key} label={m.key} value={m.value} />
        ))}
      </dl>
    </section>
  );
}

function FragmentRow({ label, value }: { label: string; value: string }) {
  return (
    <>
      <dt className="mono">{label}</dt>
      <dd style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-word' }}>{value.length > 400 ? `${value.slice(0, 400)}…` : value}</dd>
    </>
  );
}
