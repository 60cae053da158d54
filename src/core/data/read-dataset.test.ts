import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { encodeNpy } from './npy.js';
import { readDataset } from './read-dataset.js';
import type { DataFile } from './read-dataset.js';
import type { SampleTensor } from './types.js';

const t = (dims: number[], v = 1): SampleTensor => ({ dtype: 'float32', dims, data: new Float32Array(dims.reduce((a, b) => a * b, 1)).fill(v) });
const file = (name: string, bytes: Uint8Array, path?: string): DataFile => ({ name, bytes, ...(path ? { path } : {}) });
const text = (s: string): Uint8Array => new TextEncoder().encode(s);

describe('readDataset dispatch (by content first, then by name)', () => {
  it.each([
    ['an .npy → x', [file('calib.npy', encodeNpy(t([3, 4])))], ['x'], 'calib.npy'],
    ['an .npy under another name (magic wins)', [file('calib.bin', encodeNpy(t([3, 4])))], ['x'], 'calib.bin'],
    ['an .npz', [file('d.npz', zipSync({ 'input.npy': encodeNpy(t([2, 2])) }))], ['input'], 'd.npz'],
    ['JSON with a BOM and whitespace', [file('d.json', text('\ufeff  \n{"x": [[1],[2]]}'))], ['x'], 'd.json'],
    ['several .npy named after inputs, y.npy = labels', [file('a.npy', encodeNpy(t([2, 3])), 'set/a.npy'), file('b.npy', encodeNpy(t([2, 1])), 'set/b.npy'), file('y.npy', encodeNpy({ dtype: 'int64', dims: [2], data: BigInt64Array.from([1n, 0n]) }), 'set/y.npy')], ['a', 'b'], 'set'],
    ['a model folder: model.onnx ignored, test_data_set read', [file('model.onnx', text('xx'), 'm/model.onnx'), file('input_0.pb', new Uint8Array([0x08, 0x01, 0x10, 0x01, 0x4a, 0x04, 0, 0, 0x80, 0x3f]), 'm/test_data_set_0/input_0.pb'), file('output_0.pb', new Uint8Array([1]), 'm/test_data_set_0/output_0.pb')], ['input_0'], 'm'],
  ])('%s', (_, files, arrays, source) => {
    const r = readDataset(files);
    if (!r.ok) throw new Error(r.error);
    expect([...r.value.arrays.keys()]).toEqual(arrays);
    expect(r.value.source).toBe(source);
  });

  it.each([
    ['no files', [], /holds no sample data/],
    ['an empty file', [file('d.npz', new Uint8Array(0))], /is empty \(0 bytes\)/],
    ['a model', [file('m.onnx', new Uint8Array([8, 7, 18, 4]))], /holds no sample data \(only m\.onnx\)/],
    ['an unknown binary', [file('d.bin', new Uint8Array([1, 2, 3]))], /not a format sample data can come in/],
    ['a .npy that is not', [file('d.npy', text('hello'))], /named \.npy but does not contain NPY data/],
    ['a lone .pb not named input_K', [file('weights.pb', new Uint8Array([1, 2]))], /none named input_K\.pb/],
    ['two unrelated files', [file('a.npz', zipSync({})), file('b.json', text('[]'))], /holds 2 files \(a\.npz, b\.json\)/],
    ['two .npy with the same name', [file('x.npy', encodeNpy(t([1])), 'a/x.npy'), file('x.npy', encodeNpy(t([1])), 'b/x.npy')], /two files are named x\.npy/],
  ])('%s → error', (_, files, message) => {
    const r = readDataset(files);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(message);
  });
});
