/**
 * Pure helpers of the Benchmark tab's "Why" section: which recipe step a sensitivity analysis varies,
 * the profile's counts in words, the per-node columns painted on the graph (kernel time, SQNR), the
 * worst rows of the per-tensor error, and the nodes "Exclude and re-apply" keeps in float. Types only
 * from core and the protocol (the page may not run core or the runtime).
 */
import type { PassStep, Recipe } from '../../../../core/transform/recipe';
import type { ProfileAttribution } from '../../../../core/metrics/profile-attribution';
import type { ResultOf } from '../../../../worker/protocol';

/** The engines' row types, as the protocol declares them (the page may not import the runtime). */
export type ActivationError = ResultOf<'bench/activations'>['tensors'][number];
export type LayerSensitivity = ResultOf<'bench/sensitivity'>['layers'][number];

/** Passes whose layers can be ranked one at a time: they quantize, and leave `nodesToExclude` in float. */
export const QUANTIZATION_PASSES: readonly string[] = ['int8-static', 'int8-dynamic', 'weight-only'];

/** The recipe's quantization step (the last one, when a recipe has several), or undefined. */
export function quantizationStep(recipe: Pick<Recipe, 'steps'>): PassStep | undefined {
  return [...recipe.steps].reverse().find((s) => QUANTIZATION_PASSES.includes(s.pass));
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

/** "12 ran, 19 fused into neighbours, 2 folded; 4 int8 kernels, 0 quantized layers still in float". */
export function profileCounts(counts: ProfileAttribution['counts']): string {
  return `${counts.ran.toLocaleString('en-US')} ran, ${counts.fused.toLocaleString('en-US')} fused into neighbours, ${counts.folded.toLocaleString('en-US')} folded; ${plural(counts.quantizedFused, 'int8 kernel')}, ${plural(counts.quantizedButFloat, 'quantized layer')} still in float`;
}

/** Kernel µs per run by node label; nodes without a kernel of their own (fused, folded) get 0. */
export function kernelTimeColumn(attribution: Pick<ProfileAttribution, 'nodes'>): Map<string, number> {
  return new Map(attribution.nodes.map((n) => [n.label, n.status === 'ran' ? (n.meanUs ?? 0) : 0]));
}

/** SQNR (dB) by producing node label; a node producing several compared tensors gets its worst. */
export function sqnrColumn(tensors: readonly Pick<ActivationError, 'producer' | 'fidelity'>[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const t of tensors) {
    const prev = out.get(t.producer);
    if (prev === undefined || t.fidelity.sqnrDb < prev) out.set(t.producer, t.fidelity.sqnrDb);
  }
  return out;
}

/** Indices of the `k` rows with the lowest finite SQNR: the tensors where the variant departs most. */
export function worstRows(tensors: readonly Pick<ActivationError, 'fidelity'>[], k = 3): Set<number> {
  const finite = tensors.map((t, i) => ({ i, db: t.fidelity.sqnrDb })).filter((r) => Number.isFinite(r.db));
  finite.sort((a, b) => a.db - b.db);
  return new Set(finite.slice(0, Math.max(0, k)).map((r) => r.i));
}

/** The `n` most sensitive layers (the report ranks most sensitive first), by node label. */
export function mostSensitive(layers: readonly Pick<LayerSensitivity, 'node'>[], n: number): string[] {
  return layers.slice(0, Math.max(0, Math.floor(n))).map((l) => l.node);
}

/** `existing` plus the new names not in it yet, order kept. */
export function mergeNames(existing: readonly string[], added: readonly string[]): string[] {
  return [...existing, ...added.filter((a, i) => !existing.includes(a) && added.indexOf(a) === i)];
}
