/** Number formatting shared by the views. */
export { bytes as formatBytes } from '../core/report/number-format';

export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}

/** 1.23 G, 456.7 M: for MAC counts. */
export function formatSi(n: number): string {
  const units: [number, string][] = [[1e12, 'T'], [1e9, 'G'], [1e6, 'M'], [1e3, 'k']];
  for (const [scale, suffix] of units) if (n >= scale) return `${(n / scale).toFixed(n / scale < 10 ? 2 : 1)} ${suffix}`;
  return String(n);
}

export type Dim = number | string | null;

export function formatShape(shape: readonly Dim[] | null | undefined): string {
  if (!shape) return 'unknown';
  return `[${shape.map((d) => (d === null ? '?' : String(d))).join(', ')}]`;
}
