/**
 * Which nodes of a scope are drawn as lines inside their consumer instead of as boxes.
 *
 * Initializers never get a box (they are weights, drawn as 'W 64×32×3×3' in each consumer). Nodes
 * that only *produce a constant* get the same treatment when that is unambiguous:
 *   - Constant (PyTorch exports put weights, Reshape targets and scalars there; semantically an initializer),
 *   - ConstantOfShape of a constant shape (the ONNX "light" models build every weight this way),
 *   - Identity of a weight (PyTorch shares a weight between layers through Identity nodes),
 * provided the value has exactly one consumer in the scope, which reads it as an ordinary input, and it
 * is not a graph output. A constant with several consumers stays a box, so the sharing stays visible;
 * one read by a subgraph (an implicit input) or returned by the graph stays a box, so no edge is lost.
 * Anything that computes (DequantizeLinear of int8 weights, Cast, Transpose of a weight) stays a box:
 * those are exactly the nodes a quantization or clean-up pass adds or removes, and the diff must show them.
 */
import type { onnx } from '../onnx/codec.js';
import { DataType } from '../onnx/codec.js';
import { dtypeInfo } from '../onnx/dtypes.js';
import { tensorToNumbers } from '../onnx/tensor.js';
import { constantStrings } from '../graph/constant-node.js';
import type { IRNode, Scope, Weight } from '../graph/ir.js';
import { resolveWeight } from '../graph/resolve.js';
import type { Dim, ShapeMap } from '../shape/types.js';

/**
 * Integer tensors with at most this many elements show their values ('axes = [0]', 'shape = [1,-1]')
 * instead of their dims; so do single-element tensors of any numeric type ('B = 0.125'). A 7-tap float
 * filter reads better as 'W 1×1×7' than as seven numbers.
 */
const MAX_SHOWN_VALUES = 8;

/** What a folded input line describes. */
export interface FoldedValue {
  readonly dtype: number;
  /** undefined when even the rank is unknown. */
  readonly dims: readonly Dim[] | undefined;
  readonly values: Float64Array | undefined;
  /** IR node ids of the folded nodes behind this value (Identity → Constant …); empty for an initializer. */
  readonly nodeIds: readonly string[];
  /** The underlying weight, when there is one (for Conv's kernel size when kernel_shape is omitted). */
  readonly weight: Weight | undefined;
}

const NO_IDS: readonly string[] = [];

export class ConstantFolding {
  /** By IRNode.index within the scope: 1 when the node is drawn inside its consumer. */
  readonly folded: Uint8Array;

  constructor(
    private readonly scope: Scope,
    private readonly shapes: ShapeMap,
  ) {
    this.folded = new Uint8Array(scope.nodes.length);
    // Topological order: a ConstantOfShape/Identity folds only when its own input is already a line.
    for (const node of scope.order) {
      if (this.isFoldable(node)) this.folded[node.index] = 1;
    }
  }

  private isFoldable(node: IRNode): boolean {
    const op = node.opType;
    if ((op !== 'Constant' && op !== 'ConstantOfShape' && op !== 'Identity') || node.domain !== '') return false;
    if (node.subgraphs.length > 0 || node.outputs.length !== 1) return false;
    const out = node.outputs[0] as string;
    if (!out || this.scope.outputs.includes(out)) return false;
    const consumers = this.scope.consumers.get(out);
    if (!consumers || consumers.length !== 1) return false;
    // Read explicitly (not only through a subgraph), else the edge into the If/Loop would vanish.
    if (!(consumers[0] as IRNode).inputs.includes(out)) return false;
    switch (node.opType) {
      case 'Constant':
        return node.inputs.length === 0;
      case 'ConstantOfShape':
      case 'Identity': {
        const src = node.inputs[0];
        return src !== undefined && src !== '' && node.inputs.length === 1 && this.isLine(src);
      }
      default:
        return false;
    }
  }

  /** True when reading `name` in this scope draws a line (a weight or a folded node), not an edge. */
  isLine(name: string): boolean {
    const producer = this.scope.producer.get(name);
    if (producer) return this.folded[producer.index] === 1;
    // Not produced by a node here: an initializer of this or an outer scope, or an outer Constant.
    // (IR < 4 also lists initializers as graph inputs; they are still weights.)
    return resolveWeight(this.scope, name) !== undefined;
  }

  /** The value behind a line, or undefined when reading `name` draws an edge (one lookup for both questions). */
  lineValue(name: string): FoldedValue | undefined {
    const producer = this.scope.producer.get(name);
    if (producer) return this.folded[producer.index] === 1 ? this.describe(name) : undefined;
    const w = resolveWeight(this.scope, name);
    return w ? fromWeight(w, NO_IDS) : undefined;
  }

  /** The value of a Constant node's output (for a Constant drawn as a box). */
  describeConstant(node: IRNode): FoldedValue | undefined {
    const w = this.scope.weights.get(node.outputs[0] as string);
    return w?.node === node ? fromWeight(w, NO_IDS) : undefined;
  }

  /** The value behind a line (call only when isLine(name)). */
  describe(name: string): FoldedValue {
    const producer = this.scope.producer.get(name);
    if (!producer) return fromWeight(resolveWeight(this.scope, name), NO_IDS);
    if (producer.opType === 'Identity') {
      const inner = this.describe(producer.inputs[0] as string);
      return { ...inner, nodeIds: [producer.id, ...inner.nodeIds] };
    }
    const ids = [producer.id];
    if (producer.opType === 'Constant') {
      const w = this.scope.weights.get(name);
      if (w) return fromWeight(w, ids);
      const strings = constantStrings(producer.proto);
      return { dtype: DataType.STRING, dims: strings?.dims ?? [], values: undefined, nodeIds: ids, weight: undefined };
    }
    // ConstantOfShape: its output's type comes from shape inference (the shape input's values).
    const info = this.shapes.get(name);
    return { dtype: info?.dtype ?? 0, dims: info?.shape, values: undefined, nodeIds: [...ids, ...this.foldedIdsBehind(producer.inputs[0])], weight: undefined };
  }

  /** Ids of the folded nodes that produce `name` (without reading any tensor values). */
  private foldedIdsBehind(name: string | undefined): readonly string[] {
    const producer = name ? this.scope.producer.get(name) : undefined;
    if (!producer || this.folded[producer.index] !== 1) return NO_IDS;
    return [producer.id, ...this.foldedIdsBehind(producer.inputs[0])];
  }
}

function fromWeight(w: Weight | undefined, nodeIds: readonly string[]): FoldedValue {
  if (!w) return { dtype: 0, dims: undefined, values: undefined, nodeIds, weight: undefined };
  return { dtype: w.dtype, dims: w.dims, values: smallValues(w.tensor, w.dtype, w.elements), nodeIds, weight: w };
}

function smallValues(t: onnx.ITensorProto | undefined, dtype: number, elements: number): Float64Array | undefined {
  if (!t || elements > MAX_SHOWN_VALUES) return undefined;
  const kind = dtypeInfo(dtype)?.kind;
  const integral = kind === 'int' || kind === 'uint' || kind === 'bool';
  if (!(integral || (kind === 'float' && elements === 1))) return undefined;
  const values = tensorToNumbers(t);
  return values && values.length === elements ? values : undefined;
}
