/**
 * buildViewGraph: one scope of the IR as a drawable graph (types.ts) — boxes for graph inputs, ops and
 * graph outputs; weights as lines inside their consumers; edges labelled with inferred tensor types.
 *
 * Node order: graph inputs (declaration order), values read from enclosing scopes ('outer: x'), ops in
 * topological order, graph outputs. Every step is one pass over nodes or edges with a few Map lookups
 * each (the IR's name maps); `npm run bench:layout` times it next to the layout.
 */
import { opKey } from '../graph/opsets.js';
import type { GraphIR, IRNode, Scope } from '../graph/ir.js';
import { resolveWeight } from '../graph/resolve.js';
import type { ShapeMap } from '../shape/types.js';
import type { ModelStats, NodeStats } from '../stats/compute-stats.js';
import { attributeLine } from './attribute-line.js';
import { breadcrumb } from './breadcrumb.js';
import type { FoldedValue } from './fold-constants.js';
import { ConstantFolding } from './fold-constants.js';
import { tensorTypeText, weightLine } from './format-text.js';
import { nodeHeight, nodeWidth } from './node-size.js';
import { inputLabel } from './op-inputs.js';
import type { ViewGraph } from './types.js';
import { NodeKind } from './types.js';

/** Lines inside a box, attributes and weights together (types.ts: at most 4). */
export const MAX_NODE_LINES = 4;

const NONE: readonly string[] = [];

class ViewBuilder {
  readonly ids: string[] = [];
  readonly kinds: number[] = [];
  readonly titles: string[] = [];
  readonly names: string[] = [];
  readonly lines: (readonly string[])[] = [];
  readonly subgraphs: (readonly string[])[] = [];
  readonly lineTensors: (readonly string[])[] = [];
  readonly foldedIds: (readonly string[])[] = [];
  readonly params: number[] = [];
  readonly macs: number[] = [];
  /** View node of each graph input and outer value, by name. */
  readonly inputs = new Map<string, number>();

  add(id: string, kind: NodeKind, title: string, name: string, lines: readonly string[]): number {
    const i = this.ids.length;
    this.ids.push(id);
    this.kinds.push(kind);
    this.titles.push(title);
    this.names.push(name);
    this.lines.push(lines);
    this.subgraphs.push(NONE);
    this.lineTensors.push(NONE);
    this.foldedIds.push(NONE);
    this.params.push(NaN);
    this.macs.push(NaN);
    return i;
  }
}

export function buildViewGraph(ir: GraphIR, shapes: ShapeMap, stats: ModelStats, scopePath: string): ViewGraph {
  const scope = ir.scopes.find((s) => s.path === scopePath);
  if (!scope) throw new RangeError(`buildViewGraph: the model has no graph scope '${scopePath}'`);
  const folding = new ConstantFolding(scope, shapes);
  const b = new ViewBuilder();
  const typeText = (name: string): string => tensorTypeText(shapes.get(name));

  // Graph inputs that are not initializers (IR < 4 lists every weight as an input too).
  for (const name of scope.inputs) {
    if (!name || b.inputs.has(name) || scope.initializers.has(name) || scope.sparseInitializers.has(name)) continue;
    const text = typeText(name);
    b.inputs.set(name, b.add(`input:${name}`, NodeKind.Input, name, text, text ? [text] : NONE));
  }
  // Values this scope reads from enclosing ones (weights among them are drawn as lines instead).
  for (const name of scope.freeVariables) {
    if (b.inputs.has(name) || resolveWeight(scope, name)) continue;
    const text = typeText(name);
    // In the main graph a free variable is a name nothing defines (validation reports it).
    const title = scope.parent ? `outer: ${name}` : `missing: ${name}`;
    b.inputs.set(name, b.add(`input:${name}`, NodeKind.Input, title, text, text ? [text] : NONE));
  }

  const statsOf = statsLookup(ir, stats, scope);
  const opNodes: IRNode[] = [];
  const firstOp = b.ids.length;
  // View index of each IR node of the scope (−1: folded); with scope.producer this finds any edge's source.
  const viewIndex = new Int32Array(scope.nodes.length).fill(-1);
  for (const node of scope.order) {
    if (folding.folded[node.index] === 1) continue;
    viewIndex[node.index] = addOp(b, node, folding, statsOf(node));
    opNodes.push(node);
  }

  // Edges, once every producer is known (a cyclic scope lists some consumers before their producers).
  const from: number[] = [];
  const to: number[] = [];
  const edgeTensors: string[] = [];
  const edgeLabels: string[] = [];
  // Edge labels, computed once per tensor: kept per producing node (outputs are few), not in a name-keyed
  // Map — on this machine 20,000 Map insertions cost more than everything else an edge needs.
  const nodeLabels: (string[] | undefined)[] = new Array<string[] | undefined>(scope.nodes.length);
  const inputLabels = new Map<string, string>();
  const addEdge = (name: string, target: number): void => {
    // Graph inputs take precedence over a node writing the same name (as in GraphIR's producer map).
    const node = scope.producer.get(name);
    const source = node ? (viewIndex[node.index] as number) : (b.inputs.get(name) ?? -1);
    if (source < 0) return;
    let label: string | undefined;
    if (node) {
      const cache = (nodeLabels[node.index] ??= new Array<string>(node.outputs.length));
      const k = node.outputs.indexOf(name);
      label = cache[k] ??= typeText(name);
    } else {
      label = inputLabels.get(name);
      if (label === undefined) inputLabels.set(name, (label = typeText(name)));
    }
    from.push(source);
    to.push(target);
    edgeTensors.push(name);
    edgeLabels.push(label);
  };
  for (let k = 0; k < opNodes.length; k++) {
    const node = opNodes[k] as IRNode;
    const target = firstOp + k;
    const lineSet = b.lineTensors[target] as readonly string[];
    // One edge per (producer, consumer, tensor): Mul(x, x) reads x once as far as the drawing goes.
    const { inputs, implicitInputs } = node;
    for (let i = 0; i < inputs.length; i++) {
      const name = inputs[i] as string;
      if (name && !lineSet.includes(name) && inputs.indexOf(name) === i) addEdge(name, target);
    }
    for (const name of implicitInputs) if (!inputs.includes(name)) addEdge(name, target);
  }

  for (const name of scope.outputs) {
    if (!name) continue;
    const text = typeText(name);
    const o = b.add(`output:${name}`, NodeKind.Output, name, text, text ? [text] : NONE);
    addEdge(name, o);
  }

  const n = b.ids.length;
  const widths = new Float32Array(n);
  const heights = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const lines = b.lines[i] as readonly string[];
    widths[i] = nodeWidth(b.titles[i] as string, lines);
    heights[i] = nodeHeight(lines.length);
  }
  return {
    scopePath,
    breadcrumb: breadcrumb(scope),
    nodeCount: n,
    ids: b.ids,
    kinds: Uint8Array.from(b.kinds),
    titles: b.titles,
    names: b.names,
    lines: b.lines,
    subgraphs: b.subgraphs,
    widths,
    heights,
    edgeCount: from.length,
    edgeFrom: Uint32Array.from(from),
    edgeTo: Uint32Array.from(to),
    edgeTensors,
    edgeLabels,
    metrics: { params: Float64Array.from(b.params), macs: Float64Array.from(b.macs) },
    lineTensors: b.lineTensors,
    foldedIds: b.foldedIds,
  };
}

// Scratch for one node's weight lines (reused: a 20,000-node scope would otherwise allocate 50,000 small objects).
const lineTexts: string[] = [];
const lineSizes: number[] = [];

function addOp(b: ViewBuilder, node: IRNode, folding: ConstantFolding, stats: NodeStats | undefined): number {
  const key = opKey(node.domain, node.opType);
  lineTexts.length = 0;
  lineSizes.length = 0;
  let tensors: string[] | undefined;
  let folded: string[] | undefined;
  let kernelWeight: FoldedValue['weight'];
  const inputs = node.inputs;
  for (let i = 0; i < inputs.length; i++) {
    const name = inputs[i] as string;
    if (!name || tensors?.includes(name)) continue;
    const value = folding.lineValue(name);
    if (!value) continue;
    if (i === 1) kernelWeight = value.weight;
    (tensors ??= []).push(name);
    if (value.nodeIds.length > 0) (folded ??= []).push(...value.nodeIds);
    pushLine(inputLabel(key, i), value);
  }
  // A Constant kept as a box (shared, or a graph output) shows its own value.
  if (node.opType === 'Constant' && node.domain === '' && node.outputs[0]) {
    const value = folding.describeConstant(node);
    if (value) pushLine('value', value);
  }
  const attr = attributeLine(key, node.proto, kernelWeight);
  const count = (attr ? 1 : 0) + lineTexts.length;
  let lines: readonly string[] = NONE;
  if (count > 0) {
    const out: string[] = attr ? [attr] : [];
    for (const t of lineTexts) out.push(t);
    if (out.length > MAX_NODE_LINES) out.splice(MAX_NODE_LINES - 1, out.length, `+${out.length - MAX_NODE_LINES + 1} more`);
    lines = out;
  }

  const i = b.add(node.id, NodeKind.Op, key, node.name, lines);
  if (node.subgraphs.length > 0) b.subgraphs[i] = node.subgraphs.map((s: Scope) => s.path.slice(node.id.length + 1));
  if (tensors) b.lineTensors[i] = tensors;
  if (folded) b.foldedIds[i] = folded;
  if (stats) {
    b.params[i] = stats.params;
    b.macs[i] = stats.macStatus === 'unknown' ? NaN : stats.macs;
  }
  return i;
}

/** Adds a weight line to the scratch, biggest weights first (stable): QLinearConv's W before its six scalar scales. */
function pushLine(label: string, value: FoldedValue): void {
  const text = weightLine(label, value.dtype, value.dims, value.values);
  const size = knownElements(value);
  let k = lineTexts.length;
  lineTexts.push(text);
  lineSizes.push(size);
  while (k > 0 && (lineSizes[k - 1] as number) < size) {
    lineTexts[k] = lineTexts[k - 1] as string;
    lineSizes[k] = lineSizes[k - 1] as number;
    k--;
  }
  lineTexts[k] = text;
  lineSizes[k] = size;
}

function knownElements(v: FoldedValue): number {
  if (!v.dims) return 0;
  let n = 1;
  for (const d of v.dims) n *= typeof d === 'number' ? d : 1;
  return n;
}

/**
 * Per-node statistics. ModelStats.nodes follows GraphIR.nodes (scope by scope, file order), so a node's
 * entry is at its scope's offset + its index; the id check guards against stats of another IR.
 */
function statsLookup(ir: GraphIR, stats: ModelStats, scope: Scope): (node: IRNode) => NodeStats | undefined {
  let offset = 0;
  for (const s of ir.scopes) {
    if (s === scope) break;
    offset += s.nodes.length;
  }
  let byId: Map<string, NodeStats> | undefined;
  return (node) => {
    const hit = stats.nodes[offset + node.index];
    if (hit?.id === node.id) return hit;
    byId ??= new Map(stats.nodes.map((s) => [s.id, s]));
    return byId.get(node.id);
  };
}
