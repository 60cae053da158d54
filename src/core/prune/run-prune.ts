/**
 * The loop both unstructured pruning passes share: plan the targets, rank each weight's magnitudes,
 * let the strategy (magnitude or N:M) choose the elements to zero, write new weight bytes into the
 * pass's copy of the model, and report per node — sparsity achieved, gzip size before and after, and
 * the plain truth that dense kernels do not get faster.
 */
import type { Result } from '../errors.js';
import { ok } from '../errors.js';
import type { onnx } from '../onnx/codec.js';
import { cloneModel } from '../transform/graph-edit.js';
import type { NodeDecision, OptionSpecs, PassContext, PassOutcome, PassOptions, SizeEstimate } from '../transform/types.js';
import { throwIfAborted } from '../transform/types.js';
import { gzipSize, kib, percent } from './stats.js';
import type { PruneSettings, WeightGroup } from './targets.js';
import { planPruning, pruneSettings, PRUNABLE_OPS } from './targets.js';
import { floatElementBytes, weightBytesOf, weightMagnitudes, writeZeroed } from './weights.js';

/** Said in every pruning report: unstructured zeros do not make a dense kernel faster. */
/** Which weights a pruning pass touches: the options every pruning pass shares. */
export const PRUNE_SELECTION_OPTIONS: OptionSpecs = {
  opTypes: { kind: 'list', label: 'Op types', description: 'Which ops have their weight input pruned (Conv, Gemm, MatMul).', default: PRUNABLE_OPS.join(','), items: 'op-types' },
  nodesToExclude: { kind: 'list', label: 'Nodes to exclude', description: 'Nodes whose weights stay untouched (e.g. the first conv or the classifier).', default: '', items: 'node-names' },
  minElements: {
    kind: 'number',
    label: 'Minimum weight size',
    description: 'Skip weights with fewer elements than this: tiny layers save little and are often the most sensitive.',
    default: 256,
    min: 0,
    max: 1e9,
    step: 1,
    advanced: true,
  },
};

export const DENSE_SPEED_NOTE =
  'Not faster: dense CPU kernels (onnxruntime-web WASM included) multiply the zeros anyway, and the file keeps its size — what shrinks is the compressed (gzip) size, i.e. the download';

export interface GroupSelection {
  readonly mask: Uint8Array;
  readonly zeroed: number;
}

export interface PruneStrategy {
  readonly passId: string;
  /** N:M needs every reader of a shared weight to sum over the same axis. */
  readonly sameLayoutRequired: boolean;
  /** Called once with all groups before selection (global thresholds); may read magnitudes. */
  readonly prepare?: (groups: readonly WeightGroup[], magnitudes: (g: WeightGroup) => Float32Array | undefined) => void;
  readonly select: (group: WeightGroup, magnitudes: Float32Array) => GroupSelection;
  /** The changed row's reason, after "<sparsity> sparse: ". */
  readonly describe: (group: WeightGroup, selection: GroupSelection) => string;
  /** The summary's first part: "12 weights pruned to 50 % (per layer)". */
  readonly headline: (weights: number, nodes: number, sparsity: number) => string;
  readonly warnings: readonly string[];
}

export function pruneWithStrategy(input: onnx.IModelProto, options: PassOptions, ctx: PassContext, strategy: PruneStrategy): Result<PassOutcome, string> {
  const settings = pruneSettings(options);
  const model = cloneModel(input);
  const plan = planPruning(model, settings, strategy.sameLayoutRequired);
  const cache = new Map<WeightGroup, Float32Array | undefined>();
  const magnitudes = (g: WeightGroup): Float32Array | undefined => {
    if (!cache.has(g)) cache.set(g, weightMagnitudes(g.weight.tensor));
    return cache.get(g);
  };
  strategy.prepare?.(plan.groups, magnitudes);

  const results = new Map<WeightGroup, { readonly selection: GroupSelection; readonly zerosAfter: number } | string>();
  const before: Uint8Array[] = [];
  const after: Uint8Array[] = [];
  let elements = 0;
  let zerosTotal = 0;
  for (const [i, g] of plan.groups.entries()) {
    throwIfAborted(ctx.signal);
    ctx.progress('Pruning weights', i, plan.groups.length);
    const mags = magnitudes(g);
    cache.delete(g); // one weight's magnitudes at a time once selected (memory on big models)
    const bytes = weightBytesOf(g.weight.tensor);
    if (!mags || !bytes || floatElementBytes(g.weight.tensor.dataType ?? 0) === undefined) {
      results.set(g, `weight ${g.weight.name} has no readable data in the model`);
      continue;
    }
    const selection = strategy.select(g, mags);
    let zerosAfter = selection.zeroed;
    for (let k = 0; k < mags.length; k++) if (mags[k] === 0 && !selection.mask[k]) zerosAfter++;
    before.push(bytes);
    if (selection.zeroed > 0) writeZeroed(g.weight.tensor, selection.mask);
    after.push(weightBytesOf(g.weight.tensor) ?? bytes);
    elements += mags.length;
    zerosTotal += zerosAfter;
    results.set(g, { selection, zerosAfter });
  }
  ctx.progress('Pruning weights', plan.groups.length, plan.groups.length);

  throwIfAborted(ctx.signal);
  ctx.progress('Measuring gzip size', 0, 1);
  const gzBefore = before.length ? gzipSize(before) : 0;
  const gzAfter = after.length ? gzipSize(after) : 0;
  ctx.progress('Measuring gzip size', 1, 1);

  const decisions: NodeDecision[] = [];
  const firstReader = new Map<WeightGroup, string>();
  let changed = 0;
  for (const row of plan.rows) {
    if (!('group' in row)) {
      decisions.push({ node: row.label, op: row.op, decision: 'skipped', reason: row.reason });
      continue;
    }
    const r = results.get(row.group);
    if (r === undefined || typeof r === 'string') {
      decisions.push({ node: row.label, op: row.op, decision: 'skipped', reason: r ?? 'not pruned' });
      continue;
    }
    const shared = firstReader.get(row.group);
    if (!shared) firstReader.set(row.group, row.label);
    const sparsity = r.zerosAfter / row.group.count;
    const text = `${percent(sparsity)} sparse: ${strategy.describe(row.group, r.selection)}${shared ? ` (weight shared with ${shared}, pruned once)` : ''}`;
    if (r.selection.zeroed > 0) {
      changed++;
      decisions.push({ node: row.label, op: row.op, decision: 'changed', reason: text });
    } else {
      decisions.push({ node: row.label, op: row.op, decision: 'kept', reason: `nothing to zero — ${text}` });
    }
  }

  const weights = [...results.values()].filter((r) => typeof r !== 'string' && r.selection.zeroed > 0).length;
  const overall = elements ? zerosTotal / elements : 0;
  const gz = gzBefore > 0 ? `; gzip size of the touched weights ${kib(gzBefore)} → ${kib(gzAfter)} (${(gzAfter / gzBefore).toFixed(2)}×, reported as weight bytes before/after)` : '';
  const warnings = [...(changed > 0 ? [DENSE_SPEED_NOTE, ...strategy.warnings] : []), ...unsupportedWarning(settings)];
  return ok({
    model,
    report: {
      pass: strategy.passId,
      summary: `${strategy.headline(weights, changed, overall)}${gz}; ${decisions.length - changed} left alone. ${changed > 0 ? `${DENSE_SPEED_NOTE}.` : ''}`.trim(),
      changedNodes: changed,
      skippedNodes: decisions.length - changed,
      decisions,
      weightBytesBefore: gzBefore,
      weightBytesAfter: gzAfter,
      warnings,
    },
  });
}

function unsupportedWarning(s: PruneSettings): string[] {
  return s.unsupportedOps.length ? [`op types ${s.unsupportedOps.join(', ')} are not pruned by this pass (it prunes Conv, Gemm and MatMul weights)`] : [];
}

/**
 * The estimate before running: raw bytes of the candidate weights, and the bytes of their non-zero
 * payload after pruning (keptFraction × raw). The gzip size the report gives is too costly to compute
 * on every slider move; the non-zero payload is close to it, since float mantissas barely compress
 * while runs of zeros almost vanish.
 */
export function estimatePrune(model: onnx.IModelProto, options: PassOptions, sameLayoutRequired: boolean, keptElements: (g: WeightGroup) => number): SizeEstimate {
  const plan = planPruning(model, pruneSettings(options), sameLayoutRequired);
  let before = 0;
  let after = 0;
  for (const g of plan.groups) {
    const size = floatElementBytes(g.weight.tensor.dataType ?? 0) ?? 0;
    before += g.count * size;
    after += keptElements(g) * size;
  }
  // Zeros take as many bytes as any other value in a dense tensor: the file does not shrink.
  return { weightBytesBefore: before, weightBytesAfter: before, nonZeroBytesAfter: after, nodes: plan.rows.filter((r) => 'group' in r).length };
}
