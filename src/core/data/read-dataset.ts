/**
 * One entry point for every sample-data format: files in (bytes with their relative paths, images
 * already decoded by the platform), a Dataset out. Dispatch is by content where a format has a
 * signature (.npy magic, zip magic, JSON's first character) and by name where it does not
 * (input_K.pb, image extensions).
 *
 *   one .npy                       → `x`, for a single-input model
 *   several .npy                   → one array per file, named by file stem (`y.npy` = labels)
 *   one .npz                       → arrays by key, `y` = labels
 *   one .json                      → see json-data.ts
 *   input_K.pb in one or more folders (ONNX test_data_set_N) → one array per input, folders stacked
 *   image files                    → needs ImagePreprocessing and decoded pixels; subfolders = classes
 */
import type { Result } from '../errors.js';
import { err, ok } from '../errors.js';
import type { AssembleOptions } from './assemble.js';
import { assembleDataset } from './assemble.js';
import type { FolderImage, RgbaImage } from './images.js';
import { isImageName, readImageFolder } from './images.js';
import { isNpy, parseNpy } from './npy.js';
import { isZip, readNpz } from './npz.js';
import { inputIndex, readTestDataFolders } from './onnx-test-data.js';
import type { TestDataFolder } from './onnx-test-data.js';
import { readJsonDataset } from './json-data.js';
import type { Dataset, ImagePreprocessing, SampleTensor } from './types.js';

export interface DataFile {
  /** File name, e.g. "input_0.pb". */
  readonly name: string;
  /** Relative path with folders, e.g. "test_conv/test_data_set_0/input_0.pb" (File.webkitRelativePath); the name when absent. */
  readonly path?: string;
  readonly bytes: Uint8Array;
  /** Decoded pixels of an image file (the browser decodes them; see src/worker/decode-images.ts). */
  readonly image?: RgbaImage;
}

export interface ReadDatasetOptions extends AssembleOptions {
  /** Name for reports; default: the file name, or the common folder of several files. */
  readonly source?: string;
  /** Required for image folders: how pixels become model input. */
  readonly preprocessing?: ImagePreprocessing;
}

export const CONVERT_HINT = 'convert the data to an .npz (np.savez(path, x=samples, y=labels)) or pick a .npy, .json or test_data_set folder';

const pathOf = (f: DataFile): string => f.path ?? f.name;
const dirOf = (p: string): string => p.split(/[\\/]/).slice(0, -1).join('/');
const extOf = (name: string): string => (name.includes('.') ? (name.split('.').pop() ?? '').toLowerCase() : '');

/** Files a picked folder carries besides data: OS litter, notes, and the model next to its test data. */
function isIgnorable(f: DataFile): boolean {
  const base = f.name;
  if (base.startsWith('.') || base === 'Thumbs.db' || base === 'desktop.ini') return true;
  return ['txt', 'md', 'csv', 'onnx', 'ort', 'data', 'yaml', 'yml', 'license'].includes(extOf(base)) || /^(readme|license)/i.test(base);
}

function commonFolder(files: readonly DataFile[]): string {
  const dirs = files.map((f) => dirOf(pathOf(f)).split('/').filter((s) => s !== ''));
  const first = dirs[0] ?? [];
  let n = 0;
  while (n < first.length && dirs.every((d) => d[n] === first[n])) n++;
  return first.slice(0, n).join('/');
}

function firstNonSpace(bytes: Uint8Array): number {
  let i = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0; // UTF-8 BOM
  while (i < bytes.length && (bytes[i] === 0x20 || bytes[i] === 0x0a || bytes[i] === 0x0d || bytes[i] === 0x09)) i++;
  return bytes[i] ?? -1;
}

function readOne(file: DataFile, source: string, options: ReadDatasetOptions): Result<Dataset, string> {
  const { bytes } = file;
  if (bytes.byteLength === 0) return err(`${source} is empty (0 bytes)`);
  if (isNpy(bytes)) {
    const t = parseNpy(bytes, source);
    if (!t.ok) return t;
    return ok({ source, arrays: new Map([['x', t.value]]), warnings: [] });
  }
  if (isZip(bytes)) return readNpz(bytes, source, options);
  const c = firstNonSpace(bytes);
  if (c === 0x7b || c === 0x5b) return readJsonDataset(bytes, source, options); // { or [
  const ext = extOf(file.name);
  if (ext === 'onnx') return err(`${source} is a model, not sample data; ${CONVERT_HINT}`);
  if (ext === 'pb') return err(`${source} is a .pb file not named input_K.pb; an ONNX test data folder holds input_0.pb, input_1.pb, … (one per model input)`);
  if (ext === 'npy' || ext === 'npz' || ext === 'json') return err(`${source} is named .${ext} but does not contain ${ext.toUpperCase()} data (it may be truncated or mislabelled)`);
  return err(`${source} is not a format sample data can come in; ${CONVERT_HINT}`);
}

function readNpyFiles(files: readonly DataFile[], source: string, options: ReadDatasetOptions): Result<Dataset, string> {
  const named = new Map<string, SampleTensor>();
  for (const f of files) {
    const stem = f.name.replace(/\.npy$/i, '');
    if (named.has(stem)) return err(`two files are named ${f.name}; each .npy becomes the array of its name, so names must be unique`);
    const t = parseNpy(f.bytes, pathOf(f));
    if (!t.ok) return t;
    named.set(stem, t.value);
  }
  return assembleDataset(source, named, options);
}

export function readDataset(files: readonly DataFile[], options: ReadDatasetOptions = {}): Result<Dataset, string> {
  const data = files.filter((f) => !isIgnorable(f));
  const folder = commonFolder(files);
  const source = options.source ?? (files.length === 1 && files[0] ? files[0].name : folder || 'the selected files');
  if (data.length === 0) {
    const extra = files.length > 0 ? ` (only ${files.slice(0, 3).map((f) => f.name).join(', ')}${files.length > 3 ? ', …' : ''})` : '';
    return err(`${source} holds no sample data${extra}; ${CONVERT_HINT}`);
  }

  // ONNX test data: input_K.pb files, grouped by folder; output_K.pb are expected outputs (ignored).
  const pbs = data.filter((f) => extOf(f.name) === 'pb');
  if (pbs.length > 0 && pbs.length === data.length) {
    const byFolder = new Map<string, DataFile[]>();
    for (const f of pbs) {
      const dir = dirOf(pathOf(f));
      byFolder.set(dir, [...(byFolder.get(dir) ?? []), f]);
    }
    const folders: TestDataFolder[] = [...byFolder].filter(([, fs]) => fs.some((f) => inputIndex(f.name) !== undefined)).map(([dir, fs]) => ({ folder: dir || '.', files: fs }));
    if (folders.length === 0) return err(`${source} has .pb files but none named input_K.pb (${pbs.slice(0, 3).map((f) => f.name).join(', ')}); calibration needs the inputs, not the outputs`);
    return readTestDataFolders(folders, source);
  }

  const images = data.filter((f) => isImageName(f.name));
  if (images.length > 0) {
    if (images.length !== data.length) {
      const other = data.filter((f) => !isImageName(f.name)).slice(0, 3).map(pathOf);
      return err(`${source} mixes images with other files (${other.join(', ')}); pick a folder that holds only images (in class subfolders for labels)`);
    }
    const decoded: FolderImage[] = [];
    for (const f of images) {
      if (!f.image) return err(`image folders need the studio page, which decodes PNG/JPEG in the browser (${pathOf(f)} is not decoded here); or ${CONVERT_HINT}`);
      decoded.push({ path: pathOf(f), image: f.image });
    }
    if (!options.preprocessing) return err(`${source} is a folder of images: declare how pixels become model input (size, layout NCHW/NHWC, channels, scale, mean/std)`);
    return readImageFolder(decoded, options.preprocessing, source);
  }

  if (data.length === 1) return readOne(data[0] as DataFile, options.source ?? pathOf(data[0] as DataFile), options);
  if (data.every((f) => isNpy(f.bytes))) return readNpyFiles(data, source, options);
  return err(`${source} holds ${data.length} files (${data.slice(0, 4).map((f) => f.name).join(', ')}${data.length > 4 ? ', …' : ''}); pick one .npz/.npy/.json file, several .npy named after the model's inputs, a test_data_set folder, or a folder of images`);
}
