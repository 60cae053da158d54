/**
 * Folders of images as sample data: decoded RGBA pixels (decoding PNG/JPEG is platform work, done
 * by src/worker/decode-images.ts) → resized, laid out and normalised per the declared
 * ImagePreprocessing → float32 samples; one subfolder per class gives labels.
 *
 * Resizing is bilinear with half-pixel centres (src = (dst + 0.5) · in/out − 0.5, clamped at the
 * edges): the sampling of OpenCV's INTER_LINEAR and of ONNX Resize with
 * coordinate_transformation_mode=half_pixel. It does not low-pass filter before shrinking (PIL and
 * torchvision's antialias do), so photos far larger than the model's input alias slightly; resize
 * them beforehand when that matters.
 *
 * Grey (channels 1) is ITU-R BT.601 luma, L = 0.299 R + 0.587 G + 0.114 B, as PIL's convert('L').
 * Alpha is ignored. Then per channel: value · scale, then (value − mean[c]) / std[c].
 */
import type { Result } from '../errors.js';
import { err, ok } from '../errors.js';
import { naturalCompare } from './onnx-test-data.js';
import type { Dataset, ImagePreprocessing, SampleTensor } from './types.js';

/** Decoded pixels, 4 bytes per pixel (R, G, B, A), rows top to bottom, as ImageData holds them. */
export interface RgbaImage {
  readonly width: number;
  readonly height: number;
  readonly data: Uint8Array | Uint8ClampedArray;
}

export interface FolderImage {
  /** Relative path including folders, e.g. "flowers/daisy/001.jpg" (File.webkitRelativePath). */
  readonly path: string;
  readonly image: RgbaImage;
}

export const IMAGE_EXTENSIONS = ['png', 'jpg', 'jpeg', 'bmp', 'gif', 'webp'];

export function isImageName(name: string): boolean {
  const dot = name.lastIndexOf('.');
  return dot >= 0 && IMAGE_EXTENSIONS.includes(name.slice(dot + 1).toLowerCase());
}

export function checkPreprocessing(p: ImagePreprocessing): string | undefined {
  if (!Number.isInteger(p.width) || !Number.isInteger(p.height) || p.width <= 0 || p.height <= 0) return `image size ${p.width}×${p.height} must be positive whole pixels`;
  if (p.channels !== 1 && p.channels !== 3) return `channels must be 1 (grey) or 3 (RGB), not ${String(p.channels)}`;
  for (const [label, v] of [['mean', p.mean], ['std', p.std]] as const) {
    if (v.length !== 1 && v.length !== p.channels) return `${label} needs 1 or ${p.channels} values, not ${v.length}`;
  }
  if (p.std.some((s) => s === 0 || !Number.isFinite(s))) return 'std values must be non-zero numbers';
  if (!Number.isFinite(p.scale)) return 'scale must be a number (1/255 maps pixels to [0,1])';
  return undefined;
}

/** Bilinear resize of the R, G and B channels into three width·height planes (unrounded floats). */
function resizePlanes(img: RgbaImage, width: number, height: number): Float32Array[] {
  const planes = [0, 1, 2].map(() => new Float32Array(width * height));
  const sx = img.width / width;
  const sy = img.height / height;
  const px = img.data;
  for (let y = 0; y < height; y++) {
    const fy = Math.min(Math.max((y + 0.5) * sy - 0.5, 0), img.height - 1);
    const y0 = Math.floor(fy);
    const y1 = Math.min(y0 + 1, img.height - 1);
    const wy = fy - y0;
    for (let x = 0; x < width; x++) {
      const fx = Math.min(Math.max((x + 0.5) * sx - 0.5, 0), img.width - 1);
      const x0 = Math.floor(fx);
      const x1 = Math.min(x0 + 1, img.width - 1);
      const wx = fx - x0;
      const i00 = (y0 * img.width + x0) * 4;
      const i01 = (y0 * img.width + x1) * 4;
      const i10 = (y1 * img.width + x0) * 4;
      const i11 = (y1 * img.width + x1) * 4;
      for (let c = 0; c < 3; c++) {
        const top = (px[i00 + c] ?? 0) * (1 - wx) + (px[i01 + c] ?? 0) * wx;
        const bottom = (px[i10 + c] ?? 0) * (1 - wx) + (px[i11 + c] ?? 0) * wx;
        (planes[c] as Float32Array)[y * width + x] = top * (1 - wy) + bottom * wy;
      }
    }
  }
  return planes;
}

/** One image → channels·height·width floats in the declared layout (CHW for NCHW, HWC for NHWC). */
export function imageToSample(img: RgbaImage, p: ImagePreprocessing): Float32Array {
  const { width, height, channels } = p;
  const [r, g, b] = resizePlanes(img, width, height) as [Float32Array, Float32Array, Float32Array];
  const planes = channels === 3 ? [r, g, b] : [r.map((v, i) => 0.299 * v + 0.587 * (g[i] ?? 0) + 0.114 * (b[i] ?? 0))];
  const out = new Float32Array(channels * width * height);
  const hw = width * height;
  for (let c = 0; c < channels; c++) {
    const plane = planes[c] as Float32Array;
    const mean = p.mean.length === 1 ? (p.mean[0] ?? 0) : (p.mean[c] ?? 0);
    const std = p.std.length === 1 ? (p.std[0] ?? 1) : (p.std[c] ?? 1);
    for (let i = 0; i < hw; i++) {
      const v = ((plane[i] ?? 0) * p.scale - mean) / std;
      out[p.layout === 'NCHW' ? c * hw + i : i * channels + c] = v;
    }
  }
  return out;
}

/** Folder segments under the folder all images share: "pets/cat/1.png", "pets/dog/2.png" → ["cat"], ["dog"]. */
function classFolders(paths: readonly string[]): string[][] {
  const dirs = paths.map((p) => p.split(/[\\/]/).filter((s) => s !== '').slice(0, -1));
  let common = 0;
  const first = dirs[0] ?? [];
  while (common < first.length && dirs.every((d) => d[common] === first[common])) common++;
  return dirs.map((d) => d.slice(common));
}

export function readImageFolder(images: readonly FolderImage[], p: ImagePreprocessing, source: string): Result<Dataset, string> {
  if (images.length === 0) return err(`${source} holds no images (.png, .jpg, .bmp, .gif, .webp)`);
  const bad = checkPreprocessing(p);
  if (bad) return err(`image preprocessing: ${bad}`);
  const sorted = [...images].sort((a, b) => naturalCompare(a.path, b.path));
  const rel = classFolders(sorted.map((i) => i.path));
  const depths = new Set(rel.map((r) => (r.length === 0 ? 0 : 1)));
  if (depths.size > 1) {
    const loose = sorted.filter((_, i) => (rel[i] ?? []).length === 0).slice(0, 3).map((i) => i.path);
    return err(`${source} mixes images in class subfolders with images beside them (${loose.join(', ')}); put every image in its class folder, or use a flat folder without labels`);
  }
  const labelled = depths.has(1);
  const classNames = labelled ? [...new Set(rel.map((r) => r[0] as string))].sort() : [];
  const classIndex = new Map(classNames.map((n, i) => [n, i]));
  const per = p.channels * p.width * p.height;
  const data = new Float32Array(per * sorted.length);
  const labels = new Int32Array(sorted.length);
  for (let i = 0; i < sorted.length; i++) {
    const { image, path } = sorted[i] as FolderImage;
    if (image.width <= 0 || image.height <= 0 || image.data.length < image.width * image.height * 4) {
      return err(`${path} decoded to no pixels (${image.width}×${image.height}); the file may be damaged`);
    }
    data.set(imageToSample(image, p), i * per);
    if (labelled) labels[i] = classIndex.get((rel[i] as string[])[0] as string) ?? 0;
  }
  const dims = p.layout === 'NCHW' ? [sorted.length, p.channels, p.height, p.width] : [sorted.length, p.height, p.width, p.channels];
  const x: SampleTensor = { dtype: 'float32', dims, data };
  // A folder whose images all sit in one subfolder has that subfolder in the common prefix: no labels.
  const warnings: string[] = [];
  const arrays = new Map([['x', x]]);
  return ok(labelled ? { source, arrays, labels, classNames, warnings } : { source, arrays, warnings });
}
