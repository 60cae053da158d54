/** Number formats of auto-tune's results (the budget's metric as shown in the table and the chart). */
import { pct } from '../lab-format';
import type { TuneReport } from './tune-store';

/** The metric's value as shown: a percentage for accuracy and agreement, six decimals for cosine. */
export function metricText(metric: TuneReport['metric'], value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return '—';
  return metric === 'cosine' ? value.toFixed(6) : pct(value);
}

/** The drop as points (accuracy, agreement) or as 1 − cosine; negative = better than the original. */
export function dropText(metric: TuneReport['metric'], drop: number | undefined): string {
  if (drop === undefined || !Number.isFinite(drop)) return '—';
  if (metric === 'cosine') return drop.toExponential(2);
  const p = drop * 100;
  return `${p > 0 ? '' : p < 0 ? '−' : '±'}${Math.abs(p).toFixed(2)}`;
}
