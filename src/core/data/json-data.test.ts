import { describe, expect, it } from 'vitest';
import { bindDataset } from './bind.js';
import { readJsonDataset } from './json-data.js';
import type { Dataset, ModelInputSpec } from './types.js';

const nums = (a: ArrayLike<number | bigint> | undefined): number[] => Array.from(a ?? [], Number);

const json = (doc: unknown): Uint8Array => new TextEncoder().encode(typeof doc === 'string' ? doc : JSON.stringify(doc));
const must = (r: ReturnType<typeof readJsonDataset>): Dataset => {
  if (!r.ok) throw new Error(r.error);
  return r.value;
};
const DIGITS_INPUT: ModelInputSpec[] = [{ name: 'input', dtype: 'float32', dims: ['batch', 1, 8, 8] }];
const row = (k: number): number[] => Array.from({ length: 64 }, (_, i) => (i + k) / 64);

describe('readJsonDataset layouts', () => {
  it('digits_test.json layout: x rows + shape + y (+ descriptive strings)', () => {
    const d = must(readJsonDataset(json({ source: 'sklearn', shape: [1, 8, 8], scale: 'pixel/16', x: [row(0), row(1), row(2)], y: [7, 0, 3] }), 'digits.json'));
    expect(d.arrays.get('x')?.dims).toEqual([3, 1, 8, 8]);
    expect(Array.from(d.labels ?? [])).toEqual([7, 0, 3]);
    expect(d.arrays.has('source')).toBe(false);
  });

  it('arrays named after inputs, nested', () => {
    const d = must(readJsonDataset(json({ ids: [[1, 2], [3, 4]], mask: [[true, false], [true, true]] }), 'm.json'));
    expect(d.arrays.get('ids')?.dims).toEqual([2, 2]);
    expect(nums(d.arrays.get('mask')?.data)).toEqual([1, 0, 1, 1]);
  });

  it('a bare array of nested samples', () => {
    const d = must(readJsonDataset(json([[[1, 2, 3]], [[4, 5, 6]]]), 'bare.json'));
    expect(d.arrays.get('x')?.dims).toEqual([2, 1, 3]);
    expect(nums(d.arrays.get('x')?.data)).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('a bare array of flat rows binds with the model shape (rows of 64 → [1,8,8])', () => {
    const d = must(readJsonDataset(json([row(0), row(5)]), 'rows.json'));
    const b = bindDataset(d, DIGITS_INPUT);
    if (!b.ok) throw new Error(b.error);
    const [feed] = [...b.value.feeds()];
    expect(feed?.get('input')?.dims).toEqual([2, 1, 8, 8]);
    expect(feed?.get('input')?.data[64]).toBeCloseTo(5 / 64);
  });

  it('keeps y as data when the model has an input called y', () => {
    const d = must(readJsonDataset(json({ x: [[1], [2]], y: [[3], [4]] }), 'xy.json', { inputNames: ['x', 'y'] }));
    expect([...d.arrays.keys()]).toEqual(['x', 'y']);
  });

  it.each([
    ['invalid JSON', '{"x": [1, 2', /not valid JSON/],
    ['ragged rows', { x: [[1, 2], [3]] }, /'x'\[1\] has 1 entries where 2 were expected/],
    ['a null value', { x: [[1, null]] }, /'x'\[0\]\[1\] is null, not a number/],
    ['a string value', [[1, 'a']], /'x'\[0\]\[1\] is string/],
    ['shape that does not match rows', { shape: [1, 8, 8], x: [[1, 2, 3]] }, /"shape" \[1,8,8\] has 64 values per sample but 'x' has rows of 3/],
    ['labels of the wrong length', { x: [row(0), row(1)], y: [1] }, /1 labels \(y\) for 2 samples of 'x'/],
    ['negative labels', { x: [row(0)], y: [-1] }, /non-negative integer class indices/],
    ['no arrays', { source: 'nothing here' }, /no lists of samples/],
    ['an empty list', { x: [] }, /'x' is an empty list/],
    ['a number', 42, /holds a number/],
  ])('%s → error', (_, doc, message) => {
    const r = readJsonDataset(json(doc), 'data.json');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(message);
  });
});
