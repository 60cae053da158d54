/**
 * Old exporters (Caffe2 → ONNX, the corpus `light/` models) store BatchNorm vectors as [C] and Unsqueeze
 * them to [C,1,1] at run time, and classifier weights as [N,C,1,1] reshaped to [N,C]. For the channel
 * analysis a weight must be a constant tensor read by the node that uses it, so this folds
 * Unsqueeze / Squeeze / Reshape of constants into constants (what ORT's constant folding does at
 * session creation anyway): the new initializer shares the bytes (only the dims change, row-major
 * order is unchanged by these ops), the node goes away. Main graph only; external-data tensors stay.
 */
import type { onnx } from '../onnx/codec.js';
import { Long } from '../onnx/codec.js';
import { attrInt, findAttr } from '../graph/attributes.js';
import { elementCount, tensorDims, tensorToNumbers } from '../onnx/tensor.js';
import { GraphScope, readCounts } from '../transform/graph-edit.js';

const FOLDABLE = new Set(['Unsqueeze', 'Squeeze', 'Reshape']);

function ints(scope: GraphScope, node: onnx.INodeProto, slot: number, attr: string): number[] | undefined | null {
  const name = node.input?.[slot];
  if (name) {
    const t = scope.weight(name)?.tensor;
    const values = t ? tensorToNumbers(t) : undefined;
    return values ? Array.from(values, Number) : null;
  }
  const a = findAttr(node, attr);
  return a ? (a.ints ?? []).map(Number) : undefined;
}

/** Dims of the op's output, or undefined when it cannot be computed from constants. */
function foldedDims(scope: GraphScope, node: onnx.INodeProto, dims: readonly number[]): number[] | undefined {
  const op = node.opType;
  if (op === 'Reshape') {
    const shape = ints(scope, node, 1, 'shape');
    if (!shape) return undefined;
    const allowZero = attrInt(node, 'allowzero', 0) === 1;
    const out = shape.map((d, i) => (d === 0 && !allowZero ? (dims[i] ?? NaN) : d));
    const known = out.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
    const free = out.indexOf(-1);
    if (free >= 0) out[free] = elementCount(dims) / known;
    return out.every((d) => Number.isInteger(d) && d >= 0) && elementCount(out) === elementCount(dims) ? out : undefined;
  }
  const axes = ints(scope, node, 1, 'axes');
  if (axes === null) return undefined;
  if (op === 'Squeeze') {
    const rank = dims.length;
    const drop = new Set((axes ?? dims.map((d, i) => (d === 1 ? i : -1)).filter((i) => i >= 0)).map((a) => (a < 0 ? a + rank : a)));
    return dims.filter((_, i) => !drop.has(i));
  }
  if (!axes) return undefined;
  const rank = dims.length + axes.length;
  const at = new Set(axes.map((a) => (a < 0 ? a + rank : a)));
  const out: number[] = [];
  let k = 0;
  for (let i = 0; i < rank; i++) out.push(at.has(i) ? 1 : (dims[k++] as number));
  return k === dims.length ? out : undefined;
}

/** Folds in place; returns how many nodes were folded. */
export function foldConstantReshapes(model: onnx.IModelProto): number {
  const graph = model.graph;
  if (!graph) return 0;
  const outputs = new Set((graph.output ?? []).map((o) => o.name ?? ''));
  let folded = 0;
  const keep: onnx.INodeProto[] = [];
  const scope = new GraphScope(graph);
  for (const node of graph.node ?? []) {
    const out = node.output?.[0];
    const base = FOLDABLE.has(node.opType ?? '') && (!node.domain || node.domain === 'ai.onnx') && out && !outputs.has(out) ? scope.weight(node.input?.[0] ?? '') : undefined;
    const dims = base && base.tensor.dataLocation !== 1 ? foldedDims(scope, node, tensorDims(base.tensor)) : undefined;
    if (!base || !dims || !out) {
      keep.push(node);
      continue;
    }
    const { name: _old, ...rest } = base.tensor;
    (graph.initializer ??= []).push({ ...rest, name: out, dims: dims.map((d) => Long.fromNumber(d)) });
    folded++;
  }
  if (!folded) return 0;
  graph.node = keep;
  // Inputs of folded nodes (the [C] vectors, shape constants) that nothing reads any more.
  const reads = readCounts(graph);
  const declared = new Set((graph.input ?? []).map((i) => i.name ?? ''));
  graph.initializer = (graph.initializer ?? []).filter((t) => (reads.get(t.name ?? '') ?? 0) > 0 || declared.has(t.name ?? ''));
  return folded;
}
