/**
 * Tools every transformation uses to edit a model without touching its input: a structural copy
 * (messages copied, tensor bytes shared — ARCHITECTURE.md "zero copy for weights"), weight lookup
 * through initializers and Constant nodes across subgraph scopes, fresh names, opset imports, and
 * tensor builders.
 *
 * Why a structural copy rather than immutable updates: passes rewrite many nodes and inputs at once;
 * copying every message up front (O(nodes), no weight bytes) lets each pass edit its copy in place
 * while the caller's model stays intact for undo and comparison.
 */
import type { onnx } from '../onnx/codec.js';
import { DataType, Long } from '../onnx/codec.js';
import { isConstantOp } from '../graph/constant-node.js';
import { findAttr } from '../graph/attributes.js';
import { normalizeDomain } from '../graph/opsets.js';

function cloneAttribute(a: onnx.IAttributeProto): onnx.IAttributeProto {
  const out: onnx.IAttributeProto = { ...a };
  if (a.t) out.t = { ...a.t };
  if (a.tensors) out.tensors = a.tensors.map((t) => ({ ...t }));
  if (a.g) out.g = cloneGraph(a.g);
  if (a.graphs) out.graphs = a.graphs.map(cloneGraph);
  return out;
}

export function cloneNode(n: onnx.INodeProto): onnx.INodeProto {
  return {
    ...n,
    input: [...(n.input ?? [])],
    output: [...(n.output ?? [])],
    attribute: (n.attribute ?? []).map(cloneAttribute),
  };
}

export function cloneGraph(g: onnx.IGraphProto): onnx.IGraphProto {
  return {
    ...g,
    node: (g.node ?? []).map(cloneNode),
    initializer: (g.initializer ?? []).map((t) => ({ ...t })),
    sparseInitializer: [...(g.sparseInitializer ?? [])],
    input: (g.input ?? []).map((v) => ({ ...v })),
    output: (g.output ?? []).map((v) => ({ ...v })),
    valueInfo: (g.valueInfo ?? []).map((v) => ({ ...v })),
  };
}

/** A copy of every message down to TensorProto level; raw weight bytes are shared, never copied. */
export function cloneModel(model: onnx.IModelProto): onnx.IModelProto {
  return {
    ...model,
    graph: model.graph ? cloneGraph(model.graph) : model.graph,
    opsetImport: (model.opsetImport ?? []).map((o) => ({ ...o })),
    metadataProps: [...(model.metadataProps ?? [])],
  };
}

/** Where a constant tensor lives: an initializer of some graph, or the `value` of a Constant node. */
export interface WeightRef {
  readonly name: string;
  readonly tensor: onnx.ITensorProto;
  readonly kind: 'initializer' | 'constant';
  /** The graph that owns it (an outer graph when a subgraph reads an outer weight). */
  readonly graph: onnx.IGraphProto;
  /** For 'constant': the Constant node. */
  readonly node?: onnx.INodeProto;
}

/**
 * Name resolution inside one graph with its enclosing graphs, following ONNX scoping (IR spec:
 * a subgraph may read any name visible in its outer graphs; inner names shadow outer ones).
 */
export class GraphScope {
  private readonly weights = new Map<string, WeightRef>();
  private readonly produced = new Set<string>();

  constructor(
    readonly graph: onnx.IGraphProto,
    readonly parent?: GraphScope,
    /** '' for the main graph, 'nodeName/attr' segments for subgraphs (used to name report rows). */
    readonly path = '',
  ) {
    for (const t of graph.initializer ?? []) if (t.name) this.weights.set(t.name, { name: t.name, tensor: t, kind: 'initializer', graph });
    const inputs = new Set((graph.input ?? []).map((i) => i.name ?? ''));
    for (const n of graph.node ?? []) {
      for (const o of n.output ?? []) this.produced.add(o);
      if (isConstantOp(n)) {
        const value = findAttr(n, 'value');
        const out = n.output?.[0];
        if (value?.t && out) this.weights.set(out, { name: out, tensor: value.t, kind: 'constant', graph, node: n });
      }
    }
    // A graph input with an initializer of the same name is overridable (IR < 4 models list every
    // initializer as an input); a runtime still uses the initializer unless fed, so it stays a weight.
    for (const name of inputs) if (!this.weights.has(name)) this.produced.add(name);
  }

  /** The constant behind `name`, if it is one (searching outer graphs unless shadowed here). */
  weight(name: string): WeightRef | undefined {
    const own = this.weights.get(name);
    if (own) return own;
    if (this.produced.has(name)) return undefined;
    return this.parent?.weight(name);
  }

  /** Report name of a node: its name, or #index when it has none, prefixed with the subgraph path. */
  nodeLabel(node: onnx.INodeProto): string {
    const idx = (this.graph.node ?? []).indexOf(node);
    const own = node.name ? node.name : `#${idx}`;
    return this.path ? `${this.path}/${own}` : own;
  }
}

/** Calls `visit` for the main graph and then every subgraph (depth first), each with its scope. */
export function walkGraphs(model: onnx.IModelProto, visit: (scope: GraphScope) => void): void {
  if (!model.graph) return;
  const walk = (scope: GraphScope): void => {
    visit(scope);
    for (const n of scope.graph.node ?? []) {
      for (const a of n.attribute ?? []) {
        const prefix = `${n.name || n.opType || 'node'}/${a.name ?? ''}`;
        const base = scope.path ? `${scope.path}/${prefix}` : prefix;
        if (a.g) walk(new GraphScope(a.g, scope, base));
        (a.graphs ?? []).forEach((g, i) => walk(new GraphScope(g, scope, `${base}[${i}]`)));
      }
    }
  };
  walk(new GraphScope(model.graph));
}

/** How many times each name is read in a graph, counting reads by its subgraphs and its outputs. */
export function readCounts(graph: onnx.IGraphProto, out = new Map<string, number>()): Map<string, number> {
  const bump = (name: string): void => {
    if (name) out.set(name, (out.get(name) ?? 0) + 1);
  };
  for (const n of graph.node ?? []) {
    for (const i of n.input ?? []) bump(i);
    for (const a of n.attribute ?? []) {
      if (a.g) readCounts(a.g, out);
      for (const g of a.graphs ?? []) readCounts(g, out);
    }
  }
  for (const o of graph.output ?? []) bump(o.name ?? '');
  return out;
}

/** Generates names no value, node or initializer of the model uses yet. */
export class NameAllocator {
  private readonly used = new Set<string>();

  constructor(model: onnx.IModelProto) {
    const visit = (g: onnx.IGraphProto): void => {
      for (const v of [...(g.input ?? []), ...(g.output ?? []), ...(g.valueInfo ?? [])]) if (v.name) this.used.add(v.name);
      for (const t of g.initializer ?? []) if (t.name) this.used.add(t.name);
      for (const n of g.node ?? []) {
        if (n.name) this.used.add(n.name);
        for (const o of n.output ?? []) this.used.add(o);
        for (const i of n.input ?? []) this.used.add(i);
        for (const a of n.attribute ?? []) {
          if (a.g) visit(a.g);
          for (const sg of a.graphs ?? []) visit(sg);
        }
      }
    };
    if (model.graph) visit(model.graph);
  }

  fresh(base: string): string {
    let name = base;
    for (let i = 1; this.used.has(name); i++) name = `${base}_${i}`;
    this.used.add(name);
    return name;
  }
}

export function opsetVersion(model: onnx.IModelProto, domain = ''): number {
  const want = normalizeDomain(domain);
  for (const o of model.opsetImport ?? []) if (normalizeDomain(o.domain) === want) return Number(o.version ?? 0);
  return 0;
}

/** Adds (or raises to at least `version`) an opset import, e.g. com.microsoft 1 for MatMulNBits. */
export function ensureOpset(model: onnx.IModelProto, domain: string, version: number): void {
  const want = normalizeDomain(domain);
  const list = model.opsetImport ?? (model.opsetImport = []);
  const found = list.find((o) => normalizeDomain(o.domain) === want);
  if (!found) list.push({ domain, version: Long.fromNumber(version) });
  else if (Number(found.version ?? 0) < version) found.version = Long.fromNumber(version);
}

const L = (n: number): Long => Long.fromNumber(n);

function rawTensor(name: string, dataType: number, dims: readonly number[], bytes: Uint8Array): onnx.ITensorProto {
  return { name, dataType, dims: dims.map(L), rawData: bytes };
}

const bytesOf = (a: ArrayBufferView): Uint8Array => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

// Typed arrays are little-endian on every platform browsers and Node run on, which is what raw_data wants.
export const floatTensor = (name: string, dims: readonly number[], values: Float32Array): onnx.ITensorProto => rawTensor(name, DataType.FLOAT, dims, bytesOf(values));
export const float16Tensor = (name: string, dims: readonly number[], bits: Uint16Array): onnx.ITensorProto => rawTensor(name, DataType.FLOAT16, dims, bytesOf(bits));
export const int8Tensor = (name: string, dims: readonly number[], values: Int8Array): onnx.ITensorProto => rawTensor(name, DataType.INT8, dims, bytesOf(values));
export const uint8Tensor = (name: string, dims: readonly number[], values: Uint8Array): onnx.ITensorProto => rawTensor(name, DataType.UINT8, dims, values);
export const int32Tensor = (name: string, dims: readonly number[], values: Int32Array): onnx.ITensorProto => rawTensor(name, DataType.INT32, dims, bytesOf(values));
export const int64Tensor = (name: string, dims: readonly number[], values: readonly number[]): onnx.ITensorProto =>
  rawTensor(name, DataType.INT64, dims, bytesOf(BigInt64Array.from(values, (v) => BigInt(v))));

export function node(opType: string, inputs: readonly string[], outputs: readonly string[], name: string, attributes: onnx.IAttributeProto[] = [], domain = ''): onnx.INodeProto {
  return { opType, input: [...inputs], output: [...outputs], name, attribute: attributes, domain };
}

export const intAttr = (name: string, i: number): onnx.IAttributeProto => ({ name, type: 2, i: L(i) });
export const floatAttr = (name: string, f: number): onnx.IAttributeProto => ({ name, type: 1, f });
export const intsAttr = (name: string, ints: readonly number[]): onnx.IAttributeProto => ({ name, type: 7, ints: ints.map(L) });
