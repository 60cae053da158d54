/**
 * Runs a recipe: resolves each step against the registry (unknown passes and options fail before any
 * work), asks the injected calibrator for ranges when a pass needs them (core never runs a model; the
 * runtime layer does), applies the passes in order and collects their reports.
 */
import type { Result } from '../errors.js';
import { err, ok } from '../errors.js';
import type { onnx } from '../onnx/codec.js';
import { resolveOptions } from './options.js';
import type { PassStep } from './recipe.js';
import { PASSES } from './registry.js';
import type { AbortLike, CalibrationInfo, Calibrator, PassDefinition, PassOptions, PassReport, ProgressFn } from './types.js';
import { PassCancelled, throwIfAborted } from './types.js';

export interface ResolvedStep {
  readonly pass: PassDefinition;
  readonly options: PassOptions;
}

/** Looks every step up and checks its options against the pass's specs. */
export function resolveSteps(steps: readonly PassStep[], registry: ReadonlyMap<string, PassDefinition> = PASSES): Result<ResolvedStep[], string> {
  const out: ResolvedStep[] = [];
  for (const step of steps) {
    const pass = registry.get(step.pass);
    if (!pass) {
      const known = [...registry.keys()];
      return err(`unknown pass '${step.pass}' (${known.length === 0 ? 'no passes are available' : `available: ${known.join(', ')}`})`);
    }
    const options = resolveOptions(pass.id, pass.options, step.options);
    if (!options.ok) return options;
    out.push({ pass, options: options.value });
  }
  return ok(out);
}

export interface RecipeRunOptions {
  readonly calibrate?: Calibrator;
  readonly progress?: ProgressFn;
  readonly signal?: AbortLike;
}

export interface RecipeResult {
  readonly model: onnx.IModelProto;
  readonly reports: readonly PassReport[];
  /** Per step that calibrated (undefined entries for steps that did not). */
  readonly calibration: ReadonlyArray<CalibrationInfo | undefined>;
  readonly seconds: number;
}

export type RecipeFailure = { readonly kind: 'cancelled' } | { readonly kind: 'failed'; readonly step: number; readonly pass: string; readonly message: string };

export async function applyRecipe(model: onnx.IModelProto, steps: readonly ResolvedStep[], options: RecipeRunOptions = {}): Promise<Result<RecipeResult, RecipeFailure>> {
  const start = performance.now();
  const progress = options.progress ?? (() => undefined);
  let current = model;
  const reports: PassReport[] = [];
  const calibrations: Array<CalibrationInfo | undefined> = [];
  try {
    for (const [i, step] of steps.entries()) {
      const prefix = steps.length > 1 ? `Step ${i + 1}/${steps.length}: ${step.pass.label}` : step.pass.label;
      const fail = (message: string): Result<RecipeResult, RecipeFailure> => err({ kind: 'failed', step: i, pass: step.pass.id, message });
      throwIfAborted(options.signal);
      let calibration: CalibrationInfo | undefined;
      if (step.pass.calibration) {
        if (!options.calibrate) return fail(`${step.pass.label} needs calibration data, and nothing here can run the model to collect it`);
        const request = step.pass.calibration(current, step.options);
        const measured = await options.calibrate(current, request, (stage, done, total) => progress(`${prefix} — ${stage}`, done, total), options.signal);
        throwIfAborted(options.signal);
        if (!measured.ok) return fail(measured.error);
        calibration = measured.value;
      }
      const outcome = step.pass.apply(current, step.options, {
        progress: (stage, done, total) => progress(`${prefix} — ${stage}`, done, total),
        ...(options.signal ? { signal: options.signal } : {}),
        ...(calibration ? { calibration } : {}),
      });
      if (!outcome.ok) return fail(outcome.error);
      current = outcome.value.model;
      reports.push(outcome.value.report);
      calibrations.push(calibration);
    }
  } catch (e) {
    if (e instanceof PassCancelled) return err({ kind: 'cancelled' });
    throw e;
  }
  return ok({ model: current, reports, calibration: calibrations, seconds: (performance.now() - start) / 1000 });
}
