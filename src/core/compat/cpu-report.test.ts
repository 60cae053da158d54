/**
 * cpuReport's slow-pattern detection and grouping, table-driven over corpus models (and a few models
 * built with the codec for patterns the corpus lacks). Probe results here are data; the runtime test
 * (src/runtime/runtime.test.ts) feeds real ones.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { decodeModelProto, Long, onnx } from '../onnx/codec.js';
import { cpuReport } from './cpu-report.js';
import { collectOpSignatures } from './op-signatures.js';
import type { OpProbeResult } from './probe-types.js';

const CORPUS = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../../../shared/corpus');
const NODE = join(CORPUS, 'onnx-backend-tests', 'node');
const missing = !existsSync(NODE);
const load = (rel: string): onnx.ModelProto => decodeModelProto(new Uint8Array(readFileSync(join(CORPUS, rel))));

/** Probe results saying every signature runs, except those whose op is in `failing`. */
function probes(model: onnx.IModelProto, failing: Record<string, string> = {}): OpProbeResult[] {
  return collectOpSignatures(model).map(({ sample: _s, ...signature }) => {
    const reason = failing[signature.opType];
    return { signature, status: reason ? 'no-kernel' : 'runs', reason: reason ?? '', cached: false };
  });
}

const DT = onnx.TensorProto.DataType;
const L = (n: number): Long => Long.fromNumber(n);

/** A one-node model built with the codec, for patterns no corpus model has. */
function oneNode(node: onnx.INodeProto, inits: onnx.ITensorProto[], inputs: [string, number][], domain = ''): onnx.ModelProto {
  return onnx.ModelProto.create({
    irVersion: L(8),
    opsetImport: [{ domain: '', version: L(17) }, ...(domain ? [{ domain, version: L(1) }] : [])],
    graph: {
      name: 'g', node: [node], initializer: inits,
      input: inputs.map(([name, elemType]) => ({ name, type: { tensorType: { elemType } } })),
      output: (node.output ?? []).map((name) => ({ name })),
    },
  });
}

/** A tensor whose size comes from its dims, its data "external" (never allocated). */
const bigExternal = (name: string, dims: number[]): onnx.ITensorProto => ({
  name, dataType: DT.FLOAT, dims: dims.map(L), dataLocation: onnx.TensorProto.DataLocation.EXTERNAL,
  externalData: [{ key: 'location', value: 'weights.bin' }],
});

/** DequantizeLinear(int8) → Conv, the QDQ form ORT fuses into QLinearConv; weights [32, 32/group, 3, 3]. */
function qdqConv(group: number): onnx.ModelProto {
  const INT = onnx.AttributeProto.AttributeType.INT;
  const w = { name: 'wq', dataType: DT.INT8, dims: [32, 32 / group > 3 ? 3 : 32 / group, 3, 3].map(L), rawData: new Uint8Array(32 * 27) };
  const scale = { name: 's', dataType: DT.FLOAT, dims: [], floatData: [0.1] };
  const model = oneNode({ opType: 'Conv', input: ['x', 'w'], output: ['y'], attribute: [{ name: 'group', type: INT, i: L(group) }] }, [w, scale], [['xq', DT.INT8]]);
  (model.graph?.node ?? []).unshift(
    onnx.NodeProto.create({ opType: 'DequantizeLinear', input: ['xq', 's'], output: ['x'] }),
    onnx.NodeProto.create({ opType: 'DequantizeLinear', input: ['wq', 's'], output: ['w'] }),
  );
  return model;
}

describe.skipIf(missing)('cpuReport: slow patterns on real models', () => {
  const cases: [string, () => onnx.ModelProto, string | null, Map<string, number>?][] = [
    ['node/test_attention_4d_fp16', () => load('onnx-backend-tests/node/test_attention_4d_fp16/model.onnx'), 'float16 compute'],
    ['node/test_celu_bfloat16', () => load('onnx-backend-tests/node/test_celu_bfloat16/model.onnx'), 'bfloat16 compute'],
    ['node/test_maxpool_2d_uint8', () => load('onnx-backend-tests/node/test_maxpool_2d_uint8/model.onnx'), '8-bit MaxPool'],
    ['node/test_loop11', () => load('onnx-backend-tests/node/test_loop11/model.onnx'), 'operators inside Loop/Scan bodies'],
    ['node/test_scan9_sum', () => load('onnx-backend-tests/node/test_scan9_sum/model.onnx'), 'operators inside Loop/Scan bodies'],
    // The corpus' ConvInteger is u8×u8 (fast); a caller-supplied type map makes its weight int8.
    ['ConvInteger u8×s8 (types from a caller map)', () => load('onnx-backend-tests/node/test_convinteger_without_padding/model.onnx'),
      'ConvInteger with uint8 activations × int8 weights', new Map([['w', DT.INT8]])],
    ['node/test_convinteger_without_padding (u8×u8 is fast)', () => load('onnx-backend-tests/node/test_convinteger_without_padding/model.onnx'), '!ConvInteger with uint8 activations × int8 weights'],
    ['MatMulNBits', () => oneNode({ opType: 'MatMulNBits', domain: 'com.microsoft', input: ['a', 'b', 's'], output: ['y'] }, [], [['a', DT.FLOAT], ['b', DT.UINT8], ['s', DT.FLOAT]], 'com.microsoft'),
      'MatMulNBits (4-bit weights)'],
    ['QDQ depthwise Conv', () => qdqConv(32), 'depthwise/grouped convolution in int8'],
    ['QDQ dense Conv with reduction depth 27', () => qdqConv(1), 'int8 convolution with a small reduction depth (Cin·kh·kw < 64)'],
    ['float depthwise Conv', () => oneNode({ opType: 'Conv', input: ['xd', 'wd'], output: ['y'], attribute: [{ name: 'group', type: onnx.AttributeProto.AttributeType.INT, i: L(32) }] }, [], [['xd', DT.FLOAT], ['wd', DT.FLOAT]]),
      null],
    ['large Gather table (256 MB, external)', () => oneNode({ opType: 'Gather', input: ['table', 'ids'], output: ['y'] }, [bigExternal('table', [16_000_000, 4])], [['ids', DT.INT64]]),
      'very large Gather (embedding) tables'],
    ['model over 1 GiB (external)', () => oneNode({ opType: 'Relu', input: ['w'], output: ['y'] }, [bigExternal('w', [300_000_000])], []), 'model size'],
    ['models/digits_cnn_op13', () => load('models/digits_cnn_op13.onnx'), null],
    ['models/mobilenet_v2_random_op13', () => load('models/mobilenet_v2_random_op13.onnx'), null],
  ];
  it.each(cases)('%s', (_name, build, expected, types) => {
    const model = build();
    const report = cpuReport(model, probes(model), types ? { valueTypes: types } : {});
    const found = report.slow.map((s) => s.what);
    if (expected === null) expect(found).toEqual([]);
    else if (expected.startsWith('!')) expect(found).not.toContain(expected.slice(1));
    else {
      expect(found).toContain(expected);
      const entry = report.slow.find((s) => s.what === expected);
      expect(entry?.nodes).toBeGreaterThan(0);
      expect(entry?.why.length).toBeGreaterThan(40);
    }
    expect(report.unsupported).toEqual([]);
  });

  it('groups unsupported signatures by operator with their reasons and node counts', () => {
    const model = load('onnx-backend-tests/node/test_loop11/model.onnx');
    const report = cpuReport(model, probes(model, { Add: 'No WASM CPU kernel for Add (opset 11)' }));
    const add = report.unsupported.find((u) => u.op === 'Add');
    const addNodes = collectOpSignatures(model).filter((sig) => sig.opType === 'Add').reduce((n, sig) => n + sig.nodes, 0);
    expect(addNodes).toBeGreaterThan(0);
    expect(add?.nodes).toBe(addNodes);
    expect(add?.reason).toMatch(/No WASM CPU kernel for Add/);
    expect(report.signatures).toBe(probes(model).length);
  });
});
