import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DataType, decodeModelProto } from '../onnx/codec.js';
import { floatTensor, model } from '../graph/test-models.js';
import { summarizeModel, toInspectReport } from './summary.js';
import type { ModelSummary } from './summary.js';

const CORPUS = fileURLToPath(new URL('../../../../shared/corpus/', import.meta.url));
const hasCorpus = existsSync(CORPUS);
const note = hasCorpus ? '' : ` — SKIPPED: the test corpus is not at ${CORPUS}`;
const FILES = hasCorpus ? readdirSync(`${CORPUS}models`).filter((f) => f.endsWith('.onnx')).sort() : [];

const INSPECT_KEYS = ['irVersion', 'opsets', 'producer', 'inputs', 'outputs', 'nodeCount', 'opHistogram', 'parameterCount', 'weightBytes', 'fileBytes', 'macs'];

const summaries = new Map<string, ModelSummary>();
function summary(file: string): ModelSummary {
  let s = summaries.get(file);
  if (!s) {
    const bytes = new Uint8Array(readFileSync(`${CORPUS}models/${file}`));
    s = summarizeModel(decodeModelProto(bytes), { fileBytes: bytes.byteLength });
    summaries.set(file, s);
  }
  return s;
}

/** Paths of anything that is not plain JSON data (Long, typed arrays, functions, undefined, NaN). */
function nonJson(v: unknown, path = '$'): string[] {
  if (v === null || typeof v === 'string' || typeof v === 'boolean') return [];
  if (typeof v === 'number') return Number.isFinite(v) ? [] : [path];
  if (Array.isArray(v)) return v.flatMap((x, i) => nonJson(x, `${path}[${i}]`));
  if (typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype) {
    return Object.entries(v as Record<string, unknown>).flatMap(([k, x]) => nonJson(x, `${path}.${k}`));
  }
  return [path];
}

describe(`summarizeModel over the corpus${note}`, () => {
  it.skipIf(!hasCorpus).each(FILES)('%s: plain JSON, the exact inspect contract, consistent totals', (file) => {
    const s = summary(file);
    expect(nonJson(s)).toEqual([]);
    expect(JSON.parse(JSON.stringify(s))).toEqual(s);
    expect(structuredClone(s)).toEqual(s);
    const report = toInspectReport(s);
    expect(Object.keys(report)).toEqual(INSPECT_KEYS);
    expect(Object.keys(report.producer)).toEqual(['name', 'version']);
    for (const t of [...report.inputs, ...report.outputs]) expect(Object.keys(t)).toEqual(['name', 'dtype', 'shape']);
    expect(report.fileBytes).toBe(readFileSync(`${CORPUS}models/${file}`).byteLength);
    expect(report.weightBytes).toBeLessThanOrEqual(report.fileBytes);
    expect(Object.values(s.paramsByDtype).reduce((a, t) => a + t.elements, 0)).toBe(s.parameterCount);
    expect(Object.values(s.bytesByDtype).reduce((a, t) => a + t.bytes, 0)).toBe(s.weightBytes);
    const sizes = s.largestWeights.map((w) => w.bytes);
    expect(sizes).toEqual([...sizes].sort((a, b) => b - a));
    expect(s.largestWeights.length).toBe(Math.min(10, s.weightCount));
    expect(s.issues.filter((i) => i.severity === 'error')).toEqual([]);
  });

  it.skipIf(!hasCorpus)('mnist-8: the whole inspect report', () => {
    expect(toInspectReport(summary('mnist-8_cntk.onnx'))).toEqual({
      irVersion: 3,
      opsets: { 'ai.onnx': 8 },
      producer: { name: 'CNTK', version: '2.5.1' },
      // IR 3 lists weights as graph inputs too; only the real input is reported.
      inputs: [{ name: 'Input3', dtype: 'float32', shape: [1, 1, 28, 28] }],
      outputs: [{ name: 'Plus214_Output_0', dtype: 'float32', shape: [1, 10] }],
      nodeCount: 12,
      opHistogram: { Reshape: 2, Conv: 2, Add: 3, Relu: 2, MaxPool: 2, MatMul: 1 },
      parameterCount: 5998,
      weightBytes: 24_008,
      fileBytes: 26_454,
      macs: 786_560,
    });
  });

  it.skipIf(!hasCorpus)('digits_attn: symbolic batch in and out, MACs per sample', () => {
    const s = summary('digits_attn_op14.onnx');
    expect(s.inputs).toEqual([{ name: 'input', dtype: 'float32', shape: ['batch', 1, 8, 8] }]);
    expect(s.outputs).toEqual([{ name: 'logits', dtype: 'float32', shape: ['batch', 10] }]);
    expect(s.macAssumedSymbols).toEqual(['batch']);
    expect(s.unknownMacNodes).toBe(0);
    expect(s.macs).toBeGreaterThan(0);
  });

  it.skipIf(!hasCorpus)('silero VAD: opsets by domain, subgraphs counted, outer inputs reported', () => {
    const s = summary('silero_vad_legacy.onnx');
    expect(s.opsets).toMatchObject({ 'ai.onnx': 16, 'com.microsoft': 1, 'ai.onnx.ml': 3 });
    expect(s.subgraphCount).toBe(18);
    expect(s.nodeCount).toBe(250);
    expect(s.opHistogram.If).toBe(9);
    expect(s.inputs.map((t) => t.name)).toEqual(['input', 'sr', 'h', 'c']);
    expect(s.inputs[1]).toEqual({ name: 'sr', dtype: 'int64', shape: [] });
    expect(s.outputs[1]).toEqual({ name: 'hn', dtype: 'float32', shape: [2, 'batch', 64] });
  });

  it.skipIf(!hasCorpus)('mobilenet_v2: ~300M MACs, Conv dominating; the largest weight is the classifier', () => {
    const s = summary('mobilenet_v2_random_op13.onnx');
    expect(s.macs).toBeGreaterThan(295e6);
    expect(s.macs).toBeLessThan(305e6);
    expect(s.macsByOpType.Conv).toBeGreaterThan(0.99 * (s.macs as number));
    expect(s.largestWeights[0]).toMatchObject({ dtype: 'float32', shape: [1000, 1280], bytes: 5_120_000, kind: 'initializer' });
    expect(s.paramsByDtype).toEqual({ float32: { tensors: 137, elements: 3_475_078, bytes: 13_900_312 } });
  });
});

describe('summarizeModel on synthetic models', () => {
  it('reports metadata, functions, model fields, and outputs it had to infer', () => {
    const m = model({
      opsets: { '': 17, 'com.example': 1 },
      inputs: [['x', DataType.FLOAT, ['n', 4]]],
      outputs: [['y', DataType.FLOAT, undefined]],
      initializers: [floatTensor('w', [4, 3])],
      nodes: [{ op: 'MatMul', inputs: ['x', 'w'], outputs: ['y'] }],
    });
    m.docString = 'a doc';
    m.domain = 'org.example';
    m.metadataProps = [{ key: 'author', value: 'me' }];
    m.functions = [{ name: 'MyFn', domain: 'com.example', node: [] }];
    const s = summarizeModel(m, { fileBytes: 1234 });
    expect(s).toMatchObject({
      graphName: 'g',
      docString: 'a doc',
      modelDomain: 'org.example',
      modelVersion: 0,
      metadata: [{ key: 'author', value: 'me' }],
      functions: { count: 1, names: ['com.example.MyFn'] },
      opsets: { 'ai.onnx': 17, 'com.example': 1 },
      outputs: [{ name: 'y', dtype: 'float32', shape: ['n', 3] }],
      macs: 12,
      macAssumedSymbols: ['n'],
      fileBytes: 1234,
    });
    expect(nonJson(s)).toEqual([]);
  });

  it('never throws on odd protos (missing fields, empty subgraphs, attributes without values)', () => {
    const odd = [
      {},
      { graph: {} },
      { graph: { node: [{}] } },
      { graph: { node: [{ opType: 'Conv', input: ['x', 'w'], output: ['y'] }] } },
      { graph: { node: [{ opType: 'If', input: ['c'], output: ['y'], attribute: [{ name: 'then_branch', g: {} }] }] } },
      { graph: { node: [{ opType: 'Reshape', input: ['x', 's'], output: ['y'], attribute: [{ name: 'allowzero' }] }], initializer: [{ name: 's', dataType: 7 }] } },
      { graph: { node: [{ opType: 'Constant', output: ['c'], attribute: [{ name: 'value' }] }], output: [{}] } },
      { graph: { input: [{ name: 'x', type: { tensorType: { shape: { dim: [{}, { dimParam: '' }] } } } }], node: [{ opType: 'Slice', input: ['x', 'x', 'x'], output: ['y'] }] } },
    ];
    for (const m of odd) {
      const s = summarizeModel(m, { fileBytes: 0 });
      expect(nonJson(s)).toEqual([]);
    }
  });

  it('a model without a graph still summarises, with the error in issues', () => {
    const s = summarizeModel({ irVersion: null, opsetImport: [] }, { fileBytes: 0 });
    expect(s.nodeCount).toBe(0);
    expect(s.macs).toBeNull();
    expect(s.issues.map((i) => i.code)).toContain('missing-graph');
    expect(nonJson(s)).toEqual([]);
  });
});
