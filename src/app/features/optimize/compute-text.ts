/**
 * Parameters and MACs in the Optimize panel: the live estimate of a recipe (from the pruning passes'
 * SizeEstimate.compute) and the measured figures of a variant (OptimizeResult.compute).
 *
 * Several steps: every step is estimated on the model as it is now (estimating on an earlier step's
 * output would mean running it). As for the size (worker/handlers/estimate-recipe.ts), each step is
 * taken to scale the counts by its own ratio, independently of the others, so the recipe's figure is
 * the product of the ratios: channel pruning to 0.7× params, then 50 % magnitude pruning → 0.7 × 0.5
 * of the non-zero parameters. Exact for one step; never negative and never double counting for more.
 * Steps without a compute figure (quantization, precision) keep counts and MACs as they are.
 */
import type { ComputeEstimate } from '../../../core/transform/types';
import type { MeasuredModelCompute, RecipeEstimate } from '../../../worker/protocol';

export interface CombinedCompute {
  readonly paramsBefore: number;
  readonly paramsAfter: number;
  /** Present when some step zeroes weights without removing them (magnitude, N:M). */
  readonly nonZeroParamsAfter?: number;
  /** Measured only (estimates do not read weights): the input's own non-zero count; else paramsBefore. */
  readonly nonZeroParamsBefore?: number;
  readonly macsBefore?: number;
  readonly macsAfter?: number;
}

const ratio = (after: number, before: number): number => (before > 0 ? after / before : 1);

/** The recipe's figure from its steps' estimates (product of ratios); undefined when no step has one. */
export function combineCompute(steps: RecipeEstimate['steps']): CombinedCompute | undefined {
  const computes = steps.map((s) => s.estimate?.compute).filter((c): c is ComputeEstimate => c !== undefined);
  const first = computes[0];
  if (!first) return undefined;
  let params = 1;
  let nonZero = 1;
  let macs = 1;
  let sparse = false;
  let macsBefore: number | undefined;
  for (const c of computes) {
    params *= ratio(c.paramsAfter, c.paramsBefore);
    if (c.nonZeroParamsAfter !== undefined) sparse = true;
    nonZero *= ratio(c.nonZeroParamsAfter ?? c.paramsAfter, c.paramsBefore);
    if (c.macsBefore !== undefined && c.macsAfter !== undefined) {
      macsBefore ??= c.macsBefore;
      macs *= ratio(c.macsAfter, c.macsBefore);
    }
  }
  const before = first.paramsBefore;
  return {
    paramsBefore: before,
    paramsAfter: Math.round(before * params),
    ...(sparse ? { nonZeroParamsAfter: Math.round(before * nonZero) } : {}),
    ...(macsBefore !== undefined ? { macsBefore, macsAfter: Math.round(macsBefore * macs) } : {}),
  };
}

/** Three significant digits: "1.23 M", "45.1 M", "861 k", "842". */
export function countText(n: number): string {
  const units: [number, string][] = [[1e12, 'T'], [1e9, 'G'], [1e6, 'M'], [1e3, 'k']];
  for (const [scale, suffix] of units) {
    const v = n / scale;
    if (Math.abs(v) >= 1) return `${v.toFixed(Math.abs(v) < 10 ? 2 : Math.abs(v) < 100 ? 1 : 0)} ${suffix}`;
  }
  return String(Math.round(n));
}

/** "(−30 %)": the change from before to after, whole percent (one decimal below 1 %). */
export function changeText(after: number, before: number): string {
  if (!(before > 0)) return '';
  const p = ((after - before) / before) * 100;
  const size = Math.abs(p);
  const digits = size > 0 && size < 1 ? 1 : 0;
  const sign = p < 0 ? '−' : p > 0 ? '+' : '±';
  return `(${sign}${size.toFixed(digits)} %)`;
}

function fromTo(label: string, before: number, after: number): string {
  return `${label} ${countText(before)} → ${countText(after)} ${changeText(after, before)}`;
}

/**
 * One line: "Parameters 1.23 M → 0.86 M (−30 %) · MACs 45.1 M → 31.0 M (−31 %)", or for
 * unstructured pruning "Non-zero parameters 1.23 M → 0.62 M (−50 %); dense MACs unchanged (45.1 M)".
 */
export function computeText(c: CombinedCompute): string {
  const parts: string[] = [];
  const removed = c.paramsAfter !== c.paramsBefore;
  if (removed) parts.push(fromTo('Parameters', c.paramsBefore, c.paramsAfter));
  const sparse = c.nonZeroParamsAfter !== undefined && c.nonZeroParamsAfter < c.paramsAfter;
  if (sparse && c.nonZeroParamsAfter !== undefined) parts.push(fromTo(removed ? 'non-zero parameters' : 'Non-zero parameters', c.nonZeroParamsBefore ?? c.paramsBefore, c.nonZeroParamsAfter));
  if (!removed && !sparse) parts.push(`Parameters ${countText(c.paramsBefore)} (unchanged)`);
  const params = parts.join(', ');
  if (c.macsBefore === undefined || c.macsAfter === undefined) return `${params}; MACs unknown (shapes not inferred)`;
  if (c.macsAfter !== c.macsBefore) return `${params} · ${fromTo('MACs', c.macsBefore, c.macsAfter)}`;
  return `${params}; ${sparse ? 'dense MACs' : 'MACs'} unchanged (${countText(c.macsBefore)})`;
}

/** The variant's measured counts, in the same words as the estimate. */
export function measuredComputeText(m: MeasuredModelCompute): string {
  return computeText({
    paramsBefore: m.paramsBefore,
    paramsAfter: m.paramsAfter,
    // Non-zero only matters when the recipe made zeros: compare against the zeros the input already had.
    ...(m.nonZeroParamsAfter < m.paramsAfter && m.paramsBefore - m.nonZeroParamsBefore < m.paramsAfter - m.nonZeroParamsAfter
      ? { nonZeroParamsAfter: m.nonZeroParamsAfter, nonZeroParamsBefore: m.nonZeroParamsBefore }
      : {}),
    ...(m.macsBefore !== null && m.macsAfter !== null ? { macsBefore: m.macsBefore, macsAfter: m.macsAfter } : {}),
  });
}
