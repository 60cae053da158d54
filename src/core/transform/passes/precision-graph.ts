/**
 * Graph plumbing shared by the precision passes: element types of every value (declared, inferred,
 * propagated), renaming a value across a graph and its subgraphs, Cast nodes, the readers of every
 * weight, and rewriting ValueInfo element types without touching the input model's messages.
 */
import type { onnx } from '../../onnx/codec.js';
import { inferShapes } from '../../shape/index.js';
import { collectValueTypes } from '../../compat/value-types.js';
import type { GraphScope, WeightRef } from '../graph-edit.js';
import { intAttr, node, walkGraphs } from '../graph-edit.js';
import { parseList } from '../options.js';
import type { PassOptions } from '../types.js';

/**
 * Element type of every value by name, original model. Shape inference first, then the model's
 * declarations and a forward propagation from the operator specs for whatever it left unknown.
 * Value names are unique across a model and its subgraphs in practice (ONNX IR: a subgraph may not
 * redefine an outer name), so one map serves every scope.
 */
export function valueTypes(model: onnx.IModelProto): Map<string, number> {
  const inferred = new Map<string, number>();
  try {
    for (const [name, info] of inferShapes(model)) if (info.dtype) inferred.set(name, info.dtype);
  } catch {
    // Inference is best effort; the declarations and propagation below still give most types.
  }
  return collectValueTypes(model, inferred).types;
}

/** A Cast node (ONNX Cast: `to` is a TensorProto.DataType code). */
export const castNode = (input: string, output: string, to: number, name: string): onnx.INodeProto => node('Cast', [input], [output], name, [intAttr('to', to)]);

/** Replaces every read of `from` by `to` in `graph` and the subgraphs it holds (their outputs included, not `graph`'s own). */
export function renameReads(graph: onnx.IGraphProto, from: string, to: string): void {
  for (const n of graph.node ?? []) {
    const ins = n.input ?? [];
    for (let i = 0; i < ins.length; i++) if (ins[i] === from) ins[i] = to;
    for (const a of n.attribute ?? []) {
      for (const g of [...(a.g ? [a.g] : []), ...(a.graphs ?? [])]) {
        renameReads(g, from, to);
        // A subgraph may return an outer value directly: that output is a read too.
        for (const o of g.output ?? []) if (o.name === from) o.name = to;
      }
    }
  }
}

/**
 * Renames a value everywhere it is produced or read in `graph` (and its subgraphs), including an
 * initializer and value_info of that name, but not the graph's own output list: used to put a Cast
 * between an internal value and a graph output that must keep its public name.
 */
export function renameValue(graph: onnx.IGraphProto, from: string, to: string): void {
  renameReads(graph, from, to);
  for (const n of graph.node ?? []) {
    const outs = n.output ?? [];
    for (let i = 0; i < outs.length; i++) if (outs[i] === from) outs[i] = to;
  }
  for (const t of graph.initializer ?? []) if (t.name === from) t.name = to;
  for (const vi of graph.valueInfo ?? []) if (vi.name === from) vi.name = to;
}

/** Sets a ValueInfo's element type, replacing (never mutating) its type messages, which the input model may share. */
export function setElemType(vi: onnx.IValueInfoProto, elemType: number): void {
  const tt = vi.type?.tensorType;
  if (!vi.type || !tt || tt.elemType === elemType) return;
  vi.type = { ...vi.type, tensorType: { ...tt, elemType } };
}

/** Every ValueInfo of every graph (inputs, outputs, value_info), main graph first. */
export function forEachValueInfo(model: onnx.IModelProto, visit: (vi: onnx.IValueInfoProto, graph: onnx.IGraphProto, role: 'input' | 'output' | 'value', isMain: boolean) => void): void {
  walkGraphs(model, (scope) => {
    const g = scope.graph;
    const isMain = scope.parent === undefined;
    for (const vi of g.input ?? []) visit(vi, g, 'input', isMain);
    for (const vi of g.output ?? []) visit(vi, g, 'output', isMain);
    for (const vi of g.valueInfo ?? []) visit(vi, g, 'value', isMain);
  });
}

export interface WeightReader {
  readonly node: onnx.INodeProto;
  readonly scope: GraphScope;
  readonly index: number;
}

export interface WeightUse {
  readonly ref: WeightRef;
  readonly readers: WeightReader[];
  /** Some graph lists it as an output (then its type is part of the interface). */
  isGraphOutput: boolean;
}

/** Every weight (initializer or Constant value) that some node or graph output reads, with its readers. */
export function weightUses(model: onnx.IModelProto): Map<onnx.ITensorProto, WeightUse> {
  const uses = new Map<onnx.ITensorProto, WeightUse>();
  const use = (ref: WeightRef): WeightUse => {
    let u = uses.get(ref.tensor);
    if (!u) uses.set(ref.tensor, (u = { ref, readers: [], isGraphOutput: false }));
    return u;
  };
  walkGraphs(model, (scope) => {
    for (const n of scope.graph.node ?? []) {
      (n.input ?? []).forEach((name, index) => {
        const ref = name ? scope.weight(name) : undefined;
        if (ref) use(ref).readers.push({ node: n, scope, index });
      });
    }
    for (const o of scope.graph.output ?? []) {
      const ref = o.name ? scope.weight(o.name) : undefined;
      if (ref) use(ref).isGraphOutput = true;
    }
  });
  return uses;
}

/** Block lists as the passes read them: op types, and node names or report labels. */
export interface BlockLists {
  readonly ops: ReadonlySet<string>;
  readonly nodes: ReadonlySet<string>;
}

export function blockLists(options: PassOptions): BlockLists {
  return { ops: new Set(parseList(options.opBlockList)), nodes: new Set(parseList(options.nodeBlockList)) };
}

/** Why the user's lists keep this node as it is, or undefined. */
export function userBlockReason(n: onnx.INodeProto, scope: GraphScope, lists: BlockLists, opReason?: (op: string) => string | undefined): string | undefined {
  if ((n.name && lists.nodes.has(n.name)) || lists.nodes.has(scope.nodeLabel(n))) return 'in the node block list';
  const op = n.opType ?? '';
  if (lists.ops.has(op)) return `${op} is in the op block list${opReason?.(op) ? `: ${opReason(op) ?? ''}` : ''}`;
  return undefined;
}
