/**
 * The recipe: the saved, replayable list of steps that made a variant (ARCHITECTURE.md: "a recipe is
 * just a list of { pass, options }"). The page downloads it next to the model and the CLI's
 * `optimize --recipe` reads it back, so its JSON is a contract:
 *
 *   { "format": "onnx-studio-recipe", "version": 1, "name": "int8-static",
 *     "steps": [{ "pass": "int8-static", "options": { "calibrationMethod": "percentile" } }],
 *     "model": { "fileName": "digits_cnn.onnx", "bytes": 108555 },      // optional, informative
 *     "calibration": "digits_calib.npz" }                                  // optional, informative
 *
 * Readers also accept `{ "version": 1, "steps": [...] }` and a bare steps array. Options left out take
 * the pass's defaults, so a recipe stays valid when later versions add options.
 */
import type { Result } from '../errors.js';
import { err, ok } from '../errors.js';
import type { PassOptions, PassOptionValue } from './types.js';

export const RECIPE_FORMAT = 'onnx-studio-recipe';
export const RECIPE_VERSION = 1;

export interface PassStep {
  readonly pass: string;
  readonly options: PassOptions;
}

export interface Recipe {
  readonly format: typeof RECIPE_FORMAT;
  readonly version: typeof RECIPE_VERSION;
  /** Short name used in file names: `<model>.<name>.onnx`. */
  readonly name: string;
  readonly steps: readonly PassStep[];
  readonly model?: { readonly fileName: string; readonly bytes: number };
  readonly calibration?: string;
  readonly createdWith?: string;
}

/** A file-name-safe name for a list of steps: "int8-static", "prune-channels+int8-static". */
export function recipeName(steps: readonly PassStep[]): string {
  if (steps.length === 0) return 'roundtrip';
  return steps.map((s) => s.pass.replace(/[^\w-]+/g, '-')).join('+');
}

export function makeRecipe(steps: readonly PassStep[], extra: { name?: string; model?: Recipe['model']; calibration?: string; createdWith?: string } = {}): Recipe {
  return {
    format: RECIPE_FORMAT,
    version: RECIPE_VERSION,
    name: extra.name ?? recipeName(steps),
    steps: steps.map((s) => ({ pass: s.pass, options: { ...s.options } })),
    ...(extra.model ? { model: extra.model } : {}),
    ...(extra.calibration ? { calibration: extra.calibration } : {}),
    ...(extra.createdWith ? { createdWith: extra.createdWith } : {}),
  };
}

export function recipeToJson(recipe: Recipe): string {
  return `${JSON.stringify(recipe, null, 2)}\n`;
}

/** `<stem>.<recipe name>.onnx`, e.g. digits_cnn.int8-static.onnx. */
export function variantFileName(modelFileName: string, recipe: Pick<Recipe, 'name'>): string {
  const stem = modelFileName.replace(/\.onnx$/i, '');
  return `${stem}.${recipe.name}.onnx`;
}

/** Parses a recipe file's text. Structure only: pass names and options are checked against the registry later. */
export function parseRecipe(text: string, source: string): Result<PassStep[], string> {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    return err(`${source} is not valid JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  if (typeof doc === 'object' && doc !== null && !Array.isArray(doc)) {
    if ('format' in doc && doc.format !== RECIPE_FORMAT) return err(`${source} is not a studio recipe (format ${JSON.stringify(doc.format)})`);
    if ('version' in doc && typeof doc.version === 'number' && doc.version > RECIPE_VERSION) {
      return err(`${source} is recipe version ${doc.version}; this studio reads version ${RECIPE_VERSION} (update the studio)`);
    }
  }
  const steps = Array.isArray(doc) ? doc : typeof doc === 'object' && doc !== null && 'steps' in doc ? doc.steps : undefined;
  if (!Array.isArray(steps)) return err(`${source} has no "steps" list`);
  const out: PassStep[] = [];
  for (const [i, s] of steps.entries()) {
    if (typeof s !== 'object' || s === null || !('pass' in s) || typeof s.pass !== 'string') return err(`${source}: step ${i + 1} has no "pass" name`);
    const options: Record<string, PassOptionValue> = {};
    const raw: unknown = 'options' in s ? s.options : undefined;
    if (raw !== undefined) {
      if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return err(`${source}: step ${i + 1} options must be an object`);
      for (const [k, v] of Object.entries(raw)) {
        if (Array.isArray(v) && v.every((x) => typeof x === 'string')) {
          options[k] = v.join(',');
          continue;
        }
        if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') return err(`${source}: option ${k} of step ${i + 1} must be a string, number or boolean`);
        options[k] = v;
      }
    }
    out.push({ pass: s.pass, options });
  }
  return ok(out);
}
