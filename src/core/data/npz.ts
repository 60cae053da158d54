/**
 * NumPy's .npz: a zip archive of .npy files, one per array, named `<key>.npy` (np.savez stores
 * them, np.savez_compressed deflates them, and both force zip64 headers). fflate reads stored and
 * deflated entries, zip64 included.
 */
import { unzipSync } from 'fflate';
import type { Result } from '../errors.js';
import { err } from '../errors.js';
import type { AssembleOptions } from './assemble.js';
import { assembleDataset } from './assemble.js';
import { parseNpy } from './npy.js';
import type { Dataset, SampleTensor } from './types.js';

export function isZip(bytes: Uint8Array): boolean {
  return bytes[0] === 0x50 && bytes[1] === 0x4b && (bytes[2] === 0x03 || bytes[2] === 0x05) && (bytes[3] === 0x04 || bytes[3] === 0x06);
}

export function readNpz(bytes: Uint8Array, source: string, options: AssembleOptions = {}): Result<Dataset, string> {
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(bytes);
  } catch (e) {
    const why = e instanceof Error ? e.message : String(e);
    return err(`${source} cannot be unpacked as a zip (${why}); it may be truncated or use a compression other than deflate — write it again with np.savez or np.savez_compressed`);
  }
  const named = new Map<string, SampleTensor>();
  const skipped: string[] = [];
  for (const [entry, data] of Object.entries(entries).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (entry.endsWith('/')) continue; // directory entry
    if (!entry.endsWith('.npy')) {
      skipped.push(entry);
      continue;
    }
    const key = entry.slice(0, -4);
    const parsed = parseNpy(data, `${source}: array '${key}'`);
    if (!parsed.ok) return parsed;
    named.set(key, parsed.value);
  }
  if (named.size === 0) {
    return err(`${source} is a zip without .npy arrays${skipped.length ? ` (it holds ${skipped.slice(0, 5).join(', ')})` : ''}; an .npz is written by np.savez(path, x=samples, y=labels)`);
  }
  const warnings = skipped.length > 0 ? [`${source}: ignored ${skipped.length} entr${skipped.length === 1 ? 'y' : 'ies'} that are not .npy arrays (${skipped.slice(0, 3).join(', ')})`] : [];
  return assembleDataset(source, named, options, warnings);
}
