/**
 * SizeEstimate.compute of the unstructured pruning passes against what applying them measures: the
 * parameter count and MACs stay (dense shapes), and the estimated non-zero parameters match the
 * output's counted non-zeros up to the zeros the input already had.
 */
import { describe, expect, it } from 'vitest';
import type { onnx } from '../onnx/codec.js';
import { analyseModel } from '../model/summary.js';
import { measureCompute, modelCompute } from '../stats/model-compute.js';
import { corpusModel, hasCorpus, sampleModel } from '../../test-support/models.js';
import { resolveOptions } from './options.js';
import { pruneMagnitudePass } from './passes/prune-magnitude.js';
import { pruneNMPass } from './passes/prune-nm.js';
import type { PassDefinition, PassOptions } from './types.js';

const note = hasCorpus() ? '' : ' (corpus models SKIPPED: ../shared/corpus is absent)';

const MODELS: ReadonlyArray<{ readonly name: string; readonly load: () => onnx.IModelProto }> = [
  { name: 'digits_cnn.onnx', load: () => sampleModel('digits_cnn.onnx').model },
  { name: 'digits_mlp.onnx', load: () => sampleModel('digits_mlp.onnx').model },
  { name: 'digits_transformer.onnx', load: () => sampleModel('digits_transformer.onnx').model },
  ...(hasCorpus() ? ['mnist-8_cntk.onnx', 'silero_vad_legacy.onnx'].map((f) => ({ name: f, load: () => corpusModel(f).model })) : []),
];

const CASES: ReadonlyArray<readonly [string, PassDefinition, PassOptions]> = [
  ['magnitude 50 % per layer', pruneMagnitudePass, { sparsity: 0.5 }],
  ['magnitude 80 % global', pruneMagnitudePass, { sparsity: 0.8, scope: 'global' }],
  ['N:M 2:4', pruneNMPass, { n: 2, m: 4 }],
];

describe(`unstructured pruning: estimated vs measured parameters${note}`, () => {
  for (const { name, load } of MODELS) {
    it.each(CASES)(`${name}: %s`, (_label, pass, given) => {
      const model = load();
      const options = resolveOptions(pass.id, pass.options, given);
      if (!options.ok) throw new Error(options.error);
      const estimate = pass.estimate(model, options.value).compute;
      if (!estimate) throw new Error('no compute estimate');
      const stats = analyseModel(model).stats;
      expect(estimate.paramsBefore).toBe(stats.parameterCount);
      expect(estimate.paramsAfter).toBe(stats.parameterCount);
      expect(estimate.macsBefore).toBe(stats.totalMacs ?? undefined);
      expect(estimate.macsAfter).toBe(estimate.macsBefore);

      const out = pass.apply(model, options.value, { progress: () => undefined });
      if (!out.ok) throw new Error(out.error);
      const before = measureCompute(model);
      const after = measureCompute(out.value.model);
      expect(after.params).toBe(before.params);
      expect(after.macs).toBe(before.macs);
      // The estimate does not read weights: zeros already there may be counted again (never more).
      const existing = before.params - before.nonZeroParams;
      const nonZero = estimate.nonZeroParamsAfter ?? NaN;
      // A global threshold rounds once over all weights, the estimate once per weight: ±1 per weight.
      const rounding = given.scope === 'global' ? out.value.report.decisions.length : 0;
      expect(after.nonZeroParams).toBeLessThanOrEqual(nonZero + rounding);
      expect(after.nonZeroParams).toBeGreaterThanOrEqual(nonZero - existing - rounding);
      if (out.value.report.changedNodes > 0) expect(nonZero).toBeLessThan(estimate.paramsBefore);
    });
  }

  it('the whole-model figures are computed once per model object', () => {
    const model = sampleModel('digits_cnn.onnx').model;
    const first = modelCompute(model);
    expect(modelCompute(model)).toBe(first);
    expect(first).toEqual({ params: 26202, macs: 601600 });
  });
});
