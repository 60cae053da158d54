/**
 * The codec against real files: decode → encode → decode gives back every field (roundtrip-equal.ts),
 * re-encoding reproduces the file byte for byte, and decoding is zero-copy (raw_data views the input).
 * Table-driven over ../shared/corpus (models/, light/, a spread of node tests, every stored tensor),
 * plus the message features the corpus lacks (functions, sparse initializers, metadata, unknown fields)
 * added to a real model.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { decodeModelProto, decodeTensorProto, encodeModelProto, encodeTensorProto, Long, onnx } from './codec.js';
import { dtypeName } from './dtypes.js';
import { messageDiffs } from './roundtrip-equal.js';

const REPO = resolve(fileURLToPath(new URL('.', import.meta.url)), '../../..');
const CORPUS = resolve(REPO, '../shared/corpus');
const BACKEND = join(CORPUS, 'onnx-backend-tests');
const missing = existsSync(BACKEND) ? undefined : `test corpus not found at ${CORPUS} (see shared/corpus/README.md)`;

const list = (dir: string, pred: (f: string) => boolean): string[] => (existsSync(dir) ? readdirSync(dir).filter(pred).sort() : []);

/** Every corpus model file, every 4th node test, and all small multi-node suites: a few hundred files. */
function modelFiles(): string[] {
  const files = [
    ...list(join(CORPUS, 'models'), (f) => f.endsWith('.onnx')).map((f) => join(CORPUS, 'models', f)),
    ...list(join(BACKEND, 'light'), (f) => f.endsWith('.onnx')).map((f) => join(BACKEND, 'light', f)),
  ];
  const nodeTests = list(join(BACKEND, 'node'), () => true);
  // Every 4th node test, plus the control-flow ones (subgraphs) by name.
  nodeTests.forEach((t, i) => {
    if (i % 4 === 0 || /^test_(if|loop|scan)/.test(t)) files.push(join(BACKEND, 'node', t, 'model.onnx'));
  });
  for (const suite of ['simple', 'pytorch-converted', 'pytorch-operator']) {
    for (const t of list(join(BACKEND, suite), () => true)) files.push(join(BACKEND, suite, t, 'model.onnx'));
  }
  return files.filter((f) => existsSync(f));
}

/** Stored test tensors whose graph input/output is a tensor (sequence/optional data are other messages). */
function tensorFiles(): string[] {
  const out: string[] = [];
  for (const suite of ['node', 'simple', 'pytorch-converted', 'pytorch-operator']) {
    for (const t of list(join(BACKEND, suite), () => true)) {
      const dir = join(BACKEND, suite, t, 'test_data_set_0');
      if (!existsSync(dir)) continue;
      const model = decodeModelProto(new Uint8Array(readFileSync(join(BACKEND, suite, t, 'model.onnx'))));
      const g = graphOf(model);
      const inits = new Set((g.initializer ?? []).map((i) => i.name));
      const values = { input: (g.input ?? []).filter((i) => !inits.has(i.name)), output: g.output ?? [] };
      for (const f of list(dir, (x) => x.endsWith('.pb'))) {
        const m = /^(input|output)_(\d+)\.pb$/.exec(f);
        const value = m ? values[m[1] as 'input' | 'output'][Number(m[2])] : undefined;
        if (value?.type?.tensorType) out.push(join(dir, f));
      }
    }
  }
  return out;
}

/** Every tensor in a model with raw_data: initializers and tensor attributes, in all subgraphs. */
function rawTensors(model: onnx.IModelProto): onnx.ITensorProto[] {
  const out: onnx.ITensorProto[] = [];
  const visit = (g: onnx.IGraphProto): void => {
    out.push(...(g.initializer ?? []));
    for (const n of g.node ?? []) {
      for (const a of n.attribute ?? []) {
        if (a.t) out.push(a.t);
        out.push(...(a.tensors ?? []));
        if (a.g) visit(a.g);
        for (const s of a.graphs ?? []) visit(s);
      }
    }
  };
  if (model.graph) visit(model.graph);
  return out.filter((t) => t.rawData && t.rawData.byteLength > 0);
}

/** Decoded messages are full instances; the generated types declare nested fields as optional. */
const graphOf = (m: onnx.IModelProto): onnx.IGraphProto => m.graph ?? {};
const nodesOf = (m: onnx.IModelProto): onnx.NodeProto[] => (graphOf(m).node ?? []) as onnx.NodeProto[];
const attrsOf = (m: onnx.IModelProto): onnx.AttributeProto[] => nodesOf(m).flatMap((n) => n.attribute as onnx.AttributeProto[]);

const short = (f: string): string => f.slice(CORPUS.length + 1);

it.runIf(missing !== undefined)('corpus-based codec tests are skipped: the corpus is absent', () => {
  console.warn(`codec.test.ts: ${missing}`);
});

describe.skipIf(missing !== undefined)('ONNX codec over the corpus', () => {
  const files = missing ? [] : modelFiles();

  it('covers a few hundred models, including subgraphs', () => {
    expect(files.length).toBeGreaterThan(300);
    const withSubgraphs = files.filter((f) => /test_(if|loop|scan)/.test(f));
    expect(withSubgraphs.length).toBeGreaterThanOrEqual(10);
  });

  it.each(files.map((f) => [short(f), f]))('%s: decode → encode → decode is field-equal and byte-identical', (_name, file) => {
    const bytes = new Uint8Array(readFileSync(file));
    const model = decodeModelProto(bytes);
    const encoded = encodeModelProto(model);
    const back = decodeModelProto(encoded);
    expect(messageDiffs(model, back)).toEqual([]);
    // The corpus files are canonical protobuf encodings, so field order and packing come back exactly.
    expect(Buffer.compare(Buffer.from(encoded), Buffer.from(bytes))).toBe(0);
  });

  it.each(files.map((f) => [short(f), f]))('%s: raw_data is a view into the input buffer (zero copy)', (_name, file) => {
    const buf = readFileSync(file);
    // Both a Node Buffer and a plain Uint8Array over its own ArrayBuffer.
    for (const bytes of [buf, new Uint8Array(buf)]) {
      const model = decodeModelProto(bytes);
      for (const t of rawTensors(model)) {
        const raw = t.rawData as Uint8Array;
        expect(raw.buffer).toBe(bytes.buffer);
        expect(raw.byteOffset).toBeGreaterThanOrEqual(bytes.byteOffset);
        expect(raw.byteOffset + raw.byteLength).toBeLessThanOrEqual(bytes.byteOffset + bytes.byteLength);
      }
    }
  });

  it('round-trips every stored tensor (input_*.pb / output_*.pb) of every element type in the corpus', () => {
    const seen = new Map<string, number>();
    let count = 0;
    for (const file of tensorFiles()) {
      const bytes = new Uint8Array(readFileSync(file));
      // Sequence/optional/map test data are other messages; TensorProto files carry a data_type.
      const t = decodeTensorProto(bytes);
      if (!t.dataType) continue;
      const encoded = encodeTensorProto(t);
      expect(messageDiffs(t, decodeTensorProto(encoded)), file).toEqual([]);
      expect(Buffer.compare(Buffer.from(encoded), Buffer.from(bytes)), file).toBe(0);
      const name = dtypeName(t.dataType);
      seen.set(name, (seen.get(name) ?? 0) + 1);
      count++;
    }
    expect(count).toBeGreaterThan(3000);
    // The corpus stores these element types; each must have been seen (and round-tripped) above.
    for (const d of ['float32', 'float64', 'float16', 'bfloat16', 'int8', 'uint8', 'int16', 'uint16', 'int32', 'uint32', 'int64', 'uint64',
      'bool', 'string', 'float8e4m3fn', 'float8e5m2', 'int4', 'uint4']) {
      expect(seen.get(d) ?? 0, `tensors of ${d}`).toBeGreaterThan(0);
    }
  });
});

describe.skipIf(missing !== undefined)('message features the corpus lacks, added to a real model', () => {
  const load = (): onnx.ModelProto => decodeModelProto(new Uint8Array(readFileSync(join(CORPUS, 'models', 'digits_mlp_op13.onnx'))));

  it('keeps functions, sparse initializers, metadata, training info and value_info', () => {
    const model = load();
    model.metadataProps = [{ key: 'author', value: 'test' }, { key: 'empty', value: '' }];
    model.functions = [{
      name: 'Double', domain: 'local', input: ['x'], output: ['y'], attribute: ['alpha'],
      attributeProto: [{ name: 'beta', type: onnx.AttributeProto.AttributeType.FLOAT, f: 0.5 }],
      node: [{ opType: 'Add', input: ['x', 'x'], output: ['y'], attribute: [{ name: 'ref', refAttrName: 'alpha', type: onnx.AttributeProto.AttributeType.FLOAT }] }],
      opsetImport: [{ domain: '', version: Long.fromNumber(13) }],
      metadataProps: [{ key: 'k', value: 'v' }],
    }];
    const graph = model.graph as onnx.GraphProto;
    graph.sparseInitializer = [{
      dims: [Long.fromNumber(4), Long.fromNumber(4)],
      values: { name: 'sparse_w', dataType: onnx.TensorProto.DataType.FLOAT, dims: [Long.fromNumber(2)], floatData: [1.5, -0] },
      indices: { dataType: onnx.TensorProto.DataType.INT64, dims: [Long.fromNumber(2)], int64Data: [Long.fromNumber(3), Long.fromString('9007199254740993')] },
    }];
    graph.valueInfo = [{ name: 'v', type: { sequenceType: { elemType: { tensorType: { elemType: 1, shape: { dim: [{ dimParam: 'N' }, { dimValue: Long.fromNumber(0) }] } } } } } }];
    model.trainingInfo = [{ algorithm: { name: 'step' }, updateBinding: [{ key: 'a', value: 'b' }] }];
    model.modelVersion = Long.fromString('18446744073709551615', true).toSigned();

    const bytes = encodeModelProto(model);
    const decoded = decodeModelProto(bytes);
    const back = decodeModelProto(encodeModelProto(decoded));
    expect(messageDiffs(decoded, back)).toEqual([]);
    expect(back.metadataProps.map((p) => [p.key, p.value])).toEqual([['author', 'test'], ['empty', '']]);
    expect(back.functions[0]?.attributeProto?.[0]?.f).toBe(0.5);
    expect(back.trainingInfo[0]?.updateBinding?.[0]?.value).toBe('b');
    expect(graphOf(back).valueInfo?.[0]?.type?.sequenceType?.elemType?.tensorType?.shape?.dim?.[0]?.dimParam).toBe('N');
    expect(back.modelVersion.toString()).toBe('-1');
    expect(back.functions[0]?.node?.[0]?.attribute?.[0]?.refAttrName).toBe('alpha');
    // int64 beyond 2^53 survives exactly.
    const sparse = graphOf(back).sparseInitializer?.[0];
    expect(sparse?.indices?.int64Data?.[1]?.toString()).toBe('9007199254740993');
    expect(Object.is(sparse?.values?.floatData?.[1], -0)).toBe(true);
    expect(Buffer.compare(Buffer.from(encodeModelProto(back)), Buffer.from(bytes))).toBe(0);
  });

  it('keeps fields it does not know (a newer onnx.proto) as raw bytes', () => {
    const original = new Uint8Array(readFileSync(join(CORPUS, 'models', 'digits_mlp_op13.onnx')));
    // Field 999, wire type 2 (length-delimited), 3 bytes: tag = (999 << 3) | 2 as a varint.
    const unknown = new Uint8Array([0xba, 0x3e, 3, 0x61, 0x62, 0x63]);
    const bytes = new Uint8Array(original.length + unknown.length);
    bytes.set(original);
    bytes.set(unknown, original.length);
    const model = decodeModelProto(bytes);
    expect(model.$unknowns?.length).toBe(1);
    const encoded = encodeModelProto(model);
    expect(Buffer.compare(Buffer.from(encoded), Buffer.from(bytes))).toBe(0);
    expect(messageDiffs(model, decodeModelProto(encoded))).toEqual([]);
  });
});

describe.skipIf(missing !== undefined)('roundtrip-equal finds each kind of difference', () => {
  const file = join(CORPUS, 'models', 'digits_cnn_op13.onnx');
  const fresh = (): onnx.ModelProto => decodeModelProto(new Uint8Array(readFileSync(file)));
  const cases: [string, (m: onnx.ModelProto) => void, RegExp][] = [
    ['an int64 (Long) value', (m) => { m.irVersion = m.irVersion.add(1); }, /^irVersion$/],
    ['Long signedness', (m) => { m.irVersion = m.irVersion.toUnsigned(); }, /^irVersion$/],
    ['one byte of raw_data', (m) => {
      const t = (graphOf(m).initializer as onnx.TensorProto[]).find((x) => x.rawData.byteLength > 0) as onnx.TensorProto;
      const copy = t.rawData.slice();
      copy[copy.length - 1] = (copy[copy.length - 1] as number) ^ 1;
      t.rawData = copy;
    }, /^graph\.initializer\[\d+\]\.rawData$/],
    ['presence of a field set to its default', (m) => { m.docString = ''; }, /^docString$/],
    ['an absent field', (m) => { delete (m as { producerName?: string }).producerName; }, /^producerName$/],
    ['a nested attribute value', (m) => {
      const a = attrsOf(m).find((x) => x.ints.length > 0) as onnx.AttributeProto;
      a.ints = [...a.ints.slice(0, -1), Long.fromNumber(12345)];
    }, /^graph\.node\[\d+\]\.attribute\[\d+\]\.ints\[\d+\]$/],
    ['a repeated field length', (m) => { nodesOf(m).pop(); }, /^graph\.node$/],
    ['negative zero in a float', (m) => {
      const a = attrsOf(m).find((x) => x.type === onnx.AttributeProto.AttributeType.FLOAT);
      if (a) a.f = Object.is(a.f, -0) ? 0 : -0;
      else nodesOf(m)[0]?.attribute.push(onnx.AttributeProto.create({ name: 'z', f: -0 }));
    }, /^graph\.node\[\d+\]\.attribute/],
  ];
  it.each(cases)('detects %s', (_what, mutate, path) => {
    const a = fresh();
    const b = fresh();
    expect(messageDiffs(a, b)).toEqual([]);
    mutate(b);
    const diffs = messageDiffs(a, b);
    expect(diffs.length).toBeGreaterThan(0);
    expect(diffs[0]?.path).toMatch(path);
  });
});

describe('SegmentWriter writes exactly what protobufjs writes', () => {
  const L = (s: string, unsigned = false): Long => Long.fromString(s, unsigned);
  const big = new Uint8Array(5000).map((_, i) => (i * 7) & 0xff);
  const tensors: [string, onnx.ITensorProto][] = [
    ['negative int32 (10-byte varints) and extremes', { dataType: 6, dims: [L('4')], int32Data: [-1, 0, 300, -2147483648, 2147483647] }],
    ['int64 negatives and extremes', { dataType: 7, dims: [L('3')], int64Data: [L('-1'), L('9223372036854775807'), L('-9223372036854775808'), L('128')] }],
    ['uint64 above 2^63', { dataType: 13, dims: [L('2')], uint64Data: [L('18446744073709551615', true), L('9007199254740993', true)] }],
    ['float and double specials', { dataType: 1, floatData: [NaN, -0, Infinity, -Infinity, 1.5, 3.4e38], doubleData: [NaN, -0, 5e-324, 1.7976931348623157e308] }],
    ['unicode names and strings', { name: 'é漢字😀\u0000x', docString: 'a'.repeat(200) + '€', dataType: 8, stringData: [new Uint8Array([0xf0, 0x9f, 0x98, 0x80]), new Uint8Array(0)] }],
    ['large raw_data (referenced, not copied)', { name: 'w', dataType: 2, dims: [L('5000')], rawData: big }],
    ['small raw_data and empty fields', { name: '', dataType: 2, dims: [], rawData: new Uint8Array([1, 2, 3]), externalData: [{ key: 'location', value: '' }] }],
  ];
  it.each(tensors)('%s', (_name, tensor) => {
    const expected = onnx.TensorProto.encode(tensor).finish();
    expect(Buffer.compare(Buffer.from(encodeTensorProto(tensor)), Buffer.from(expected))).toBe(0);
  });

  it('nested messages whose lengths need 1–3 varint bytes', () => {
    const node = (i: number): onnx.INodeProto => ({ name: `n${i}`, opType: 'Relu', input: [`x${i}`], output: [`x${i + 1}`], docString: 'd'.repeat(i * 37) });
    const model: onnx.IModelProto = {
      irVersion: L('9'),
      opsetImport: [{ domain: '', version: L('21') }],
      graph: { name: 'g', node: Array.from({ length: 60 }, (_, i) => node(i)), initializer: [{ name: 'big', dataType: 2, dims: [L('5000')], rawData: big }] },
    };
    const expected = onnx.ModelProto.encode(model).finish();
    expect(expected.byteLength).toBeGreaterThan(70_000);
    expect(Buffer.compare(Buffer.from(encodeModelProto(model)), Buffer.from(expected))).toBe(0);
  });
});
