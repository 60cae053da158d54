/**
 * From the Optimize form to what the workers take: recipe steps (the passes in the order the user
 * ticked them, with the options they changed and the nodes pinned to float32 merged into each pass's
 * exclusion list) and the calibration data source. Pure functions over types: no core values here
 * (the app imports core types only).
 */
import type { ListOption, OptionSpec, PassDescriptor, PassOptionValue } from '../../../core/transform/types';
import type { PassStep } from '../../../core/transform/recipe';
import type { DataSource } from '../../../worker/protocol';
import type { CalibrationChoice, OptimizeForm } from './optimize-state';

/** 'a, b;c' → ['a','b','c'] (the same separators core's parseList accepts). */
export function splitList(value: string): string[] {
  return value
    .split(/[,;\s]+/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/**
 * The option through which a pass leaves chosen nodes in float: a node-name list whose key says so —
 * nodesToExclude (ONNX Runtime's quantization tools) or nodeBlockList (its float16 converter's
 * node_block_list). A node-name list that is not an exclusion (e.g. nodes to include) must never
 * receive the pinned nodes.
 */
export function exclusionOption(pass: PassDescriptor): string | undefined {
  const isExclusion = (key: string, spec: OptionSpec): spec is ListOption => spec.kind === 'list' && spec.items === 'node-names' && /exclude|block/i.test(key);
  return Object.entries(pass.options).find(([key, spec]) => isExclusion(key, spec))?.[0];
}

/** The current value of an option: what the user set, else the pass default. */
export function optionValue(form: OptimizeForm, pass: PassDescriptor, key: string): PassOptionValue | undefined {
  return form.options[pass.id]?.[key] ?? pass.options[key]?.default;
}

/**
 * Recipe steps for the chosen passes: pruning passes first, then the others in the order chosen (a
 * quantized or dequantized weight is no longer a float constant a pruning pass can cut, so "prune, then
 * quantize" is the only order that does both). Options the user did not touch are left out (the worker
 * fills defaults).
 */
export function stepsFromForm(form: OptimizeForm, passes: readonly PassDescriptor[]): PassStep[] {
  const byId = new Map(passes.map((p) => [p.id, p]));
  const steps: PassStep[] = [];
  const isPrune = (id: string): boolean => byId.get(id)?.category === 'prune';
  const ordered = [...form.chosen.filter(isPrune), ...form.chosen.filter((id) => !isPrune(id))];
  for (const id of ordered) {
    const pass = byId.get(id);
    if (!pass) continue;
    const options: Record<string, PassOptionValue> = { ...(form.options[id] ?? {}) };
    const key = exclusionOption(pass);
    if (key && form.excludedNodes.length > 0) {
      const current = splitList(String(optionValue(form, pass, key) ?? ''));
      const merged = [...current, ...form.excludedNodes.filter((n) => !current.includes(n))];
      options[key] = merged.join(',');
    }
    steps.push({ pass: id, options });
  }
  return steps;
}

export function needsCalibration(form: OptimizeForm, passes: readonly PassDescriptor[]): boolean {
  return passes.some((p) => p.needsCalibration && form.chosen.includes(p.id));
}

/**
 * The DataSource for a calibration choice, or a sentence saying what is missing. `sampleSet` is the
 * shipped calibration file of the open sample model (undefined when the model is not a sample).
 */
export function calibrationSource(
  choice: CalibrationChoice,
  sampleSet: { readonly url: string; readonly fileName: string } | undefined,
): { readonly ok: true; readonly source: DataSource } | { readonly ok: false; readonly message: string } {
  switch (choice.kind) {
    case 'sample':
      return sampleSet ? { ok: true, source: { kind: 'url', url: sampleSet.url, fileName: sampleSet.fileName } } : { ok: false, message: 'This model has no shipped calibration set: choose a data file, an image folder or random data.' };
    case 'files':
      return choice.files.length > 0 ? { ok: true, source: { kind: 'files', files: choice.files } } : { ok: false, message: 'Choose a calibration data file (.npz, .npy, .json or input_*.pb).' };
    case 'folder':
      return choice.files.length > 0 ? { ok: true, source: { kind: 'files', files: choice.files, preprocessing: choice.preprocessing } } : { ok: false, message: 'Choose a folder of images for calibration.' };
    case 'random':
      return { ok: true, source: { kind: 'random', seed: choice.seed, samples: choice.samples } };
  }
}
