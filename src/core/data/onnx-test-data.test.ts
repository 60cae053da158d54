import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeTensorProto } from '../onnx/codec.js';
import { numberToFloat16 } from '../onnx/float-formats.js';
import { tensorToNumbers } from '../onnx/tensor.js';
import { modelInputSpecs } from '../transform/model-inputs.js';
import { bindDataset } from './bind.js';
import { readDataset } from './read-dataset.js';
import type { DataFile } from './read-dataset.js';
import type { Feed, ModelInputSpec } from './types.js';
import { CORPUS, ensureRuntime, loadModelFile } from '../../test-support/models.js';
import { createSession, OrtTensor } from '../../runtime/ort.js';
import type { Tensor, TensorType } from '../../runtime/ort.js';

const nums = (a: ArrayLike<number | bigint> | undefined): number[] => Array.from(a ?? [], Number);

const BACKEND = join(CORPUS, 'onnx-backend-tests');
const hasBackendTests = existsSync(BACKEND);

/** A corpus test folder's files as the browser would hand them over (paths relative to the picked folder). */
function folderFiles(dir: string, as: string): DataFile[] {
  const out: DataFile[] = [];
  for (const set of readdirSync(join(BACKEND, dir)).filter((d) => d.startsWith('test_data_set_'))) {
    for (const f of readdirSync(join(BACKEND, dir, set))) {
      out.push({ name: f, path: `${as}/${set}/${f}`, bytes: new Uint8Array(readFileSync(join(BACKEND, dir, set, f))) });
    }
  }
  return out;
}

/** Sample → ORT tensor of the model's type (float16 inputs get float32 samples; narrowed here, as the runtime does). */
function toOrt(feed: Feed, inputs: readonly ModelInputSpec[]): Record<string, Tensor> {
  const out: Record<string, Tensor> = {};
  for (const input of inputs) {
    const t = feed.get(input.name);
    if (!t) throw new Error(`no feed for ${input.name}`);
    const data = input.dtype === 'float16' ? Uint16Array.from(t.data as Float32Array, numberToFloat16) : t.data;
    out[input.name] = new OrtTensor(input.dtype as TensorType, data as Float32Array, [...t.dims]);
  }
  return out;
}

function expectedOutput(dir: string): number[] {
  const t = decodeTensorProto(new Uint8Array(readFileSync(join(BACKEND, dir, 'test_data_set_0', 'output_0.pb'))));
  return Array.from(tensorToNumbers(t) ?? []);
}

it.runIf(!hasBackendTests)('corpus test_data_set folders: SKIPPED, corpus absent', () => {
  console.warn(`corpus test_data_set tests skipped: ${BACKEND} not found (see /work/shared/corpus/README.md)`);
});

describe.skipIf(!hasBackendTests)('ONNX test_data_set folders (corpus onnx-backend-tests) → bound feeds reproduce output_0.pb', () => {
  it.each([
    // folder, copies stacked, what it covers
    ['node/test_add', 1, 'named inputs x and y (y is data here, not labels)'],
    ['node/test_gather_0', 1, 'float data + int64 indices'],
    ['node/test_where_example', 1, 'bool condition'],
    ['node/test_and2d', 1, 'bool inputs'],
    ['node/test_cast_FLOAT16_to_FLOAT', 1, 'float16 input widened to float32 samples'],
    ['pytorch-converted/test_Conv2d', 1, 'unnamed input_0.pb, matched by position'],
    ['pytorch-operator/test_operator_concat2', 1, 'two unnamed inputs, matched by position'],
    ['simple/test_expand_shape_model1', 1, 'float data + int64 shape input'],
    ['node/test_add', 3, 'three folders stacked → three runs, one per folder'],
    ['node/test_gather_0', 2, 'two folders whose inputs differ in first axis (data [5,4], indices [3,2])'],
  ] as const)('%s ×%i: %s', async (dir, copies, _what) => {
    const model = loadModelFile(join(BACKEND, dir, 'model.onnx')).model;
    const files = Array.from({ length: copies }, (_, k) => folderFiles(dir, `copy${k}`)).flat();
    const read = readDataset(files);
    if (!read.ok) throw new Error(read.error);
    const inputs = modelInputSpecs(model);
    const bound = bindDataset(read.value, inputs);
    if (!bound.ok) throw new Error(bound.error);
    const feeds = [...bound.value.feeds()];
    expect(feeds).toHaveLength(copies);
    expect(read.value.sets).toBe(copies);

    ensureRuntime();
    const session = await createSession(loadModelFile(join(BACKEND, dir, 'model.onnx')).bytes);
    if (!session.ok) throw new Error(session.error.message);
    const want = expectedOutput(dir);
    try {
      for (const feed of feeds) {
        const ran = await session.value.run(toOrt(feed, inputs));
        if (!ran.ok) throw new Error(ran.error.message);
        const got = Array.from((Object.values(ran.value.outputs)[0]?.data ?? []) as ArrayLike<number | bigint>, Number);
        expect(got.length).toBe(want.length);
        got.forEach((v, i) => {
          const w = want[i] ?? NaN;
          if (Number.isNaN(w) || !Number.isFinite(w)) expect(v).toBe(w);
          else expect(Math.abs(v - w)).toBeLessThanOrEqual(1e-5 + 1e-5 * Math.abs(w));
        });
      }
    } finally {
      await session.value.release();
    }
  });

  it.each([
    ['node/test_identity_sequence', /SequenceProto or OptionalProto, not a TensorProto/],
  ])('%s → clear error', (dir, message) => {
    const r = readDataset(folderFiles(dir, 'picked'));
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(message);
  });
});

describe('test_data_set structure errors', () => {
  const pb = (path: string, bytes: Uint8Array = new Uint8Array([0x08, 0x02, 0x10, 0x01, 0x4a, 0x08, 0, 0, 0x80, 0x3f, 0, 0, 0, 0x40])): DataFile => ({ name: path.split('/').pop() ?? path, path, bytes });
  it.each([
    ['a missing input_0.pb', [pb('t/test_data_set_0/input_1.pb')], /input_0\.pb is missing/],
    ['only outputs', [pb('t/test_data_set_0/output_0.pb')], /none named input_K\.pb/],
    ['folders that do not stack', [pb('t/test_data_set_0/input_0.pb'), pb('t/test_data_set_1/input_0.pb', new Uint8Array([0x08, 0x01, 0x08, 0x02, 0x10, 0x01, 0x4a, 0x08, 0, 0, 0x80, 0x3f, 0, 0, 0, 0x40]))], /can be used together only when their inputs have the same shapes/],
    ['a truncated tensor', [pb('t/test_data_set_0/input_0.pb', new Uint8Array([0x08, 0x09, 0x10, 0x01, 0x4a, 0x04, 0, 0, 0x80, 0x3f]))], /truncated or stores its data in an external file: shape \[9\] needs 36 bytes, 4 found/],
    ['not protobuf', [pb('t/test_data_set_0/input_0.pb', new TextEncoder().encode('\u00ff\u00ff\u00ff garbage'))], /not a serialized TensorProto|not a TensorProto|SequenceProto/],
  ])('%s', (_, files, message) => {
    const r = readDataset(files);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(message);
  });

  it('stacks folders in natural order (test_data_set_2 before test_data_set_10)', () => {
    const val = (v: number): Uint8Array => {
      const b = new Uint8Array([0x08, 0x01, 0x10, 0x01, 0x4a, 0x04, 0, 0, 0, 0]);
      new DataView(b.buffer).setFloat32(6, v, true);
      return b;
    };
    const r = readDataset([pb('t/test_data_set_10/input_0.pb', val(10)), pb('t/test_data_set_2/input_0.pb', val(2))]);
    if (!r.ok) throw new Error(r.error);
    expect(nums(r.value.arrays.get('input_0')?.data)).toEqual([2, 10]);
    expect(r.value.inputOrder).toEqual(['input_0']);
  });
});
