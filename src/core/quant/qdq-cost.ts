/**
 * Does an int8 region pay for its edges? Every region of fused int8 kernels is entered through a
 * QuantizeLinear (and, for convs, a Transpose to ORT's NHWC int8 layout) and left through a Transpose
 * and a DequantizeLinear. A small region — one 1×1 conv between two depthwise convs, a tiny MatMul —
 * can save less than those edges cost, and the model gets slower (measured here: MNIST CNN 0.76×,
 * ultraface 0.87× before this check). The estimate is deliberately coarse, from kernel profiles of
 * onnxruntime-web 1.30 at 1 thread on this machine:
 *   - fp32 Conv/MatMul: ~0.2 ns per multiply-accumulate (squeezenet's 86.5 M-MAC 1×1 classifier, 17 ms);
 *   - each edge: ~5 ns per element (QuantizeLinear ~3 ns, uint8 Transpose ~1.7 ns, DequantizeLinear
 *     ~2.4 ns) plus ~50 µs fixed (extra kernels dispatched, layout changes; fitted on the MNIST CNN, whose
 *     one int8 conv with two edges made the model ~90 µs slower).
 */
import type { onnx } from '../onnx/codec.js';
import type { ShapeMap } from '../shape/index.js';
import type { GraphIndex } from './qdq-graph.js';
import type { NodePlan } from './placement.js';

export const FP32_NS_PER_MAC = 0.2;
export const EDGE_NS_PER_ELEMENT = 5;
export const EDGE_FIXED_NS = 50_000;

export interface Island {
  readonly nodes: readonly NodePlan[];
  /** Estimated fp32 time saved by the int8 kernels, ns. */
  readonly savingNs: number;
  /** Estimated cost of its edges (Quantize/Transpose in, Transpose/Dequantize out), ns. */
  readonly costNs: number;
  readonly edgeElements: number;
}

interface TensorFlags {
  readonly int8Producer: boolean;
}

function elements(shapes: ShapeMap, name: string): number {
  const shape = shapes.get(name)?.shape;
  if (!shape) return 1;
  // Free dimensions at 1: the studio measures single inferences.
  return shape.reduce<number>((a, d) => a * (typeof d === 'number' && d > 0 ? d : 1), 1);
}

function macs(p: NodePlan, shapes: ShapeMap): number {
  const f = p.facts;
  if (!f) return 0;
  if (f.op === 'Conv') return (f.reductionDepth ?? 0) * elements(shapes, p.node.output?.[0] ?? '');
  if (f.k !== undefined && f.n !== undefined) return (f.rows ?? 1) * f.k * f.n;
  const a = shapes.get(p.node.input?.[0] ?? '')?.shape;
  const k = a && typeof a[a.length - 1] === 'number' ? (a[a.length - 1] as number) : 1;
  return elements(shapes, p.node.output?.[0] ?? '') * k;
}

/**
 * Connected int8 regions of a plan and their estimated saving and edge cost. `outputOf` gives the
 * value a node's quantized output ends up as (after an absorbed Relu/Clip).
 */
export function findIslands(
  nodes: readonly NodePlan[],
  tensors: ReadonlyMap<string, TensorFlags>,
  index: GraphIndex,
  shapes: ShapeMap,
  outputOf: (node: onnx.INodeProto) => string,
  gainOf: (p: NodePlan) => number,
): Island[] {
  const members = nodes.filter((p) => p.int8 && p.role !== 'activation');
  const byNode = new Map(members.map((p) => [p.node, p]));
  const producerOfValue = new Map<string, NodePlan>();
  for (const p of members) producerOfValue.set(outputOf(p.node), p);
  const parent = new Map<NodePlan, NodePlan>(members.map((p) => [p, p]));
  const find = (p: NodePlan): NodePlan => {
    let r = p;
    while (parent.get(r) !== r) r = parent.get(r) as NodePlan;
    parent.set(p, r);
    return r;
  };
  for (const p of members) {
    for (const input of p.node.input ?? []) {
      const q = producerOfValue.get(input);
      if (q && tensors.get(input)?.int8Producer) parent.set(find(p), find(q));
    }
  }
  const groups = new Map<NodePlan, NodePlan[]>();
  for (const p of members) {
    const r = find(p);
    const list = groups.get(r);
    if (list) list.push(p);
    else groups.set(r, [p]);
  }
  const islands: Island[] = [];
  for (const group of groups.values()) {
    const inGroup = new Set(group.map((p) => p.node));
    let saving = 0;
    const edges = new Set<string>();
    for (const p of group) {
      if (p.role === 'compute') {
        const gain = gainOf(p);
        if (gain > 0) saving += macs(p, shapes) * FP32_NS_PER_MAC * (1 - 1 / gain);
      }
      for (const input of p.node.input ?? []) if (tensors.get(input)?.int8Producer === false) edges.add(input);
      const out = outputOf(p.node);
      if (!tensors.get(out)?.int8Producer) continue;
      const readers = index.consumers.get(out) ?? [];
      const leaves = index.graphOutputs.has(out) || readers.some((r) => !inGroup.has(r) || !byNode.has(r));
      if (leaves) edges.add(out);
    }
    let edgeElements = 0;
    for (const e of edges) edgeElements += elements(shapes, e);
    const cost = edges.size * EDGE_FIXED_NS + edgeElements * EDGE_NS_PER_ELEMENT;
    islands.push({ nodes: group, savingNs: saving, costNs: cost, edgeElements });
  }
  return islands;
}
