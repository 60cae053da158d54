/**
 * Whole-model parameters and MACs, as the Overview counts them (analyseModel → computeStatsIR):
 * `modelCompute` for estimates (memoised per model object: the Optimize panel re-estimates on every
 * slider move, always on the same decoded model, and passes never mutate their input, so an entry
 * never goes stale; a WeakMap lets a closed model's entry go with it), and `measureCompute` for a
 * transformed model, which also counts the weights' exact zeros (what unstructured pruning changes).
 */
import type { onnx } from '../onnx/codec.js';
import type { ExternalFiles } from '../onnx/tensor.js';
import { analyseModel } from '../model/summary.js';
import { weightZeros } from './weight-zeros.js';

export interface ModelCompute {
  /** Elements of every weight (initializers, sparse initializers, Constant tensors), subgraphs included. */
  readonly params: number;
  /** MACs of one inference (symbolic dims as 1); undefined when no MAC-bearing node could be counted. */
  readonly macs: number | undefined;
}

export interface MeasuredCompute extends ModelCompute {
  /** Parameters that are not exactly zero (float weights; other element types count as non-zero). */
  readonly nonZeroParams: number;
}

const cache = new WeakMap<onnx.IModelProto, ModelCompute>();

export function modelCompute(model: onnx.IModelProto): ModelCompute {
  let hit = cache.get(model);
  if (!hit) {
    const { stats } = analyseModel(model);
    hit = { params: stats.parameterCount, macs: stats.totalMacs ?? undefined };
    cache.set(model, hit);
  }
  return hit;
}

export function measureCompute(model: onnx.IModelProto, external?: ExternalFiles): MeasuredCompute {
  const { ir, stats } = analyseModel(model);
  let zeros = 0;
  for (const w of ir.weights) {
    const z = weightZeros(w, external);
    // Parameters count a sparse initializer's stored values: subtract only the zeros it stores.
    if (z) zeros += z.zeros - (z.elements - w.elements);
  }
  return { params: stats.parameterCount, macs: stats.totalMacs ?? undefined, nonZeroParams: stats.parameterCount - zeros };
}
