/**
 * The human form of `studio inspect`: a two-column table a person reads in a terminal. The JSON form is
 * the contract (InspectReport); this one may change freely.
 */
import { formatCount } from '../core/format/kind-errors.js';
import type { InspectTensor, ModelSummary } from '../core/model/summary.js';

/** 23,976 → "23.4 KiB"; exact byte counts stay in --json. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(v < 10 ? 2 : 1)} ${units[u] as string}`;
}

/** 193,000 → "193.0 K", 1.8e9 → "1.80 G" (MACs are estimates; three digits are plenty). */
export function formatMagnitude(n: number): string {
  const steps: Array<[number, string]> = [
    [1e12, 'T'],
    [1e9, 'G'],
    [1e6, 'M'],
    [1e3, 'K'],
  ];
  for (const [size, unit] of steps) if (n >= size) return `${(n / size).toFixed(n / size < 10 ? 2 : 1)} ${unit}`;
  return String(n);
}

function shapeText(t: InspectTensor): string {
  if (t.shape === null) return '(rank unknown)';
  return `[${t.shape.map((d) => (d === null ? '?' : String(d))).join(', ')}]`;
}

function tensorRows(ts: readonly InspectTensor[]): string[] {
  if (ts.length === 0) return ['(none)'];
  const nameWidth = Math.min(40, Math.max(...ts.map((t) => t.name.length)));
  const typeWidth = Math.max(...ts.map((t) => t.dtype.length));
  return ts.map((t) => `${t.name.padEnd(nameWidth)}  ${t.dtype.padEnd(typeWidth)}  ${shapeText(t)}`);
}

/** Histogram as "Conv 12 · Relu 12 · Add 3", most frequent first, ties by name. */
function histogramRows(h: Readonly<Record<string, number>>, perLine = 6): string[] {
  const items = Object.entries(h).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  if (items.length === 0) return ['(none)'];
  const rows: string[] = [];
  for (let i = 0; i < items.length; i += perLine) rows.push(items.slice(i, i + perLine).map(([op, n]) => `${op} ${formatCount(n)}`).join(' · '));
  return rows;
}

export interface FormatOptions {
  readonly fileName: string;
  readonly externalBytes: number;
}

export function formatSummary(s: ModelSummary, o: FormatOptions): string {
  const rows: Array<[string, string[]]> = [];
  const add = (label: string, value: string | string[]): void => {
    rows.push([label, Array.isArray(value) ? value : [value]]);
  };

  const size = o.externalBytes > 0 ? `${formatBytes(s.fileBytes)} + ${formatBytes(o.externalBytes)} external data` : formatBytes(s.fileBytes);
  add('file', `${o.fileName} (${size})`);
  if (s.graphName) add('graph', s.graphName);
  add('producer', [s.producer.name, s.producer.version].filter(Boolean).join(' ') || '(not set)');
  add('IR version', String(s.irVersion));
  add('opsets', Object.entries(s.opsets).map(([d, v]) => `${d} ${v}`).join(', ') || '(none)');
  add('inputs', tensorRows(s.inputs));
  add('outputs', tensorRows(s.outputs));
  const sub = s.subgraphCount > 0 ? ` (${formatCount(s.subgraphCount)} subgraphs included)` : '';
  add('nodes', `${formatCount(s.nodeCount)}${sub}`);
  add('operators', histogramRows(s.opHistogram));
  add('parameters', `${formatCount(s.parameterCount)} in ${formatCount(s.weightCount)} tensors, ${formatBytes(s.weightBytes)}`);
  const byDtype = Object.entries(s.bytesByDtype).map(([dtype, t]) => `${dtype} ${formatCount(t.elements)} (${formatBytes(t.bytes)})`);
  if (byDtype.length > 0) add('by dtype', byDtype);
  // macNodes were computed, unknownMacNodes could not be (shapes unknown): together, the MAC-bearing nodes.
  const macBearing = s.macNodes + s.unknownMacNodes;
  if (s.macs === null) {
    add('MACs', macBearing > 0 ? `unknown (shapes of all ${formatCount(macBearing)} MAC-bearing nodes unknown)` : '(no MAC-bearing nodes)');
  } else {
    const symbols = s.macAssumedSymbols;
    const shown = symbols.length > 3 ? `${symbols.slice(0, 3).join(', ')}, … (${symbols.length} symbols)` : symbols.join(', ');
    const notes = [formatCount(s.macs), ...(symbols.length > 0 ? [`taking ${shown} = 1`] : []), ...(s.unknownMacNodes > 0 ? [`${formatCount(s.unknownMacNodes)} of ${formatCount(macBearing)} MAC-bearing nodes unknown`] : [])];
    add('MACs', `${formatMagnitude(s.macs)} (${notes.join('; ')})`);
  }
  if (s.functions.count > 0) add('functions', s.functions.names.join(', '));
  const errors = s.issues.filter((i) => i.severity === 'error').length;
  const issueRows = s.issues.map((i) => `${i.severity}: ${i.message}`);
  add('issues', issueRows.length === 0 ? ['none'] : [`${errors} errors, ${s.issues.length - errors} warnings`, ...issueRows]);

  const width = Math.max(...rows.map(([label]) => label.length));
  const lines: string[] = [];
  for (const [label, values] of rows) values.forEach((v, i) => lines.push(`${(i === 0 ? label : '').padEnd(width)}  ${v}`));
  return lines.join('\n');
}
