/**
 * SizeEstimate.compute for the unstructured pruning passes (magnitude, N:M). The whole-model figures
 * come from stats/model-compute.ts, memoised per model object so a slider move costs no new shape
 * inference.
 */
import type { onnx } from '../onnx/codec.js';
import { modelCompute } from '../stats/model-compute.js';
import type { ComputeEstimate } from './types.js';

/**
 * The tensors keep their dense shape, so parameters and dense MACs stay as they are; what falls is the
 * count of non-zero parameters, by the elements the pass zeroes. Zeros already in the weights are not
 * subtracted (the estimate does not read weight data), so on an already pruned model it is low.
 */
export function unstructuredCompute(model: onnx.IModelProto, zeroed: number): ComputeEstimate {
  const { params, macs } = modelCompute(model);
  return {
    paramsBefore: params,
    paramsAfter: params,
    nonZeroParamsAfter: Math.max(0, params - zeroed),
    ...(macs !== undefined ? { macsBefore: macs, macsAfter: macs } : {}),
  };
}
