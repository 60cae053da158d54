/**
 * Class labels (`y` in .npz and JSON): one integer per sample. numpy writes them as int64 (or
 * int32 on Windows); a float array whose values are all whole numbers is accepted too, since
 * `np.array(y, dtype=float)` is an easy mistake that loses nothing here.
 */
import type { Result } from '../errors.js';
import { err, ok } from '../errors.js';
import { elementAt, formatDims } from './sample-array.js';
import type { SampleTensor } from './types.js';

export function toLabels(t: SampleTensor, name: string): Result<Int32Array, string> {
  const count = t.dims[0] ?? 0;
  const perSample = t.dims.slice(1).reduce((a, b) => a * b, 1);
  if (perSample !== 1) {
    return err(`labels '${name}' have shape ${formatDims(t.dims)}; labels are one integer class index per sample, shape [N] (for one-hot labels use y.argmax(axis=1))`);
  }
  const out = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const v = elementAt(t, i);
    if (!Number.isInteger(v) || v < 0 || v > 2 ** 31 - 1) {
      return err(`labels '${name}' must be non-negative integer class indices; sample ${i} has ${v}`);
    }
    out[i] = v;
  }
  return ok(out);
}

/** The one message for a label count that does not match the samples. */
export function labelCountProblem(labels: number, samples: number, arrayName: string): string | undefined {
  if (labels === samples) return undefined;
  return `there are ${labels} labels (y) for ${samples} samples of '${arrayName}'; y needs exactly one label per sample, in the same order`;
}
