/**
 * A Calibrator for a user's dataset: binds the data to the inputs of whatever model the recipe has
 * produced by then (an earlier step may have changed input types, e.g. to-fp32), then runs the
 * onnxruntime-web calibrator. Shared by the CLI and the optimize worker.
 */
import { err } from '../core/errors.js';
import { bindDataset } from '../core/data/bind.js';
import type { Dataset } from '../core/data/types.js';
import { modelInputSpecs } from '../core/transform/model-inputs.js';
import type { Calibrator } from '../core/transform/types.js';
import { createCalibrator, randomDataset } from './calibrate.js';

export function calibratorForDataset(dataset: Dataset): Calibrator {
  return async (model, request, progress, signal) => {
    const bound = bindDataset(dataset, modelInputSpecs(model));
    if (!bound.ok) return err(`calibration data ${dataset.source}: ${bound.error}`);
    return createCalibrator(bound.value)(model, request, progress, signal);
  };
}

/** Random inputs (uniform in [0,1) for floats): allowed only with the warning randomDataset attaches. */
export function randomCalibrator(samples: number, seed: number): Calibrator {
  return async (model, request, progress, signal) => createCalibrator(randomDataset(modelInputSpecs(model), samples, seed))(model, request, progress, signal);
}
