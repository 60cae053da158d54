/**
 * Dependency analysis for structured channel pruning (the idea of Torch-Pruning's dependency graph,
 * Fang et al. 2023 "DepGraph", done on the exported ONNX graph): which weight axes must lose the same
 * channels as one Conv's output channels.
 *
 * A group starts at a Conv with group=1 (a "producer": its output channel c is filter W[c]) and follows
 * the activation tensor forward (and, through residual joins, backward) until every reader of those
 * channels is a Conv with group=1 (a "consumer": it reads them as W[:, c]) or a Gemm/MatMul after
 * Flatten of a 1×1 spatial tensor. On the way:
 *   - BatchNormalization, elementwise activations and pools keep channel c at index c (BN's
 *     scale/B/mean/var, ONNX BatchNormalization spec, are per channel and lose the same entries);
 *   - a depthwise Conv (group = C, W [C,1,k…]) maps channel c to channel c (its W[c], B[c] and `group`);
 *   - Concat along axis 1 moves the channels to an offset (the other inputs' widths come from shape
 *     inference);
 *   - an elementwise Add/Mul/… of several activations ties all their producers to one channel set;
 *   - Mul/Add/… of one activation and per-channel constants (BatchNorm exported as Mul + Add) keep c at c;
 *   - a Reshape that flattens N×C×H×W to N×(C·H·W) is a Flatten (its shape becomes [0, -1]).
 * Anything else (a graph output, other Reshapes, Shape, Transpose, a grouped conv, a subgraph read, a weight
 * shared with an unrelated reader) stops the group: it is left alone with the reason. Only the main
 * graph is analysed; channels that reach a subgraph stop the group too.
 */
import type { onnx } from '../onnx/codec.js';
import { attrInt } from '../graph/attributes.js';
import { elementCount, tensorDims } from '../onnx/tensor.js';
import { inferShapes } from '../shape/index.js';
import type { ShapeMap } from '../shape/index.js';
import type { WeightRef } from '../transform/graph-edit.js';
import { GraphScope, readCounts } from '../transform/graph-edit.js';
import { unprunableReason } from './weights.js';

/** Entries [offset, offset + C) of `axis` of this weight follow the group's channels 0…C-1. */
export interface ChannelSlice {
  /** The constant (reached through Identity nodes if need be). */
  readonly weight: WeightRef;
  /** The node input that reads it. */
  readonly reader: onnx.INodeProto;
  readonly slot: number;
  /**
   * The constant has other readers (or is read through Identity, as exporters do for deduplicated
   * initializers): this reader gets its own cut copy, the others keep the original.
   */
  readonly private: boolean;
  readonly axis: number;
  readonly offset: number;
  /**
   * Entries per channel on that axis (1, or H·W for a Gemm after Flatten of N×C×H×W: feature
   * c·H·W + s is channel c): channel c owns entries [(offset + c)·block, (offset + c + 1)·block).
   */
  readonly block: number;
  /** What it is, for messages: "W of conv2 (input channels)". */
  readonly role: string;
}

export interface ChannelGroup {
  /** The first producer's label: the report row's name. */
  readonly label: string;
  readonly producers: readonly onnx.INodeProto[];
  /** Output channels of every producer (the group's channel count). */
  readonly channels: number;
  readonly slices: readonly ChannelSlice[];
  /** Depthwise convs whose `group` attribute follows their (pruned) channel count. */
  readonly depthwise: readonly onnx.INodeProto[];
  /** Flattening Reshapes whose shape input becomes [0, -1] (it may spell the old C·H·W out). */
  readonly reshapes: readonly onnx.INodeProto[];
  /** Activations whose channel dimension shrinks (their value_info goes stale). */
  readonly tensors: ReadonlySet<string>;
  /** Present when the group is left alone. */
  readonly reason?: string;
}

/** Elementwise ops with one activation input that keep channel c at index c. */
const PASS_THROUGH = new Set([
  'Relu', 'LeakyRelu', 'PRelu', 'Clip', 'Sigmoid', 'HardSigmoid', 'HardSwish', 'Tanh', 'Elu', 'Selu', 'Celu', 'Softplus', 'Softsign', 'Mish', 'Gelu',
  'Identity', 'Dropout', 'Neg', 'Abs', 'Exp', 'Sqrt', 'Erf', 'Cast',
  'MaxPool', 'AveragePool', 'GlobalAveragePool', 'GlobalMaxPool', 'LpPool', 'GlobalLpPool',
  'BatchNormalization',
]);
/** Elementwise ops of several activations (numpy broadcasting, ONNX spec): one channel set for all. */
const JOINS = new Set(['Add', 'Sub', 'Mul', 'Div', 'Sum', 'Max', 'Min', 'Mean']);

const standard = (n: onnx.INodeProto): boolean => !n.domain || n.domain === 'ai.onnx';

class Failure extends Error {}

interface Context {
  readonly scope: GraphScope;
  readonly producerOf: ReadonlyMap<string, onnx.INodeProto>;
  readonly consumersOf: ReadonlyMap<string, ReadonlyArray<{ readonly node: onnx.INodeProto; readonly slot: number }>>;
  readonly outputs: ReadonlySet<string>;
  readonly subgraphReads: ReadonlySet<string>;
  readonly reads: ReadonlyMap<string, number>;
  readonly shapes: ShapeMap;
  /** The constant behind a name, following Identity nodes (exporters alias deduplicated initializers so). */
  readonly resolve: (name: string) => { readonly ref: WeightRef; readonly direct: boolean } | undefined;
}

function subgraphNames(graph: onnx.IGraphProto, out: Set<string>, inside: boolean): void {
  for (const n of graph.node ?? []) {
    if (inside) for (const i of n.input ?? []) out.add(i);
    for (const a of n.attribute ?? []) {
      if (a.g) subgraphNames(a.g, out, true);
      for (const g of a.graphs ?? []) subgraphNames(g, out, true);
    }
  }
  if (inside) for (const o of graph.output ?? []) out.add(o.name ?? '');
}

function channelDim(shapes: ShapeMap, name: string): number | undefined {
  const d = shapes.get(name)?.shape?.[1];
  return typeof d === 'number' ? d : undefined;
}

/** One group's walk; throws Failure with the user-facing reason. */
class GroupWalk {
  readonly producers: onnx.INodeProto[] = [];
  readonly slices = new Map<string, ChannelSlice>();
  readonly depthwise = new Set<onnx.INodeProto>();
  readonly reshapes = new Set<onnx.INodeProto>();
  readonly tensors = new Set<string>();
  private readonly seen = new Set<string>();
  private readonly handled = new Set<string>();
  private readonly queue: Array<{ readonly name: string; readonly offset: number; readonly width: number; readonly pure: boolean }> = [];

  constructor(
    private readonly c: Context,
    readonly channels: number,
  ) {}

  label(n: onnx.INodeProto): string {
    return `${n.opType ?? '?'} ${this.c.scope.nodeLabel(n)}`;
  }

  run(seed: onnx.INodeProto): void {
    this.addProducer(seed);
    for (let item = this.queue.shift(); item; item = this.queue.shift()) this.visit(item.name, item.offset, item.width, item.pure);
  }

  private enqueue(name: string, offset: number, width: number, pure: boolean): void {
    const key = `${name}@${offset}`;
    if (this.seen.has(key)) return;
    this.seen.add(key);
    this.tensors.add(name);
    this.queue.push({ name, offset, width, pure });
  }

  private slice(reader: onnx.INodeProto, slot: number, axis: number, offset: number, role: string, block = 1): void {
    const name = reader.input?.[slot] ?? '';
    const found = name ? this.c.resolve(name) : undefined;
    if (!found) throw new Failure(`${role} (${name || 'none'}) is computed by the graph, not a constant`);
    const weight = found.ref;
    const why = unprunableReason(weight.name, weight.tensor);
    if (why) throw new Failure(why);
    if (weight.kind === 'constant' && weight.graph !== this.c.scope.graph) throw new Failure(`${role} ${name} is a Constant of an outer graph`);
    const dims = tensorDims(weight.tensor);
    const width = this.channels;
    if ((dims[axis] ?? -1) < (offset + width) * block) throw new Failure(`${role} ${name} has ${dims[axis] ?? '?'} entries on axis ${axis}, expected ${(offset + width) * block}`);
    const priv = !found.direct || (this.c.reads.get(name) ?? 0) !== 1;
    this.slices.set(`${this.c.scope.nodeLabel(reader)}|${slot}|${axis}|${offset}`, { weight, reader, slot, private: priv, axis, offset, block, role });
  }

  private addProducer(conv: onnx.INodeProto): void {
    if (this.producers.includes(conv)) return;
    if (attrInt(conv, 'group', 1) !== 1) throw new Failure(`residual join reaches grouped ${this.label(conv)}`);
    const w = this.c.resolve(conv.input?.[1] ?? '');
    if (!w) throw new Failure(`weight of ${this.label(conv)} is computed by the graph, not a constant`);
    const out = tensorDims(w.ref.tensor)[0];
    if (out !== this.channels) throw new Failure(`joined producer ${this.label(conv)} has ${out ?? '?'} output channels, not ${this.channels}`);
    this.producers.push(conv);
    this.slice(conv, 1, 0, 0, `weight of ${this.label(conv)}`);
    if (conv.input?.[2]) this.slice(conv, 2, 0, 0, `bias of ${this.label(conv)}`);
    this.enqueue(conv.output?.[0] ?? '', 0, this.channels, true);
  }

  private visit(name: string, offset: number, width: number, pure: boolean): void {
    if (this.c.outputs.has(name)) throw new Failure(`channels reach graph output ${name}`);
    if (this.c.subgraphReads.has(name)) throw new Failure(`channels (${name}) are read inside a subgraph`);
    if (pure) this.backward(name);
    for (const { node, slot } of this.c.consumersOf.get(name) ?? []) this.forward(node, slot, name, offset, width, pure);
  }

  /** A pure tensor's producing node: a producer conv, a pass-through, a join. */
  private backward(name: string): void {
    const p = this.c.producerOf.get(name);
    if (!p) throw new Failure(`channels join graph input ${name}`);
    const op = p.opType ?? '';
    if (!standard(p)) throw new Failure(`channels come from custom-domain ${this.label(p)}`);
    if (op === 'Conv' && attrInt(p, 'group', 1) === 1) return this.addProducer(p);
    if (op === 'Conv' && this.isDepthwise(p, this.channels)) return this.throughDepthwise(p, 0, this.channels, true);
    if (PASS_THROUGH.has(op)) return this.throughPass(p, 0, this.channels, true);
    if (JOINS.has(op)) {
      const acts = this.activationInputs(p);
      if (acts.length === 1) return this.throughScale(p, (p.input ?? []).indexOf(acts[0] as string), 0, this.channels, true);
      return this.throughJoin(p);
    }
    throw new Failure(`channels come from ${this.label(p)}, which the pass does not follow`);
  }

  private isDepthwise(conv: onnx.INodeProto, width: number): boolean {
    const ref = this.c.resolve(conv.input?.[1] ?? '');
    const dims = ref ? tensorDims(ref.ref.tensor) : [];
    return attrInt(conv, 'group', 1) === width && dims[0] === width && dims[1] === 1;
  }

  private once(node: onnx.INodeProto, offset: number): boolean {
    const key = `${this.c.scope.nodeLabel(node)}@${offset}`;
    if (this.handled.has(key)) return false;
    this.handled.add(key);
    return true;
  }

  private forward(node: onnx.INodeProto, slot: number, name: string, offset: number, width: number, pure: boolean): void {
    const op = node.opType ?? '';
    if (!standard(node)) throw new Failure(`channels reach custom-domain ${this.label(node)}`);
    if (op === 'Conv') {
      if (slot !== 0) throw new Failure(`channels are the weight of ${this.label(node)}`);
      if (attrInt(node, 'group', 1) === 1) {
        if (this.once(node, offset)) this.slice(node, 1, 1, offset, `weight of consumer ${this.label(node)}`);
        return;
      }
      if (this.isDepthwise(node, width)) return this.throughDepthwise(node, offset, width, pure);
      throw new Failure(`channels reach grouped ${this.label(node)} (group ${attrInt(node, 'group', 1)}), which is not depthwise`);
    }
    if (PASS_THROUGH.has(op)) {
      if (slot !== 0) throw new Failure(`channels are a parameter input of ${this.label(node)}`);
      return this.throughPass(node, offset, width, pure);
    }
    if (JOINS.has(op)) {
      // One activation and constants (BatchNorm exported as Mul/Add with [C,1,1] vectors, a scale, a
      // bias): elementwise with per-channel constants, channel c stays at c.
      if (this.activationInputs(node).length === 1) return this.throughScale(node, slot, offset, width, pure);
      if (!pure) throw new Failure(`a concatenation of these channels reaches ${this.label(node)}, which joins it with another activation; joins after Concat are not supported yet`);
      return this.throughJoin(node);
    }
    if (op === 'Concat') return this.throughConcat(node, name, offset);
    if (op === 'Flatten') {
      if (attrInt(node, 'axis', 1) !== 1) throw new Failure(`${this.label(node)} flattens at axis ${attrInt(node, 'axis', 1)}, not 1`);
      return this.throughFlatten(node, name, offset);
    }
    if (op === 'Reshape') return this.throughReshape(node, slot, name, offset);
    throw new Failure(`channels reach ${this.label(node)}, which the pass does not follow`);
  }

  /** Inputs of `node` that are activations (not constants). */
  private activationInputs(node: onnx.INodeProto): string[] {
    return (node.input ?? []).filter((i) => i && !this.c.resolve(i));
  }

  /**
   * Per-channel parameter of an elementwise op (numpy broadcasting, aligned from the right): a scalar
   * is fine; a vector whose one non-unit dim lands on the channel axis of `activation` loses the
   * group's entries at `offset` (after a Concat the vector covers all `width` channels of it).
   * Vectors that old exporters Unsqueeze at run time are folded into constants before the analysis
   * (fold-reshapes.ts).
   */
  private constantParam(node: onnx.INodeProto, slot: number, activation: string, offset: number, width: number, role: string): void {
    const name = node.input?.[slot] ?? '';
    const ref = this.c.resolve(name);
    if (!ref) throw new Failure(`${role} ${name} is computed by the graph`);
    const dims = tensorDims(ref.ref.tensor);
    if (elementCount(dims) === 1) return;
    const rank = this.c.shapes.get(activation)?.shape?.length;
    if (rank === undefined) throw new Failure(`${role} ${name} is per channel but the rank of ${activation} is unknown`);
    const axis = dims.length - (rank - 1);
    const fits = axis >= 0 && dims[axis] === width && dims.every((d, i) => i === axis || d === 1);
    if (!fits) throw new Failure(`${role} ${name} has shape [${dims.join(',')}], not a per-channel vector the pass can cut`);
    this.slice(node, slot, axis, offset, role);
  }

  /** An elementwise op of one activation (in `slot`) and constants. */
  private throughScale(node: onnx.INodeProto, slot: number, offset: number, width: number, pure: boolean): void {
    const outs = node.output ?? [];
    if (this.once(node, offset)) {
      (node.input ?? []).forEach((name, i) => {
        if (i !== slot && name) this.constantParam(node, i, node.input?.[slot] ?? '', offset, width, `constant of ${this.label(node)}`);
      });
    }
    if (pure) this.enqueue(node.input?.[slot] ?? '', 0, width, true);
    this.enqueue(outs[0] ?? '', offset, width, pure);
  }

  private throughPass(node: onnx.INodeProto, offset: number, width: number, pure: boolean): void {
    const outs = node.output ?? [];
    for (let i = 1; i < outs.length; i++) if (outs[i] && (this.c.consumersOf.get(outs[i] as string)?.length || this.c.outputs.has(outs[i] as string))) throw new Failure(`${this.label(node)} has a second output in use`);
    if (this.once(node, offset)) {
      (node.input ?? []).forEach((name, slot) => {
        if (slot === 0 || !name) return;
        if (node.opType === 'BatchNormalization') this.slice(node, slot, 0, offset, `BatchNormalization parameter of ${this.label(node)}`);
        else this.constantParam(node, slot, node.input?.[0] ?? '', offset, width, `parameter of ${this.label(node)}`);
      });
    }
    if (pure) this.enqueue(node.input?.[0] ?? '', 0, width, true);
    this.enqueue(outs[0] ?? '', offset, width, pure);
  }

  private throughDepthwise(node: onnx.INodeProto, offset: number, width: number, pure: boolean): void {
    if (this.once(node, offset)) {
      this.slice(node, 1, 0, offset, `weight of depthwise ${this.label(node)}`);
      if (node.input?.[2]) this.slice(node, 2, 0, offset, `bias of depthwise ${this.label(node)}`);
      this.depthwise.add(node);
    }
    if (pure) this.enqueue(node.input?.[0] ?? '', 0, width, true);
    this.enqueue(node.output?.[0] ?? '', offset, width, pure);
  }

  private throughJoin(node: onnx.INodeProto): void {
    const inputs = node.input ?? [];
    const activations = this.activationInputs(node);
    const shapes = activations.map((i) => JSON.stringify(this.c.shapes.get(i)?.shape ?? null));
    if (shapes.some((s) => s !== shapes[0]) || shapes[0] === 'null') throw new Failure(`${this.label(node)} joins activations of different or unknown shapes (broadcast)`);
    inputs.forEach((i, slot) => {
      if (!i) return;
      if (!activations.includes(i)) this.constantParam(node, slot, activations[0] ?? '', 0, this.channels, `constant of ${this.label(node)}`);
      else this.enqueue(i, 0, this.channels, true);
    });
    this.enqueue(node.output?.[0] ?? '', 0, this.channels, true);
  }

  private throughConcat(node: onnx.INodeProto, name: string, offset: number): void {
    const inputs = node.input ?? [];
    const rank = this.c.shapes.get(name)?.shape?.length;
    const axis = attrInt(node, 'axis', 1);
    if (rank === undefined || (axis < 0 ? axis + rank : axis) !== 1) throw new Failure(`${this.label(node)} concatenates along axis ${axis}, not the channel axis`);
    let base = 0;
    const widths = inputs.map((i) => channelDim(this.c.shapes, i));
    const total = widths.reduce<number>((s, w) => s + (w ?? NaN), 0);
    if (!Number.isFinite(total)) throw new Failure(`${this.label(node)}: channel counts of its inputs are unknown`);
    inputs.forEach((input, i) => {
      if (input === name) this.enqueue(node.output?.[0] ?? '', base + offset, total, false);
      base += widths[i] as number;
    });
  }

  /**
   * Reshape that flattens N×C×H×W to N×(C·H·W), as exporters write Flatten (`x.view(x.size(0), -1)`):
   * the same as Flatten(axis 1) when the output is rank 2, keeps dim 0 and the input's spatial size is
   * known. Its shape constant may spell C·H·W out; the rewrite then replaces it with [0, -1] (ONNX
   * Reshape: 0 copies the input's dim, −1 is inferred), which means the same for any channel count.
   */
  private throughReshape(node: onnx.INodeProto, slot: number, name: string, offset: number): void {
    if (slot !== 0) throw new Failure(`channels are the shape input of ${this.label(node)}`);
    if (!node.input?.[1]) throw new Failure(`${this.label(node)} takes its shape as an attribute (Reshape-1), which the pass does not rewrite`);
    if (attrInt(node, 'allowzero', 0) !== 0) throw new Failure(`${this.label(node)} has allowzero=1`);
    const inShape = this.c.shapes.get(name)?.shape;
    const outShape = this.c.shapes.get(node.output?.[0] ?? '')?.shape;
    const flat = inShape && outShape && outShape.length === 2 && inShape.length >= 2 && outShape[0] === inShape[0];
    if (!flat) throw new Failure(`${this.label(node)} reshapes [${(inShape ?? ['?']).join(',')}] to [${(outShape ?? ['?']).join(',')}], not a flatten to [N, C·H·W] the pass can follow`);
    this.reshapes.add(node);
    this.throughFlatten(node, name, offset);
  }

  /**
   * Flatten(axis 1) of N×C×H×W (ONNX Flatten: row-major, so feature c·H·W + s is channel c at spatial
   * position s), read by Gemm/MatMul: channel c owns H·W consecutive weight rows (1 after global pooling).
   */
  private throughFlatten(node: onnx.INodeProto, name: string, offset: number): void {
    const shape = this.c.shapes.get(name)?.shape;
    const spatial = shape?.slice(2) ?? [];
    if (!shape || shape.length < 2 || !spatial.every((d): d is number => typeof d === 'number' && d > 0)) {
      throw new Failure(`${this.label(node)}: the spatial size of ${name} is unknown, so its features cannot be mapped to channels`);
    }
    const block = spatial.reduce((a, b) => a * b, 1);
    const out = node.output?.[0] ?? '';
    if (this.c.outputs.has(out)) throw new Failure(`channels reach graph output ${out}`);
    if (this.c.subgraphReads.has(out)) throw new Failure(`channels (${out}) are read inside a subgraph`);
    this.tensors.add(out);
    for (const { node: n, slot } of this.c.consumersOf.get(out) ?? []) {
      const op = n.opType ?? '';
      const bName = n.input?.[1] ?? '';
      if (!standard(n) || slot !== 0 || (op !== 'Gemm' && op !== 'MatMul')) throw new Failure(`flattened channels reach ${this.label(n)}, which the pass does not follow`);
      if (op === 'Gemm' && attrInt(n, 'transA', 0) !== 0) throw new Failure(`${this.label(n)} transposes its input (transA=1)`);
      const b = this.c.resolve(bName);
      if (!b || tensorDims(b.ref.tensor).length !== 2) throw new Failure(`weight of ${this.label(n)} is not a matrix`);
      // Gemm: Y = A·B' with B' = transB ? Bᵀ : B (ONNX Gemm spec), so input feature k is row k of B' .
      const axis = op === 'Gemm' && attrInt(n, 'transB', 0) !== 0 ? 1 : 0;
      if (this.once(n, offset)) this.slice(n, 1, axis, offset, `weight of ${this.label(n)}`, block);
    }
  }
}

/**
 * Every channel group of the main graph, one per producer Conv (group=1) in graph order, joined
 * producers merged into the first one's group. Groups with an excluded producer are left alone.
 */
export function findChannelGroups(model: onnx.IModelProto, excluded: ReadonlySet<string>): ChannelGroup[] {
  const graph = model.graph;
  if (!graph) return [];
  const scope = new GraphScope(graph);
  const producerOf = new Map<string, onnx.INodeProto>();
  const consumersOf = new Map<string, Array<{ node: onnx.INodeProto; slot: number }>>();
  for (const n of graph.node ?? []) {
    for (const o of n.output ?? []) if (o) producerOf.set(o, n);
    (n.input ?? []).forEach((i, slot) => {
      if (!i) return;
      const list = consumersOf.get(i) ?? [];
      list.push({ node: n, slot });
      consumersOf.set(i, list);
    });
  }
  const subgraphReads = new Set<string>();
  subgraphNames(graph, subgraphReads, false);
  let shapes: ShapeMap;
  try {
    shapes = inferShapes(model, { symbols: {} });
  } catch {
    shapes = new Map();
  }
  const resolve = (name: string): { ref: WeightRef; direct: boolean } | undefined => {
    let current = name;
    for (let hops = 0; hops < 8; hops++) {
      const ref = scope.weight(current);
      if (ref) return { ref, direct: hops === 0 };
      const p = producerOf.get(current);
      if (!p || p.opType !== 'Identity' || !standard(p) || !p.input?.[0]) return undefined;
      current = p.input[0];
    }
    return undefined;
  };
  const ctx: Context = { scope, producerOf, consumersOf, outputs: new Set((graph.output ?? []).map((o) => o.name ?? '')), subgraphReads, reads: readCounts(graph), shapes, resolve };

  const assigned = new Set<onnx.INodeProto>();
  const groups: ChannelGroup[] = [];
  for (const n of graph.node ?? []) {
    if (n.opType !== 'Conv' || !standard(n) || attrInt(n, 'group', 1) !== 1 || assigned.has(n)) continue;
    const label = scope.nodeLabel(n);
    const ref = resolve(n.input?.[1] ?? '');
    const channels = ref ? (tensorDims(ref.ref.tensor)[0] ?? 0) : 0;
    const walk = new GroupWalk(ctx, channels);
    let reason: string | undefined;
    try {
      walk.run(n);
    } catch (e) {
      if (!(e instanceof Failure)) throw e;
      reason = e.message;
    }
    for (const p of walk.producers) assigned.add(p);
    const producers = walk.producers.length ? walk.producers : [n];
    const ex = producers.find((p) => excluded.has(p.name ?? '') || excluded.has(scope.nodeLabel(p)));
    if (!reason && ex) reason = `excluded by nodesToExclude (${scope.nodeLabel(ex)})`;
    groups.push({ label, producers, channels, slices: [...walk.slices.values()], depthwise: [...walk.depthwise], reshapes: [...walk.reshapes], tensors: walk.tensors, reason });
  }
  return groups;
}
