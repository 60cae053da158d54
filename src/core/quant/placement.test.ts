/**
 * Placement decisions on real structures (no runtime needed): which layers the speed rules keep float
 * and why, region chaining through glue ops, missing ranges, and the 'all' mode.
 */
import { describe, expect, it } from 'vitest';
import type { onnx } from '../onnx/codec.js';
import { inferShapes } from '../shape/index.js';
import { GraphScope, NameAllocator, opsetVersion } from '../transform/graph-edit.js';
import { corpusModel, CORPUS, DIGITS_MODELS, hasCorpus, loadDigitsModel, loadModelFile } from '../../test-support/models.js';
import { materializeConstantOfShape } from '../../test-support/materialize.js';
import type { PlacementMode, PlacementOptions, PlacementPlan } from './placement.js';
import { MIN_REDUCTION_DEPTH, planPlacement, SPEED_RULES } from './placement.js';
import { indexGraph } from './qdq-graph.js';
import { prepareForQdq } from './qdq-prepare.js';

function place(model: onnx.IModelProto, mode: PlacementMode, extra: Partial<PlacementOptions> = {}): PlacementPlan {
  const graph = model.graph ?? {};
  const scope = new GraphScope(graph);
  return planPlacement(scope, indexGraph(graph), inferShapes(model), {
    mode,
    opTypes: new Set(),
    exclude: new Set(),
    quantizeOutputs: false,
    symmetricActivations: false,
    opset: opsetVersion(model, ''),
    ...extra,
  });
}

const rows = (plan: PlacementPlan, op: string): PlacementPlan['nodes'] => plan.nodes.filter((n) => n.op === op);

describe('speed rules as data', () => {
  it('every rule has an id, a measured speed and a reason, and each op ends with a catch-all', () => {
    const ids = new Set(SPEED_RULES.map((r) => r.id));
    expect(ids.size).toBe(SPEED_RULES.length);
    for (const r of SPEED_RULES) expect(r.speedup).not.toBe('');
    for (const op of ['Conv', 'MatMul', 'Gemm'] as const) {
      const last = [...SPEED_RULES].reverse().find((r) => r.ops.includes(op));
      expect(last?.int8, op).toBe(true);
    }
  });
});

describe('placement on the digits models', () => {
  it.each(DIGITS_MODELS.filter((e) => e.dir === 'samples' || hasCorpus()))('$file: the batch-1 Gemm logits layer stays float', (entry) => {
    const { model } = loadDigitsModel(entry);
    const plan = place(model, 'speed');
    for (const g of rows(plan, 'Gemm')) {
      expect(g.int8).toBe(false);
      expect(g.reason).toMatch(/Gemm with 1 row/);
    }
    // No graph output gets a Quantize/Dequantize pair (quantizeOutputs is off).
    for (const o of model.graph?.output ?? []) expect(plan.tensors.has(o.name ?? '')).toBe(false);
  });
});

describe.skipIf(!hasCorpus())('placement on corpus structures', () => {
  it('tiny layers: the MNIST CNN and the digits transformer gain nothing from int8 regions this small', () => {
    for (const model of [corpusModel('mnist-8_cntk.onnx').model, loadDigitsModel({ file: 'digits_transformer.onnx', dir: 'samples' }).model]) {
      const plan = place(model, 'speed');
      expect(plan.nodes.filter((n) => n.int8 && n.role === 'compute').length).toBe(0);
      expect(plan.nodes.some((n) => /too small for int8 here/.test(n.reason))).toBe(true);
    }
  });

  it('mobilenet_v2: depthwise convs and the shallow first conv stay float; 1×1 convs go int8', () => {
    const plan = place(corpusModel('mobilenet_v2_random_op13.onnx').model, 'speed');
    const convs = rows(plan, 'Conv');
    expect(convs.length).toBe(52);
    const depthwise = convs.filter((c) => c.facts?.depthwise);
    expect(depthwise.length).toBe(17);
    for (const c of depthwise) expect([c.int8, c.reason]).toEqual([false, 'depthwise conv: int8 runs at 0.67× of fp32 on WASM']);
    expect(convs[0]?.int8).toBe(false);
    expect(convs[0]?.facts?.reductionDepth).toBe(27);
    const pointwise = convs.filter((c) => (c.facts?.kernel ?? []).every((k) => k === 1) && (c.facts?.reductionDepth ?? 0) >= MIN_REDUCTION_DEPTH);
    expect(pointwise.length).toBeGreaterThan(10);
    // Each goes int8 unless its region is too small to pay for its Quantize/Transpose/Dequantize edges.
    for (const c of pointwise) expect(c.int8 || /too small for int8 here/.test(c.reason), c.label).toBe(true);
    expect(pointwise.filter((c) => c.int8).length).toBeGreaterThan(5);
    expect(pointwise.filter((c) => !c.int8).length).toBeGreaterThan(5);
    // Clip (ReLU6) after an int8 1×1 conv is absorbed by the Quantize (zero point at qmin, max ≤ 6).
    expect(rows(plan, 'Clip').some((c) => c.decision === 'changed' && /absorbed/.test(c.reason))).toBe(true);
  });

  it("'all' quantizes every supported layer, mobilenet depthwise included", () => {
    const plan = place(corpusModel('mobilenet_v2_random_op13.onnx').model, 'all');
    const layers = plan.nodes.filter((n) => n.role === 'compute');
    expect(layers.every((n) => n.int8)).toBe(true);
  });

  it('squeezenet: shallow first conv float, MaxPool never uint8, layers next to a MaxPool float', () => {
    const plan = place(corpusModel('squeezenet1_1_random_op13.onnx').model, 'speed');
    const convs = rows(plan, 'Conv');
    expect(convs[0]?.reason).toMatch(/reduction depth 27/);
    for (const m of rows(plan, 'MaxPool')) expect(m.int8).toBe(false);
    const afterPool = convs.filter((c) => /comes from a MaxPool/.test(c.reason));
    expect(afterPool.map((c) => c.label)).toEqual(['/features/features.3/squeeze/Conv', '/features/features.6/squeeze/Conv', '/features/features.9/squeeze/Conv']);
    expect(convs.filter((c) => c.int8).length).toBeGreaterThan(10);
  });

  it('a missing range turns the layers that need it float, with the reason', () => {
    const model = corpusModel('squeezenet1_1_random_op13.onnx').model;
    const full = place(model, 'speed');
    const victim = full.nodes.find((n) => n.int8 && n.op === 'Conv');
    const input = victim?.node.input?.[0] ?? '';
    const plan = place(model, 'speed', { hasRange: (name) => name !== input });
    const row = plan.nodes.find((n) => n.node === victim?.node);
    expect(row?.decision).toBe('skipped');
    expect(row?.reason).toContain(input);
    for (const [name, t] of plan.tensors) if (t.params === 'range') expect(name).not.toBe(input);
  });

  it('materialized light ResNet50: dense convs int8, residual Adds chained inside the int8 region', () => {
    const path = `${CORPUS}/onnx-backend-tests/light/light_resnet50.onnx`;
    const stats = { replaced: 0, parameters: 0 };
    const model = materializeConstantOfShape(loadModelFile(path).model, 1, stats);
    expect(stats.replaced).toBe(239);
    expect(stats.parameters).toBeGreaterThan(20_000_000);
    const graph = model.graph ?? {};
    const prep = prepareForQdq(new GraphScope(graph), new NameAllocator(model));
    expect(prep.foldedBatchNorms).toBe(53);
    expect(prep.sumsToAdd).toBe(16);
    const plan = place(model, 'speed');
    const convs = rows(plan, 'Conv');
    expect(convs.filter((c) => c.int8).length).toBe(53);
    const adds = rows(plan, 'Add');
    expect(adds.filter((a) => a.int8).length).toBe(15);
    expect(adds.filter((a) => !a.int8).map((a) => a.reason)).toEqual(['Add feeds no int8 layer: kept float']);
    expect(rows(plan, 'Gemm')[0]?.int8).toBe(false);
  });
});
