/**
 * Names and files of a variant. The recipe itself (steps with every option resolved, the model it was
 * made from, the calibration data) is built by the optimize worker with core's makeRecipe and arrives
 * with the result; the page only gives it the variant's unique name and writes it out.
 *
 * Why not import core's recipeToJson / variantFileName: the app may import core types only (lint), and
 * moving them would touch the CLI's contract file. These two one-liners mirror them, and
 * variant-files.test.ts checks they produce exactly what core's functions produce, so the file the page
 * downloads is the file `studio optimize --recipe` reads.
 */
import type { Recipe } from '../../../core/transform/recipe';

/** `base`, or `base-2`, `base-3` … when that name is taken. */
export function uniqueVariantName(base: string, taken: readonly string[]): string {
  if (!taken.includes(base)) return base;
  for (let i = 2; ; i++) {
    const name = `${base}-${i}`;
    if (!taken.includes(name)) return name;
  }
}

/** `<stem>.<recipe name>.onnx`, as core's variantFileName. */
export function variantModelFileName(modelFileName: string, name: string): string {
  return `${modelFileName.replace(/\.onnx$/i, '')}.${name}.onnx`;
}

/** `<stem>.<recipe name>.recipe.json`, beside the model. */
export function variantRecipeFileName(modelFileName: string, name: string): string {
  return variantModelFileName(modelFileName, name).replace(/\.onnx$/, '.recipe.json');
}

/** The recipe as saved (core's recipeToJson format), under the variant's name. */
export function variantRecipeJson(recipe: Recipe, name: string): string {
  return `${JSON.stringify({ ...recipe, name }, null, 2)}\n`;
}
