/**
 * Pairs the nodes of two versions of one graph (a scope of each model), strongest evidence first:
 *
 *   1. node name, where it is non-empty and unique on both sides (exporters name nodes; optimizers
 *      mostly keep the names of what they do not touch);
 *   2. output tensor names (unnamed nodes, renamed nodes: SSA output names identify the value);
 *   3. op type + input tensor names (the node reads the same values);
 *   4. neighbours: an unmatched node whose input producer (or output consumer) is matched, and whose
 *      partner has exactly one unmatched same-op neighbour at that edge;
 *   5. op type + topological position (relative index in the topological order), nearest first.
 *
 * Each stage only considers nodes still unmatched and only accepts unambiguous (1:1) keys, so a
 * stage never overrides stronger evidence. Linear in nodes and edges except stage 5, which is
 * bounded per op type.
 */
import type { IRNode, Scope } from '../graph/ir.js';
import { opKey } from '../graph/opsets.js';

export interface ScopeMatch {
  /** base node → other node. */
  readonly toOther: Map<IRNode, IRNode>;
  readonly toBase: Map<IRNode, IRNode>;
  /** How each base node was matched (for tests and diagnostics). */
  readonly stage: Map<IRNode, MatchStage>;
}

export type MatchStage = 'name' | 'outputs' | 'inputs' | 'neighbours' | 'position';

/** Above this many candidate pairs for one op type, stage 5 pairs in order instead of nearest-first. */
const MAX_POSITION_PAIRS = 250_000;

export function matchScopes(base: Scope, other: Scope): ScopeMatch {
  const toOther = new Map<IRNode, IRNode>();
  const toBase = new Map<IRNode, IRNode>();
  const stage = new Map<IRNode, MatchStage>();
  const link = (b: IRNode, o: IRNode, s: MatchStage): void => {
    toOther.set(b, o);
    toBase.set(o, b);
    stage.set(b, s);
  };
  const freeBase = (): IRNode[] => base.nodes.filter((n) => !toOther.has(n));
  const freeOther = (): IRNode[] => other.nodes.filter((n) => !toBase.has(n));

  // 1–3: unique keys on both sides.
  const byKey = (s: MatchStage, keys: (n: IRNode) => string[]): void => {
    const bs = uniqueKeys(freeBase(), keys);
    const os = uniqueKeys(freeOther(), keys);
    for (const [key, b] of bs) {
      const o = os.get(key);
      if (o && !toOther.has(b) && !toBase.has(o)) link(b, o, s);
    }
  };
  byKey('name', (n) => (n.name ? [n.name] : []));
  byKey('outputs', (n) => n.outputs.filter((x) => x !== ''));
  byKey('inputs', (n) => [`${opKey(n.domain, n.opType)}(${n.inputs.join(',')})`]);

  matchNeighbours(base, other, toOther, toBase, link);
  matchByPosition(base, other, freeBase(), freeOther(), link);
  return { toOther, toBase, stage };
}

/** key → node for keys that exactly one node has (a node with several keys may win on any). */
function uniqueKeys(nodes: readonly IRNode[], keys: (n: IRNode) => string[]): Map<string, IRNode> {
  const seen = new Map<string, IRNode | null>();
  for (const n of nodes) {
    for (const k of new Set(keys(n))) seen.set(k, seen.has(k) ? null : n);
  }
  const out = new Map<string, IRNode>();
  for (const [k, n] of seen) if (n) out.set(k, n);
  return out;
}

function matchNeighbours(
  base: Scope,
  other: Scope,
  toOther: Map<IRNode, IRNode>,
  toBase: Map<IRNode, IRNode>,
  link: (b: IRNode, o: IRNode, s: MatchStage) => void,
): void {
  const sameOp = (a: IRNode, b: IRNode): boolean => a.opType === b.opType && a.domain === b.domain;
  /** The single unmatched node among `nodes` with b's op, or undefined. */
  const single = (b: IRNode, nodes: readonly IRNode[] | undefined): IRNode | undefined => {
    let found: IRNode | undefined;
    for (const o of nodes ?? []) {
      if (toBase.has(o) || !sameOp(b, o)) continue;
      if (found && found !== o) return undefined;
      found = o;
    }
    return found;
  };
  for (let round = 0; round < 8; round++) {
    let changed = false;
    for (const b of base.order) {
      if (toOther.has(b)) continue;
      let candidate: IRNode | undefined;
      // Forward: through inputs whose producer is matched (or which are the same graph-level value).
      for (const name of b.inputs) {
        if (!name) continue;
        const producer = base.producer.get(name);
        let otherName: string | undefined;
        if (producer) {
          const po = toOther.get(producer);
          if (po) otherName = po.outputs[producer.outputs.indexOf(name)];
        } else if (other.initializers.has(name) || other.inputSet.has(name)) {
          otherName = name;
        }
        if (otherName) candidate = single(b, other.consumers.get(otherName)?.filter((o) => o.scope === other));
        if (candidate) break;
      }
      // Backward: through outputs whose consumers are matched.
      if (!candidate) {
        for (const name of b.outputs) {
          for (const c of base.consumers.get(name) ?? []) {
            const co = toOther.get(c);
            if (!co) continue;
            const k = c.inputs.indexOf(name);
            const otherName = k >= 0 ? co.inputs[k] : undefined;
            const p = otherName ? other.producer.get(otherName) : undefined;
            if (p && !toBase.has(p) && sameOp(b, p)) candidate = p;
            if (candidate) break;
          }
          if (candidate) break;
        }
      }
      if (candidate) {
        link(b, candidate, 'neighbours');
        changed = true;
      }
    }
    if (!changed) break;
  }
}

function matchByPosition(
  base: Scope,
  other: Scope,
  freeBase: readonly IRNode[],
  freeOther: readonly IRNode[],
  link: (b: IRNode, o: IRNode, s: MatchStage) => void,
): void {
  if (freeBase.length === 0 || freeOther.length === 0) return;
  const position = (scope: Scope): Map<IRNode, number> => {
    const m = new Map<IRNode, number>();
    const n = Math.max(1, scope.order.length - 1);
    scope.order.forEach((node, i) => m.set(node, i / n));
    return m;
  };
  const pb = position(base);
  const po = position(other);
  const group = (nodes: readonly IRNode[], pos: Map<IRNode, number>): Map<string, IRNode[]> => {
    const g = new Map<string, IRNode[]>();
    for (const n of [...nodes].sort((a, b) => (pos.get(a) ?? 0) - (pos.get(b) ?? 0))) {
      const k = opKey(n.domain, n.opType);
      const list = g.get(k);
      if (list) list.push(n);
      else g.set(k, [n]);
    }
    return g;
  };
  const gb = group(freeBase, pb);
  const go = group(freeOther, po);
  for (const [op, bs] of gb) {
    const os = go.get(op);
    if (!os) continue;
    if (bs.length * os.length > MAX_POSITION_PAIRS) {
      for (let i = 0; i < Math.min(bs.length, os.length); i++) link(bs[i] as IRNode, os[i] as IRNode, 'position');
      continue;
    }
    const pairs: [number, IRNode, IRNode][] = [];
    for (const b of bs) for (const o of os) pairs.push([Math.abs((pb.get(b) ?? 0) - (po.get(o) ?? 0)), b, o]);
    pairs.sort((x, y) => x[0] - y[0]);
    const usedB = new Set<IRNode>();
    const usedO = new Set<IRNode>();
    for (const [, b, o] of pairs) {
      if (usedB.has(b) || usedO.has(o)) continue;
      usedB.add(b);
      usedO.add(o);
      link(b, o, 'position');
    }
  }
}
