/**
 * Per-operator profile of a model in onnxruntime-web (issue 6, "Seeing why"): a session with ORT's
 * profiler on, `warmup` runs then `runs` measured runs, the trace captured (profile-capture.ts) and
 * summarised per node and per kernel (core/metrics/profile.ts), then read against the model
 * (profile-attribution.ts: fused, folded, quantized-but-float, ORT-added kernels).
 *
 * Profiling costs a little per kernel (a timestamp pair): compare latencies from the benchmark, not
 * from here; the profile is for shares.
 */
import type { Result } from '../core/errors.js';
import { err, ok } from '../core/errors.js';
import { encodeModelProto } from '../core/onnx/codec.js';
import type { onnx } from '../core/onnx/codec.js';
import { parseTrace, summarizeTrace } from '../core/metrics/profile.js';
import type { ProfileSummary } from '../core/metrics/profile.js';
import { attributeProfile, nameNodes } from '../core/metrics/profile-attribution.js';
import type { ProfileAttribution } from '../core/metrics/profile-attribution.js';
import type { AbortLike, ProgressFn } from '../core/transform/types.js';
import { captureRuntimeOutput } from './profile-capture.js';
import { createSession } from './ort.js';
import type { ExecutionSettings, GraphOptimizationLevel, RuntimeSession, Tensor } from './ort.js';

export interface ProfileSettings {
  readonly runs: number;
  readonly warmup: number;
  readonly graphOptimizationLevel?: GraphOptimizationLevel;
  readonly externalData?: ReadonlyMap<string, Uint8Array>;
}

export interface ModelProfile {
  readonly summary: ProfileSummary;
  readonly attribution: ProfileAttribution;
  readonly settings: ExecutionSettings;
  /** Wall time of the measured runs, mean ms (profiling on). */
  readonly meanRunMs: number;
}

export async function profileModel(
  model: onnx.IModelProto,
  /** The inputs for the session (bench-inputs.ts: randomFeed + sessionFeeds, or a dataset sample). */
  makeFeeds: (session: RuntimeSession) => Result<Record<string, Tensor>, string>,
  settings: ProfileSettings,
  progress: ProgressFn = () => undefined,
  signal?: AbortLike,
): Promise<Result<ModelProfile, string>> {
  const named = nameNodes(model);
  const created = await createSession(encodeModelProto(named), {
    enableProfiling: true,
    graphOptimizationLevel: settings.graphOptimizationLevel ?? 'all',
    ...(settings.externalData ? { externalData: settings.externalData } : {}),
  });
  if (!created.ok) return err(created.error.message);
  const session = created.value;
  try {
    const feeds = makeFeeds(session);
    if (!feeds.ok) return err(feeds.error);
    const total = settings.warmup + settings.runs;
    let wallMs = 0;
    let failure: string | undefined;
    const { lines } = await captureRuntimeOutput(async () => {
      for (let i = 0; i < total && !failure; i++) {
        if (signal?.aborted) {
          failure = 'cancelled';
          break;
        }
        progress('Profiling', i, total);
        const r = await session.run(feeds.value);
        if (!r.ok) failure = r.error.message;
        else if (i >= settings.warmup) wallMs += r.value.ms;
      }
      // The trace is printed when profiling ends (also after a failure: it is cheap and keeps ORT clean).
      await session.endProfiling();
    });
    if (failure) return err(failure);
    progress('Profiling', total, total);
    const trace = parseTrace(lines);
    if (trace.kernels.length === 0) return err('onnxruntime-web printed no profile (no kernel events were captured)');
    const summary = summarizeTrace(trace, settings.warmup);
    return ok({ summary, attribution: attributeProfile(named, summary), settings: session.settings, meanRunMs: wallMs / Math.max(1, settings.runs) });
  } finally {
    await session.release();
  }
}
