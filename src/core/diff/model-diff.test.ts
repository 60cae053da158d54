import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { AttributeType, DataType, Long, decodeModelProto, encodeModelProto, onnx } from '../onnx/codec.js';
import { storageBytes } from '../onnx/dtypes.js';
import { elementCount, tensorDims } from '../onnx/tensor.js';
import { buildGraph } from '../graph/build-graph.js';
import type { GraphIR, IRNode } from '../graph/ir.js';
import { resolveWeightThroughIdentity } from '../graph/resolve.js';
import { syntheticTransformer } from '../graph/test-models.js';
import { diffModels } from './model-diff.js';
import { fp16Variant, qdqVariant, removeNodeVariant, renameNodeVariant, setAttributeVariant, stripNamesVariant } from './model-variants.js';
import type { ModelDiff } from './types.js';

const CORPUS = fileURLToPath(new URL('../../../../shared/corpus/', import.meta.url));
const hasCorpus = existsSync(CORPUS);
const note = hasCorpus ? '' : ` — SKIPPED: the test corpus is not at ${CORPUS}`;

const MODELS = [
  'mnist-8_cntk.onnx',
  'digits_cnn_op13.onnx',
  'digits_mlp_op13.onnx',
  'digits_attn_op14.onnx',
  'melspectrogram.onnx',
  'embedding_model.onnx',
  'silero_vad_legacy.onnx',
  'ultraface_rfb320.onnx',
  'squeezenet1_1_random_op13.onnx',
  'mobilenet_v2_random_op13.onnx',
];
/** Models whose Conv weights are float initializers of the main graph (silero's sit in If branches). */
const CONV_MODELS = ['mnist-8_cntk.onnx', 'digits_cnn_op13.onnx', 'ultraface_rfb320.onnx', 'squeezenet1_1_random_op13.onnx', 'mobilenet_v2_random_op13.onnx', 'embedding_model.onnx'];

const read = (file: string): onnx.ModelProto => decodeModelProto(new Uint8Array(readFileSync(`${CORPUS}models/${file}`)));
/** A variant as a file would hold it: encoded with the codec and decoded again. */
const roundTrip = (m: onnx.IModelProto): GraphIR => buildGraph(decodeModelProto(encodeModelProto(m)));
const diff = (a: GraphIR, b: GraphIR): ModelDiff => diffModels(a, b, { base: 'base.onnx', other: 'other.onnx' });
const mainOps = (ir: GraphIR, op: string): IRNode[] => ir.root?.nodes.filter((n) => n.opType === op) ?? [];

/** Bytes of every initializer and tensor Constant, walking the protos (not the IR). */
function protoBytes(g: onnx.IGraphProto): number {
  const bytes = (t: onnx.ITensorProto): number => storageBytes(t.dataType ?? 0, elementCount(tensorDims(t)));
  let n = (g.initializer ?? []).reduce((a, t) => a + bytes(t), 0);
  for (const node of g.node ?? []) {
    for (const a of node.attribute ?? []) {
      if (node.opType === 'Constant' && a.t) n += bytes(a.t);
      if (node.opType === 'Constant' && a.name === 'value_floats') n += 4 * (a.floats?.length ?? 0);
      if (node.opType === 'Constant' && a.name === 'value_ints') n += 8 * (a.ints?.length ?? 0);
      if (node.opType === 'Constant' && a.name === 'value_float') n += 4;
      if (node.opType === 'Constant' && a.name === 'value_int') n += 8;
      if (a.g) n += protoBytes(a.g);
      for (const sg of a.graphs ?? []) n += protoBytes(sg);
    }
  }
  return n;
}

describe(`diffModels(model, model): everything is the same${note}`, () => {
  it.skipIf(!hasCorpus).each(MODELS)('%s', (file) => {
    const a = buildGraph(read(file));
    const b = buildGraph(read(file));
    const d = diff(a, b);
    expect(d.added).toEqual([]);
    expect(d.removed).toEqual([]);
    expect(d.changed).toEqual([]);
    expect(d.sameCount).toBe(a.nodes.length);
    expect(Object.keys(d.baseStatus).length).toBe(a.nodes.length);
    expect(Object.values(d.baseStatus).every((s) => s === 'same')).toBe(true);
    expect(Object.values(d.otherStatus).every((s) => s === 'same')).toBe(true);
    expect(d.opCountDelta).toEqual({});
    expect(d.quantizedNodes).toEqual([]);
    // Two decodes of one file: every node is matched to the node at the same place.
    expect(d.matches).toEqual(Object.fromEntries(a.nodes.map((n) => [n.id, n.id])));
    expect(d.parameterBytes.base).toBe(d.parameterBytes.other);
    expect(d.parameterBytes.base).toBe(protoBytes(read(file).graph ?? {}));
  });

  it.skipIf(!hasCorpus).each(MODELS)('%s with every node name cleared: still all the same, matched by tensors', (file) => {
    const a = buildGraph(read(file));
    const d = diff(a, roundTrip(stripNamesVariant(read(file))));
    expect(d.added.length + d.removed.length + d.changed.length).toBe(0);
    expect(d.sameCount).toBe(a.nodes.length);
    // Main-graph nodes can only be matched by tensors now (subgraph nodes keep their names).
    expect(d.matchedBy?.name ?? 0).toBeLessThanOrEqual(a.nodes.length - (a.root?.nodes.length ?? 0));
    // Main-graph names are gone; subgraph names stay, so only main-graph nodes with a name are renamed.
    expect(d.renamed?.length).toBe(a.root?.nodes.filter((n) => n.name !== '').length);
  });
});

describe(`diffModels on a QDQ int8 copy: Conv/MatMul changed and quantized, Q/DQ added${note}`, () => {
  it.skipIf(!hasCorpus).each([...CONV_MODELS, 'digits_attn_op14.onnx'])('%s', (file) => {
    const base = read(file);
    const { model: q, report } = qdqVariant(base);
    const a = buildGraph(base);
    const b = roundTrip(q);
    const d = diff(a, b);
    const wrapped = new Set(report.nodes);
    expect(wrapped.size).toBeGreaterThan(0);
    const dqCount = report.weights.length + report.activations.length;
    expect(d.opCountDelta).toEqual({ DequantizeLinear: dqCount, QuantizeLinear: report.activations.length });
    expect(d.removed).toEqual([]);
    expect(d.added.length).toBe(dqCount + report.activations.length);
    expect(new Set(d.added.map((n) => n.opType))).toEqual(new Set(['QuantizeLinear', 'DequantizeLinear']));
    expect(d.added.every((n) => d.otherStatus[n.id] === 'added')).toBe(true);
    // Exactly the wrapped nodes changed, each with its weight now int8 behind a DequantizeLinear and its input rewired.
    expect(new Set(d.changed.map((c) => c.base.name || c.base.id))).toEqual(wrapped);
    for (const c of d.changed) {
      expect(c.changes.some((s) => /^weight (W|B): float32 \[.*\] → int8 \[.*\] \(via DequantizeLinear\)$/.test(s))).toBe(true);
      expect(c.changes.some((s) => /^input (X|A): .* → .*_dequantized \(from DequantizeLinear\)$/.test(s))).toBe(true);
      expect(d.baseStatus[c.base.id]).toBe('changed');
      expect(d.otherStatus[c.other.id]).toBe('changed');
    }
    expect(new Set(d.quantizedNodes.map((n) => n.id))).toEqual(new Set(d.changed.map((c) => c.other.id)));
    expect(d.sameCount).toBe(a.nodes.length - wrapped.size);
    // Bytes: each replaced float32 weight (4 B/element) becomes int8 (1 B) + float32 scales + int8 zero points;
    // each activation gains a float32 scale and a uint8 zero point.
    let delta = 0;
    for (const { q: values, scale } of report.quantized.values()) delta += values.length - 4 * values.length + 4 * scale.length + scale.length;
    delta += report.activations.length * 5;
    expect(d.parameterBytes.other - d.parameterBytes.base).toBe(delta);
  });
});

describe(`diffModels on an fp16 copy: readers of weights changed, Casts added${note}`, () => {
  it.skipIf(!hasCorpus).each(MODELS)('%s', (file) => {
    const base = read(file);
    const { model: h, converted } = fp16Variant(base);
    const a = buildGraph(base);
    const d = diff(a, roundTrip(h));
    expect(d.opCountDelta).toEqual(converted.length > 0 ? { Cast: converted.length } : {});
    expect(d.added.length).toBe(converted.length);
    expect(d.removed).toEqual([]);
    // Expected: every node reading a converted initializer (directly or through Identity), found here
    // with the graph module's resolver. Subgraph readers also make their If owner 'changed'.
    const done = new Set(converted);
    const readers = a.nodes.filter((n) => n.inputs.some((i) => {
      const w = i ? resolveWeightThroughIdentity(n.scope, i) : undefined;
      return w?.kind === 'initializer' && w.scope === a.root && done.has(w.name);
    }));
    const owners = new Set<IRNode>();
    for (const r of readers) for (let s = r.scope; s.owner; s = s.parent ?? s) owners.add(s.owner);
    expect(new Set(d.changed.map((c) => c.base.id))).toEqual(new Set([...readers, ...owners].map((n) => n.id)));
    for (const c of d.changed.filter((x) => readers.some((r) => r.id === x.base.id))) {
      expect(c.changes.some((s) => /^weight .*: float32 \[.*\] → float16 \[.*\] \(via Cast\)$/.test(s))).toBe(true);
    }
    expect(d.quantizedNodes).toEqual([]);
    const floatElements = a.root ? [...a.root.initializers.values()].filter((t) => t.dataType === DataType.FLOAT).reduce((s, t) => s + elementCount(tensorDims(t)), 0) : 0;
    expect(d.parameterBytes.base - d.parameterBytes.other).toBe(2 * floatElements);
  });
});

describe(`diffModels on single edits${note}`, () => {
  it.skipIf(!hasCorpus).each(CONV_MODELS)('%s: one activation removed → removed, its readers rewired', (file) => {
    const base = read(file);
    const a = buildGraph(base);
    const relu = ['Relu', 'LeakyRelu', 'Clip'].flatMap((op) => mainOps(a, op)).find((n) => !a.root?.outputs.includes(n.outputs[0] ?? ''));
    if (!relu) throw new Error('no activation to remove');
    const d = diff(a, roundTrip(removeNodeVariant(base, relu.index)));
    expect(d.removed).toEqual([{ id: relu.id, opType: relu.opType, name: relu.name }]);
    expect(d.baseStatus[relu.id]).toBe('removed');
    expect(d.added).toEqual([]);
    const readers = a.root?.consumers.get(relu.outputs[0] ?? '') ?? [];
    expect(new Set(d.changed.map((c) => c.base.id))).toEqual(new Set(readers.map((n) => n.id)));
    for (const c of d.changed) expect(c.changes.some((s) => s.startsWith('input '))).toBe(true);
    expect(d.sameCount).toBe(a.nodes.length - 1 - readers.length);
    expect(d.opCountDelta).toEqual({ [relu.opType]: -1 });
  });

  it.skipIf(!hasCorpus).each(CONV_MODELS)('%s: one Conv renamed → same node, listed as renamed', (file) => {
    const base = read(file);
    const a = buildGraph(base);
    const conv = mainOps(a, 'Conv')[1] as IRNode;
    const d = diff(a, roundTrip(renameNodeVariant(base, conv.index, 'renamed_conv')));
    expect(d.changed).toEqual([]);
    expect(d.added.length + d.removed.length).toBe(0);
    expect(d.renamed?.filter((r) => r.base.name !== r.other.name)).toEqual([{ base: { id: conv.id, opType: 'Conv', name: conv.name }, other: { id: conv.id, opType: 'Conv', name: 'renamed_conv' } }]);
    expect(d.sameCount).toBe(a.nodes.length);
  });

  it.skipIf(!hasCorpus).each(CONV_MODELS)('%s: one Conv attribute changed → changed with the attribute', (file) => {
    const base = read(file);
    const a = buildGraph(base);
    const conv = mainOps(a, 'Conv')[0] as IRNode;
    const d = diff(a, roundTrip(setAttributeVariant(base, conv.index, { name: 'group', type: AttributeType.INT, i: Long.fromNumber(7) })));
    const before = conv.proto.attribute?.some((x) => x.name === 'group') ? '1' : '(none)';
    expect(d.changed).toEqual([{ base: { id: conv.id, opType: 'Conv', name: conv.name }, other: { id: conv.id, opType: 'Conv', name: conv.name }, changes: [`attribute group: ${before} → 7`] }]);
    expect(d.sameCount).toBe(a.nodes.length - 1);
  });

  it.skipIf(!hasCorpus)('an op type replaced under the same name is a change of op type', () => {
    const base = read('digits_cnn_op13.onnx');
    const a = buildGraph(base);
    const relu = mainOps(a, 'Relu')[0] as IRNode;
    const g = base.graph as onnx.IGraphProto;
    const edited = { ...base, graph: { ...g, node: (g.node ?? []).map((n, i) => (i === relu.index ? { ...n, opType: 'Sigmoid' } : n)) } };
    const d = diff(a, roundTrip(edited));
    expect(d.changed.map((c) => c.changes)).toEqual([['op type: Relu → Sigmoid']]);
    expect(d.opCountDelta).toEqual({ Relu: -1, Sigmoid: 1 });
  });

  it.skipIf(!hasCorpus)('silero: an edit inside an If branch marks the node and its If owner', () => {
    const base = read('silero_vad_legacy.onnx');
    const a = buildGraph(base);
    const inner = a.nodes.find((n) => n.scope !== a.root && n.opType === 'Relu');
    if (!inner) throw new Error('no Relu in a branch');
    // Edit the proto in place on a fresh decode (subgraph protos are nested objects).
    const other = read('silero_vad_legacy.onnx');
    const b0 = buildGraph(other);
    const target = b0.nodeById.get(inner.id)?.proto;
    if (!target) throw new Error('node not found in the copy');
    target.attribute = [...(target.attribute ?? []), onnx.AttributeProto.create({ name: 'note', type: AttributeType.INT, i: Long.fromNumber(1) })];
    const d = diff(a, roundTrip(other));
    const ids = new Set(d.changed.map((c) => c.base.id));
    expect(ids.has(inner.id)).toBe(true);
    for (let s = inner.scope; s.owner; s = s.parent ?? s) expect(ids.has(s.owner.id)).toBe(true);
    expect(d.changed.length).toBe(1 + inner.scope.depth);
  });
});

describe('diffModels speed on large graphs', () => {
  it('a 10,000-node graph against itself and against a renamed copy', () => {
    const m = syntheticTransformer(10_000);
    const a = buildGraph(m);
    const t0 = performance.now();
    const same = diff(a, buildGraph(decodeModelProto(encodeModelProto(m))));
    const t1 = performance.now();
    expect(same.sameCount).toBe(a.nodes.length);
    const g = m.graph as onnx.IGraphProto;
    const named = { ...m, graph: { ...g, node: (g.node ?? []).map((n, i) => ({ ...n, name: `n${i}` })) } };
    const renamed = diff(buildGraph(named), a);
    const t2 = performance.now();
    expect(renamed.sameCount).toBe(a.nodes.length);
    expect(renamed.changed).toEqual([]);
    console.log(`diff of ${a.nodes.length} nodes: itself ${(t1 - t0).toFixed(0)} ms, renamed ${(t2 - t1).toFixed(0)} ms`);
    expect(t2 - t0).toBeLessThan(10_000);
  });
});
