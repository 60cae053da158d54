import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { encodeNpy } from './npy.js';
import { readNpz } from './npz.js';
import type { Dataset, SampleTensor } from './types.js';

const nums = (a: ArrayLike<number | bigint> | undefined): number[] => Array.from(a ?? [], Number);

const FIXTURES = resolve(fileURLToPath(new URL('.', import.meta.url)), 'fixtures');
const fixture = (name: string): Uint8Array => new Uint8Array(readFileSync(join(FIXTURES, name)));
const X = Array.from({ length: 24 }, (_, i) => i * 0.5 - 3);

const must = (r: ReturnType<typeof readNpz>): Dataset => {
  if (!r.ok) throw new Error(r.error);
  return r.value;
};

const f32 = (dims: number[], fill = (i: number) => i): SampleTensor => {
  const n = dims.reduce((a, b) => a * b, 1);
  return { dtype: 'float32', dims, data: Float32Array.from({ length: n }, (_, i) => fill(i)) };
};
const i64 = (values: number[]): SampleTensor => ({ dtype: 'int64', dims: [values.length], data: BigInt64Array.from(values.map(BigInt)) });

/** An .npz built in JS: level 0 = stored entries (np.savez), 6 = deflated (np.savez_compressed). */
function npz(arrays: Record<string, SampleTensor>, level: 0 | 6): Uint8Array {
  const entries: Record<string, [Uint8Array, { level: 0 | 6 }]> = {};
  for (const [k, t] of Object.entries(arrays)) entries[`${k}.npy`] = [encodeNpy(t), { level }];
  return zipSync(entries);
}

describe('readNpz', () => {
  it.each([
    ['savez.npz (numpy, stored, zip64)', 'savez.npz', ['input', 'mask'], 'float64'],
    ['savez_compressed.npz (numpy, deflated, zip64)', 'savez_compressed.npz', ['x'], 'float32'],
  ])('%s', (_, file, names, dtype) => {
    const d = must(readNpz(fixture(file), file));
    expect([...d.arrays.keys()]).toEqual(names);
    const x = d.arrays.get(names[0] as string);
    expect(x?.dtype).toBe(dtype);
    expect(x?.dims).toEqual([4, 2, 3]);
    expect(Array.from(x?.data ?? [], Number)).toEqual(X);
    expect(Array.from(d.labels ?? [])).toEqual([3, 1, 0, 2]);
  });

  it('reads the bool mask of savez.npz', () => {
    const mask = must(readNpz(fixture('savez.npz'), 'savez.npz')).arrays.get('mask');
    expect(mask?.dtype).toBe('bool');
    expect(Array.from(mask?.data ?? [], Number)).toEqual([1, 0, 0, 1, 0, 0, 1, 0]);
  });

  it.each([0, 6] as const)('JS-built zip, level %i', (level) => {
    const d = must(readNpz(npz({ a: f32([3, 2]), b: f32([3, 4], (i) => -i), y: i64([0, 1, 2]) }, level), 'ab.npz'));
    expect([...d.arrays.keys()]).toEqual(['a', 'b']);
    expect(nums(d.arrays.get('b')?.data).slice(0, 3)).toEqual([-0, -1, -2]);
    expect(Array.from(d.labels ?? [])).toEqual([0, 1, 2]);
  });

  it('keeps y as data when the model has an input named y', () => {
    const d = must(readNpz(npz({ x: f32([2, 2]), y: f32([2, 2]) }, 0), 'xy.npz', { inputNames: ['x', 'y'] }));
    expect([...d.arrays.keys()]).toEqual(['x', 'y']);
    expect(d.labels).toBeUndefined();
  });

  it.each([
    ['labels of the wrong length', npz({ x: f32([4, 2]), y: i64([0, 1, 2]) }, 6), /3 labels \(y\) for 4 samples of 'x'/],
    ['fractional labels', npz({ x: f32([2, 2]), y: { dtype: 'float32', dims: [2], data: Float32Array.from([0, 0.5]) } }, 0), /integer class indices; sample 1 has 0\.5/],
    ['one-hot labels', npz({ x: f32([2, 2]), y: f32([2, 3]) }, 0), /shape \[2,3\].*argmax/],
    ['only labels', npz({ y: i64([1, 2]) }, 0), /no sample arrays \(only labels y\)/],
    ['not a zip', new TextEncoder().encode('PK\u0003\u0004garbage'), /cannot be unpacked as a zip/],
    ['truncated zip', npz({ x: f32([64, 64]) }, 6).subarray(0, 300), /cannot be unpacked as a zip/],
    ['zip without arrays', zipSync({ 'notes.txt': new TextEncoder().encode('hi') }), /zip without \.npy arrays \(it holds notes\.txt\)/],
    ['a broken array inside', zipSync({ 'x.npy': encodeNpy(f32([4, 4])).subarray(0, 100) }), /array 'x' is truncated/],
  ])('%s → error', (_, bytes, message) => {
    const r = readNpz(bytes, 'data.npz');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(message);
  });
});
