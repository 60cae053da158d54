/**
 * Two per-node metrics columns for the graph's "Colour by" (ViewGraph.metrics), added by the model
 * worker next to params and MACs:
 *
 * - `sparsity`: the fraction of exactly-zero elements among the float weights a node reads (through
 *   Identity / Cast, as the Inspector resolves them), NaN for nodes without float weights. Offered
 *   only when some node has zeros — a dense model has nothing to show.
 * - `channelsRemoved`: for a variant shown next to its original, the output channels the original's
 *   node had minus the variant's (nodes matched by name; an unnamed node by its first output's name).
 *   The channel axis is axis 1 (NCHW activations, [N, features] of Gemm/Flatten), or the last axis for
 *   MatMul, whose weight sums over rows and produces columns. NaN when a node has no counterpart or
 *   either shape is unknown.
 *
 * Cost: the sparsity column reads each weight once (stats/weight-zeros.ts counts on the stored bits,
 * in place); the caller passes a per-model cache so that other scopes and later views reuse the counts.
 */
import type { ExternalFiles } from '../onnx/tensor.js';
import type { GraphIR, IRNode, Weight } from '../graph/ir.js';
import { resolvePortWeight } from '../inspect/weight-details.js';
import type { ShapeMap } from '../shape/types.js';
import type { ZeroCount } from '../stats/weight-zeros.js';
import { weightZeros } from '../stats/weight-zeros.js';
import type { ViewGraph } from './types.js';
import { NodeKind } from './types.js';

/** Zero counts per weight (null: not a readable float weight), kept by the caller per model. */
export type ZeroCache = Map<Weight, ZeroCount | null>;

function irNodeOf(ir: GraphIR, view: ViewGraph, i: number): IRNode | undefined {
  if (view.kinds[i] !== NodeKind.Op) return undefined;
  const id = view.ids[i];
  return id === undefined ? undefined : ir.nodeById.get(id);
}

/** The weight-sparsity column of a view, or undefined when no node reads a weight with a zero. */
export function sparsityColumn(ir: GraphIR, view: ViewGraph, cache: ZeroCache, external?: ExternalFiles): Float64Array | undefined {
  const out = new Float64Array(view.nodeCount).fill(NaN);
  let any = false;
  const seen: Weight[] = [];
  for (let i = 0; i < view.nodeCount; i++) {
    const node = irNodeOf(ir, view, i);
    if (!node) continue;
    let zeros = 0;
    let elements = 0;
    seen.length = 0;
    // Weights are drawn as lines inside their node: only those inputs can be one (skips activations).
    for (const name of view.lineTensors?.[i] ?? node.inputs) {
      const w = name ? resolvePortWeight(node.scope, name)?.weight : undefined;
      if (!w || seen.includes(w)) continue;
      seen.push(w);
      let count = cache.get(w);
      if (count === undefined) cache.set(w, (count = weightZeros(w, external) ?? null));
      if (!count) continue;
      zeros += count.zeros;
      elements += count.elements;
    }
    if (elements === 0) continue;
    out[i] = zeros / elements;
    if (zeros > 0) any = true;
  }
  return any ? out : undefined;
}

export interface AnalysedModel {
  readonly ir: GraphIR;
  readonly shapes: ShapeMap;
}

/** How a node is found in the other model: its name, or (unnamed) its first output. */
function matchKey(node: IRNode): string | undefined {
  if (node.name) return `n:${node.name}`;
  const out = node.outputs[0];
  return out ? `o:${out}` : undefined;
}

/** Output channels of a node from its first output's inferred shape (see the file comment for the axis). */
export function outputChannels(node: IRNode, shapes: ShapeMap): number | undefined {
  const name = node.outputs[0];
  const shape = name ? shapes.get(name)?.shape : undefined;
  if (!shape || shape.length < 2) return undefined;
  const axis = node.opType === 'MatMul' && node.domain === '' ? shape.length - 1 : 1;
  const d = shape[axis];
  return typeof d === 'number' ? d : undefined;
}

/** Channels removed per view node of `variant` against `base` (positive: the variant has fewer). */
export function channelsRemovedColumn(variant: AnalysedModel, view: ViewGraph, base: AnalysedModel): Float64Array {
  const byKey = new Map<string, IRNode>();
  for (const n of base.ir.nodes) {
    const k = matchKey(n);
    if (k !== undefined && !byKey.has(k)) byKey.set(k, n);
  }
  const out = new Float64Array(view.nodeCount).fill(NaN);
  for (let i = 0; i < view.nodeCount; i++) {
    const node = irNodeOf(variant.ir, view, i);
    const key = node ? matchKey(node) : undefined;
    const original = key !== undefined ? byKey.get(key) : undefined;
    if (!node || !original) continue;
    const after = outputChannels(node, variant.shapes);
    const before = outputChannels(original, base.shapes);
    if (after !== undefined && before !== undefined) out[i] = before - after;
  }
  return out;
}
