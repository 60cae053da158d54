/**
 * Inputs for benchmarks and comparisons, shared by benchmark.ts and compare-models.ts: a session's
 * inputs as the data binder's ModelInputSpecs, pseudo-random samples (the calibrator's randomDataset,
 * so that random data means the same thing everywhere), and a Feed of samples → ORT tensors of the
 * element types each session declares (a float16 variant gets the same values as its float32 original).
 */
import type { Result } from '../core/errors.js';
import { err, ok } from '../core/errors.js';
import type { Feed, ModelInputSpec, SampleTensor } from '../core/data/types.js';
import { randomDataset, toOrtTensor } from './calibrate.js';
import type { RuntimeSession, Tensor, ValueInfo } from './ort.js';

/** Value ranges of float inputs by input name, e.g. the sample manifest's declared `range: [0, 1]`. */
export type InputRanges = Readonly<Record<string, readonly [number, number]>>;

export function inputSpecs(inputs: readonly ValueInfo[]): ModelInputSpec[] {
  return inputs.map((i) => ({ name: i.name, dtype: i.type ?? 'undefined', dims: (i.shape ?? []).map((d) => (typeof d === 'number' ? d : d === '' ? -1 : d)) }));
}

/**
 * One random sample per input (fixed seed): floats uniform in [0, 1) — or in `ranges[name]` when given —,
 * integers in [0, 4), bools 0/1; symbolic dims from `shapes` by name, other unknown dims 1.
 */
export function randomFeed(inputs: readonly ValueInfo[], seed: number, shapes: Readonly<Record<string, number>> = {}, ranges: InputRanges = {}): Feed {
  const data = randomDataset(inputSpecs(inputs), 1, seed, shapes);
  const first = data.feeds()[Symbol.iterator]().next();
  const feed = new Map<string, SampleTensor>(first.done ? [] : first.value);
  for (const [name, t] of feed) {
    const range = ranges[name];
    if (!range || (t.dtype !== 'float32' && t.dtype !== 'float64')) continue;
    const [lo, hi] = range;
    const a = t.data as Float32Array | Float64Array;
    for (let i = 0; i < a.length; i++) a[i] = lo + (hi - lo) * (a[i] as number);
  }
  return feed;
}

/** The feed as ORT tensors of the types `session` declares; an error names the input that cannot be fed. */
export function sessionFeeds(session: RuntimeSession, feed: Feed): Result<Record<string, Tensor>, string> {
  const out: Record<string, Tensor> = {};
  for (const input of session.inputs) {
    const sample = feed.get(input.name);
    if (!sample) return err(`nothing feeds the model input '${input.name}' (the data has ${[...feed.keys()].map((k) => `'${k}'`).join(', ') || 'no arrays'})`);
    const t = toOrtTensor(sample, input.type ?? 'float32');
    if (!t) return err(`input '${input.name}': cannot feed ${sample.dtype} data as ${input.type ?? 'unknown'}`);
    out[input.name] = t;
  }
  return ok(out);
}

/** "input [1,1,8,8] float32, mask [1,16] int64" — what a report says it fed. */
export function describeFeed(feed: Feed): string {
  return [...feed].map(([name, t]) => `${name} [${t.dims.join(',')}] ${t.dtype}`).join(', ');
}
