/**
 * Measuring what unstructured pruning achieves: zeros per weight, and the gzip size of weight bytes —
 * the one size that shrinks, since the tensors keep their dense shape (a zero costs 4 bytes in the
 * file, but compresses to almost nothing in a gzip/brotli transfer).
 */
import { gzipSync } from 'fflate';
import type { onnx } from '../onnx/codec.js';
import { walkGraphs } from '../transform/graph-edit.js';
import { PRUNABLE_OPS } from './targets.js';
import { countZeros, weightMagnitudes } from './weights.js';

/** Level 6: gzip's and most HTTP servers' default, so the number matches a typical transfer. */
export const GZIP_LEVEL = 6;

/** Bytes of gzip(concatenation of `chunks`) at level 6. */
export function gzipSize(chunks: readonly Uint8Array[]): number {
  const total = chunks.reduce((s, c) => s + c.byteLength, 0);
  const joined = new Uint8Array(total);
  let offset = 0;
  for (const c of chunks) {
    joined.set(c, offset);
    offset += c.byteLength;
  }
  return gzipSync(joined, { level: GZIP_LEVEL }).byteLength;
}

export interface WeightSparsity {
  /** Report label of the node (GraphScope.nodeLabel). */
  readonly node: string;
  readonly op: string;
  readonly weight: string;
  readonly elements: number;
  readonly zeros: number;
  readonly sparsity: number;
}

/**
 * The fraction of exact zeros in the constant weight input (input 1) of every Conv/Gemm/MatMul, main
 * graph and subgraphs — for a graph view that colours nodes by sparsity, and for checking a pass.
 */
export function weightSparsity(model: onnx.IModelProto, opTypes: readonly string[] = PRUNABLE_OPS): WeightSparsity[] {
  const out: WeightSparsity[] = [];
  walkGraphs(model, (scope) => {
    for (const n of scope.graph.node ?? []) {
      if (!opTypes.includes(n.opType ?? '')) continue;
      const ref = scope.weight(n.input?.[1] ?? '');
      const mags = ref ? weightMagnitudes(ref.tensor) : undefined;
      if (!ref || !mags) continue;
      const zeros = countZeros(mags);
      out.push({ node: scope.nodeLabel(n), op: n.opType ?? '', weight: ref.name, elements: mags.length, zeros, sparsity: mags.length ? zeros / mags.length : 0 });
    }
  });
  return out;
}

export const percent = (x: number): string => `${(x * 100).toFixed(1)} %`;

export function kib(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(2)} MB` : `${(bytes / 1024).toFixed(1)} KB`;
}
