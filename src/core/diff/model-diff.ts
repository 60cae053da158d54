/**
 * diffModels: which nodes two versions of a model share, which were added, removed or changed, and —
 * for a float → int8 QDQ conversion — which nodes gained Quantize/Dequantize pairs (issue #3, Compare).
 *
 * The main graphs are matched (match-nodes.ts), then, for every matched pair of nodes carrying
 * subgraphs (If/Loop/Scan), their subgraphs by attribute, recursively. Nodes of unmatched subgraphs
 * are added/removed with their owner. A matched owner whose subgraph differs is 'changed'.
 */
import type { ExternalFiles } from '../onnx/tensor.js';
import type { GraphIR, IRNode, Scope } from '../graph/ir.js';
import { opKey } from '../graph/opsets.js';
import { producerOf } from '../graph/resolve.js';
import { weightBytes } from '../stats/compute-stats.js';
import { matchScopes } from './match-nodes.js';
import { nodeChanges } from './node-changes.js';
import type { ChangedNode, DiffNode, DiffStatus, ModelDiff } from './types.js';

export interface DiffOptions {
  /** External data of each model, for comparing weight bytes stored outside the .onnx files. */
  readonly baseExternal?: ExternalFiles;
  readonly otherExternal?: ExternalFiles;
}

const renameOnly = (changes: readonly string[]): boolean => changes.length === 1 && changes[0]?.startsWith('name: ') === true;

const diffNode = (n: IRNode): DiffNode => ({ id: n.id, opType: opKey(n.domain, n.opType), name: n.name });

const isQ = (n: IRNode): boolean => (n.domain === '' || n.domain === 'com.microsoft') && n.opType === 'QuantizeLinear';
const isDQ = (n: IRNode): boolean => (n.domain === '' || n.domain === 'com.microsoft') && n.opType === 'DequantizeLinear';
/** QOperator-format ops: a node that becomes one of these from a float op was quantized in place. */
const INTEGER_OPS = new Set(['QLinearConv', 'QLinearMatMul', 'ConvInteger', 'MatMulInteger', 'QLinearAdd', 'QLinearMul', 'QGemm', 'DynamicQuantizeMatMul', 'MatMulIntegerToFloat', 'MatMulNBits']);

/**
 * Inputs produced by DequantizeLinear: in the QDQ format a node computes in int8 when its inputs come
 * through DQ (ORT fuses DQ → op → Q into the integer kernel). Only inputs count: the producer of an
 * activation also gains a QuantizeLinear reader, but it stays a float op.
 */
function dequantizedInputs(n: IRNode): number {
  let count = 0;
  for (const name of n.inputs) {
    const p = name ? producerOf(n.scope, name) : undefined;
    if (p && isDQ(p)) count++;
  }
  return count;
}

function opCounts(ir: GraphIR): Map<string, number> {
  const m = new Map<string, number>();
  for (const n of ir.nodes) {
    const k = opKey(n.domain, n.opType);
    m.set(k, (m.get(k) ?? 0) + 1);
  }
  return m;
}

function allNodes(scope: Scope, out: IRNode[] = []): IRNode[] {
  for (const n of scope.nodes) {
    out.push(n);
    for (const s of n.subgraphs) allNodes(s, out);
  }
  return out;
}

/** The part of a subgraph path after its owner's id: 'then_branch', 'attr.1'. */
const subgraphKey = (owner: IRNode, s: Scope): string => (s.path.startsWith(`${owner.id}/`) ? s.path.slice(owner.id.length + 1) : (s.attribute ?? s.path));

export function diffModels(base: GraphIR, other: GraphIR, names: { base: string; other: string }, options: DiffOptions = {}): ModelDiff {
  const toOther = new Map<IRNode, IRNode>();
  const toBase = new Map<IRNode, IRNode>();
  const scopePairs: [Scope, Scope][] = [];
  const removedScopes: Scope[] = [];
  const addedScopes: Scope[] = [];
  const matchedBy: Record<string, number> = {};

  // Match scope by scope, descending into the subgraphs of matched owners.
  const queue: [Scope, Scope][] = base.root && other.root ? [[base.root, other.root]] : [];
  while (queue.length > 0) {
    const [bs, os] = queue.shift() as [Scope, Scope];
    scopePairs.push([bs, os]);
    const m = matchScopes(bs, os);
    for (const s of m.stage.values()) matchedBy[s] = (matchedBy[s] ?? 0) + 1;
    for (const [b, o] of m.toOther) {
      toOther.set(b, o);
      toBase.set(o, b);
      const osubs = new Map(o.subgraphs.map((s) => [subgraphKey(o, s), s]));
      for (const s of b.subgraphs) {
        const partner = osubs.get(subgraphKey(b, s));
        if (partner) {
          queue.push([s, partner]);
          osubs.delete(subgraphKey(b, s));
        } else removedScopes.push(s);
      }
      addedScopes.push(...osubs.values());
    }
    for (const b of bs.nodes) if (!m.toOther.has(b)) removedScopes.push(...b.subgraphs);
    for (const o of os.nodes) if (!m.toBase.has(o)) addedScopes.push(...o.subgraphs);
  }

  const ctx = { partner: (b: IRNode) => toOther.get(b), baseExternal: options.baseExternal, otherExternal: options.otherExternal, compared: new Map() };
  const baseStatus: Record<string, DiffStatus> = {};
  const otherStatus: Record<string, DiffStatus> = {};
  const added: DiffNode[] = [];
  const removed: DiffNode[] = [];
  const changed: ChangedNode[] = [];
  const quantizedNodes: DiffNode[] = [];
  const changesOf = new Map<IRNode, string[]>();
  const renamed: { base: DiffNode; other: DiffNode }[] = [];

  for (const [bs, os] of scopePairs) {
    for (const b of bs.nodes) {
      const o = toOther.get(b);
      if (o) changesOf.set(b, nodeChanges(b, o, ctx));
      else {
        removed.push(diffNode(b));
        baseStatus[b.id] = 'removed';
      }
    }
    for (const o of os.nodes) {
      if (toBase.has(o)) continue;
      added.push(diffNode(o));
      otherStatus[o.id] = 'added';
    }
  }
  for (const s of removedScopes) {
    for (const n of allNodes(s)) {
      removed.push(diffNode(n));
      baseStatus[n.id] = 'removed';
    }
  }
  for (const s of addedScopes) {
    for (const n of allNodes(s)) {
      added.push(diffNode(n));
      otherStatus[n.id] = 'added';
    }
  }

  // A matched owner whose subgraphs differ is changed too; deepest scopes first so the news bubbles up.
  const subgraphNews = (b: IRNode): string[] => {
    const news: string[] = [];
    for (const s of b.subgraphs) {
      let diffCount = 0;
      for (const n of allNodes(s)) {
        const c = changesOf.get(n);
        if (!c || (c.length > 0 && !renameOnly(c))) diffCount++;
      }
      const o = toOther.get(b);
      const partner = o?.subgraphs.find((x) => subgraphKey(o, x) === subgraphKey(b, s));
      if (partner) for (const n of allNodes(partner)) if (!toBase.has(n)) diffCount++;
      if (diffCount > 0) news.push(`subgraph ${subgraphKey(b, s)}: ${diffCount} node${diffCount === 1 ? '' : 's'} differ`);
    }
    return news;
  };

  let sameCount = 0;
  for (const [bs] of scopePairs) {
    for (const b of bs.nodes) {
      const o = toOther.get(b);
      if (!o) continue;
      const changes = [...(changesOf.get(b) ?? []), ...(b.subgraphs.length > 0 ? subgraphNews(b) : [])];
      // A rename alone does not change what the node computes: it stays 'same' and is listed apart.
      const onlyRenamed = renameOnly(changes);
      if (onlyRenamed) renamed.push({ base: diffNode(b), other: diffNode(o) });
      const status: DiffStatus = changes.length > 0 && !onlyRenamed ? 'changed' : 'same';
      baseStatus[b.id] = status;
      otherStatus[o.id] = status;
      if (status === 'same') sameCount++;
      else changed.push({ base: diffNode(b), other: diffNode(o), changes });
      const gainedQdq = !isQ(o) && !isDQ(o) && dequantizedInputs(o) > dequantizedInputs(b);
      const becameInteger = o.domain !== b.domain || o.opType !== b.opType ? INTEGER_OPS.has(o.opType) && !INTEGER_OPS.has(b.opType) : false;
      if (gainedQdq || becameInteger) quantizedNodes.push(diffNode(o));
    }
  }

  const bc = opCounts(base);
  const oc = opCounts(other);
  const opCountDelta: Record<string, number> = {};
  for (const k of [...new Set([...bc.keys(), ...oc.keys()])].sort()) {
    const d = (oc.get(k) ?? 0) - (bc.get(k) ?? 0);
    if (d !== 0) opCountDelta[k] = d;
  }
  const sumBytes = (ir: GraphIR): number => ir.weights.reduce((s, w) => s + weightBytes(w), 0);

  return {
    baseName: names.base,
    otherName: names.other,
    added,
    removed,
    changed,
    sameCount,
    baseStatus,
    otherStatus,
    opCountDelta,
    quantizedNodes,
    parameterBytes: { base: sumBytes(base), other: sumBytes(other) },
    renamed,
    matches: Object.fromEntries([...toOther].map(([b, o]) => [b.id, o.id])),
    matchedBy,
  };
}
