/** Number formatting for weight statistics and quantization facts. */

/** 4 significant digits; exponent form outside [1e-3, 1e6); '—' for values that could not be computed. */
export function formatStat(v: number | null | undefined): string {
  if (v === null || v === undefined || Number.isNaN(v)) return '—';
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '−∞';
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (Number.isInteger(v) && a < 1e6) return String(v);
  if (a >= 1e-3 && a < 1e6) return String(Number(v.toPrecision(4)));
  return v.toExponential(3);
}

export function formatPercent(fraction: number): string {
  const p = fraction * 100;
  if (p === 0 || p === 100) return `${p}%`;
  return `${p < 0.1 ? p.toPrecision(2) : p.toFixed(1)}%`;
}

/** First values of a list, with the total when it is longer: '0.5, 0.25, … (64 of 128)'. */
export function formatList(values: readonly number[], count: number, shown = 8): string {
  const head = values.slice(0, shown).map(formatStat).join(', ');
  return count > shown ? `${head}, … (${count} values)` : head;
}
