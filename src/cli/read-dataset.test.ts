import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readDatasetPath } from './read-dataset.js';
import { encodeNpy } from '../core/data/npy.js';
import { CORPUS, hasCorpus, SAMPLES_DIR } from '../test-support/models.js';

const tmp = mkdtempSync(join(tmpdir(), 'read-dataset-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('readDatasetPath (Node: a file or a folder)', () => {
  it('digits_calib.npz: 128 samples [1,8,8] with labels', () => {
    const r = readDatasetPath(join(SAMPLES_DIR, 'digits_calib.npz'));
    if (!r.ok) throw new Error(r.error);
    expect(r.value.source).toBe('digits_calib.npz');
    expect(r.value.arrays.get('x')?.dims).toEqual([128, 1, 8, 8]);
    expect(r.value.labels?.length).toBe(128);
  });

  it.runIf(hasCorpus())('a corpus model folder (model.onnx + test_data_set_0/) reads its inputs', () => {
    const r = readDatasetPath(join(CORPUS, 'onnx-backend-tests/node/test_gather_0'));
    if (!r.ok) throw new Error(r.error);
    expect(r.value.source).toBe('test_gather_0/');
    expect([...r.value.arrays.keys()]).toEqual(['data', 'indices']);
    expect(r.value.arrays.get('indices')?.dtype).toBe('int64');
    expect(r.value.sets).toBe(1);
  });

  it('a folder of .npy files named after inputs, hidden files skipped', () => {
    const dir = join(tmp, 'npys');
    mkdirSync(dir);
    writeFileSync(join(dir, 'input.npy'), encodeNpy({ dtype: 'float32', dims: [2, 64], data: new Float32Array(128) }));
    writeFileSync(join(dir, '.hidden.npy'), 'not data');
    const r = readDatasetPath(dir);
    if (!r.ok) throw new Error(r.error);
    expect([...r.value.arrays.keys()]).toEqual(['x']);
  });

  it.each([
    ['a missing path', () => join(tmp, 'nope.npz'), /does not exist/],
    ['an empty folder', () => { const d = join(tmp, 'empty'); mkdirSync(d); return d; }, /is an empty folder/],
    ['an image folder', () => { const d = join(tmp, 'imgs'); mkdirSync(join(d, 'cat'), { recursive: true }); writeFileSync(join(d, 'cat/a.png'), 'x'); return d; }, /image folders need the studio page.*convert the data to an \.npz/],
  ])('%s → error', (_, make, message) => {
    const r = readDatasetPath(make());
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(message);
  });
});
