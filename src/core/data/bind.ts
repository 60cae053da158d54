/**
 * Binding a Dataset to a model's inputs: which array feeds which input, the per-sample shape
 * (rows reshaped when the element count matches: digits rows of 64 → [1,8,8]), the element type
 * (cast like numpy astype: float64 → float32, float → int64 truncating), and how many samples go
 * into one run.
 *
 * Batch size: a free batch axis (symbolic or -1) takes batches of up to `maxBatch` (32, what ORT's
 * calibration data readers commonly use); a batch axis fixed at 1 takes one sample at a time; one
 * fixed at B > 1 takes exactly B per run (ORT rejects any other size), and leftover samples that do
 * not fill a last run are dropped with a warning. ONNX test_data_set data (Dataset.sets) is fed
 * folder by folder instead: each folder is one complete feed.
 */
import type { Result } from '../errors.js';
import { err, ok } from '../errors.js';
import { labelCountProblem } from './labels.js';
import { castTensor, elementCount, formatDims, isSampleDType } from './sample-array.js';
import type { BoundDataset, Dataset, Feed, ModelInputSpec, SampleArray, SampleTensor } from './types.js';

export interface BindOptions {
  /** Most samples per run when the model's batch axis is free (default 32). */
  readonly maxBatch?: number;
}

export const DEFAULT_MAX_BATCH = 32;

interface Bound {
  readonly input: ModelInputSpec;
  readonly arrayName: string;
  readonly tensor: SampleTensor;
  readonly sampleDims: readonly number[];
}

function pickArray(dataset: Dataset, inputs: readonly ModelInputSpec[], k: number): string | undefined {
  const input = inputs[k] as ModelInputSpec;
  if (dataset.arrays.has(input.name)) return input.name;
  if (inputs.length === 1) {
    if (dataset.arrays.has('x')) return 'x';
    if (dataset.arrays.size === 1) return [...dataset.arrays.keys()][0];
  }
  // Positional sources (test_data_set input_K.pb) whose tensor names differ from the model's.
  const order = dataset.inputOrder;
  if (order && order.length === inputs.length) {
    const name = order[k];
    if (name !== undefined && !inputs.some((i) => i.name === name)) return name;
  }
  return undefined;
}

function noArrayMessage(dataset: Dataset, inputs: readonly ModelInputSpec[], input: ModelInputSpec): string {
  const have = [...dataset.arrays.keys()].map((n) => `'${n}'`).join(', ');
  const want = inputs.map((i) => `'${i.name}'`).join(', ');
  const single = inputs.length === 1 ? ` (or call the one array 'x')` : '';
  return `no array feeds input '${input.name}': ${dataset.source} has ${have}; name the arrays after the model's inputs ${want}${single}`;
}

function describeSamples(t: SampleTensor): string {
  const s = t.dims.slice(1);
  if (s.length === 0) return `one value per sample (shape ${formatDims(t.dims)})`;
  if (s.length === 1) return `rows of ${s[0] ?? 0} values`;
  return `samples of shape ${formatDims(s)} (${elementCount(s)} values)`;
}

/** The per-sample dims the model gets for this array, or a message saying why it does not fit. */
function sampleDimsFor(input: ModelInputSpec, arrayName: string, t: SampleTensor, warnings: string[]): Result<{ dims: number[]; tensor: SampleTensor }, string> {
  const rest = input.dims.slice(1);
  const s = t.dims.slice(1);
  const wants = `input '${input.name}' wants ${formatDims(['N', ...rest])}`;
  const known = rest.every((d): d is number => typeof d === 'number' && d > 0);
  if (known) {
    const restDims = rest as number[];
    if (s.length === restDims.length && s.every((d, i) => d === restDims[i])) return ok({ dims: restDims, tensor: t });
    if (elementCount(s) === elementCount(restDims)) return ok({ dims: restDims, tensor: t });
    if (t.dims.length === restDims.length && t.dims.every((d, i) => d === restDims[i])) {
      warnings.push(`'${arrayName}' ${formatDims(t.dims)} has no samples axis; fed as one sample of input '${input.name}'`);
      return ok({ dims: restDims, tensor: { ...t, dims: [1, ...t.dims] } });
    }
    return err(`${wants}; ${arrayName} has ${describeSamples(t)}`);
  }
  const fits = s.length === rest.length && rest.every((d, i) => typeof d !== 'number' || d <= 0 || d === s[i]);
  if (fits) return ok({ dims: s, tensor: t });
  return err(`${wants}; ${arrayName} has ${describeSamples(t)}`);
}

function sliceArray(a: SampleArray, from: number, to: number): SampleArray {
  return (a as Float32Array).subarray.call(a, from, to) as SampleArray;
}

/** Cast to what the input takes; half-float inputs get float32 (see the comment in bindDataset). */
function castFor(input: ModelInputSpec, arrayName: string, t: SampleTensor, warnings: string[]): Result<SampleTensor, string> {
  if (input.dtype === 'undefined') return ok(t);
  // Half-float inputs get float32 samples: sample data has no half type, and the runtime narrows
  // float32 to float16 when it feeds (src/runtime/calibrate.ts toOrtTensor).
  const target = input.dtype === 'float16' ? 'float32' : input.dtype;
  if (!isSampleDType(target)) return err(`input '${input.name}' takes ${input.dtype} values, which sample data cannot feed (float32, float64, float16, int64, int32, int8, uint8, bool)`);
  const c = castTensor(t, target);
  if (c.truncated) warnings.push(`'${arrayName}' has fractional values; cast to ${target} for input '${input.name}' they were truncated toward zero`);
  if (c.outOfRange) warnings.push(`'${arrayName}' has values outside the ${target} range of input '${input.name}'; they wrapped around`);
  return ok(c.tensor);
}

/**
 * ONNX test_data_set data (Dataset.sets): each folder is one complete feed, fed as written. Shapes
 * are checked against the model's fixed dims only; nothing is reshaped or re-batched.
 */
function bindSets(dataset: Dataset, inputs: readonly ModelInputSpec[], sets: number): Result<BoundDataset, string> {
  const warnings = [...dataset.warnings];
  const bound: Bound[] = [];
  for (let k = 0; k < inputs.length; k++) {
    const input = inputs[k] as ModelInputSpec;
    const arrayName = pickArray(dataset, inputs, k);
    const tensor = arrayName === undefined ? undefined : dataset.arrays.get(arrayName);
    if (arrayName === undefined || !tensor) return err(noArrayMessage(dataset, inputs, input));
    const rows = (tensor.dims[0] ?? 0) / sets;
    const dims = [rows, ...tensor.dims.slice(1)];
    const fits = input.dims.length === 0 || (input.dims.length === dims.length && input.dims.every((d, i) => typeof d !== 'number' || d <= 0 || d === dims[i]));
    if (!Number.isInteger(rows) || !fits) return err(`input '${input.name}' wants ${formatDims(input.dims)}; '${arrayName}' is ${formatDims(dims)}`);
    const cast = castFor(input, arrayName, tensor, warnings);
    if (!cast.ok) return cast;
    bound.push({ input, arrayName, tensor: cast.value, sampleDims: dims });
  }
  const feeds = function* (): Generator<Feed> {
    for (let j = 0; j < sets; j++) {
      const feed = new Map<string, SampleTensor>();
      for (const b of bound) {
        const per = elementCount(b.sampleDims);
        feed.set(b.input.name, { dtype: b.tensor.dtype, dims: b.sampleDims, data: sliceArray(b.tensor.data, j * per, (j + 1) * per) });
      }
      yield feed;
    }
  };
  return ok({ source: dataset.source, count: sets, batchSize: 1, feeds, warnings });
}

export function bindDataset(dataset: Dataset, inputs: readonly ModelInputSpec[], options: BindOptions = {}): Result<BoundDataset, string> {
  if (inputs.length === 0) return err('the model has no inputs to feed');
  if (dataset.sets !== undefined) return bindSets(dataset, inputs, dataset.sets);
  const warnings = [...dataset.warnings];
  const bound: Bound[] = [];
  for (let k = 0; k < inputs.length; k++) {
    const input = inputs[k] as ModelInputSpec;
    const arrayName = pickArray(dataset, inputs, k);
    const tensor = arrayName === undefined ? undefined : dataset.arrays.get(arrayName);
    if (arrayName === undefined || !tensor) return err(noArrayMessage(dataset, inputs, input));
    if (bound.some((b) => b.arrayName === arrayName)) return err(`array '${arrayName}' would feed both '${bound.find((b) => b.arrayName === arrayName)?.input.name ?? ''}' and '${input.name}'; name the arrays after the model's inputs`);
    if (input.dims.length === 0) {
      // No declared shape (or a scalar input): feed the samples as they are, one at a time.
      warnings.push(`the model does not declare a shape for input '${input.name}'; feeding '${arrayName}' one sample at a time as ${formatDims([1, ...tensor.dims.slice(1)])}`);
      bound.push({ input: { ...input, dims: [1, ...tensor.dims.slice(1)] }, arrayName, tensor, sampleDims: tensor.dims.slice(1) });
      continue;
    }
    const shaped = sampleDimsFor(input, arrayName, tensor, warnings);
    if (!shaped.ok) return shaped;
    const cast = castFor(input, arrayName, shaped.value.tensor, warnings);
    if (!cast.ok) return cast;
    bound.push({ input, arrayName, tensor: cast.value, sampleDims: shaped.value.dims });
  }
  const unused = [...dataset.arrays.keys()].filter((n) => !bound.some((b) => b.arrayName === n));
  if (unused.length > 0) warnings.push(`ignored array${unused.length > 1 ? 's' : ''} ${unused.map((n) => `'${n}'`).join(', ')}: no model input has ${unused.length > 1 ? 'those names' : 'that name'}`);

  const first = bound[0] as Bound;
  const count = first.tensor.dims[0] ?? 0;
  for (const b of bound.slice(1)) {
    const n = b.tensor.dims[0] ?? 0;
    if (n !== count) return err(`'${first.arrayName}' has ${count} samples but '${b.arrayName}' has ${n}; every input needs the same number of samples`);
  }
  if (count === 0) return err(`${dataset.source} has no samples (the first axis of '${first.arrayName}' is 0)`);
  if (dataset.labels) {
    const problem = labelCountProblem(dataset.labels.length, count, first.arrayName);
    if (problem) return err(problem);
  }

  // Batch size from the first axis of every input: fixed sizes win over free ones and must agree.
  const fixed = [...new Set(bound.map((b) => b.input.dims[0]).filter((d): d is number => typeof d === 'number' && d > 0))];
  if (fixed.length > 1) return err(`the model's inputs fix different batch sizes (${fixed.join(', ')}); sample data cannot feed them along one axis`);
  let batchSize: number;
  let used = count;
  const fixedBatch = fixed[0];
  if (fixedBatch === undefined) {
    batchSize = Math.max(1, Math.min(Math.floor(options.maxBatch ?? DEFAULT_MAX_BATCH), count));
  } else if (fixedBatch === 1) {
    batchSize = 1;
  } else {
    if (count < fixedBatch) return err(`input '${first.input.name}' takes exactly ${fixedBatch} samples per run, but ${dataset.source} has ${count}; supply at least ${fixedBatch}`);
    batchSize = fixedBatch;
    used = count - (count % fixedBatch);
    if (used < count) warnings.push(`input '${first.input.name}' takes exactly ${fixedBatch} samples per run: the last ${count - used} of ${count} samples are not used`);
  }

  const labels = dataset.labels ? (used < count ? dataset.labels.subarray(0, used) : dataset.labels) : undefined;
  const feeds = function* (): Generator<Feed> {
    for (let start = 0; start < used; start += batchSize) {
      const n = Math.min(batchSize, used - start);
      const feed = new Map<string, SampleTensor>();
      for (const b of bound) {
        const per = elementCount(b.sampleDims);
        feed.set(b.input.name, { dtype: b.tensor.dtype, dims: [n, ...b.sampleDims], data: sliceArray(b.tensor.data, start * per, (start + n) * per) });
      }
      yield feed;
    }
  };
  const result: BoundDataset = { source: dataset.source, count: used, batchSize, feeds, warnings, ...(labels ? { labels } : {}) };
  return ok(result);
}
