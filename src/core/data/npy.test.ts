import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { encodeNpy, parseNpy } from './npy.js';
import type { SampleTensor } from './types.js';

const nums = (a: ArrayLike<number | bigint> | undefined): number[] => Array.from(a ?? [], Number);

const FIXTURES = resolve(fileURLToPath(new URL('.', import.meta.url)), 'fixtures');
const fixture = (name: string): Uint8Array => new Uint8Array(readFileSync(join(FIXTURES, name)));
/** make_fixtures.py: x[i] = i * 0.5 - 3, shape [4,2,3]. */
const X = Array.from({ length: 24 }, (_, i) => i * 0.5 - 3);

const must = (r: ReturnType<typeof parseNpy>): SampleTensor => {
  if (!r.ok) throw new Error(r.error);
  return r.value;
};

describe('parseNpy on files numpy wrote', () => {
  it.each([
    ['v1.npy', 'float32', [4, 2, 3], X],
    ['v2.npy', 'float32', [4, 2, 3], X],
    ['v3.npy', 'float32', [4, 2, 3], X],
    ['big_endian_f8.npy', 'float64', [4, 2, 3], X],
    ['big_endian_i4.npy', 'int32', [3, 2], [-2, -1, 0, 1, 2, 3]],
    ['uint8.npy', 'uint8', [3, 4], Array.from({ length: 12 }, (_, i) => i * 20)],
    ['float16.npy', 'float32', [2, 2], [0.5, -2, 65504, 0.0999755859375]],
  ])('%s → %s %j', (file, dtype, dims, values) => {
    const t = must(parseNpy(fixture(file), file));
    expect(t.dtype).toBe(dtype);
    expect(t.dims).toEqual(dims);
    expect(Array.from(t.data, Number)).toEqual(values);
  });

  it('refuses Fortran order with the fix', () => {
    const r = parseNpy(fixture('fortran.npy'), 'fortran.npy');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(/Fortran \(column-major\) order.*np\.ascontiguousarray/);
  });
});

describe('encodeNpy → parseNpy round trip', () => {
  const cases: SampleTensor[] = [
    { dtype: 'float32', dims: [2, 3], data: Float32Array.from([1.5, -2, 3, 0, 1e-7, 7]) },
    { dtype: 'float64', dims: [3], data: Float64Array.from([Math.PI, -1, 1e300]) },
    { dtype: 'int64', dims: [2, 1], data: BigInt64Array.from([-(2n ** 62n), 5n]) },
    { dtype: 'int32', dims: [1, 2, 2], data: Int32Array.from([1, -2, 3, -4]) },
    { dtype: 'int8', dims: [4], data: Int8Array.from([-128, 0, 1, 127]) },
    { dtype: 'uint8', dims: [2, 2], data: Uint8Array.from([0, 1, 254, 255]) },
    { dtype: 'bool', dims: [3], data: Uint8Array.from([1, 0, 1]) },
  ];
  it.each(cases.map((c) => [c.dtype, c] as const))('%s', (_, t) => {
    const bytes = encodeNpy(t);
    // numpy aligns the data to 64 bytes; so do we.
    expect((bytes.length - t.data.byteLength) % 64).toBe(0);
    const back = must(parseNpy(bytes, 'a.npy'));
    expect(back.dtype).toBe(t.dtype);
    expect(back.dims).toEqual(t.dims);
    expect(nums(back.data)).toEqual(nums(t.data));
  });

  it('reads unaligned data by copying (an .npy inside a bigger buffer)', () => {
    const bytes = encodeNpy({ dtype: 'float64', dims: [2], data: Float64Array.from([1.25, -8]) });
    const shifted = new Uint8Array(bytes.length + 3);
    shifted.set(bytes, 3);
    expect(nums(must(parseNpy(shifted.subarray(3), 'x.npy')).data)).toEqual([1.25, -8]);
  });
});

describe('parseNpy errors say what is wrong', () => {
  const good = encodeNpy({ dtype: 'float32', dims: [4, 2], data: new Float32Array(8) });
  const withHeader = (header: string): Uint8Array => {
    const h = new TextEncoder().encode(header);
    const out = new Uint8Array(10 + h.length + 64);
    out.set(good.subarray(0, 8));
    new DataView(out.buffer).setUint16(8, h.length, true);
    out.set(h, 10);
    return out;
  };
  it.each([
    ['truncated data', good.subarray(0, good.length - 5), /truncated: its header says float32 \[4,2\] = 32 bytes of data, but the file holds 27/],
    ['truncated header', good.subarray(0, 40), /truncated: its header says \d+ bytes but the file ends first/],
    ['not npy', new TextEncoder().encode('hello world'), /not a \.npy file/],
    ['unknown version', Uint8Array.from([...good.subarray(0, 6), 9, 0, ...good.subarray(8)]), /format version 9\.0/],
    ['complex dtype', withHeader("{'descr': '<c8', 'fortran_order': False, 'shape': (2,), }"), /numpy type '<c8'/],
    ['structured dtype', withHeader("{'descr': [('a', '<f4')], 'fortran_order': False, 'shape': (2,), }"), /structured \(record\) array/],
    ['scalar', withHeader("{'descr': '<f4', 'fortran_order': False, 'shape': (), }"), /single scalar/],
  ])('%s', (_, bytes, message) => {
    const r = parseNpy(bytes, 'a.npy');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(message);
  });
});
