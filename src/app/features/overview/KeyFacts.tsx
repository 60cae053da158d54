import type { ModelSummary } from '../../../core/model/summary';
import { formatBytes, formatCount, formatSi } from '../../format';

function opsetText(opsets: Record<string, number>): string {
  return Object.entries(opsets)
    .map(([d, v]) => `${d} ${v}`)
    .join(', ');
}

/** The headline numbers. MACs say what they assume (symbolic dims counted as 1). */
export function KeyFacts({ summary }: { summary: ModelSummary }) {
  const macsNote =
    summary.macs === null
      ? 'shapes unknown'
      : [
          summary.macAssumedSymbols.length ? `per 1 × ${summary.macAssumedSymbols.join(', ')}` : '',
          summary.unknownMacNodes ? `${summary.unknownMacNodes} of ${summary.macNodes} nodes unknown` : '',
        ]
          .filter(Boolean)
          .join('; ');
  const facts: [string, string, string?][] = [
    ['Nodes', formatCount(summary.nodeCount), summary.subgraphCount ? `incl. ${summary.subgraphCount} subgraph(s)` : undefined],
    ['Parameters', formatCount(summary.parameterCount)],
    ['Weights', formatBytes(summary.weightBytes), `${formatCount(summary.weightCount)} tensors`],
    ['File size', formatBytes(summary.fileBytes)],
    ['MACs', summary.macs === null ? '—' : formatSi(summary.macs), macsNote || undefined],
    ['IR version', String(summary.irVersion)],
    ['Opsets', opsetText(summary.opsets) || '—'],
    ['Producer', [summary.producer.name, summary.producer.version].filter(Boolean).join(' ') || '—'],
  ];
  return (
    <section aria-label="Key facts" className="cards">
      {facts.map(([label, value, note]) => (
        <dl className="card" key={label}>
          <dt>{label}</dt>
          <dd>{value}</dd>
          {note && <dd className="muted" style={{ fontSize: 12, fontWeight: 400 }}>{note}</dd>}
        </dl>
      ))}
    </section>
  );
}
