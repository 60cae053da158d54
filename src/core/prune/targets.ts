/**
 * Which weights the unstructured pruning passes may zero, and why the others are left alone.
 *
 * A target is the constant weight input of a Conv (W), Gemm (B) or MatMul (B) — initializer or
 * Constant node, in the main graph or any subgraph (GraphScope resolves outer-scope names). Biases
 * (Conv's B, Gemm's C) are never targets: they are few, and zeroing one shifts every output of its
 * channel. A weight read by anything else (another op, an excluded node, a graph output) is left
 * alone, so every reader of a shared tensor keeps seeing the values it expects.
 */
import type { onnx } from '../onnx/codec.js';
import { attrInt } from '../graph/attributes.js';
import { elementCount, tensorDims } from '../onnx/tensor.js';
import type { GraphScope, WeightRef } from '../transform/graph-edit.js';
import { walkGraphs } from '../transform/graph-edit.js';
import { numberOption, parseList } from '../transform/options.js';
import type { PassOptions } from '../transform/types.js';
import { unprunableReason } from './weights.js';

export const PRUNABLE_OPS: readonly string[] = ['Conv', 'Gemm', 'MatMul'];

/**
 * How a weight's elements line up along its reduction axis (the axis a dot product sums over):
 * element (o, k, i) is stored at (o·K + k)·inner + i, for o < outer, k < K, i < inner. Each (o, i)
 * is one output's line of K weights.
 * - Conv W [Cout, Cin/group, k…]: outer = Cout, K = Cin/group·Πk (contiguous, im2col order), inner = 1.
 * - MatMul B [batch…, K, N]: outer = Πbatch, inner = N (one column per output).
 * - Gemm B [K, N] (transB = 0): outer = 1, inner = N; B [N, K] (transB = 1): outer = N, inner = 1.
 */
export interface ReductionLayout {
  readonly outer: number;
  readonly K: number;
  readonly inner: number;
  /** For report rows: "Cin·kh·kw = 144 per output channel". */
  readonly axis: string;
}

export const sameLayout = (a: ReductionLayout, b: ReductionLayout): boolean => a.outer === b.outer && a.K === b.K && a.inner === b.inner;

export interface PruneSettings {
  readonly opTypes: ReadonlySet<string>;
  readonly excluded: ReadonlySet<string>;
  readonly minElements: number;
  /** Op types the user listed that these passes do not prune (reported as a warning). */
  readonly unsupportedOps: readonly string[];
}

export function pruneSettings(options: PassOptions): PruneSettings {
  const listed = parseList(options.opTypes ?? PRUNABLE_OPS.join(','));
  return {
    opTypes: new Set(listed.filter((op) => PRUNABLE_OPS.includes(op))),
    excluded: new Set(parseList(options.nodesToExclude)),
    minElements: numberOption(options, 'minElements', 256),
    unsupportedOps: listed.filter((op) => !PRUNABLE_OPS.includes(op)),
  };
}

/** One node whose weight input is pruned. */
export interface PruneReader {
  readonly label: string;
  readonly op: string;
  readonly node: onnx.INodeProto;
  readonly scope: GraphScope;
  readonly layout: ReductionLayout;
}

/** One weight tensor to prune (once), with every node that reads it. */
export interface WeightGroup {
  readonly weight: WeightRef;
  readonly count: number;
  /** The first reader's layout (all readers agree when the plan was made with sameLayoutRequired). */
  readonly layout: ReductionLayout;
  readonly readers: PruneReader[];
}

/** A candidate node in graph order: pruned through `group`, or skipped for `reason`. */
export type PlanRow = { readonly label: string; readonly op: string; readonly group: WeightGroup } | { readonly label: string; readonly op: string; readonly reason: string };

export interface PrunePlan {
  readonly rows: readonly PlanRow[];
  readonly groups: readonly WeightGroup[];
}

const product = (dims: readonly number[]): number => elementCount(dims);

type Layout = { readonly ok: true; readonly layout: ReductionLayout } | { readonly ok: false; readonly reason: string };

function layoutOf(node: onnx.INodeProto, dims: readonly number[]): Layout {
  const op = node.opType ?? '';
  if (op === 'Conv') {
    if (dims.length < 3) return { ok: false, reason: `Conv weight has rank ${dims.length}; expected [Cout, Cin/group, k…]` };
    const K = product(dims.slice(1));
    const kernel = dims.slice(2).join('×');
    return { ok: true, layout: { outer: dims[0] as number, K, inner: 1, axis: `Cin/group·k (${dims[1] as number}·${kernel} = ${K}) per output channel` } };
  }
  if (op === 'MatMul') {
    if (dims.length < 2) return { ok: false, reason: 'MatMul weight is a 1-D vector (bias-like): not pruned' };
    const K = dims[dims.length - 2] as number;
    const N = dims[dims.length - 1] as number;
    return { ok: true, layout: { outer: product(dims.slice(0, -2)), K, inner: N, axis: `K = ${K} per output column` } };
  }
  // Gemm: Y = alpha·A'·B' + beta·C with B' = transB ? Bᵀ : B (ONNX Gemm spec); transA does not touch B.
  if (dims.length !== 2) return { ok: false, reason: `Gemm weight has rank ${dims.length}; expected 2` };
  const [d0, d1] = dims as [number, number];
  if (attrInt(node, 'transB', 0) !== 0) return { ok: true, layout: { outer: d0, K: d1, inner: 1, axis: `K = ${d1} per output row (transB=1)` } };
  return { ok: true, layout: { outer: 1, K: d0, inner: d1, axis: `K = ${d0} per output column` } };
}

function isExcluded(excluded: ReadonlySet<string>, scope: GraphScope, node: onnx.INodeProto): boolean {
  return (node.name ? excluded.has(node.name) : false) || excluded.has(scope.nodeLabel(node));
}

interface Read {
  readonly who: string;
  /** The candidate reading it as its weight input, when this read is one the pass would prune. */
  readonly reader?: PruneReader;
}

/**
 * Every node of the selected op types in every graph, with what the pass would do to it. With
 * `sameLayoutRequired` (N:M), a weight shared by readers that sum over different axes is skipped.
 */
export function planPruning(model: onnx.IModelProto, s: PruneSettings, sameLayoutRequired: boolean): PrunePlan {
  const order: Array<{ readonly label: string; readonly op: string; readonly tensor?: onnx.ITensorProto; readonly reason?: string }> = [];
  const reads = new Map<onnx.ITensorProto, Read[]>();
  const weights = new Map<onnx.ITensorProto, WeightRef>();
  const addRead = (ref: WeightRef, read: Read): void => {
    weights.set(ref.tensor, ref);
    const list = reads.get(ref.tensor) ?? [];
    list.push(read);
    reads.set(ref.tensor, list);
  };

  walkGraphs(model, (scope) => {
    for (const n of scope.graph.node ?? []) {
      const op = n.opType ?? '';
      const label = scope.nodeLabel(n);
      const standard = !n.domain || n.domain === 'ai.onnx';
      let candidate: PruneReader | undefined;
      if (standard && s.opTypes.has(op)) {
        const wName = n.input?.[1] ?? '';
        const ref = scope.weight(wName);
        let reason: string | undefined;
        if (isExcluded(s.excluded, scope, n)) reason = 'excluded by nodesToExclude';
        else if (!ref) reason = `weight input ${wName || '(none)'} is computed by the graph, not a constant`;
        else reason = unprunableReason(wName, ref.tensor);
        let layout: ReductionLayout | undefined;
        if (!reason && ref) {
          const dims = tensorDims(ref.tensor);
          const count = product(dims);
          const l = layoutOf(n, dims);
          if (!l.ok) reason = l.reason;
          else if (count < s.minElements) reason = `weight has ${count} elements, fewer than minElements=${s.minElements} (tiny layers save little)`;
          else layout = l.layout;
        }
        if (ref && layout) candidate = { label, op, node: n, scope, layout };
        order.push({ label, op, tensor: candidate ? ref?.tensor : undefined, reason });
      }
      // Record every read of every constant, so a weight also read elsewhere is recognised as shared.
      (n.input ?? []).forEach((name, slot) => {
        const ref = name ? scope.weight(name) : undefined;
        if (!ref) return;
        addRead(ref, { who: `${label} (${op} input ${slot})`, reader: slot === 1 ? candidate : undefined });
      });
    }
    for (const o of scope.graph.output ?? []) {
      const ref = o.name ? scope.weight(o.name) : undefined;
      if (ref) addRead(ref, { who: `graph output ${o.name ?? ''}` });
    }
  });

  const groups = new Map<onnx.ITensorProto, WeightGroup | string>();
  for (const [tensor, list] of reads) {
    const readers = list.flatMap((r) => (r.reader ? [r.reader] : []));
    if (readers.length === 0) continue;
    const other = list.find((r) => !r.reader);
    const weight = weights.get(tensor) as WeightRef;
    const first = readers[0] as PruneReader;
    if (other) {
      groups.set(tensor, `weight ${weight.name} is also read by ${other.who}, which must keep its values`);
    } else if (sameLayoutRequired && readers.some((r) => !sameLayout(r.layout, first.layout))) {
      groups.set(tensor, `weight ${weight.name} is shared by nodes that sum over different axes`);
    } else {
      groups.set(tensor, { weight, count: product(tensorDims(tensor)), layout: first.layout, readers });
    }
  }

  const rows: PlanRow[] = order.map((r) => {
    if (!r.tensor) return { label: r.label, op: r.op, reason: r.reason ?? 'not prunable' };
    const g = groups.get(r.tensor);
    if (g === undefined) return { label: r.label, op: r.op, reason: 'not prunable' };
    return typeof g === 'string' ? { label: r.label, op: r.op, reason: g } : { label: r.label, op: r.op, group: g };
  });
  const kept = [...groups.values()].filter((g): g is WeightGroup => typeof g !== 'string');
  return { rows, groups: kept };
}
