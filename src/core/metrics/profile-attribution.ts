/**
 * A profile, read against the model it ran: which of the model's nodes ran as which kernel, which ORT
 * fused into a neighbour (Relu into FusedConv; a QDQ group into QLinearConv) or folded away, which
 * quantized layers still ran in float (their DequantizeLinear ran as its own kernel — the usual reason
 * an int8 model is not faster), and which kernels ORT added itself (layout Transposes, reorders).
 *
 * ORT names kernels after the model's nodes (its layout pass adds `_token_<k>` to the ones it rewrites),
 * so nodes need names: profile the copy `nameNodes` makes,
 * where an unnamed node is called by its report label (`#<index>`, GraphScope.nodeLabel). Main graph only.
 */
import type { onnx } from '../onnx/codec.js';
import { cloneModel } from '../transform/graph-edit.js';
import type { ProfileSummary } from './profile.js';

/** A copy whose unnamed main-graph nodes are named `#<index>` (as reports call them). */
export function nameNodes(model: onnx.IModelProto): onnx.IModelProto {
  const copy = cloneModel(model);
  const graph = copy.graph;
  if (!graph) return copy;
  const taken = new Set((graph.node ?? []).map((n) => n.name ?? '').filter(Boolean));
  graph.node = (graph.node ?? []).map((n, i) => {
    if (n.name) return n;
    let name = `#${i}`;
    while (taken.has(name)) name = `${name}_`;
    taken.add(name);
    return { ...n, name };
  });
  return copy;
}

export type NodeRunStatus =
  /** Ran as its own op (possibly a fused kernel named after it: see `kernel`). */
  | 'ran'
  /** No kernel of its own: ORT fused it into a neighbour that ran as another kernel. */
  | 'fused'
  /** No kernel and no fused neighbour: constant-folded or removed by ORT's optimisations. */
  | 'folded';

export interface NodeProfile {
  readonly index: number;
  readonly label: string;
  readonly op: string;
  readonly status: NodeRunStatus;
  /** Kernel it ran as (status 'ran'): equal to `op` unless ORT fused others into it. */
  readonly kernel?: string;
  readonly meanUs?: number;
  readonly share?: number;
  /** Status 'fused': the neighbour that absorbed it, and that neighbour's kernel. */
  readonly fusedInto?: { readonly label: string; readonly kernel: string };
  /**
   * Ran in float although its inputs are dequantized int8 (a QDQ group ORT did not fuse): the
   * DequantizeLinear nodes ran as kernels of their own.
   */
  readonly quantizedButFloat?: boolean;
}

export interface ProfileAttribution {
  readonly nodes: readonly NodeProfile[];
  /** Kernels that match no node of the model: added by ORT (layout Transposes, reorders …). */
  readonly runtimeKernels: ReadonlyArray<{ readonly node: string; readonly kernel: string; readonly meanUs: number; readonly share: number }>;
  /** Counts for the summary line. */
  readonly counts: { readonly ran: number; readonly fused: number; readonly folded: number; readonly quantizedFused: number; readonly quantizedButFloat: number };
}

const label = (n: onnx.INodeProto, i: number): string => n.name || `#${i}`;
/** Kernels that are int8 compute: a QDQ group ORT fused. */
const INT8_KERNEL = /^(QLinear|QGemm|MatMulInteger|ConvInteger|DynamicQuantize|MatMulNBits)/;

export function attributeProfile(model: onnx.IModelProto, profile: ProfileSummary): ProfileAttribution {
  const nodes = model.graph?.node ?? [];
  // Kernels under their model node's name: ORT's layout pass (NHWC for int8) renames the nodes it
  // rewrites to `<name>_token_<k>`; several kernels of one node add up.
  const times = new Map<string, { kernel: string; meanUs: number; share: number }>();
  const modelNames = new Set(nodes.map((n, i) => label(n, i)));
  const owner = (kernelNode: string): string => {
    const base = kernelNode.replace(/(_token_\d+)+$/, '');
    return modelNames.has(base) ? base : kernelNode;
  };
  for (const t of profile.nodes) {
    const key = owner(t.node);
    const prev = times.get(key);
    times.set(key, prev ? { kernel: prev.meanUs >= t.meanUs ? prev.kernel : t.kernel, meanUs: prev.meanUs + t.meanUs, share: prev.share + t.share } : { kernel: t.kernel, meanUs: t.meanUs, share: t.share });
  }
  const producer = new Map<string, number>();
  const consumers = new Map<string, number[]>();
  nodes.forEach((n, i) => {
    for (const o of n.output ?? []) if (o) producer.set(o, i);
    for (const input of n.input ?? []) if (input) consumers.set(input, [...(consumers.get(input) ?? []), i]);
  });
  const neighbours = (i: number): number[] => {
    const n = nodes[i] as onnx.INodeProto;
    const out = new Set<number>();
    for (const input of n.input ?? []) {
      const p = producer.get(input);
      if (p !== undefined) out.add(p);
    }
    for (const o of n.output ?? []) for (const c of consumers.get(o) ?? []) out.add(c);
    return [...out];
  };
  const ran = (i: number): boolean => times.has(label(nodes[i] as onnx.INodeProto, i));
  const result: NodeProfile[] = nodes.map((n, i) => {
    const name = label(n, i);
    const op = n.opType ?? '';
    const t = times.get(name);
    if (t) {
      const floatAfterDq = (n.input ?? []).some((input) => {
        const p = producer.get(input);
        return p !== undefined && nodes[p]?.opType === 'DequantizeLinear' && ran(p);
      });
      return { index: i, label: name, op, status: 'ran', kernel: t.kernel, meanUs: t.meanUs, share: t.share, ...(floatAfterDq && !INT8_KERNEL.test(t.kernel) ? { quantizedButFloat: true } : {}) };
    }
    // A fused neighbour ran as a kernel other than its own op (FusedConv, QLinearConv …).
    for (const j of neighbours(i)) {
      const nb = nodes[j] as onnx.INodeProto;
      const nt = times.get(label(nb, j));
      if (nt && nt.kernel !== nb.opType) return { index: i, label: name, op, status: 'fused', fusedInto: { label: label(nb, j), kernel: nt.kernel } };
    }
    return { index: i, label: name, op, status: 'folded' };
  });
  const runtimeKernels = profile.nodes.filter((t) => !modelNames.has(owner(t.node))).map((t) => ({ node: t.node, kernel: t.kernel, meanUs: t.meanUs, share: t.share }));
  const counts = {
    ran: result.filter((r) => r.status === 'ran').length,
    fused: result.filter((r) => r.status === 'fused').length,
    folded: result.filter((r) => r.status === 'folded').length,
    quantizedFused: result.filter((r) => r.status === 'ran' && r.kernel !== undefined && INT8_KERNEL.test(r.kernel)).length,
    quantizedButFloat: result.filter((r) => r.quantizedButFloat).length,
  };
  return { nodes: result, runtimeKernels, counts };
}
