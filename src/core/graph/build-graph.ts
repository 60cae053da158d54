/**
 * buildGraph: index a decoded model into scopes, nodes, producers/consumers, weights and a
 * topological order. Linear in the number of nodes and values; no tensor data is read.
 */
import type { onnx } from '../onnx/codec.js';
import { tensorDims, elementCount } from '../onnx/tensor.js';
import { toNumber } from '../onnx/codec.js';
import { graphAttributes } from './attributes.js';
import { constantPayload } from './constant-node.js';
import type { DuplicateWrite, GraphIR, IRNode, Scope, Weight } from './ir.js';
import { normalizeDomain, opsetMap } from './opsets.js';
import { topologicalOrder } from './topo-order.js';

export function buildGraph(model: onnx.IModelProto): GraphIR {
  const scopes: Scope[] = [];
  const root = model.graph ? buildScope(model.graph, undefined, undefined, undefined, '', scopes) : undefined;
  const nodes: IRNode[] = [];
  const nodeById = new Map<string, IRNode>();
  const weights: Weight[] = [];
  for (const s of scopes) {
    for (const n of s.nodes) {
      nodes.push(n);
      nodeById.set(n.id, n);
    }
    for (const w of s.weights.values()) weights.push(w);
  }
  return { model, root, scopes, nodes, nodeById, weights, opsets: opsetMap(model.opsetImport) };
}

interface MutableNode extends IRNode {
  subgraphs: Scope[];
  implicitInputs: string[];
}

// Most nodes have no subgraphs: they share these (never mutated) instead of allocating two arrays each.
const NO_SCOPES: Scope[] = [];
const NO_NAMES: string[] = [];

function buildScope(
  graph: onnx.IGraphProto,
  parent: Scope | undefined,
  owner: IRNode | undefined,
  attribute: string | undefined,
  path: string,
  all: Scope[],
): Scope {
  const inputs = (graph.input ?? []).map((v) => v.name ?? '');
  const scope: Scope = {
    path,
    graph,
    parent,
    owner,
    attribute,
    depth: parent ? parent.depth + 1 : 0,
    nodes: [],
    order: [],
    cyclic: [],
    inputs,
    inputSet: new Set(inputs),
    outputs: (graph.output ?? []).map((v) => v.name ?? ''),
    initializers: new Map(),
    sparseInitializers: new Map(),
    valueInfo: new Map(),
    producer: new Map(),
    duplicates: [],
    consumers: new Map(),
    freeVariables: [],
    children: [],
    weights: new Map(),
  };
  all.push(scope);

  for (const t of graph.initializer ?? []) {
    const name = t.name ?? '';
    if (!scope.initializers.has(name)) scope.initializers.set(name, t);
  }
  // A sparse initializer is named by its values tensor (onnx.proto, SparseTensorProto.values).
  for (const sp of graph.sparseInitializer ?? []) {
    const name = sp.values?.name ?? '';
    if (!scope.sparseInitializers.has(name)) scope.sparseInitializers.set(name, sp);
  }
  for (const list of [graph.input, graph.output, graph.valueInfo]) {
    for (const vi of list ?? []) {
      const name = vi.name ?? '';
      if (!scope.valueInfo.has(name)) scope.valueInfo.set(name, vi);
    }
  }

  // Nodes first, then their subgraphs (a child's path needs its owner's id).
  const protos = graph.node ?? [];
  for (let i = 0; i < protos.length; i++) {
    const proto = protos[i] as onnx.INodeProto;
    const node: MutableNode = {
      id: path ? `${path}/${i}` : String(i),
      index: i,
      scope,
      proto,
      opType: proto.opType ?? '',
      domain: normalizeDomain(proto.domain),
      name: proto.name ?? '',
      inputs: proto.input ?? [],
      outputs: proto.output ?? [],
      subgraphs: NO_SCOPES,
      implicitInputs: NO_NAMES,
    };
    scope.nodes.push(node);
  }
  for (const node of scope.nodes as MutableNode[]) {
    const attrs = graphAttributes(node.proto);
    if (attrs.length === 0) continue;
    const free = new Set<string>();
    node.subgraphs = [];
    for (const ga of attrs) {
      const label = ga.index === undefined ? ga.name : `${ga.name}.${ga.index}`;
      const child = buildScope(ga.graph, scope, node, ga.name, `${node.id}/${label}`, all);
      node.subgraphs.push(child);
      scope.children.push(child);
      for (const v of child.freeVariables) free.add(v);
    }
    node.implicitInputs = [...free];
  }

  const local = indexProducers(scope);
  const deps = indexReads(scope, local);
  collectWeights(scope);
  orderNodes(scope, deps);
  return scope;
}

/** What defines a name within one scope: a node, or the graph's inputs/initializers. */
type LocalDefinition = IRNode | 'initializer' | 'input';

function indexProducers(scope: Scope): Map<string, LocalDefinition> {
  const local = new Map<string, LocalDefinition>();
  for (const name of scope.initializers.keys()) local.set(name, 'initializer');
  for (const name of scope.sparseInitializers.keys()) local.set(name, 'initializer');
  for (const name of scope.inputs) if (name && !local.has(name)) local.set(name, 'input');
  const duplicates = scope.duplicates as DuplicateWrite[];
  for (const node of scope.nodes) {
    for (const out of node.outputs) {
      if (!out) continue;
      const first = local.get(out);
      if (first === undefined) {
        local.set(out, node);
        scope.producer.set(out, node);
      } else {
        duplicates.push({ name: out, node, first: typeof first === 'string' ? { kind: first } : { kind: 'node', node: first } });
      }
    }
  }
  return local;
}

/** Producer → consumer pairs, flattened: [from0, to0, from1, to1, …]. */
type DepPairs = number[];

/**
 * One pass over every read: consumers, free variables (names resolved in enclosing scopes) and the
 * dependency pairs for ordering, so each read costs one lookup of the local definitions.
 */
function indexReads(scope: Scope, local: Map<string, LocalDefinition>): DepPairs {
  const free = new Set<string>();
  const deps: DepPairs = [];
  const read = (name: string, node: IRNode): void => {
    let list = scope.consumers.get(name);
    if (!list) scope.consumers.set(name, (list = []));
    if (list[list.length - 1] !== node) list.push(node);
    const def = local.get(name);
    if (def === undefined) free.add(name);
    else if (typeof def !== 'string') deps.push(def.index, node.index);
  };
  for (const node of scope.nodes) {
    for (const inp of node.inputs) if (inp) read(inp, node);
    for (const inp of node.implicitInputs) read(inp, node);
  }
  // A subgraph may return a value of an enclosing scope directly.
  for (const out of scope.outputs) if (out && !local.has(out)) free.add(out);
  (scope.freeVariables as string[]).push(...free);
  return deps;
}

function collectWeights(scope: Scope): void {
  for (const [name, t] of scope.initializers) {
    const dims = tensorDims(t);
    scope.weights.set(name, { name, kind: 'initializer', scope, node: undefined, dtype: t.dataType ?? 0, dims, elements: elementCount(dims), tensor: t, sparse: undefined });
  }
  for (const [name, sp] of scope.sparseInitializers) {
    if (scope.weights.has(name)) continue;
    scope.weights.set(name, sparseWeight(name, sp, scope, undefined));
  }
  for (const node of scope.nodes) {
    const name = node.outputs[0];
    if (!name || scope.weights.has(name) || node.opType !== 'Constant') continue;
    const payload = constantPayload(node.proto);
    if (!payload) continue;
    if (payload.kind === 'sparse') {
      scope.weights.set(name, sparseWeight(name, payload.sparse, scope, node));
    } else {
      const dims = tensorDims(payload.tensor);
      scope.weights.set(name, { name, kind: 'constant', scope, node, dtype: payload.tensor.dataType ?? 0, dims, elements: elementCount(dims), tensor: payload.tensor, sparse: undefined });
    }
  }
}

function sparseWeight(name: string, sp: onnx.ISparseTensorProto, scope: Scope, node: IRNode | undefined): Weight {
  const values = sp.values ?? undefined;
  return {
    name,
    kind: node ? 'constant' : 'sparse-initializer',
    scope,
    node,
    dtype: values?.dataType ?? 0,
    dims: (sp.dims ?? []).map((d) => toNumber(d)),
    elements: values ? elementCount(tensorDims(values)) : 0,
    tensor: undefined,
    sparse: sp,
  };
}

function orderNodes(scope: Scope, deps: DepPairs): void {
  // Edges producer → consumer in compressed sparse rows, to keep 100k-node graphs cheap.
  const n = scope.nodes.length;
  const offsets = new Int32Array(n + 1);
  for (let k = 0; k < deps.length; k += 2) {
    const from = deps[k] as number;
    offsets[from + 1] = (offsets[from + 1] as number) + 1;
  }
  for (let i = 0; i < n; i++) offsets[i + 1] = (offsets[i + 1] as number) + (offsets[i] as number);
  const targets = new Int32Array(deps.length / 2);
  const fill = offsets.slice(0, n);
  for (let k = 0; k < deps.length; k += 2) {
    const from = deps[k] as number;
    const at = fill[from] as number;
    targets[at] = deps[k + 1] as number;
    fill[from] = at + 1;
  }
  const { order, cyclic } = topologicalOrder(n, { offsets, targets });
  scope.order = order.map((i) => scope.nodes[i] as IRNode);
  scope.cyclic = cyclic.map((i) => scope.nodes[i] as IRNode);
}
