/**
 * Structured channel pruning: remove whole output channels of Conv layers together with every weight
 * entry that reads or follows them (BatchNormalization parameters, depthwise convs, the next layers'
 * input channels, a classifier's input features), so the model is physically smaller and dense
 * kernels do less work. Ranking is by the L1/L2 norm of the producer filters; no fine-tuning, so
 * accuracy drops with the ratio.
 *
 * Safe first: a channel group the analysis does not fully follow (see prune/channel-groups.ts) is left
 * alone and reported with the reason.
 */
import type { Result } from '../../errors.js';
import { ok } from '../../errors.js';
import type { onnx } from '../../onnx/codec.js';
import { Long } from '../../onnx/codec.js';
import { findAttr } from '../../graph/attributes.js';
import { elementCount, tensorDims } from '../../onnx/tensor.js';
import { analyseModel } from '../../model/summary.js';
import { modelCompute } from '../../stats/model-compute.js';
import type { ChannelGroup } from '../../prune/channel-groups.js';
import { findChannelGroups } from '../../prune/channel-groups.js';
import { foldConstantReshapes } from '../../prune/fold-reshapes.js';
import type { CutPlan, Importance, KeepRule } from '../../prune/channel-rewrite.js';
import { addGroupCuts, applyCuts, channelImportance, cutBytes, keptChannels, leastImportant } from '../../prune/channel-rewrite.js';
import { cloneModel, GraphScope, int64Tensor, NameAllocator, readCounts } from '../graph-edit.js';
import { numberOption, parseList, stringOption } from '../options.js';
import type { ComputeEstimate, NodeDecision, PassContext, PassDefinition, PassOptions, PassOutcome, SizeEstimate } from '../types.js';
import { throwIfAborted } from '../types.js';

export interface GroupPlan {
  readonly group: ChannelGroup;
  /** Channel indices removed (empty: kept or skipped). */
  readonly removed: readonly number[];
  readonly decision: 'changed' | 'kept' | 'skipped';
  readonly reason: string;
}

export interface ChannelPlan {
  readonly groups: readonly GroupPlan[];
  readonly cuts: CutPlan;
}

function settings(options: PassOptions): { rule: KeepRule; importance: Importance; global: boolean; excluded: Set<string> } {
  return {
    rule: { ratio: numberOption(options, 'ratio', 0.3), minChannels: numberOption(options, 'minChannels', 8), roundTo: Math.max(1, Math.round(numberOption(options, 'roundTo', 1))) },
    importance: stringOption(options, 'importance', 'l1') === 'l2' ? 'l2' : 'l1',
    global: stringOption(options, 'scope', 'layer') === 'global',
    excluded: new Set(parseList(options.nodesToExclude)),
  };
}

/** Global scope: channels ranked across groups by importance / the group's mean importance. */
function globalRemovals(candidates: ReadonlyArray<{ readonly group: ChannelGroup; readonly importance: Float64Array }>, ratio: number): Map<ChannelGroup, number> {
  const all: Array<{ readonly group: ChannelGroup; readonly score: number }> = [];
  for (const { group, importance } of candidates) {
    const mean = importance.reduce((s, v) => s + v, 0) / Math.max(1, importance.length) || 1;
    for (const v of importance) all.push({ group, score: v / mean });
  }
  all.sort((a, b) => a.score - b.score);
  const counts = new Map<ChannelGroup, number>();
  for (const { group } of all.slice(0, Math.round(all.length * ratio))) counts.set(group, (counts.get(group) ?? 0) + 1);
  return counts;
}

/**
 * The plan without rewriting (estimate, tests): groups, removed channels, cuts per weight. It first folds
 * constant Unsqueeze/Reshape nodes in `model` (fold-reshapes.ts), so pass a copy (cloneModel).
 */
export function planChannels(model: onnx.IModelProto, options: PassOptions, ctx?: PassContext): ChannelPlan {
  foldConstantReshapes(model);
  const s = settings(options);
  const groups = findChannelGroups(model, s.excluded);
  const candidates: Array<{ readonly group: ChannelGroup; readonly importance: Float64Array }> = [];
  const plans = new Map<ChannelGroup, GroupPlan>();
  for (const [i, group] of groups.entries()) {
    throwIfAborted(ctx?.signal);
    ctx?.progress('Ranking channels', i, groups.length);
    if (group.reason) plans.set(group, { group, removed: [], decision: 'skipped', reason: group.reason });
    else if (group.channels <= s.rule.minChannels) plans.set(group, { group, removed: [], decision: 'kept', reason: `only ${group.channels} channels (minChannels = ${s.rule.minChannels})` });
    else candidates.push({ group, importance: channelImportance(group, s.importance) });
  }
  const globalCounts = s.global ? globalRemovals(candidates, s.rule.ratio) : undefined;
  const cuts: CutPlan = new Map();
  for (const { group, importance } of candidates) {
    const wanted = globalCounts ? (globalCounts.get(group) ?? 0) : Math.round(group.channels * s.rule.ratio);
    const kept = keptChannels(group.channels, wanted, s.rule);
    const joined = group.producers.length > 1 ? `; ${group.producers.length} producers joined by residual/elementwise ops share the channel set` : '';
    if (kept >= group.channels) {
      plans.set(group, { group, removed: [], decision: 'kept', reason: `nothing to remove at this ratio (${group.channels} channels, minChannels ${s.rule.minChannels}, roundTo ${s.rule.roundTo})${joined}` });
      continue;
    }
    const removed = leastImportant(importance, group.channels - kept);
    addGroupCuts(cuts, group, removed, (x) => `${x.reader.name ?? ''}|${(model.graph?.node ?? []).indexOf(x.reader)}#${x.slot}`);
    const tensors = new Set(group.slices.map((x) => x.weight.name)).size;
    plans.set(group, { group, removed, decision: 'changed', reason: `${group.channels} → ${kept} channels (${s.importance}${s.global ? ', global ranking' : ''}); ${tensors} weight tensors cut${joined}` });
  }
  ctx?.progress('Ranking channels', groups.length, groups.length);
  return { groups: groups.map((g) => plans.get(g) as GroupPlan), cuts };
}

function bytesOf(cuts: CutPlan): { before: number; after: number } {
  let before = 0;
  let after = 0;
  for (const { slice, axes } of cuts.values()) {
    const b = cutBytes(slice.weight.tensor, axes);
    before += b.before;
    after += b.after;
  }
  return { before, after };
}

function apply(input: onnx.IModelProto, options: PassOptions, ctx: PassContext): Result<PassOutcome, string> {
  const model = cloneModel(input);
  const plan = planChannels(model, options, ctx);
  const { before, after } = bytesOf(plan.cuts);
  let done = 0;
  const names = new NameAllocator(model);
  const resized = new Map<string, number[]>();
  const graph = model.graph as onnx.IGraphProto;
  for (const { slice, axes } of plan.cuts.values()) {
    throwIfAborted(ctx.signal);
    ctx.progress('Cutting channels', done++, plan.cuts.size);
    if (!slice.private) {
      applyCuts(slice.weight.tensor, axes);
      resized.set(slice.weight.name, tensorDims(slice.weight.tensor));
      continue;
    }
    // A shared (or Identity-aliased) constant: this reader gets its own cut copy; the others keep theirs.
    const copy: onnx.ITensorProto = { ...slice.weight.tensor, name: names.fresh(`${slice.weight.name}_pruned`) };
    applyCuts(copy, axes);
    (graph.initializer ??= []).push(copy);
    (slice.reader.input as string[])[slice.slot] = copy.name as string;
  }
  dropUnread(graph);
  redeclare(graph, resized);
  ctx.progress('Cutting channels', plan.cuts.size, plan.cuts.size);

  const stale = new Set<string>();
  const scope = new GraphScope(graph);
  let flatShape: string | undefined;
  for (const g of plan.groups) {
    if (g.decision !== 'changed') continue;
    for (const t of g.group.tensors) stale.add(t);
    // A depthwise conv's group must equal its (new) channel count (ONNX Conv: C_in = group · W dim 1).
    for (const dw of g.group.depthwise) {
      const attr = findAttr(dw, 'group');
      const w = scope.weight(dw.input?.[1] ?? '')?.tensor;
      if (attr && w) attr.i = Long.fromNumber(tensorDims(w)[0] ?? 0);
    }
    // A flattening Reshape may spell the old C·H·W out; [0, -1] flattens whatever is left (the analysis checked it is a flatten).
    for (const r of g.group.reshapes) {
      if (flatShape === undefined) {
        flatShape = names.fresh('prune_flatten_shape');
        (graph.initializer ??= []).push(int64Tensor(flatShape, [2], [0, -1]));
      }
      (r.input as string[])[1] = flatShape;
    }
  }
  // Shapes recorded for the shrunk activations are now wrong: drop them so runtimes re-infer.
  if (model.graph && stale.size) model.graph.valueInfo = (model.graph.valueInfo ?? []).filter((v) => !stale.has(v.name ?? ''));

  const decisions: NodeDecision[] = plan.groups.map((g) => ({ node: g.group.label, op: 'Conv', decision: g.decision, reason: g.reason }));
  const changed = plan.groups.filter((g) => g.decision === 'changed');
  const total = plan.groups.reduce((s, g) => s + (g.decision === 'skipped' ? 0 : g.group.channels), 0);
  const removed = changed.reduce((s, g) => s + g.removed.length, 0);
  const warnings = changed.length ? ['Channels are removed without fine-tuning: accuracy drops; check it on your data (and fine-tune if you can).'] : [];
  return ok({
    model,
    report: {
      pass: 'prune-channels',
      summary: `${changed.length} channel groups pruned (${removed} of ${total} channels in prunable groups removed); weights ${(before / 1024).toFixed(1)} KiB → ${(after / 1024).toFixed(1)} KiB; ${plan.groups.length - changed.length} groups left alone`,
      changedNodes: changed.length,
      skippedNodes: plan.groups.length - changed.length,
      decisions,
      weightBytesBefore: before,
      weightBytesAfter: after,
      warnings,
    },
  });
}

/**
 * Private copies leave their originals (and the Identity nodes that aliased them) unread: drop
 * Identity nodes nobody reads, then initializers nobody reads (unless also declared as graph inputs).
 */
function dropUnread(graph: onnx.IGraphProto): void {
  const inputs = new Set((graph.input ?? []).map((i) => i.name ?? ''));
  for (let changed = true; changed; ) {
    const reads = readCounts(graph);
    const before = graph.node?.length ?? 0;
    graph.node = (graph.node ?? []).filter((n) => n.opType !== 'Identity' || (n.output ?? []).some((o) => (reads.get(o) ?? 0) > 0));
    changed = graph.node.length !== before;
  }
  const reads = readCounts(graph);
  graph.initializer = (graph.initializer ?? []).filter((t) => (reads.get(t.name ?? '') ?? 0) > 0 || inputs.has(t.name ?? ''));
}

/**
 * Weights cut in place may also be declared with their old shape (as graph inputs, IR < 4 style, or in
 * value_info): ORT rejects a declared dim that differs from the data, so state the new dims.
 */
function redeclare(graph: onnx.IGraphProto, resized: ReadonlyMap<string, readonly number[]>): void {
  if (!resized.size) return;
  graph.valueInfo = (graph.valueInfo ?? []).filter((v) => !resized.has(v.name ?? ''));
  graph.input = (graph.input ?? []).map((v) => {
    const dims = resized.get(v.name ?? '');
    const tt = v.type?.tensorType;
    if (!dims || !tt) return v;
    return { ...v, type: { ...v.type, tensorType: { ...tt, shape: { dim: dims.map((d) => ({ dimValue: Long.fromNumber(d) })) } } } };
  });
}

function estimate(model: onnx.IModelProto, options: PassOptions): SizeEstimate {
  const copy = cloneModel(model);
  const plan = planChannels(copy, options);
  const { before, after } = bytesOf(plan.cuts);
  return { weightBytesBefore: before, weightBytesAfter: after, nodes: plan.groups.filter((g) => g.decision === 'changed').length, compute: planCompute(model, copy, plan) };
}

/** Per constant: how many non-Identity nodes read it (directly or through Identity aliases). */
function weightReaders(model: onnx.IModelProto): Map<onnx.ITensorProto, number> {
  const graph = model.graph ?? {};
  const scope = new GraphScope(graph);
  const alias = new Map<string, string>();
  for (const n of graph.node ?? []) if (n.opType === 'Identity' && n.input?.[0] && n.output?.[0]) alias.set(n.output[0], n.input[0]);
  const out = new Map<onnx.ITensorProto, number>();
  for (const n of graph.node ?? []) {
    if (n.opType === 'Identity') continue;
    for (const input of n.input ?? []) {
      let name = input;
      for (let hops = 0; hops < 8 && !scope.weight(name) && alias.has(name); hops++) name = alias.get(name) as string;
      const t = name ? scope.weight(name)?.tensor : undefined;
      if (t) out.set(t, (out.get(t) ?? 0) + 1);
    }
  }
  return out;
}

/**
 * Parameters and MACs after the plan, without cutting: a MAC-bearing node's count scales with the
 * elements its weight keeps (Conv: out·in/group·k·k per output pixel; Gemm/MatMul: K·N per row — both
 * proportional to the weight's size, the spatial size does not change). Nodes without a cut weight
 * keep their count (elementwise ops between the layers are not MAC-bearing).
 */
function planCompute(original: onnx.IModelProto, model: onnx.IModelProto, plan: ChannelPlan): ComputeEstimate {
  const { ir, stats } = analyseModel(model);
  const shared = new Map<onnx.ITensorProto, number>();
  const own = new Map<onnx.INodeProto, number>();
  let removed = 0;
  const privateReaders = new Map<onnx.ITensorProto, number>();
  for (const { slice, axes } of plan.cuts.values()) {
    const dims = tensorDims(slice.weight.tensor);
    const total = elementCount(dims);
    const kept = elementCount(dims.map((d, a) => d - (axes.get(a)?.size ?? 0)));
    if (slice.private) {
      // A cut copy for this reader (added); the original goes once no other reader is left (below).
      if (slice.slot === 1) own.set(slice.reader, kept / total);
      removed -= kept;
      privateReaders.set(slice.weight.tensor, (privateReaders.get(slice.weight.tensor) ?? 0) + 1);
    } else {
      shared.set(slice.weight.tensor, kept / total);
      removed += total - kept;
    }
  }
  const readers = weightReaders(model);
  for (const [tensor, n] of privateReaders) if ((readers.get(tensor) ?? 0) <= n) removed += elementCount(tensorDims(tensor));
  const scope = new GraphScope(model.graph ?? {});
  let macsAfter = 0;
  stats.nodes.forEach((n, i) => {
    const proto = ir.nodes[i]?.proto;
    const weight = proto?.input?.[1] ? scope.weight(proto.input[1])?.tensor : undefined;
    const ratio = (proto && own.get(proto)) ?? (weight && shared.get(weight)) ?? 1;
    macsAfter += n.macs * ratio;
  });
  // "Before" as the Overview counts the model (the copy's folded Unsqueeze/Reshape change no counts that matter).
  const before = modelCompute(original);
  const macsSaved = (stats.totalMacs ?? 0) - macsAfter;
  return {
    paramsBefore: before.params,
    paramsAfter: before.params - removed,
    ...(before.macs !== undefined ? { macsBefore: before.macs, macsAfter: Math.round(before.macs - macsSaved) } : {}),
  };
}

export const pruneChannelsPass: PassDefinition = {
  id: 'prune-channels',
  label: 'Channel pruning (structured)',
  category: 'prune',
  summary: 'Remove the least important Conv output channels and every weight that depends on them: a smaller model and fewer MACs',
  note: 'Physically removes channels (params, file size and compute fall). Accuracy drops without fine-tuning. Channel groups the analysis cannot follow safely (graph outputs, Reshapes other than a flatten, channel shuffles, grouped convs, LRN, Split, a concatenation joined with another activation) are left alone and listed with the reason.',
  options: {
    ratio: { kind: 'number', label: 'Ratio', description: 'Fraction of the channels removed in each group (0.3 = 30 %).', default: 0.3, min: 0, max: 0.9, step: 0.05, unit: '' },
    importance: {
      kind: 'choice',
      label: 'Importance',
      description: 'How a channel is ranked: the L1 or L2 norm of the filters producing it (summed over joined producers).',
      default: 'l1',
      choices: [
        { value: 'l1', label: 'L1 norm' },
        { value: 'l2', label: 'L2 norm' },
      ],
    },
    scope: {
      kind: 'choice',
      label: 'Ranking',
      description: 'Per layer: every group loses the same fraction. Global: channels ranked across groups (importance relative to the group mean), so some layers lose more.',
      default: 'layer',
      choices: [
        { value: 'layer', label: 'Per layer' },
        { value: 'global', label: 'Global' },
      ],
    },
    minChannels: { kind: 'number', label: 'Minimum channels', description: 'A group never goes below this many channels.', default: 8, min: 1, max: 4096, step: 1 },
    roundTo: {
      kind: 'number',
      label: 'Round kept channels to',
      description: 'Keep a multiple of this many channels (e.g. 4 or 8 suits SIMD kernels).',
      default: 1,
      min: 1,
      max: 64,
      step: 1,
      advanced: true,
    },
    nodesToExclude: { kind: 'list', label: 'Convs to keep', description: 'Producer Conv nodes whose channel groups stay whole (e.g. the first conv).', default: '', items: 'node-names' },
  },
  estimate,
  apply,
};
