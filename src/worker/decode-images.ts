/**
 * Browser side of image-folder sample data: File → decoded RGBA pixels, in a worker (createImageBitmap
 * and OffscreenCanvas both exist in workers). Resizing and normalising happen in the pure core
 * (src/core/data/images.ts), so the browser and the tests produce the same numbers.
 *
 * createImageBitmap is told not to premultiply alpha and not to convert colour spaces, so the pixels
 * are the file's own values (what PIL or OpenCV would read), not the display's rendition.
 */
import type { RgbaImage } from '../core/data/images';
import { isImageName } from '../core/data/images';
import type { DataFile } from '../core/data/read-dataset';
import type { Result } from '../core/errors';
import { err, ok } from '../core/errors';

export async function decodeImage(blob: Blob): Promise<RgbaImage> {
  const bitmap = await createImageBitmap(blob, { premultiplyAlpha: 'none', colorSpaceConversion: 'none' });
  try {
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const context = canvas.getContext('2d', { willReadFrequently: true });
    if (!context) throw new Error('this browser has no 2D canvas in workers');
    context.drawImage(bitmap, 0, 0);
    const pixels = context.getImageData(0, 0, bitmap.width, bitmap.height);
    return { width: pixels.width, height: pixels.height, data: pixels.data };
  } finally {
    bitmap.close();
  }
}

/** Relative path of a picked file: its folder path when a folder was picked, else its name. */
export function pathOfFile(file: File): string {
  return file.webkitRelativePath || file.name;
}

/**
 * Picked files → DataFile[] for readDataset: image files decoded (their bytes are not kept: only
 * pixels are needed), every other file read whole. A file that fails to decode is an error value
 * naming it (a damaged or unsupported image is the user's data, not a bug).
 */
export async function readDataFiles(files: readonly File[], progress?: (done: number, total: number) => void): Promise<Result<DataFile[], string>> {
  const out: DataFile[] = [];
  for (const [i, file] of files.entries()) {
    const path = pathOfFile(file);
    if (isImageName(file.name)) {
      let image: RgbaImage;
      try {
        image = await decodeImage(file);
      } catch (e) {
        return err(`${path} could not be decoded as an image (${e instanceof Error ? e.message : String(e)}); the file may be damaged or in a format this browser cannot read`);
      }
      out.push({ name: file.name, path, bytes: new Uint8Array(0), image });
    } else {
      out.push({ name: file.name, path, bytes: new Uint8Array(await file.arrayBuffer()) });
    }
    progress?.(i + 1, files.length);
  }
  return ok(out);
}
