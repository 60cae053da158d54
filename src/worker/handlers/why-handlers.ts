/**
 * Handlers of the bench worker for the Benchmark tab's "Why" section (issue 6, "Seeing why"):
 * 'bench/profile' (src/runtime/profile.ts: ORT's profiler on, time per node and per kernel, fused /
 * folded / quantized-but-float attribution), 'bench/activations' (src/runtime/activation-diff.ts: the
 * error of every activation of a variant against the original's, in graph order) and
 * 'bench/sensitivity' (src/runtime/sensitivity.ts: one layer quantized at a time, ranked by output SQNR).
 *
 * Models arrive as sources and are decoded here (side files of external data inlined as views, so the
 * engines see one proto). Data: the lab's accuracy data (bound to the model's inputs; random data
 * carries its warning). Cancel: the page aborts, which restarts this worker (WorkerClient), as for the
 * benchmark; no signal reaches the engines.
 */
import { modelError } from '../../core/errors';
import type { Result } from '../../core/errors';
import { bindDataset } from '../../core/data/bind';
import type { BoundDataset } from '../../core/data/types';
import { inlineExternalData } from '../../core/format/external-data';
import { loadModel } from '../../core/model/load';
import type { onnx } from '../../core/onnx/codec';
import { modelInputSpecs } from '../../core/transform/model-inputs';
import { PASSES } from '../../core/transform/registry';
import { activationDiff } from '../../runtime/activation-diff';
import { randomFeed, sessionFeeds } from '../../runtime/bench-inputs';
import { randomDataset } from '../../runtime/calibrate';
import { RANDOM_COMPARE_WARNING } from '../../runtime/compare-models';
import type { CompareData } from '../../runtime/compare-models';
import { profileModel } from '../../runtime/profile';
import { layerSensitivity } from '../../runtime/sensitivity';
import { ModelFailure } from '../host';
import type { HandlerContext, Handlers } from '../host';
import type { BenchDataSource, BenchModelSource } from '../protocol';
import { readSource } from '../read-source';
import { calibratorFor } from './calibration-data';
import { dataName, readAccuracyData } from './bench-handlers';

/** A model source → its proto, external data inlined (views into the side files, no copy). */
async function readProto(m: BenchModelSource, ctx: HandlerContext): Promise<onnx.IModelProto> {
  const files = await readSource(m.source, ctx);
  ctx.progress(`Decoding ${m.id}`, 0, 0);
  const loaded = loadModel(files);
  if (!loaded.ok) throw new ModelFailure(loaded.error);
  inlineExternalData(loaded.value.proto, loaded.value.external);
  return loaded.value.proto;
}

function failure(what: string, message: string, file?: string): ModelFailure {
  if (message === 'cancelled') return new ModelFailure(modelError('unsupported', `${what} was cancelled`, 'Cancelled.', ''));
  return new ModelFailure(modelError('unsupported', `${what} failed`, message, 'check that the model runs in onnxruntime-web (the Overview lists unsupported operators) and that the data fits its inputs', file));
}

/** The lab's data bound to `model`'s inputs (names, shapes, batching); random data warns that it says little. */
function bindTo(data: CompareData, model: onnx.IModelProto): Result<BoundDataset, string> {
  const specs = modelInputSpecs(model);
  if (data.kind === 'random') {
    const bound = randomDataset(specs, data.samples, data.seed ?? 1, data.shapes ?? {});
    return { ok: true, value: { ...bound, warnings: [RANDOM_COMPARE_WARNING] } };
  }
  const bound = bindDataset(data.dataset, specs);
  return bound.ok ? bound : { ok: false, error: `${data.dataset.source}: ${bound.error}` };
}

async function boundData(data: BenchDataSource, model: onnx.IModelProto, ctx: HandlerContext, what: string): Promise<BoundDataset> {
  const read = await readAccuracyData(data, ctx);
  const bound = bindTo(read, model);
  if (!bound.ok) throw failure(what, bound.error, dataName(data));
  return bound.value;
}

const progressOf = (ctx: HandlerContext) => (stage: string, done: number, total: number) => ctx.progress(stage, done, total);

export const whyHandlers: Handlers = {
  async 'bench/profile'({ model, runs, warmup, graphOptimizationLevel, shapes, ranges }, ctx) {
    const proto = await readProto(model, ctx);
    ctx.progress('Creating a profiling session', 0, 0);
    const r = await profileModel(
      proto,
      (session) => sessionFeeds(session, randomFeed(session.inputs, 1, shapes ?? {}, ranges ?? {})),
      { runs: Math.max(1, Math.floor(runs)), warmup: Math.max(0, Math.floor(warmup)), ...(graphOptimizationLevel ? { graphOptimizationLevel } : {}) },
      progressOf(ctx),
    );
    if (!r.ok) throw failure('Profiling', r.error, model.id);
    return { result: r.value };
  },

  async 'bench/activations'({ reference, candidate, data, maxSamples }, ctx) {
    const ref = await readProto(reference, ctx);
    const cand = await readProto(candidate, ctx);
    const bound = await boundData(data, ref, ctx, 'The activation comparison');
    const r = await activationDiff(ref, cand, bound, maxSamples !== undefined ? { maxSamples } : {}, progressOf(ctx));
    if (!r.ok) throw failure('The activation comparison', r.error, candidate.id);
    return { result: r.value };
  },

  async 'bench/sensitivity'({ model, step, data, calibration, maxSamples }, ctx) {
    const pass = PASSES.get(step.pass);
    if (!pass) throw failure('Sensitivity analysis', `the recipe step '${step.pass}' is not a transformation of this studio`);
    // Read the calibration data before the model, so that bad data fails at once (as in Optimize).
    if (pass.calibration !== undefined && !calibration) throw failure('Sensitivity analysis', `${pass.label} needs calibration data: choose it in Optimize`);
    const calibrate = pass.calibration !== undefined && calibration ? await calibratorFor(calibration, ctx) : undefined;
    const proto = await readProto(model, ctx);
    const bound = await boundData(data, proto, ctx, 'Sensitivity analysis');
    const r = await layerSensitivity(proto, step, bound, calibrate, maxSamples !== undefined ? { maxSamples } : {}, progressOf(ctx));
    if (!r.ok) throw failure('Sensitivity analysis', r.error, model.id);
    return { result: r.value };
  },
};
