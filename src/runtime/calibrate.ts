/**
 * Calibration in onnxruntime-web: the Calibrator core's recipe runner is given (core never runs a
 * model). It exposes the requested intermediate tensors as graph outputs (core/transform/
 * expose-tensors.ts), creates one session, runs every feed of the bound dataset through it, streams
 * each batch's values into a RangeCollector (core/calibrate/collector.ts: min/max or a fixed-size,
 * exactly-rebinned histogram — one pass over the data for every method, nothing stored per sample),
 * and releases the session.
 *
 * Graph optimisation: 'basic' by default. ORT never fuses away a node whose output is a graph output,
 * so the exposed intermediates survive basic (and even extended) optimisation, and constant folding
 * keeps the run cheap; 'disabled' is available for models where a basic rewrite changes a value.
 */
import { numberToFloat16 } from '../core/onnx/float-formats.js';
import { float16ToNumber } from '../core/onnx/float-formats.js';
import { encodeModelProto } from '../core/onnx/codec.js';
import type { onnx } from '../core/onnx/codec.js';
import { err, ok } from '../core/errors.js';
import type { Result } from '../core/errors.js';
import { RangeCollector } from '../core/calibrate/collector.js';
import { exposeTensors } from '../core/transform/expose-tensors.js';
import type { AbortLike, CalibrationInfo, CalibrationRequest, Calibrator, ProgressFn } from '../core/transform/types.js';
import type { BoundDataset, Feed, ModelInputSpec, SampleArray, SampleDType, SampleTensor } from '../core/data/types.js';
import { seededRandom } from '../core/util/seeded-random.js';
import { createSession, OrtTensor } from './ort.js';
import type { GraphOptimizationLevel, RuntimeSession, Tensor, TensorType } from './ort.js';

export interface CalibratorOptions {
  /** 'basic' (default) or 'disabled'; see the file comment. Threads are a runtime-wide setting (configureRuntime). */
  readonly graphOptimizationLevel?: Extract<GraphOptimizationLevel, 'disabled' | 'basic'>;
}

export const RANDOM_DATA_WARNING = 'calibrated on random data: ranges may not match real inputs';

export function createCalibrator(data: BoundDataset, options: CalibratorOptions = {}): Calibrator {
  return (model, request, progress, signal) => calibrate(model, request, data, options, progress, signal);
}

const CANCELLED = 'calibration cancelled';

async function calibrate(
  model: onnx.IModelProto,
  request: CalibrationRequest,
  data: BoundDataset,
  options: CalibratorOptions,
  progress: ProgressFn,
  signal: AbortLike | undefined,
): Promise<Result<CalibrationInfo, string>> {
  if (data.count === 0) return err(`calibration: ${data.source} holds no samples`);
  const plan = exposeTensors(model, request.tensors);
  const fetches = [...plan.exposed, ...plan.outputs];
  const collector = new RangeCollector(request);
  const warnings: string[] = [...data.warnings, ...plan.warnings];
  const stage = `calibrating (${request.method}) on ${data.source}`;

  let session: RuntimeSession | undefined;
  if (fetches.length > 0) {
    const created = await createSession(encodeModelProto(plan.model), { graphOptimizationLevel: options.graphOptimizationLevel ?? 'basic' });
    if (!created.ok) return err(`calibration: the model with exposed tensors did not load in onnxruntime-web: ${created.error.message}`);
    session = created.value;
  }
  const skippedTypes = new Map<string, string>();
  let done = 0;
  let lastYield = performance.now();
  try {
    progress(stage, 0, data.count);
    for (const feed of data.feeds()) {
      if (signal?.aborted) return err(CANCELLED);
      for (const name of plan.inputs) {
        const sample = feed.get(name);
        if (sample && (sample.dtype === 'float32' || sample.dtype === 'float64')) collector.add(name, sample.data as Float32Array | Float64Array);
        else if (sample) skippedTypes.set(name, sample.dtype);
      }
      if (session) {
        const feeds = ortFeeds(session, feed);
        if (!feeds.ok) return err(`calibration: ${feeds.error}`);
        const ran = await session.run(feeds.value, fetches);
        if (!ran.ok) return err(`calibration: running sample ${done + 1} of ${data.source} failed: ${ran.error.message}`);
        for (const name of fetches) {
          const t = ran.value.outputs[name];
          if (!t) continue;
          const values = floatValues(t);
          if (values) collector.add(name, values);
          else skippedTypes.set(name, t.type);
        }
      }
      // A feed holds batchSize samples, the last one possibly fewer (BoundDataset's contract).
      done = Math.min(data.count, done + Math.max(1, data.batchSize));
      progress(stage, done, data.count);
      // Let an abort (a click, a worker message) be delivered between batches. A setTimeout round
      // trip costs about a millisecond, as much as a batch-1 run of a small model, so yield only
      // when 20 ms have passed since the last time.
      if (performance.now() - lastYield > YIELD_EVERY_MS) {
        await yieldToEventLoop();
        lastYield = performance.now();
      }
    }
    if (signal?.aborted) return err(CANCELLED);
  } finally {
    await session?.release();
  }

  for (const [name, type] of skippedTypes) warnings.push(`'${name}' is ${type}, not a float tensor: not calibrated`);
  const ranges = collector.ranges();
  warnings.push(...collector.warnings());
  const requested = new Set(request.tensors);
  const unavailable = new Set(plan.unavailable.map((u) => u.name));
  const missing = [...requested].filter((n) => n && !ranges.has(n) && !unavailable.has(n) && !skippedTypes.has(n));
  if (missing.length > 0) warnings.push(`${missing.length} tensor(s) got no value during calibration: ${missing.slice(0, 5).map((n) => `'${n}'`).join(', ')}; they stay float`);
  return ok({ ranges, samples: done, source: data.source, warnings });
}

const YIELD_EVERY_MS = 20;
const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

/** Values of a float output as numbers (float16 bits decoded); undefined for other element types. */
export function floatValues(t: Tensor): ArrayLike<number> | undefined {
  const d = t.data;
  if (t.type === 'float32' && d instanceof Float32Array) return d;
  if (t.type === 'float64' && d instanceof Float64Array) return d;
  if (t.type === 'float16' && d instanceof Uint16Array) {
    const out = new Float32Array(d.length);
    for (let i = 0; i < d.length; i++) out[i] = float16ToNumber(d[i] as number);
    return out;
  }
  if (t.type === 'float16' && ArrayBuffer.isView(d) && !(d instanceof DataView) && !(d instanceof BigInt64Array) && !(d instanceof BigUint64Array)) {
    return d as unknown as ArrayLike<number>; // a native Float16Array
  }
  return undefined;
}

/**
 * SampleTensor → ORT tensor of the type the session declares for that input. The data binder already
 * matches types; converting here too keeps the calibrator usable with any BoundDataset (e.g. float32
 * samples for a float16 model after an fp16 step).
 */
function ortFeeds(session: RuntimeSession, feed: Feed): Result<Record<string, Tensor>, string> {
  const out: Record<string, Tensor> = {};
  for (const input of session.inputs) {
    const sample = feed.get(input.name);
    if (!sample) return err(`the calibration data has nothing for the model input '${input.name}'`);
    const t = toOrtTensor(sample, input.type ?? 'float32');
    if (!t) return err(`input '${input.name}': cannot feed ${sample.dtype} data as ${input.type ?? 'unknown'}`);
    out[input.name] = t;
  }
  return ok(out);
}

type Ctor = new (n: number) => { [i: number]: number; length: number };

const NUMERIC_CTORS: Partial<Record<TensorType, Ctor>> = {
  float32: Float32Array, float64: Float64Array, int32: Int32Array, int16: Int16Array, int8: Int8Array,
  uint8: Uint8Array, uint16: Uint16Array, uint32: Uint32Array, bool: Uint8Array,
};

const NATIVE: Partial<Record<SampleDType, TensorType>> = {
  float32: 'float32', float64: 'float64', int64: 'int64', int32: 'int32', int8: 'int8', uint8: 'uint8', bool: 'bool',
};

function makeTensor(type: TensorType, data: ArrayBufferView, dims: readonly number[]): Tensor {
  const ctor = OrtTensor as unknown as new (t: TensorType, d: ArrayBufferView, s: readonly number[]) => Tensor;
  return new ctor(type, data, dims);
}

export function toOrtTensor(sample: SampleTensor, type: TensorType): Tensor | undefined {
  const dims = [...sample.dims];
  const src: SampleArray = sample.data;
  if (NATIVE[sample.dtype] === type) return makeTensor(type, src, dims);
  const n = src.length;
  const num = (i: number): number => Number(src[i]);
  if (type === 'int64' || type === 'uint64') {
    const a = type === 'int64' ? new BigInt64Array(n) : new BigUint64Array(n);
    for (let i = 0; i < n; i++) a[i] = BigInt(Math.trunc(num(i)));
    return makeTensor(type, a, dims);
  }
  if (type === 'float16') {
    const a = new Uint16Array(n);
    for (let i = 0; i < n; i++) a[i] = numberToFloat16(num(i));
    return makeTensor(type, a, dims);
  }
  const ctor = NUMERIC_CTORS[type];
  if (!ctor) return undefined;
  const a = new ctor(n);
  const integer = type !== 'float32' && type !== 'float64';
  for (let i = 0; i < n; i++) a[i] = type === 'bool' ? (num(i) ? 1 : 0) : integer ? Math.trunc(num(i)) : num(i);
  return makeTensor(type, a as unknown as ArrayBufferView, dims);
}

/**
 * A dataset of `samples` pseudo-random samples (fixed seed), one per feed, for when the user has no
 * data: floats uniform in [0, 1), integers in [0, 4), bools 0/1; unknown or symbolic dims become 1.
 * Always carries RANDOM_DATA_WARNING, which the page and the CLI show next to the result.
 */
export function randomDataset(
  inputs: readonly ModelInputSpec[],
  samples: number,
  seed = 1,
  /** Sizes for symbolic dims by name (e.g. { samples: 16000 } for an audio model); others become 1. */
  symbols: Readonly<Record<string, number>> = {},
): BoundDataset {
  const count = Math.max(0, Math.floor(samples));
  const specs = inputs.map((input) => {
    // A symbolic batch axis becomes 1 (one sample per feed); so does any other unknown dim unless
    // `symbols` names it: 1 is the one size every model accepts for a batch, not for every axis
    // (an audio model's sample count), hence the override.
    const dims = input.dims.map((d) => (typeof d === 'number' && d > 0 ? d : typeof d === 'string' ? (symbols[d] ?? 1) : 1));
    return { name: input.name, dtype: sampleType(input.dtype), dims };
  });
  return {
    source: `${count} random samples (seed ${seed})`,
    count,
    batchSize: 1,
    warnings: [RANDOM_DATA_WARNING],
    *feeds() {
      const random = seededRandom(seed);
      for (let s = 0; s < count; s++) {
        const feed = new Map<string, SampleTensor>();
        for (const spec of specs) feed.set(spec.name, randomSample(spec.dtype, spec.dims, random));
        yield feed;
      }
    },
  };
}

/** ModelInputSpec.dtype (an ONNX type name) → the sample type that carries it (float16 as float32). */
function sampleType(dtype: string): SampleDType {
  switch (dtype) {
    case 'float64': case 'int64': case 'int32': case 'int8': case 'uint8': case 'bool': return dtype;
    case 'int16': case 'uint16': case 'uint32': case 'uint64': return 'int64';
    default: return 'float32';
  }
}

function randomSample(dtype: SampleDType, dims: readonly number[], random: () => number): SampleTensor {
  const n = dims.reduce((a, b) => a * b, 1);
  const small = (): number => Math.floor(random() * 4);
  return { dtype, dims, data: randomArray(dtype, n, random, small) };
}

function randomArray(dtype: SampleDType, n: number, random: () => number, small: () => number): SampleArray {
  switch (dtype) {
    case 'float32': return Float32Array.from({ length: n }, random);
    case 'float64': return Float64Array.from({ length: n }, random);
    case 'int64': return BigInt64Array.from({ length: n }, () => BigInt(small()));
    case 'int32': return Int32Array.from({ length: n }, small);
    case 'int8': return Int8Array.from({ length: n }, small);
    case 'uint8': return Uint8Array.from({ length: n }, small);
    default: return Uint8Array.from({ length: n }, () => (random() < 0.5 ? 0 : 1)); // bool
  }
}
