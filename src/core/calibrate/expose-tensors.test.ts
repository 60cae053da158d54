/**
 * exposeTensors over real models: which requested names become graph outputs, which are inputs,
 * outputs already, weights, subgraph values (silero's If branches) or unknown; the input model is
 * left untouched; every added output declares an element type.
 */
import { describe, expect, it } from 'vitest';
import { DataType } from '../onnx/codec.js';
import type { onnx } from '../onnx/codec.js';
import { exposeTensors } from '../transform/expose-tensors.js';
import { walkGraphs } from '../transform/graph-edit.js';
import { corpusModel, hasCorpus, sampleModel } from '../../test-support/models.js';

const FLOATS = new Set<number>([DataType.FLOAT, DataType.FLOAT16, DataType.DOUBLE]);

function mainOutputs(model: onnx.IModelProto): string[] {
  return (model.graph?.node ?? []).flatMap((n) => n.output ?? []).filter(Boolean);
}

describe('exposeTensors on the digits CNN', () => {
  it('sorts the requested names and adds only intermediates', () => {
    const { model } = sampleModel('digits_cnn.onnx');
    const outputsBefore = model.graph?.output?.length ?? 0;
    const names = ['input', 'logits', 'features.0.weight', 'nope', '/features/features.0/Conv_output_0', '/features/features.2/Relu_output_0', '/features/features.0/Conv_output_0'];
    const r = exposeTensors(model, names);
    expect(r.exposed).toEqual(['/features/features.0/Conv_output_0', '/features/features.2/Relu_output_0']);
    expect(r.inputs).toEqual(['input']);
    expect(r.outputs).toEqual(['logits']);
    expect(r.unavailable.map((u) => u.name)).toEqual(['features.0.weight', 'nope']);
    expect(r.warnings).toHaveLength(2);
    expect(model.graph?.output?.length).toBe(outputsBefore);
    expect(r.model.graph?.output?.map((o) => o.name)).toEqual(['logits', ...r.exposed]);
    for (const o of r.model.graph?.output ?? []) expect(o.type?.tensorType?.elemType).toBe(DataType.FLOAT);
  });
});

const CORPUS = ['mnist-8_cntk.onnx', 'digits_attn_op14.onnx', 'ultraface_rfb320.onnx', 'melspectrogram.onnx', 'embedding_model.onnx', 'mobilenet_v2_random_op13.onnx'];

describe.skipIf(!hasCorpus())('exposeTensors on corpus models: every node output requested', () => {
  it.each(CORPUS)('%s', (file) => {
    const { model } = corpusModel(file);
    const names = mainOutputs(model);
    const r = exposeTensors(model, names);
    const graphOutputs = new Set((model.graph?.output ?? []).map((o) => o.name));
    // Every name lands in exactly one bucket.
    const buckets = [...r.exposed, ...r.outputs, ...r.inputs, ...r.unavailable.map((u) => u.name)];
    expect(new Set(buckets).size).toBe(buckets.length);
    expect(new Set(buckets)).toEqual(new Set(names));
    expect(r.outputs.every((n) => graphOutputs.has(n))).toBe(true);
    for (const u of r.unavailable) expect(u.reason).toMatch(/weight|not a float/);
    const added = (r.model.graph?.output ?? []).slice(graphOutputs.size);
    expect(added.map((o) => o.name)).toEqual(r.exposed);
    for (const o of added) expect(FLOATS.has(o.type?.tensorType?.elemType ?? 0), o.name ?? '').toBe(true);
  });

  it('silero_vad_legacy.onnx: values inside If branches are reported, not exposed', () => {
    const { model } = corpusModel('silero_vad_legacy.onnx');
    const inner: string[] = [];
    walkGraphs(model, (scope) => {
      if (scope.path) for (const n of scope.graph.node ?? []) if (n.opType === 'Conv' || n.opType === 'LSTM') inner.push(...(n.output ?? []).filter(Boolean));
    });
    expect(inner.length).toBeGreaterThan(10);
    const r = exposeTensors(model, [...inner, 'input', 'output']);
    expect(r.exposed).toEqual([]);
    expect(r.inputs).toEqual(['input']);
    expect(r.outputs).toEqual(['output']);
    expect(r.unavailable).toHaveLength(new Set(inner).size);
    expect(r.warnings.join('\n')).toMatch(/inside a subgraph/);
  });
});
