/**
 * Quantization debugging (issue 6, "Seeing why"): the error of every activation of a variant against
 * the same activation of its float reference, on the same inputs — where along the graph a quantized
 * model departs from the original (onnxruntime's qdq_loss_debug does this offline in Python). Tensor
 * pairs come from core/metrics/activation-matching.ts; both models get the tensors as extra outputs
 * (expose-tensors.ts), run sample by sample, and the error is accumulated per tensor without keeping
 * the values (FidelityAccumulator).
 */
import type { Result } from '../core/errors.js';
import { err, ok } from '../core/errors.js';
import type { BoundDataset } from '../core/data/types.js';
import type { onnx } from '../core/onnx/codec.js';
import { encodeModelProto } from '../core/onnx/codec.js';
import { matchActivations } from '../core/metrics/activation-matching.js';
import type { TensorPair } from '../core/metrics/activation-matching.js';
import type { Fidelity } from '../core/metrics/fidelity.js';
import { FidelityAccumulator } from '../core/metrics/fidelity.js';
import { exposeTensors } from '../core/transform/expose-tensors.js';
import type { AbortLike, ProgressFn } from '../core/transform/types.js';
import { sessionFeeds } from './bench-inputs.js';
import { floatValues } from './calibrate.js';
import { createSession } from './ort.js';
import type { RuntimeSession } from './ort.js';

export interface ActivationError extends TensorPair {
  readonly fidelity: Fidelity;
}

export interface ActivationDiff {
  readonly samples: number;
  readonly source: string;
  /** In the reference's graph order. */
  readonly tensors: readonly ActivationError[];
  readonly warnings: readonly string[];
}

export interface ActivationDiffSettings {
  /** Samples compared (default 32): the error of each tensor is stable long before a whole test set. */
  readonly maxSamples?: number;
}

const YIELD_EVERY_MS = 20;

export async function activationDiff(
  reference: onnx.IModelProto,
  candidate: onnx.IModelProto,
  data: BoundDataset,
  settings: ActivationDiffSettings = {},
  progress: ProgressFn = () => undefined,
  signal?: AbortLike,
): Promise<Result<ActivationDiff, string>> {
  const pairs = matchActivations(reference, candidate);
  if (pairs.length === 0) return err('the variant shares no activation with the original (every tensor was renamed or removed), so there is nothing to compare');
  const refPlan = exposeTensors(reference, pairs.map((p) => p.tensor));
  const candPlan = exposeTensors(candidate, pairs.map((p) => p.candidate));
  const sessions: RuntimeSession[] = [];
  try {
    for (const [label, m] of [['original', refPlan.model], ['variant', candPlan.model]] as const) {
      const s = await createSession(encodeModelProto(m));
      if (!s.ok) return err(`the ${label} with its activations exposed did not load in onnxruntime-web: ${s.error.message}`);
      sessions.push(s.value);
    }
    const [ref, cand] = sessions as [RuntimeSession, RuntimeSession];
    const refFetch = new Set([...refPlan.exposed, ...refPlan.outputs]);
    const candFetch = new Set([...candPlan.exposed, ...candPlan.outputs]);
    const usable = pairs.filter((p) => refFetch.has(p.tensor) && candFetch.has(p.candidate));
    const acc = usable.map(() => new FidelityAccumulator());
    const limit = Math.max(1, settings.maxSamples ?? 32);
    const total = Math.min(limit, data.count);
    let done = 0;
    let mismatched = 0;
    let lastYield = performance.now();
    for (const feed of data.feeds()) {
      if (done >= total) break;
      if (signal?.aborted) return err('cancelled');
      const a = sessionFeeds(ref, feed);
      const b = sessionFeeds(cand, feed);
      if (!a.ok) return err(a.error);
      if (!b.ok) return err(b.error);
      const ra = await ref.run(a.value, [...refFetch]);
      const rb = await cand.run(b.value, [...candFetch]);
      if (!ra.ok) return err(`the original failed on sample ${done + 1}: ${ra.error.message}`);
      if (!rb.ok) return err(`the variant failed on sample ${done + 1}: ${rb.error.message}`);
      usable.forEach((p, i) => {
        const x = ra.value.outputs[p.tensor];
        const y = rb.value.outputs[p.candidate];
        const xv = x ? floatValues(x) : undefined;
        const yv = y ? floatValues(y) : undefined;
        if (!xv || !yv || xv.length !== yv.length) mismatched++;
        else acc[i]?.add(xv, yv);
      });
      done += Math.max(1, data.batchSize);
      progress('Comparing activations', Math.min(done, total), total);
      if (performance.now() - lastYield > YIELD_EVERY_MS) {
        await new Promise((r) => setTimeout(r, 0));
        lastYield = performance.now();
      }
    }
    const warnings = [...data.warnings];
    if (usable.length < pairs.length) warnings.push(`${pairs.length - usable.length} tensors could not be exposed in one of the models`);
    if (mismatched) warnings.push(`${mismatched} tensor values had different sizes or types in the two models and were left out`);
    const tensors = usable.map((p, i) => ({ ...p, fidelity: (acc[i] as FidelityAccumulator).result() })).filter((t) => t.fidelity.elements > 0);
    return ok({ samples: Math.min(done, total), source: data.source, tensors, warnings });
  } finally {
    for (const s of sessions) await s.release();
  }
}
