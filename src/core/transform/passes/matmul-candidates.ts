/**
 * What the weight-quantizing passes for MatMul/Gemm (int8-dynamic, weight-only) share: deciding
 * whether a node has a constant 2-D float weight they can rewrite (and saying why not in words a user
 * understands), reading that weight, Gemm's attributes, exclusion matching and dropping the float
 * weights nobody reads any more.
 */
import { attrFloat, attrInt } from '../../graph/attributes.js';
import { isConstantOp } from '../../graph/constant-node.js';
import type { onnx } from '../../onnx/codec.js';
import { DataType } from '../../onnx/codec.js';
import { elementCount, tensorDims, tensorStorageBytes, tensorToNumbers } from '../../onnx/tensor.js';
import type { GraphScope, WeightRef } from '../graph-edit.js';
import { readCounts } from '../graph-edit.js';
import type { SizeEstimate } from '../types.js';

/**
 * A MatMul or Gemm whose B is a constant float matrix: Y = alpha · A · W + beta · C, W viewed as
 * [K, N] (K the reduction depth, N the output columns).
 */
export interface LinearCandidate {
  readonly op: 'MatMul' | 'Gemm';
  readonly weight: WeightRef;
  readonly K: number;
  readonly N: number;
  /** 'kn': stored [K, N] (MatMul, Gemm transB=0); 'nk': stored [N, K] (Gemm transB=1). */
  readonly layout: 'kn' | 'nk';
  readonly alpha: number;
  /** Gemm's C input, with beta; undefined when there is none. */
  readonly bias?: { readonly name: string; readonly beta: number; readonly weight: WeightRef | undefined };
}

export type Analysis = { readonly ok: true; readonly candidate: LinearCandidate } | { readonly ok: false; readonly reason: string };

const no = (reason: string): Analysis => ({ ok: false, reason });

/** Checks a MatMul/Gemm node against what both passes can rewrite. */
export function analyzeLinear(scope: GraphScope, node: onnx.INodeProto): Analysis {
  const op = node.opType;
  if (op !== 'MatMul' && op !== 'Gemm') return no(`${op ?? '?'} is not a MatMul or Gemm`);
  if (node.domain && node.domain !== 'ai.onnx') return no(`custom-domain ${op} (${node.domain})`);
  const aName = node.input?.[0] ?? '';
  const bName = node.input?.[1] ?? '';
  const weight = scope.weight(bName);
  if (!weight) {
    // Attention's Q·Kᵀ and scores·V multiply two activations: there is no weight to store smaller.
    return no('both inputs are activations (no constant weight to quantize)');
  }
  if (scope.weight(aName)) return no('both inputs are constants: constant folding fits better than quantization');
  if ((weight.tensor.dataType ?? 0) !== DataType.FLOAT) return no(`weight ${bName} is not float32 (data type ${weight.tensor.dataType ?? 0})`);
  const dims = tensorDims(weight.tensor);
  if (dims.length !== 2) return no(`weight ${bName} has rank ${dims.length}; only 2-D weights are quantized`);
  const [d0, d1] = dims as [number, number];
  if (d0 === 0 || d1 === 0) return no(`weight ${bName} is empty`);
  if (op === 'MatMul') return { ok: true, candidate: { op, weight, K: d0, N: d1, layout: 'kn', alpha: 1 } };

  if (attrInt(node, 'transA', 0) !== 0) return no('Gemm with transA=1 is not rewritten (rare in exported models)');
  const transB = attrInt(node, 'transB', 0) !== 0;
  const alpha = attrFloat(node, 'alpha', 1);
  const beta = attrFloat(node, 'beta', 1);
  const cName = node.input?.[2] ?? '';
  const K = transB ? d1 : d0;
  const N = transB ? d0 : d1;
  const layout = transB ? 'nk' : 'kn';
  if (!cName || beta === 0) return { ok: true, candidate: { op, weight, K, N, layout, alpha } };
  const cWeight = scope.weight(cName);
  if (cWeight && (cWeight.tensor.dataType ?? 0) !== DataType.FLOAT) return no(`bias ${cName} is not float32`);
  if (!cWeight && beta !== 1) return no(`Gemm with beta=${beta} on a computed C is not rewritten`);
  return { ok: true, candidate: { op, weight, K, N, layout, alpha, bias: { name: cName, beta, weight: cWeight } } };
}

/** The weight's values as float32, or undefined when they are not in the model (external data). */
export function weightValues(ref: WeightRef): Float32Array | undefined {
  if ((ref.tensor.dataType ?? 0) === DataType.FLOAT && ref.tensor.rawData && ref.tensor.rawData.byteLength === elementCount(tensorDims(ref.tensor)) * 4) {
    const raw = ref.tensor.rawData;
    // Aligned views are free; a misaligned one (rawData is a subarray of the file) needs one copy.
    if (raw.byteOffset % 4 === 0) return new Float32Array(raw.buffer, raw.byteOffset, raw.byteLength / 4);
    return new Float32Array(raw.slice().buffer);
  }
  const numbers = tensorToNumbers(ref.tensor);
  return numbers ? Float32Array.from(numbers) : undefined;
}

/** Gemm's bias, multiplied by beta and flattened, when it is a constant with N values ([N] or [1, N]). */
export function biasVector(candidate: LinearCandidate): Float32Array | undefined {
  const b = candidate.bias;
  if (!b?.weight) return undefined;
  const dims = tensorDims(b.weight.tensor);
  const count = elementCount(dims);
  if (count !== candidate.N || dims[dims.length - 1] !== candidate.N) return undefined;
  const values = weightValues(b.weight);
  if (!values) return undefined;
  return b.beta === 1 ? values : values.map((v) => v * b.beta);
}

/** Node-name exclusions match the node's name or its report label (nodesToExclude). */
export function isExcluded(excluded: ReadonlySet<string>, scope: GraphScope, node: onnx.INodeProto): boolean {
  return (node.name ? excluded.has(node.name) : false) || excluded.has(scope.nodeLabel(node));
}

export const weightBytes = (ref: WeightRef): number => tensorStorageBytes(ref.tensor);

/** A node a weight pass looked at: a candidate it can rewrite, or the reason it cannot. */
export type CandidatePlan<C> =
  | { readonly scope: GraphScope; readonly node: onnx.INodeProto; readonly label: string; readonly candidate: C }
  | { readonly label: string; readonly op: string; readonly reason: string };

/** Bytes of the weights a plan would rewrite, now and after (`bytesAfter`); a weight shared by several nodes counts once. */
export function estimatePlans<C extends { readonly weight: WeightRef }>(plans: readonly CandidatePlan<C>[], bytesAfter: (candidate: C) => number): SizeEstimate {
  const seen = new Set<onnx.ITensorProto>();
  let before = 0;
  let after = 0;
  let nodes = 0;
  for (const p of plans) {
    if (!('candidate' in p)) continue;
    nodes++;
    if (seen.has(p.candidate.weight.tensor)) continue;
    seen.add(p.candidate.weight.tensor);
    before += weightBytes(p.candidate.weight);
    after += bytesAfter(p.candidate);
  }
  return { weightBytesBefore: before, weightBytesAfter: after, nodes };
}

/**
 * Removes initializers and Constant nodes among `names` that nothing reads any more (anywhere in the
 * model, subgraphs included), and the graph inputs that only declared such initializers (IR < 4).
 * A weight still read by a node the pass did not rewrite stays.
 */
export function dropUnreadWeights(model: onnx.IModelProto, names: ReadonlySet<string>): void {
  if (!model.graph || names.size === 0) return;
  const reads = readCounts(model.graph);
  const visit = (g: onnx.IGraphProto): void => {
    const dead = (name: string | null | undefined): boolean => !!name && names.has(name) && !reads.get(name);
    const dropped = new Set((g.initializer ?? []).filter((t) => dead(t.name)).map((t) => t.name ?? ''));
    g.initializer = (g.initializer ?? []).filter((t) => !dead(t.name));
    g.input = (g.input ?? []).filter((i) => !dropped.has(i.name ?? ''));
    g.node = (g.node ?? []).filter((n) => !(isConstantOp(n) && dead(n.output?.[0])));
    for (const n of g.node) {
      for (const a of n.attribute ?? []) {
        if (a.g) visit(a.g);
        for (const sg of a.graphs ?? []) visit(sg);
      }
    }
  };
  visit(model.graph);
}
