/**
 * The Optimize form → recipe steps, checked against the real passes: the steps the page sends resolve
 * in core's registry runner, and a node pinned with "Keep in float32" is really left in float by the
 * pass (its decision row is not 'changed'), on the digits models.
 */
import { describe, expect, it } from 'vitest';
import { resolveSteps } from '../../../core/transform/apply-recipe';
import { describePasses } from '../../../core/transform/registry';
import type { PassDefinition } from '../../../core/transform/types';
import { float16Pass } from '../../../core/transform/passes/float16';
import { int8DynamicPass } from '../../../core/transform/passes/int8-dynamic';
import { weightOnlyPass } from '../../../core/transform/passes/weight-only';
import { pruneChannelsPass } from '../../../core/transform/passes/prune-channels';
import { sampleModel } from '../../../test-support/models';
import { calibrationSource, exclusionOption, needsCalibration, splitList, stepsFromForm } from './recipe-form';
import { initialOptimizeState } from './optimize-state';
import type { OptimizeForm } from './optimize-state';

const PASS_LIST: readonly PassDefinition[] = [float16Pass, int8DynamicPass, weightOnlyPass];
const REGISTRY = new Map(PASS_LIST.map((p) => [p.id, p]));
const DESCRIPTORS = describePasses(REGISTRY);

const FIRST = DESCRIPTORS[0];
if (!FIRST) throw new Error('no passes');

const form = (f: Partial<OptimizeForm>): OptimizeForm => ({ ...initialOptimizeState.form, ...f });

describe('stepsFromForm', () => {
  it('keeps the order the passes were ticked in, and only the options the user changed', () => {
    const steps = stepsFromForm(form({ chosen: ['weight-only', 'fp16'], options: { 'weight-only': { blockSize: 64 }, fp16: {} } }), DESCRIPTORS);
    expect(steps).toEqual([
      { pass: 'weight-only', options: { blockSize: 64 } },
      { pass: 'fp16', options: {} },
    ]);
    expect(resolveSteps(steps, REGISTRY).ok).toBe(true);
  });

  it('puts pruning before everything else: a quantized weight can no longer be cut', () => {
    const withPrune = describePasses(new Map([...REGISTRY, [pruneChannelsPass.id, pruneChannelsPass]]));
    const steps = stepsFromForm(form({ chosen: ['int8-dynamic', 'prune-channels', 'fp16'] }), withPrune);
    expect(steps.map((s) => s.pass)).toEqual(['prune-channels', 'int8-dynamic', 'fp16']);
  });

  it('ignores ids the registry does not have (a pass removed between builds)', () => {
    expect(stepsFromForm(form({ chosen: ['gone', 'fp16'] }), DESCRIPTORS).map((s) => s.pass)).toEqual(['fp16']);
  });

  it('finds each pass’s exclusion list, never an inclusion list', () => {
    expect(DESCRIPTORS.map((d) => exclusionOption(d))).toEqual(['nodeBlockList', 'nodesToExclude', 'nodesToExclude']);
    for (const d of DESCRIPTORS) {
      const key = exclusionOption(d);
      if (key) expect(key).toMatch(/exclude|block/i);
      const spec = key ? d.options[key] : undefined;
      if (spec) expect(spec.kind === 'list' && spec.items).toBe('node-names');
    }
    expect(exclusionOption({ ...FIRST, options: { nodesToQuantize: { kind: 'list', items: 'node-names', label: 'n', description: '', default: '' } } })).toBeUndefined();
  });
});

// [model, node to pin, pass] — the pinned node must stay float, and the others still change.
const PIN_CASES: Array<[string, string, string]> = [
  ['digits_mlp.onnx', '/net/net.4/Gemm', 'int8-dynamic'],
  ['digits_mlp.onnx', '/net/net.1/Gemm', 'weight-only'],
  ['digits_cnn.onnx', '/features/features.3/Conv', 'fp16'],
  ['digits_transformer.onnx', '/head/Gemm', 'int8-dynamic'],
];

describe('Keep in float32 reaches the pass', () => {
  for (const [file, node, passId] of PIN_CASES) {
    it(`${file}: ${node} stays float under ${passId}`, () => {
      const m = sampleModel(file);
      const pass = REGISTRY.get(passId);
      const d = DESCRIPTORS.find((x) => x.id === passId);
      if (!pass || !d) throw new Error(`no pass ${passId}`);
      const key = exclusionOption(d);
      if (!key) throw new Error(`${passId} has no exclusion option`);
      // The user also typed a name in the pass's own list: both must reach the pass, once each.
      const steps = stepsFromForm(form({ chosen: [passId], options: { [passId]: { [key]: 'someOtherNode' } }, excludedNodes: [node, 'someOtherNode'] }), DESCRIPTORS);
      expect(splitList(String(steps[0]?.options[key]))).toEqual(['someOtherNode', node]);
      const resolved = resolveSteps(steps, REGISTRY);
      if (!resolved.ok) throw new Error(resolved.error);
      const options = resolved.value[0]?.options;
      if (!options) throw new Error('no step');
      const out = pass.apply(m.model, options, { progress: () => undefined });
      if (!out.ok) throw new Error(out.error);
      const row = out.value.report.decisions.find((r) => r.node === node);
      // 'skipped' (quantizers) or 'kept' (fp16's block list): either way not converted, with a row saying why.
      expect(row, `${node} has a decision row`).toBeDefined();
      expect(row?.decision, JSON.stringify(row)).not.toBe('changed');
      expect(out.value.report.changedNodes).toBeGreaterThan(0);
    });
  }
});

describe('calibration', () => {
  it('asks for data only when a chosen pass calibrates', () => {
    const calibrating = { ...FIRST, id: 'calib', needsCalibration: true };
    expect(needsCalibration(form({ chosen: ['fp16'] }), [...DESCRIPTORS, calibrating])).toBe(false);
    expect(needsCalibration(form({ chosen: ['fp16', 'calib'] }), [...DESCRIPTORS, calibrating])).toBe(true);
  });

  it('turns each choice into a data source, or says what is missing', () => {
    const shipped = { url: 'http://x/samples/digits_calib.npz', fileName: 'digits_calib.npz' };
    expect(calibrationSource({ kind: 'sample' }, shipped)).toEqual({ ok: true, source: { kind: 'url', ...shipped } });
    expect(calibrationSource({ kind: 'sample' }, undefined).ok).toBe(false);
    expect(calibrationSource({ kind: 'files', files: [] }, shipped).ok).toBe(false);
    expect(calibrationSource({ kind: 'random', samples: 16, seed: 3 }, undefined)).toEqual({ ok: true, source: { kind: 'random', samples: 16, seed: 3 } });
  });
});
