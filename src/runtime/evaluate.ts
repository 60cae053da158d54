/**
 * Evaluating a model on a few samples, for comparisons that run many variants against one reference
 * (sensitivity, auto-tune): the samples are taken once, the reference's outputs computed once, and each
 * variant scored against them — output fidelity (SQNR, cosine …) and accuracy when there are labels.
 */
import type { Result } from '../core/errors.js';
import { err, ok } from '../core/errors.js';
import type { BoundDataset, SampleTensor } from '../core/data/types.js';
import type { onnx } from '../core/onnx/codec.js';
import { encodeModelProto } from '../core/onnx/codec.js';
import type { Accuracy, Fidelity } from '../core/metrics/fidelity.js';
import { accuracy, FidelityAccumulator } from '../core/metrics/fidelity.js';
import type { AbortLike } from '../core/transform/types.js';
import { sessionFeeds } from './bench-inputs.js';
import { floatValues } from './calibrate.js';
import { createSession } from './ort.js';

export interface Samples {
  readonly feeds: ReadonlyArray<ReadonlyMap<string, SampleTensor>>;
  readonly count: number;
  readonly labels?: Int32Array;
}

/** The first `max` samples (whole batches) of the data, kept to feed every variant the same. */
export function takeSamples(data: BoundDataset, max: number): Samples {
  const feeds: Array<ReadonlyMap<string, SampleTensor>> = [];
  let count = 0;
  for (const feed of data.feeds()) {
    if (count >= max) break;
    feeds.push(feed);
    count += Math.max(1, data.batchSize);
  }
  count = Math.min(count, data.count);
  return { feeds, count, ...(data.labels ? { labels: data.labels.subarray(0, count) } : {}) };
}

/** Outputs of `model` on the samples, per output name, concatenated over samples. */
export async function outputsOn(model: onnx.IModelProto, samples: Samples, signal?: AbortLike): Promise<Result<Map<string, Float32Array[]>, string>> {
  const s = await createSession(encodeModelProto(model));
  if (!s.ok) return err(s.error.message);
  try {
    const out = new Map<string, Float32Array[]>();
    for (const feed of samples.feeds) {
      if (signal?.aborted) return err('cancelled');
      const feeds = sessionFeeds(s.value, feed);
      if (!feeds.ok) return err(feeds.error);
      const r = await s.value.run(feeds.value);
      if (!r.ok) return err(r.error.message);
      for (const o of s.value.outputs) {
        const t = r.value.outputs[o.name];
        const v = t ? floatValues(t) : undefined;
        if (!v) continue;
        out.set(o.name, [...(out.get(o.name) ?? []), Float32Array.from(v)]);
      }
    }
    return ok(out);
  } finally {
    await s.value.release();
  }
}

/** `got` against `ref` over every output; accuracy from the first output when labels exist and it is [N, classes]. */
export function score(ref: Map<string, Float32Array[]>, got: Map<string, Float32Array[]>, samples: Samples): { fidelity: Fidelity; accuracy?: Accuracy } {
  const acc = new FidelityAccumulator();
  for (const [name, chunks] of ref) {
    const other = got.get(name) ?? [];
    chunks.forEach((c, i) => {
      const o = other[i];
      if (o && o.length === c.length) acc.add(c, o);
    });
  }
  const first = [...got.values()][0];
  if (!samples.labels || !first) return { fidelity: acc.result() };
  const logits = new Float32Array(first.reduce((n, c) => n + c.length, 0));
  let at = 0;
  for (const c of first) {
    logits.set(c, at);
    at += c.length;
  }
  const classes = logits.length / samples.count;
  if (!Number.isInteger(classes) || classes < 2) return { fidelity: acc.result() };
  return { fidelity: acc.result(), accuracy: accuracy(logits, classes, samples.labels) };
}

