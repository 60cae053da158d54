/**
 * Magnitude pruning (unstructured): zero the smallest-|w| weights of Conv / Gemm / MatMul, per layer
 * or with one threshold across all candidate weights (Han et al. 2015, "Learning both Weights and
 * Connections"). No fine-tuning here, so accuracy drops as sparsity grows.
 *
 * Honest about what it buys: the tensors keep their dense shape and dense CPU kernels multiply the
 * zeros, so the model is NOT faster and the .onnx file is the same size; the gzip (transfer) size of
 * the weights shrinks. The report's weightBytesBefore/After are those gzip sizes.
 */
import type { Result } from '../../errors.js';
import type { onnx } from '../../onnx/codec.js';
import { DENSE_SPEED_NOTE, estimatePrune, PRUNE_SELECTION_OPTIONS, pruneWithStrategy } from '../../prune/run-prune.js';
import type { PruneStrategy } from '../../prune/run-prune.js';
import type { WeightGroup } from '../../prune/targets.js';
import { globalThreshold, selectBelow, selectLayer, targetZeros } from '../../prune/threshold.js';
import { unstructuredCompute } from '../compute-estimate.js';
import { numberOption, stringOption } from '../options.js';
import type { PassContext, PassDefinition, PassOptions, PassOutcome, SizeEstimate } from '../types.js';

const fmt = (x: number): string => x.toPrecision(3);

function strategy(options: PassOptions): PruneStrategy {
  const sparsity = numberOption(options, 'sparsity', 0.5);
  const global = stringOption(options, 'scope', 'layer') === 'global';
  let threshold = 0;
  let ties = 0;
  const thresholds = new Map<WeightGroup, number>();
  return {
    passId: 'prune-magnitude',
    sameLayoutRequired: false,
    prepare: global
      ? (groups, magnitudes): void => {
          const picked = globalThreshold(groups.map(magnitudes), sparsity);
          threshold = picked.threshold;
          ties = picked.ties;
        }
      : undefined,
    select: (group, mags) => {
      if (!global) {
        const s = selectLayer(mags, sparsity);
        thresholds.set(group, s.threshold);
        return s;
      }
      const s = selectBelow(mags, threshold, ties);
      ties -= s.tiesUsed;
      return s;
    },
    describe: (group, sel) =>
      `${sel.zeroed} of ${group.count} weights zeroed ${global ? `(global threshold |w| ≤ ${fmt(threshold)})` : `(layer threshold |w| ≤ ${fmt(thresholds.get(group) ?? 0)})`}`,
    headline: (weights, nodes, overall) =>
      `${weights} weights (${nodes} nodes) pruned by magnitude to ${(sparsity * 100).toFixed(0)} % ${global ? 'with one global threshold' : 'per layer'} (${(overall * 100).toFixed(1)} % of their elements now zero)`,
    warnings: [],
  };
}

function apply(model: onnx.IModelProto, options: PassOptions, ctx: PassContext): Result<PassOutcome, string> {
  return pruneWithStrategy(model, options, ctx, strategy(options));
}

function estimate(model: onnx.IModelProto, options: PassOptions): SizeEstimate {
  const sparsity = numberOption(options, 'sparsity', 0.5);
  // Global scope spreads zeros unevenly, but the total is the same fraction of all candidate weights.
  let zeroed = 0;
  const size = estimatePrune(model, options, false, (g) => {
    const zeros = targetZeros(g.count, sparsity);
    zeroed += zeros;
    return g.count - zeros;
  });
  // Same dense shapes: parameters and MACs stay; the non-zero parameters fall by what is zeroed.
  return { ...size, compute: unstructuredCompute(model, zeroed) };
}

export const pruneMagnitudePass: PassDefinition = {
  id: 'prune-magnitude',
  label: 'Magnitude pruning (unstructured)',
  category: 'prune',
  summary: 'Zero the smallest Conv/Gemm/MatMul weights (per layer or one global threshold): a smaller gzip download, same speed',
  note: `${DENSE_SPEED_NOTE}. Accuracy drops without fine-tuning; the report gives sparsity per layer and the gzip size of the pruned weights.`,
  options: {
    sparsity: { kind: 'number', label: 'Sparsity', description: 'Fraction of the candidate weights set to zero (0.5 = half).', default: 0.5, min: 0, max: 0.95, step: 0.05, unit: '' },
    scope: {
      kind: 'choice',
      label: 'Threshold',
      description: 'Per layer: every weight loses the same fraction. Global: one magnitude threshold across all layers, so layers with small weights lose more.',
      default: 'layer',
      choices: [
        { value: 'layer', label: 'Per layer' },
        { value: 'global', label: 'Global' },
      ],
    },
    ...PRUNE_SELECTION_OPTIONS,
  },
  estimate,
  apply,
};
