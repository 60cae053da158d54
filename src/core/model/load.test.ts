import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatModelError } from '../errors.js';
import type { ModelError, Result } from '../errors.js';
import { decodeModelProto, encodeModelProto, toNumber } from '../onnx/codec.js';
import { tensorBytes } from '../onnx/tensor.js';
import { forEachTensor, inlineExternalData } from '../format/external-data.js';
import { walkWire } from '../format/wire.js';
import { HDF5_HEADER, PICKLE_V2, concat, externalize, seededBytes, tfGraphDef, tfSavedModel, torchZip } from '../format/test-fixtures.js';
import type { InputFile, LoadedModel } from './load.js';
import { loadModel, MAX_SINGLE_BUFFER_BYTES, sizeWarnings } from './load.js';

const CORPUS = fileURLToPath(new URL('../../../../shared/corpus/', import.meta.url));
const hasCorpus = existsSync(CORPUS);
const corpusNote = hasCorpus ? '' : ` — SKIPPED: the test corpus is not at ${CORPUS}`;
const corpus = (rel: string): Uint8Array => new Uint8Array(readFileSync(CORPUS + rel));
const file = (name: string, bytes: Uint8Array): InputFile => ({ name, bytes });

/** Byte equality without vitest's element-by-element diffing (slow on megabytes). */
function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
}

function must<T>(v: T | null | undefined, what = 'a value'): T {
  if (v === null || v === undefined) throw new Error(`expected ${what}`);
  return v;
}

function failure(r: Result<LoadedModel>): ModelError {
  if (r.ok) throw new Error(`expected an error, got a model (${r.value.fileName})`);
  return r.error;
}
function success(r: Result<LoadedModel>): LoadedModel {
  if (!r.ok) throw new Error(`expected a model: ${formatModelError(r.error)}`);
  return r.value;
}

describe('loadModel: bad input is an error value, never a throw', () => {
  const cases: Array<{ label: string; files: () => InputFile[]; code: ModelError['code']; says: RegExp }> = [
    { label: 'no files', files: () => [], code: 'empty-file', says: /No file/ },
    { label: 'an empty file', files: () => [file('model.onnx', new Uint8Array(0))], code: 'empty-file', says: /empty/ },
    { label: 'a PyTorch zip', files: () => [file('model.pt', torchZip())], code: 'pytorch', says: /torch\.onnx\.export/ },
    { label: 'a pickle', files: () => [file('model.pth', PICKLE_V2)], code: 'pytorch', says: /pickle/ },
    { label: 'an HDF5 header', files: () => [file('model.h5', HDF5_HEADER)], code: 'keras-h5', says: /tf2onnx/ },
    { label: 'a GraphDef', files: () => [file('graph.pb', tfGraphDef())], code: 'tf-graphdef', says: /--graphdef/ },
    { label: 'a SavedModel', files: () => [file('saved_model.pb', tfSavedModel())], code: 'tf-savedmodel', says: /--saved-model/ },
    { label: 'two models at once', files: () => [file('a.onnx', new Uint8Array(1)), file('b.onnx', new Uint8Array(1))], code: 'unsupported', says: /Several ONNX models.*a\.onnx, b\.onnx/ },
    { label: 'only data files', files: () => [file('model.onnx.data', seededBytes(100, 1)), file('model.pt', torchZip())], code: 'pytorch', says: /PyTorch/ },
    { label: 'only an external data file', files: () => [file('model.onnx_data', seededBytes(100, 1))], code: 'not-onnx', says: /external data/ },
  ];
  it.each(cases)('$label', (c) => {
    const e = failure(loadModel(c.files()));
    expect(e.code).toBe(c.code);
    expect(formatModelError(e)).toMatch(c.says);
  });

  it('random bytes never load (300 seeds, 1 B – 20 KB) and are called not-ONNX', () => {
    const codes = new Map<string, number>();
    for (let seed = 1; seed <= 300; seed++) {
      const size = seed <= 30 ? seed : 1 + ((seed * 104_729) % 20_000);
      const r = loadModel([file('model.onnx', seededBytes(size, seed))]);
      const code = failure(r).code;
      codes.set(code, (codes.get(code) ?? 0) + 1);
    }
    // 1-byte files that happen to be a ModelProto tag are honestly "truncated"; nothing ever loads.
    expect([...codes.keys()].filter((c) => c !== 'not-onnx' && c !== 'truncated')).toEqual([]);
    expect(codes.get('not-onnx')).toBeGreaterThan(290);
  });

  it('a damaged graph (bad wire type inside) is reported as damaged, not as not-ONNX', () => {
    if (!hasCorpus) return;
    const bytes = corpus('models/mnist-8_cntk.onnx').slice();
    const graph = must(walkWire(bytes).fields.find((f) => f.field === 7), 'a graph field');
    bytes[graph.valueStart] = 0x0f; // field 1 with wire type 7: no such wire type
    const e = failure(loadModel([file('mnist.onnx', bytes)]));
    expect(e.code).toBe('invalid-model');
    expect(formatModelError(e)).toMatch(/damaged.*invalid wire type 7/);
  });
});

describe('sizeWarnings', () => {
  it('warns about the 2 GB single-buffer limit of onnxruntime-web and the WASM memory', () => {
    expect(sizeWarnings(30_000_000, 0)).toEqual([]);
    expect(sizeWarnings(MAX_SINGLE_BUFFER_BYTES + 1, 0)[0]).toMatch(/2\.15 GB in one file; onnxruntime-web refuses single model buffers over 2 GB/);
    expect(sizeWarnings(100_000_000, 1_900_000_000)[0]).toMatch(/2\.00 GB of data.*32-bit WebAssembly/);
  });
});

describe.skipIf(!hasCorpus)(`loadModel on corpus models${corpusNote}`, () => {
  const models = hasCorpus ? readdirSync(CORPUS + 'models').filter((f) => f.endsWith('.onnx')) : [];

  it.each(models)('%s loads, zero copy', (name) => {
    const bytes = corpus(`models/${name}`);
    const m = success(loadModel([file(name, bytes)]));
    expect(m.fileName).toBe(name);
    expect(m.fileBytes).toBe(bytes.byteLength);
    expect(m.external.size).toBe(0);
    expect(m.warnings).toEqual([]);
    const graph = must(m.proto.graph);
    expect(graph.node?.length).toBeGreaterThan(0);
    // raw_data is a view into the file's buffer, not a copy.
    const raw = graph.initializer?.find((t) => (t.rawData?.byteLength ?? 0) > 0)?.rawData;
    if (raw) expect(raw.buffer).toBe(bytes.buffer);
  });

  it('mnist-8 facts', () => {
    const m = success(loadModel([file('mnist-8_cntk.onnx', corpus('models/mnist-8_cntk.onnx'))]));
    expect(toNumber(m.proto.irVersion)).toBe(3);
    expect(m.proto.opsetImport.map((o) => [o.domain, toNumber(o.version)])).toEqual([['', 8]]);
    expect(must(m.proto.graph).node).toHaveLength(12);
    expect(must(m.proto.graph).initializer).toHaveLength(8);
    expect(m.proto.producerName).toBe('CNTK');
  });

  const cutModels = ['mnist-8_cntk.onnx', 'silero_vad_legacy.onnx', 'digits_attn_op14.onnx'];
  it.each(cutModels)('%s cut at 10 points is "truncated", with byte counts', (name) => {
    const bytes = corpus(`models/${name}`);
    const n = bytes.byteLength;
    for (const at of [1, 2, 5, 9, 20, 100, 1000, Math.floor(n / 2), n - 100, n - 1]) {
      const e = failure(loadModel([file(name, bytes.subarray(0, at))]));
      expect(e.code, `cut at ${at}`).toBe('truncated');
      const line = formatModelError(e);
      expect(line).toMatch(/truncated/);
      if (at > 20) expect(line, `cut at ${at}`).toMatch(new RegExp(`It has ${at.toLocaleString('en-US')} bytes, but its (graph|opset_import) runs to byte`));
    }
  });

  it('a file cut exactly between top-level fields is truncated too, and says what is missing', () => {
    const bytes = corpus('models/mnist-8_cntk.onnx');
    const graph = must(walkWire(bytes).fields.find((f) => f.field === 7), 'a graph field');
    expect(graph.valueEnd).toBeLessThan(bytes.byteLength);
    const afterGraph = failure(loadModel([file('mnist.onnx', bytes.subarray(0, graph.valueEnd))]));
    expect(afterGraph.code).toBe('truncated');
    expect(afterGraph.message).toBe('It ends right after its graph; the operator sets (opset_import) that follow it are missing.');
    const beforeGraph = failure(loadModel([file('mnist.onnx', bytes.subarray(0, graph.start))]));
    expect(beforeGraph.code).toBe('truncated');
    expect(beforeGraph.message).toBe(`It ends after ${graph.start} bytes of header (IR version 3); the graph is missing.`);
  });

  it('warns about files the model does not use, and picks the .onnx among them', () => {
    const m = success(loadModel([file('notes.txt', new TextEncoder().encode('hi')), file('mnist.onnx', corpus('models/mnist-8_cntk.onnx'))]));
    expect(m.fileName).toBe('mnist.onnx');
    expect(m.warnings).toEqual(['Ignored notes.txt: the model does not use it.']);
  });

  it('finds a model renamed .pb among several files by its content', () => {
    const m = success(loadModel([file('weights.bin', seededBytes(64, 3)), file('model.pb', corpus('models/mnist-8_cntk.onnx'))]));
    expect(m.fileName).toBe('model.pb');
  });
});

describe.skipIf(!hasCorpus)(`external data${corpusNote}`, () => {
  const convert = (rel: string, location: string, minBytes = 1) => {
    const original = corpus(rel);
    const ext = externalize(decodeModelProto(original), { location, minBytes, align: 64 });
    return { original, model: encodeModelProto(ext.proto), data: ext.data, moved: ext.moved };
  };

  it.each([
    ['models/mnist-8_cntk.onnx', 'initializer'],
    ['models/silero_vad_legacy.onnx', 'subgraph'],
    ['onnx-backend-tests/node/test_constant/model.onnx', "attribute 'value' of Constant"],
  ])('%s: loads with its side file, every tensor byte-identical (%s)', (rel, where) => {
    const { original, model, data, moved } = convert(rel, 'model.onnx.data');
    expect(moved.some((m) => m.where.includes(where))).toBe(true);
    expect(model.byteLength).toBeLessThan(original.byteLength);

    const m = success(loadModel([file('model.onnx', model), file('model.onnx.data', data)]));
    expect(m.external.get('model.onnx.data')).toBe(data); // the caller's buffer itself: no copy
    expect(m.warnings).toEqual([]);

    const before: Uint8Array[] = [];
    forEachTensor(decodeModelProto(original), (t) => {
      const b = tensorBytes(t);
      if (b && b.byteLength > 0) before.push(b);
    });
    const after: Uint8Array[] = [];
    forEachTensor(m.proto, (t) => {
      const b = tensorBytes(t, m.external);
      if (b && b.byteLength > 0) after.push(b);
    });
    expect(after.length).toBe(before.length);
    expect(after.every((b, i) => sameBytes(b, must(before[i])))).toBe(true);
  });

  it('without its side file: names the file and the tensors that need it', () => {
    const { model, moved } = convert('models/mnist-8_cntk.onnx', 'mnist.weights');
    const e = failure(loadModel([file('mnist.onnx', model)]));
    expect(e.code).toBe('missing-external-data');
    expect(moved).toHaveLength(8);
    expect(formatModelError(e)).toBe(
      "mnist.onnx: The model's weights are in a separate file that was not selected. Missing mnist.weights (needed by 8 tensors: Parameter193, Parameter87, Parameter5 and 5 more). — select the .onnx together with its data files (they must keep their names)",
    );
    // The CLI asks differently.
    const cli = failure(loadModel([file('mnist.onnx', model)], { missingDataHint: 'pass it with --data FILE' }));
    expect(cli.hint).toBe('pass it with --data FILE');
  });

  it('names every missing file', () => {
    const proto = decodeModelProto(corpus('models/mnist-8_cntk.onnx'));
    const a = externalize(proto, { location: 'a.bin', minBytes: 1000 });
    const b = externalize(a.proto, { location: 'sub/b.bin' });
    const e = failure(loadModel([file('m.onnx', encodeModelProto(b.proto))]));
    expect(e.message).toMatch(/^Missing a\.bin \(needed by 2 tensors: Parameter193, Parameter87\); sub\/b\.bin \(needed by 6 tensors: Parameter5, Parameter6, Parameter88 and 3 more\)\.$/);
    // Given both (a browser gives base names only), it loads.
    success(loadModel([file('m.onnx', encodeModelProto(b.proto)), file('a.bin', a.data), file('b.bin', b.data)]));
  });

  it('a truncated side file is reported against the side file', () => {
    const { model, data } = convert('models/mnist-8_cntk.onnx', 'model.onnx.data');
    const e = failure(loadModel([file('model.onnx', model), file('model.onnx.data', data.subarray(0, data.byteLength - 100))]));
    expect(e.code).toBe('truncated');
    expect(e.file).toBe('model.onnx.data');
    expect(e.message).toMatch(new RegExp(`^model\\.onnx\\.data has ${(data.byteLength - 100).toLocaleString('en-US')} bytes, but the model reads up to byte ${data.byteLength.toLocaleString('en-US')} of it \\(2 tensors: Parameter193_reshape1_shape, Parameter194\\): the end is cut off\\.$`));
  });

  it('a stated length too small for the tensor is bad external data', () => {
    const { model, data } = convert('models/mnist-8_cntk.onnx', 'w.data');
    const proto = decodeModelProto(model);
    const t = must(must(must(proto.graph).initializer)[0]);
    must(must(t.externalData).find((kv) => kv.key === 'length')).value = '4';
    const e = failure(loadModel([file('m.onnx', encodeModelProto(proto)), file('w.data', data)]));
    expect(e.code).toBe('bad-external-data');
    expect(e.message).toMatch(/^Tensor Parameter193 needs 10,240 bytes but its entry in w\.data is 4 bytes long\.$/);
  });

  it('inlineExternalData makes the model self-contained again, bytes unchanged', () => {
    const { original, model, data } = convert('models/silero_vad_legacy.onnx', 'x.data');
    const m = success(loadModel([file('model.onnx', model), file('x.data', data)]));
    expect(inlineExternalData(m.proto, m.external)).toBeGreaterThan(200);
    const again = success(loadModel([file('again.onnx', encodeModelProto(m.proto))]));
    const bytesOf = (p: typeof again.proto): Uint8Array[] => {
      const out: Uint8Array[] = [];
      forEachTensor(p, (t) => out.push(tensorBytes(t) ?? new Uint8Array(0)));
      return out;
    };
    const expected = bytesOf(decodeModelProto(original));
    const got = bytesOf(again.proto);
    expect(got.length).toBe(expected.length);
    expect(got.every((b, i) => sameBytes(b, must(expected[i])))).toBe(true);
    expect(concat(...bytesOf(again.proto)).byteLength).toBeGreaterThan(data.byteLength / 2);
  });
});
