/**
 * Loading a model from disk for the CLI: the same core loader the browser uses, plus what only a file
 * system can do — finding external data files next to the model by their `location`.
 */
import { closeSync, existsSync, fstatSync, openSync, readdirSync, readSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, relative, resolve } from 'node:path';
import type { Result } from '../core/errors.js';
import { err, ok } from '../core/errors.js';
import { normalizeLocation } from '../core/format/external-data.js';
import { SAVED_MODEL_HINT } from '../core/format/kind-errors.js';
import type { InputFile, LoadedModel } from '../core/model/load.js';
import { attachExternalData, parseModelFile } from '../core/model/load.js';
import { CliFailure, fileProblem } from './io.js';

const MISSING_DATA_HINT = 'put the data files next to the model under those names, or pass each with --data FILE';

function errnoCode(e: unknown): string | undefined {
  return typeof e === 'object' && e !== null && 'code' in e && typeof e.code === 'string' ? e.code : undefined;
}

/** Explains a path that is a folder: a SavedModel, or a folder holding the model the user meant. */
function folderProblem(path: string): CliFailure {
  const entries = readdirSync(path);
  if (entries.includes('saved_model.pb')) {
    return fileProblem(path, 'This is a TensorFlow SavedModel folder, not an ONNX model', 'It holds saved_model.pb and variables/.', SAVED_MODEL_HINT.replace('DIR', path));
  }
  const models = entries.filter((e) => /\.onnx$/i.test(e));
  const hint = models.length > 0 ? `pass the model file itself, e.g. ${resolveDisplay(path, models[0] as string)}` : 'pass a .onnx file';
  return fileProblem(path, 'This is a folder, not a file', models.length > 0 ? `It contains ${models.join(', ')}.` : 'It contains no .onnx file.', hint);
}

function resolveDisplay(dir: string, name: string): string {
  return `${dir.replace(/[\\/]+$/, '')}/${name}`;
}

/**
 * Reads a whole file into one Uint8Array of its exact size. Unlike fs.readFileSync this also works
 * past 2 GiB (Node refuses readFileSync there), which is where external data and big models live.
 */
export function readWholeFile(path: string): Result<Uint8Array, CliFailure> {
  let fd: number;
  try {
    if (statSync(path).isDirectory()) return err(folderProblem(path));
    fd = openSync(path, 'r');
  } catch (e) {
    const code = errnoCode(e);
    if (code === 'ENOENT') return err(fileProblem(path, 'File not found', 'There is no file at this path.', 'check the path (it is relative to the current folder)'));
    if (code === 'EACCES' || code === 'EPERM') return err(fileProblem(path, 'Permission denied', 'The file cannot be read.', 'check its permissions'));
    return err(fileProblem(path, 'Cannot open the file', e instanceof Error ? e.message : String(e), 'check the path'));
  }
  try {
    const size = fstatSync(fd).size;
    const out = new Uint8Array(size);
    let at = 0;
    while (at < size) {
      const n = readSync(fd, out, at, Math.min(size - at, 1 << 30), at);
      if (n === 0) break;
      at += n;
    }
    return ok(at === size ? out : out.subarray(0, at));
  } catch (e) {
    return err(fileProblem(path, 'Cannot read the file', e instanceof Error ? e.message : String(e), 'check that the disk and file are readable'));
  } finally {
    closeSync(fd);
  }
}

/**
 * A location we may read by ourselves: relative, and inside the model's folder. Like onnx's own
 * checker, we do not follow `..` or absolute paths out of it (path traversal); such files can still be
 * passed explicitly with --data.
 */
function insideFolder(dir: string, location: string): string | undefined {
  if (isAbsolute(location) || /^[a-zA-Z]:[\\/]/.test(location)) return undefined;
  const path = resolve(dir, normalizeLocation(location));
  const rel = relative(dir, path);
  return rel.startsWith('..') || isAbsolute(rel) ? undefined : path;
}

export interface ReadModelOptions {
  /** External data files given on the command line (matched by location, then by base name). */
  readonly dataPaths?: readonly string[];
}

export function readModel(modelPath: string, options: ReadModelOptions = {}): Result<LoadedModel, CliFailure> {
  const modelBytes = readWholeFile(modelPath);
  if (!modelBytes.ok) return modelBytes;
  const parsed = parseModelFile({ name: basename(modelPath), bytes: modelBytes.value });
  if (!parsed.ok) return err(CliFailure.bad({ ...parsed.error, file: modelPath }));

  const files: InputFile[] = [];
  for (const p of options.dataPaths ?? []) {
    const bytes = readWholeFile(p);
    if (!bytes.ok) return bytes;
    files.push({ name: p, bytes: bytes.value });
  }
  // Files next to the model, found by location, unless --data already gave a file of that name.
  const dir = dirname(resolve(modelPath));
  const given = new Set(files.map((f) => basename(f.name)));
  const locations = new Set(parsed.value.externalTensors.map((t) => t.ref.location));
  for (const loc of locations) {
    if (given.has(basename(normalizeLocation(loc)))) continue;
    const path = loc ? insideFolder(dir, loc) : undefined;
    if (!path || !existsSync(path) || statSync(path).isDirectory()) continue;
    const bytes = readWholeFile(path);
    if (!bytes.ok) return bytes;
    files.push({ name: normalizeLocation(loc), bytes: bytes.value });
  }
  const loaded = attachExternalData(parsed.value, files, { missingDataHint: MISSING_DATA_HINT });
  if (!loaded.ok) {
    // Errors about the model carry its path as typed; errors about a data file keep the data file's name.
    const file = loaded.error.file === parsed.value.fileName ? modelPath : loaded.error.file;
    return err(CliFailure.bad(file === undefined ? loaded.error : { ...loaded.error, file }));
  }
  return ok(loaded.value);
}
