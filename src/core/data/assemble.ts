/**
 * Turns named arrays (from any format) into a Dataset: `y` becomes the labels unless the model has
 * an input called `y`, and label count is checked against the samples.
 */
import type { Result } from '../errors.js';
import { err, ok } from '../errors.js';
import { labelCountProblem, toLabels } from './labels.js';
import type { Dataset, SampleTensor } from './types.js';

export interface AssembleOptions {
  /** The model's input names, when known: an array named `y` that is an input is data, not labels. */
  readonly inputNames?: readonly string[];
}

export const LABEL_NAME = 'y';

export function assembleDataset(source: string, named: ReadonlyMap<string, SampleTensor>, options: AssembleOptions, warnings: string[] = []): Result<Dataset, string> {
  const arrays = new Map<string, SampleTensor>();
  let labelTensor: SampleTensor | undefined;
  for (const [name, t] of named) {
    if (name === LABEL_NAME && !(options.inputNames ?? []).includes(LABEL_NAME)) labelTensor = t;
    else arrays.set(name, t);
  }
  if (arrays.size === 0) {
    return err(`${source} holds no sample arrays${labelTensor ? ' (only labels y)' : ''}; add the inputs, e.g. np.savez(path, x=samples, y=labels)`);
  }
  if (!labelTensor) return ok({ source, arrays, warnings });
  const labels = toLabels(labelTensor, LABEL_NAME);
  if (!labels.ok) return err(`${source}: ${labels.error}`);
  const [firstName, first] = [...arrays][0] as [string, SampleTensor];
  const problem = labelCountProblem(labels.value.length, first.dims[0] ?? 0, firstName);
  if (problem) return err(`${source}: ${problem}`);
  return ok({ source, arrays, labels: labels.value, warnings });
}
