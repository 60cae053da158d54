/** Combining the steps' parameter/MAC estimates and the words the Optimize panel shows for them. */
import { describe, expect, it } from 'vitest';
import type { ComputeEstimate } from '../../../core/transform/types';
import type { RecipeEstimate } from '../../../worker/protocol';
import { changeText, combineCompute, computeText, measuredComputeText } from './compute-text';

const step = (pass: string, compute?: ComputeEstimate): RecipeEstimate['steps'][number] => ({
  pass,
  estimate: { weightBytesBefore: 0, weightBytesAfter: 0, nodes: 0, ...(compute ? { compute } : {}) },
});
const channels: ComputeEstimate = { paramsBefore: 1_230_000, paramsAfter: 861_000, macsBefore: 45_100_000, macsAfter: 31_000_000 };
const magnitude: ComputeEstimate = { paramsBefore: 1_230_000, paramsAfter: 1_230_000, nonZeroParamsAfter: 615_000, macsBefore: 45_100_000, macsAfter: 45_100_000 };

describe('estimated compute', () => {
  it.each([
    ['no pruning step', [step('int8-dynamic')], undefined],
    ['channel pruning alone: its own figure', [step('prune-channels', channels)], { paramsBefore: 1_230_000, paramsAfter: 861_000, macsBefore: 45_100_000, macsAfter: 31_000_000 }],
    ['magnitude alone', [step('prune-magnitude', magnitude)], { paramsBefore: 1_230_000, paramsAfter: 1_230_000, nonZeroParamsAfter: 615_000, macsBefore: 45_100_000, macsAfter: 45_100_000 }],
    // 0.7 × 0.5 of the non-zero parameters; quantization in between changes no count.
    ['channels, int8, magnitude: product of ratios', [step('prune-channels', channels), step('int8-dynamic'), step('prune-magnitude', magnitude)], { paramsBefore: 1_230_000, paramsAfter: 861_000, nonZeroParamsAfter: 430_500, macsBefore: 45_100_000, macsAfter: 31_000_000 }],
    ['MACs unknown', [step('prune-channels', { paramsBefore: 100, paramsAfter: 50 })], { paramsBefore: 100, paramsAfter: 50 }],
  ])('%s', (_label, steps, expected) => {
    expect(combineCompute(steps)).toEqual(expected);
  });

  it.each([
    [{ paramsBefore: 1_230_000, paramsAfter: 861_000, macsBefore: 45_100_000, macsAfter: 31_000_000 }, 'Parameters 1.23 M → 861 k (−30 %) · MACs 45.1 M → 31.0 M (−31 %)'],
    [{ paramsBefore: 1_230_000, paramsAfter: 1_230_000, nonZeroParamsAfter: 615_000, macsBefore: 45_100_000, macsAfter: 45_100_000 }, 'Non-zero parameters 1.23 M → 615 k (−50 %); dense MACs unchanged (45.1 M)'],
    [{ paramsBefore: 100, paramsAfter: 70, nonZeroParamsAfter: 35, macsBefore: 1000, macsAfter: 600 }, 'Parameters 100 → 70 (−30 %), non-zero parameters 100 → 35 (−65 %) · MACs 1.00 k → 600 (−40 %)'],
    [{ paramsBefore: 100, paramsAfter: 100, macsBefore: 10, macsAfter: 10 }, 'Parameters 100 (unchanged); MACs unchanged (10)'],
    [{ paramsBefore: 100, paramsAfter: 50 }, 'Parameters 100 → 50 (−50 %); MACs unknown (shapes not inferred)'],
  ])('computeText(%o)', (c, text) => {
    expect(computeText(c)).toBe(text);
  });

  it.each([
    [70, 100, '(−30 %)'],
    [99.5, 100, '(−0.5 %)'],
    [120, 100, '(+20 %)'],
    [5, 0, ''],
  ])('changeText(%d, %d) = %s', (after, before, text) => {
    expect(changeText(after, before)).toBe(text);
  });

  it('measured: non-zero parameters only when the recipe made zeros', () => {
    const base = { paramsBefore: 26202, paramsAfter: 13309, nonZeroParamsBefore: 26202, nonZeroParamsAfter: 13309, macsBefore: 601600, macsAfter: 290088 };
    expect(measuredComputeText(base)).toBe('Parameters 26.2 k → 13.3 k (−49 %) · MACs 602 k → 290 k (−52 %)');
    expect(measuredComputeText({ ...base, paramsAfter: 26202, nonZeroParamsAfter: 13101, macsAfter: 601600 })).toBe('Non-zero parameters 26.2 k → 13.1 k (−50 %); dense MACs unchanged (602 k)');
    // Zeros the input already had are not the recipe's doing.
    expect(measuredComputeText({ ...base, nonZeroParamsBefore: 26000, paramsAfter: 26202, nonZeroParamsAfter: 26000, macsAfter: 601600, macsBefore: 601600 })).toBe('Parameters 26.2 k (unchanged); MACs unchanged (602 k)');
  });
});
