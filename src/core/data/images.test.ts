import { describe, expect, it } from 'vitest';
import { imageToSample, readImageFolder } from './images.js';
import type { RgbaImage } from './images.js';
import { readDataset } from './read-dataset.js';
import type { DataFile } from './read-dataset.js';
import type { ImagePreprocessing } from './types.js';

/** RGBA image from [r,g,b] pixels, row by row; alpha 255. */
function rgba(width: number, height: number, pixels: readonly (readonly [number, number, number])[]): RgbaImage {
  const data = new Uint8ClampedArray(width * height * 4);
  pixels.forEach(([r, g, b], i) => data.set([r, g, b, 255], i * 4));
  return { width, height, data };
}
const prep = (p: Partial<ImagePreprocessing>): ImagePreprocessing => ({ width: 2, height: 1, layout: 'NCHW', channels: 3, scale: 1, mean: [0], std: [1], ...p });
const close = (got: ArrayLike<number>, want: readonly number[]): void => {
  expect(got.length).toBe(want.length);
  want.forEach((w, i) => expect(got[i]).toBeCloseTo(w, 4));
};

describe('image preprocessing math (known answers)', () => {
  it('bilinear 2×2 → 4×4 with half-pixel centres (OpenCV INTER_LINEAR, ONNX Resize half_pixel)', () => {
    const img = rgba(2, 2, [[0, 0, 0], [100, 0, 0], [200, 0, 0], [40, 0, 0]]);
    const out = imageToSample(img, prep({ width: 4, height: 4 }));
    // src x for dst 0..3: clamp(-0.25)=0, 0.25, 0.75, clamp(1.25)=1 → [a, .75a+.25b, .25a+.75b, b]; same in y.
    const r = Array.from(out.subarray(0, 16));
    close(r.slice(0, 4), [0, 25, 75, 100]);
    close(r.slice(12, 16), [200, 160, 80, 40]);
    close(r.slice(4, 8), [50, 58.75, 76.25, 85]); // .75·row0 + .25·row3
    close(r.slice(8, 12), [150, 126.25, 78.75, 55]); // .25·row0 + .75·row3
  });

  it('downscale 4×1 → 2×1 samples between pixel pairs', () => {
    const img = rgba(4, 1, [[0, 0, 0], [100, 0, 0], [200, 0, 0], [40, 0, 0]]);
    // dst x=0 → src 0.5 (mean of 0,100); x=1 → src 2.5 (mean of 200,40).
    close(imageToSample(img, prep({ width: 2, height: 1 })).subarray(0, 2), [50, 120]);
  });

  const two = rgba(2, 1, [[255, 0, 51], [0, 255, 102]]);
  const norm = { scale: 1 / 255, mean: [0.5, 0.5, 0.5], std: [0.5, 0.25, 0.2] };
  it('NCHW: channel planes, scale then (x − mean) / std per channel', () => {
    close(imageToSample(two, prep({ ...norm, layout: 'NCHW' })), [1, -1, -2, 2, -1.5, -0.5]);
  });
  it('NHWC: interleaved channels', () => {
    close(imageToSample(two, prep({ ...norm, layout: 'NHWC' })), [1, -2, -1.5, -1, 2, -0.5]);
  });
  it('channels 1: BT.601 luma, then scale/mean/std', () => {
    const grey = imageToSample(rgba(1, 1, [[100, 150, 200]]), prep({ width: 1, height: 1, channels: 1, scale: 2, mean: [1], std: [4] }));
    close(grey, [(2 * (0.299 * 100 + 0.587 * 150 + 0.114 * 200) - 1) / 4]);
  });
});

describe('image folders', () => {
  const file = (path: string, image?: RgbaImage): DataFile => ({ name: path.split('/').pop() ?? path, path, bytes: new Uint8Array(0), ...(image ? { image } : {}) });
  const px = (v: number): RgbaImage => rgba(1, 1, [[v, v, v]]);
  const p = prep({ width: 1, height: 1, channels: 1, scale: 1 / 255 });

  it('one subfolder per class: sorted names → indices, samples in path order', () => {
    const r = readDataset([file('pets/dog/b.png', px(30)), file('pets/cat/a.png', px(10)), file('pets/cat/c.jpg', px(20)), file('pets/.DS_Store')], { preprocessing: p });
    if (!r.ok) throw new Error(r.error);
    expect(r.value.classNames).toEqual(['cat', 'dog']);
    expect(Array.from(r.value.labels ?? [])).toEqual([0, 0, 1]);
    expect(r.value.arrays.get('x')?.dims).toEqual([3, 1, 1, 1]);
    close(r.value.arrays.get('x')?.data as Float32Array, [10 / 255, 20 / 255, 30 / 255]);
  });

  it('a flat folder has no labels; NHWC dims', () => {
    const r = readImageFolder([{ path: 'imgs/1.png', image: px(1) }, { path: 'imgs/2.png', image: px(2) }], prep({ width: 3, height: 2, layout: 'NHWC', channels: 3 }), 'imgs');
    if (!r.ok) throw new Error(r.error);
    expect(r.value.labels).toBeUndefined();
    expect(r.value.arrays.get('x')?.dims).toEqual([2, 2, 3, 3]);
  });

  it.each([
    ['no preprocessing declared', [file('a/x.png', px(1))], undefined, /declare how pixels become model input/],
    ['no preprocessing and not decoded', [file('a/x.png')], undefined, /image folders need the studio page/],
    ['images not decoded (the CLI)', [file('a/x.png')], p, /image folders need the studio page.*convert the data to an \.npz/],
    ['images mixed with class folders', [file('a/x.png', px(1)), file('a/cat/y.png', px(1))], p, /mixes images in class subfolders with images beside them \(a\/x\.png\)/],
    ['images mixed with other files', [file('a/x.png', px(1)), file('a/data.npy')], p, /mixes images with other files \(a\/data\.npy\)/],
    ['bad mean length', [file('a/x.png', px(1))], prep({ mean: [1, 2] }), /mean needs 1 or 3 values, not 2/],
    ['zero std', [file('a/x.png', px(1))], prep({ std: [0] }), /std values must be non-zero/],
    ['an empty folder', [], p, /holds no sample data/],
    ['a folder with only litter', [file('a/.DS_Store'), file('a/README.md')], p, /holds no sample data \(only \.DS_Store, README\.md\)/],
  ])('%s → error', (_, files, preprocessing, message) => {
    const r = readDataset(files, preprocessing ? { preprocessing } : {});
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error).toMatch(message);
  });
});
