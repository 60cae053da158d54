import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { formatModelError } from '../errors.js';
import type { ModelErrorCode } from '../errors.js';
import { fileKindError } from './kind-errors.js';
import type { FileKind, FileKindId } from './sniff.js';
import { sniffFile } from './sniff.js';
import {
  HDF5_HEADER,
  HF_CONFIG,
  HTML_PAGE,
  LFS_POINTER,
  NPY,
  ONNX_TEXT,
  ORT_FORMAT,
  PICKLE_V2,
  TFJS_MODEL,
  TORCH_LEGACY,
  concat,
  floatWeights,
  ggufFile,
  safetensorsFile,
  seededBytes,
  tfGraphDef,
  tfSavedModel,
  torchZip,
  zipOf,
} from './test-fixtures.js';
import { listZip } from './zip.js';

const CORPUS = fileURLToPath(new URL('../../../../shared/corpus/', import.meta.url));
const hasCorpus = existsSync(CORPUS);
const corpusNote = hasCorpus ? '' : ` — SKIPPED: the test corpus is not at ${CORPUS}`;
const corpus = (rel: string): Uint8Array => new Uint8Array(readFileSync(CORPUS + rel));

interface Case {
  readonly label: string;
  readonly name: string;
  readonly bytes: () => Uint8Array;
  readonly kind: FileKindId;
  readonly code: ModelErrorCode;
  /** What the one-line error must say (the file's kind, the command to run). */
  readonly says: RegExp;
}

function must<T>(v: T | undefined): T {
  if (v === undefined) throw new Error('expected a value');
  return v;
}

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

const CASES: Case[] = [
  { label: 'empty file', name: 'model.onnx', bytes: () => new Uint8Array(0), kind: 'empty', code: 'empty-file', says: /empty.*0 bytes/ },
  { label: 'PyTorch zip checkpoint', name: 'model.pt', bytes: () => torchZip(), kind: 'pytorch-zip', code: 'pytorch', says: /PyTorch checkpoint.*archive\/data\.pkl.*torch\.onnx\.export\(model, example_input, 'model\.onnx', opset_version=17\)/ },
  { label: 'TorchScript archive', name: 'model.pth', bytes: () => torchZip(true), kind: 'pytorch-zip', code: 'pytorch', says: /TorchScript.*torch\.onnx\.export/ },
  { label: 'PyTorch zip cut before its directory', name: 'model.bin', bytes: () => torchZip().subarray(0, 150), kind: 'pytorch-zip', code: 'pytorch', says: /PyTorch checkpoint/ },
  { label: 'legacy torch.save pickle', name: 'weights.pth', bytes: () => TORCH_LEGACY, kind: 'pytorch-legacy', code: 'pytorch', says: /PyTorch checkpoint.*legacy torch\.save/ },
  { label: 'pickle named like a checkpoint', name: 'weights.pth', bytes: () => PICKLE_V2, kind: 'pytorch-legacy', code: 'pytorch', says: /PyTorch checkpoint/ },
  { label: 'plain pickle', name: 'model.pkl', bytes: () => PICKLE_V2, kind: 'pickle', code: 'pytorch', says: /Python pickle.*protocol 2.*skl2onnx/ },
  { label: 'Keras HDF5', name: 'model.h5', bytes: () => HDF5_HEADER, kind: 'hdf5', code: 'keras-h5', says: /HDF5.*Keras.*tf2onnx\.convert --keras model\.h5/ },
  { label: 'HDF5 after a 512-byte user block', name: 'weights.hdf5', bytes: () => concat(new Uint8Array(512), HDF5_HEADER), kind: 'hdf5', code: 'keras-h5', says: /HDF5/ },
  { label: 'Keras 3 .keras', name: 'model.keras', bytes: () => zipOf({ 'metadata.json': '{}', 'config.json': '{}', 'model.weights.h5': HDF5_HEADER }), kind: 'keras-v3', code: 'keras-h5', says: /Keras 3.*format='onnx'/ },
  { label: 'TensorFlow SavedModel', name: 'saved_model.pb', bytes: tfSavedModel, kind: 'tf-savedmodel', code: 'tf-savedmodel', says: /SavedModel.*variables\/.*--saved-model DIR --output model\.onnx/ },
  { label: 'SavedModel under another name', name: 'exported.pb', bytes: tfSavedModel, kind: 'tf-savedmodel', code: 'tf-savedmodel', says: /SavedModel/ },
  { label: 'SavedModel text', name: 'saved_model.pbtxt', bytes: () => utf8('saved_model_schema_version: 1\nmeta_graphs {\n}\n'), kind: 'tf-savedmodel', code: 'tf-savedmodel', says: /SavedModel/ },
  { label: 'frozen GraphDef', name: 'frozen_graph.pb', bytes: tfGraphDef, kind: 'tf-graphdef', code: 'tf-graphdef', says: /GraphDef.*first op: Placeholder.*--graphdef frozen_graph\.pb/ },
  { label: 'safetensors', name: 'model.safetensors', bytes: safetensorsFile, kind: 'safetensors', code: 'unsupported', says: /safetensors.*weights only \(2 tensors\).*no graph.*export the model from its framework/ },
  // Header length 0x0380: its first bytes 80 03 look like a pickle's PROTO 3.
  { label: 'safetensors that starts like a pickle', name: 'model.safetensors', bytes: () => safetensorsFile(0x380), kind: 'safetensors', code: 'unsupported', says: /safetensors/ },
  { label: 'GGUF', name: 'llama.gguf', bytes: ggufFile, kind: 'gguf', code: 'unsupported', says: /GGUF.*v3/ },
  { label: 'NumPy array', name: 'x.npy', bytes: () => NPY, kind: 'numpy', code: 'unsupported', says: /NumPy/ },
  { label: 'NumPy archive', name: 'x.npz', bytes: () => zipOf({ 'a.npy': NPY, 'b.npy': NPY }), kind: 'numpy', code: 'unsupported', says: /\.npz/ },
  { label: 'ORT format', name: 'model.ort', bytes: () => ORT_FORMAT, kind: 'ort-format', code: 'unsupported', says: /ONNX Runtime \.ort/ },
  { label: 'zip holding a model', name: 'model.zip', bytes: () => zipOf({ 'resnet/model.onnx': new Uint8Array(8), 'resnet/model.onnx.data': new Uint8Array(8), 'README.md': '#' }), kind: 'zip', code: 'archive', says: /zip archive.*resnet\/model\.onnx.*unzip it and select model\.onnx/ },
  { label: 'zipped SavedModel', name: 'export.zip', bytes: () => zipOf({ 'export/saved_model.pb': tfSavedModel(), 'export/variables/variables.index': '' }), kind: 'zip', code: 'archive', says: /zipped TensorFlow SavedModel/ },
  { label: 'zip of other things', name: 'stuff.zip', bytes: () => zipOf({ 'a.txt': 'a', 'b.txt': 'b', 'c.txt': 'c', 'd.txt': 'd' }), kind: 'zip', code: 'archive', says: /4 files \(a\.txt, b\.txt, c\.txt, …\) and no \.onnx/ },
  { label: 'Git LFS pointer', name: 'model.onnx', bytes: () => LFS_POINTER, kind: 'git-lfs-pointer', code: 'text-file', says: /Git LFS pointer.*for a 26,454-byte file.*git lfs pull/ },
  { label: 'saved web page', name: 'model.onnx', bytes: () => HTML_PAGE, kind: 'html', code: 'text-file', says: /web page.*resolve/ },
  { label: 'Hugging Face config', name: 'config.json', bytes: () => HF_CONFIG, kind: 'hf-config', code: 'text-file', says: /Hugging Face config\.json.*optimum-cli/ },
  { label: 'TensorFlow.js model.json', name: 'model.json', bytes: () => TFJS_MODEL, kind: 'tfjs', code: 'unsupported', says: /TensorFlow\.js.*--tfjs model\.json/ },
  { label: 'other JSON', name: 'labels.json', bytes: () => utf8('["cat", "dog"]'), kind: 'json', code: 'text-file', says: /JSON file/ },
  { label: 'ONNX text format', name: 'model.onnxtxt', bytes: () => ONNX_TEXT, kind: 'text', code: 'text-file', says: /text file.*starts with “<”/ },
  { label: 'external data by name', name: 'model.onnx.data', bytes: () => seededBytes(4096, 7), kind: 'onnx-external-data', code: 'not-onnx', says: /external data.*select the \.onnx together with its data files \(they must keep their names\)/ },
  { label: 'external data by content', name: 'weights', bytes: () => floatWeights(2048, 3), kind: 'onnx-external-data', code: 'not-onnx', says: /external data/ },
  { label: 'random bytes', name: 'model.onnx', bytes: () => seededBytes(4096, 42), kind: 'unknown', code: 'not-onnx', says: /not an ONNX model.*first bytes/ },
  { label: 'other protobuf', name: 'message.pb', bytes: () => Uint8Array.from([0x08, 0x96, 0x01, 0x10, 0x02, 0x18, 0x03]), kind: 'protobuf', code: 'not-onnx', says: /protobuf file, but not an ONNX model/ },
];

describe('sniffFile recognises what was dropped', () => {
  it.each(CASES)('$label', (c) => {
    const kind = sniffFile(c.name, c.bytes());
    expect(kind.kind).toBe(c.kind);
    const error = must(fileKindError(kind, c.name));
    expect(error.code).toBe(c.code);
    const line = formatModelError(error);
    expect(line).toMatch(c.says);
    expect(line).not.toContain('\n');
    expect(error.title.endsWith('.')).toBe(false);
    expect(error.hint.length).toBeGreaterThan(10);
  });

  it('never calls seeded random bytes an ONNX model (500 seeds, 64 B – 64 KB)', () => {
    const kinds = new Map<string, number>();
    for (let seed = 1; seed <= 500; seed++) {
      const size = 64 + ((seed * 7919) % 65_536);
      const kind = sniffFile('model.onnx', seededBytes(size, seed));
      kinds.set(kind.kind, (kinds.get(kind.kind) ?? 0) + 1);
    }
    expect(Object.fromEntries(kinds)).toEqual({ unknown: 500 });
  });

  it('reports how far a cut ONNX file should have gone', () => {
    // ir_version 8, producer "x", then a graph declared as 1,000 bytes of which 10 are present.
    const bytes = concat(Uint8Array.from([0x08, 0x08, 0x12, 0x01, 0x78, 0x3a, 0xe8, 0x07]), new Uint8Array(10).fill(0x0a));
    const kind: FileKind = sniffFile('model.onnx', bytes);
    expect(kind).toEqual({ kind: 'onnx', truncated: { have: 18, need: 1008, field: 'graph' } });
    expect(formatModelError(must(fileKindError(kind, 'model.onnx')))).toBe(
      'model.onnx: The ONNX file is truncated. It has 18 bytes, but its graph runs to byte 1,008: at least 990 bytes are cut off. — download or copy it again; the transfer was interrupted',
    );
  });

  it('does not depend on field order', () => {
    // opset_import, graph, then ir_version last: still a ModelProto.
    const graph = Uint8Array.from([0x12, 0x01, 0x67]); // GraphProto { name: "g" }
    const opset = Uint8Array.from([0x10, 0x11]); // OperatorSetIdProto { version: 17 }
    const bytes = concat(Uint8Array.from([0x42, opset.length]), opset, Uint8Array.from([0x3a, graph.length]), graph, Uint8Array.from([0x08, 0x08]));
    expect(sniffFile('reordered.bin', bytes)).toEqual({ kind: 'onnx' });
  });

  it('lists zip entries from the central directory, and from local headers when it is cut off', () => {
    const zip = torchZip();
    expect(listZip(zip)).toEqual({ names: ['archive/data.pkl', 'archive/byteorder', 'archive/data/0', 'archive/version'], total: 4, complete: true });
    expect(listZip(zip.subarray(0, 200)).names.slice(0, 2)).toEqual(['archive/data.pkl', 'archive/byteorder']);
  });
});

describe.skipIf(!hasCorpus)(`sniffFile on the corpus${corpusNote}`, () => {
  it('every model in models/ is ONNX', () => {
    const files = readdirSync(CORPUS + 'models').filter((f) => f.endsWith('.onnx'));
    expect(files.length).toBeGreaterThanOrEqual(10);
    for (const f of files) expect(sniffFile(f, corpus(`models/${f}`)), f).toEqual({ kind: 'onnx' });
  });

  it('every TensorFlow Lite file is TFLite, with the tf2onnx --tflite command', () => {
    const files = readdirSync(CORPUS + 'tflite');
    expect(files.length).toBeGreaterThanOrEqual(6);
    for (const f of files) {
      const kind = sniffFile(f, corpus(`tflite/${f}`));
      expect(kind.kind, f).toBe('tflite');
      expect(formatModelError(must(fileKindError(kind, f)))).toContain(`python -m tf2onnx.convert --tflite ${f} --output model.onnx`);
    }
  });

  it('every backend-test model is ONNX and its first input is a tensor or a value', () => {
    const root = `${CORPUS}onnx-backend-tests/node/`;
    const kinds = new Map<string, number>();
    for (const dir of readdirSync(root)) {
      expect(sniffFile('model.onnx', new Uint8Array(readFileSync(`${root}${dir}/model.onnx`))).kind, dir).toBe('onnx');
      const input = `${root}${dir}/test_data_set_0/input_0.pb`;
      if (!existsSync(input)) continue;
      const k = sniffFile('input_0.pb', new Uint8Array(readFileSync(input))).kind;
      kinds.set(k, (kinds.get(k) ?? 0) + 1);
    }
    expect([...kinds.keys()].sort()).toEqual(['onnx-tensor', 'onnx-value']);
    expect(kinds.get('onnx-tensor')).toBeGreaterThan(1500);
    expect(kinds.get('onnx-value')).toBeGreaterThan(10);
  });

  it('names the tensor in a test-data file', () => {
    const kind = sniffFile('input_0.pb', corpus('onnx-backend-tests/node/test_abs/test_data_set_0/input_0.pb'));
    expect(kind).toEqual({ kind: 'onnx-tensor', name: 'x', dataType: 1, dims: [3, 4, 5] });
    expect(fileKindError(kind, 'input_0.pb')?.message).toContain("('x', float32 [3, 4, 5])");
  });
});
