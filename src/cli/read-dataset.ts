/**
 * Sample data from disk for the CLI (--calib, --data): a file, or a folder read recursively (ONNX
 * test_data_set_N folders, a model folder holding them, folders of .npy), handed to the same core
 * reader the page uses. Paths passed to the core are relative to the picked folder and start with its
 * name, as File.webkitRelativePath does in the browser.
 *
 * Images are not decoded here (Node has no PNG/JPEG decoder without a native package); the core
 * reader answers that image folders need the studio page or a conversion to .npz.
 */
import { readdirSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { Result } from '../core/errors.js';
import { err } from '../core/errors.js';
import type { DataFile, ReadDatasetOptions } from '../core/data/read-dataset.js';
import { readDataset } from '../core/data/read-dataset.js';
import { isImageName } from '../core/data/images.js';
import type { Dataset } from '../core/data/types.js';
import { readWholeFile } from './read-model.js';

/** More files than any calibration folder needs; stops an accidental `--calib /`. */
const MAX_FILES = 100_000;

function errnoCode(e: unknown): string | undefined {
  return typeof e === 'object' && e !== null && 'code' in e && typeof e.code === 'string' ? e.code : undefined;
}

function listFiles(dir: string, rel: string, out: { abs: string; rel: string }[]): string | undefined {
  const entries = readdirSync(dir, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const e of entries) {
    if (e.name.startsWith('.') || e.name === 'node_modules') continue;
    const abs = join(dir, e.name);
    const r = `${rel}/${e.name}`;
    if (e.isDirectory()) {
      const problem = listFiles(abs, r, out);
      if (problem) return problem;
    } else if (e.isFile()) {
      out.push({ abs, rel: r });
      if (out.length > MAX_FILES) return `more than ${MAX_FILES} files under it; point at the data folder itself`;
    }
  }
  return undefined;
}

export function readDatasetPath(path: string, options: Omit<ReadDatasetOptions, 'source'> = {}): Result<Dataset, string> {
  const abs = resolve(path);
  let isDir: boolean;
  try {
    isDir = statSync(abs).isDirectory();
  } catch (e) {
    const code = errnoCode(e);
    return err(code === 'ENOENT' ? `${path} does not exist (paths are relative to the current folder)` : `${path} cannot be read (${e instanceof Error ? e.message : String(e)})`);
  }
  const name = basename(abs);
  const listed: { abs: string; rel: string }[] = [];
  if (isDir) {
    const problem = listFiles(abs, name, listed);
    if (problem) return err(`${path}: ${problem}`);
    if (listed.length === 0) return err(`${path} is an empty folder; give an .npz/.npy/.json file or a folder of test_data_set_N/input_K.pb`);
  } else {
    listed.push({ abs, rel: name });
  }
  const files: DataFile[] = [];
  for (const f of listed) {
    const fileName = basename(f.abs);
    // Image bytes are not needed: the core reader refuses undecoded images by name alone.
    if (isImageName(fileName)) {
      files.push({ name: fileName, path: f.rel, bytes: new Uint8Array(0) });
      continue;
    }
    const bytes = readWholeFile(f.abs);
    if (!bytes.ok) return err(bytes.error.line);
    files.push({ name: fileName, path: f.rel, bytes: bytes.value });
  }
  return readDataset(files, { ...options, source: isDir ? `${name}/` : name });
}
