/**
 * The page writes a variant's files with its own one-liners (the app may not import core values);
 * they must produce byte for byte what core's recipe helpers produce, and what `studio optimize
 * --recipe` reads back.
 */
import { describe, expect, it } from 'vitest';
import { makeRecipe, parseRecipe, recipeToJson, variantFileName } from '../../../core/transform/recipe';
import { defaultOptions } from '../../../core/transform/options';
import { float16Pass } from '../../../core/transform/passes/float16';
import { int8DynamicPass } from '../../../core/transform/passes/int8-dynamic';
import { weightOnlyPass } from '../../../core/transform/passes/weight-only';
import { uniqueVariantName, variantModelFileName, variantRecipeFileName, variantRecipeJson } from './variant-files';

const MODELS = ['digits_cnn.onnx', 'digits_mlp.ONNX', 'model.with.dots.onnx', 'no-extension'];
const RECIPES = [[float16Pass], [int8DynamicPass], [weightOnlyPass], [float16Pass, weightOnlyPass]].map((passes) => passes.map((p) => ({ pass: p.id, options: defaultOptions(p.options) })));

describe('variant files match core/transform/recipe.ts', () => {
  for (const model of MODELS) {
    for (const steps of RECIPES) {
      const recipe = makeRecipe(steps, { model: { fileName: model, bytes: 1234 }, calibration: 'digits_calib.npz', createdWith: 'test' });
      for (const name of [recipe.name, `${recipe.name}-2`]) {
        it(`${model} × ${name}`, () => {
          expect(variantModelFileName(model, name)).toBe(variantFileName(model, { name }));
          expect(variantRecipeFileName(model, name)).toBe(variantFileName(model, { name }).replace(/\.onnx$/, '.recipe.json'));
          const json = variantRecipeJson(recipe, name);
          expect(json).toBe(recipeToJson({ ...makeRecipe(steps, { name, model: { fileName: model, bytes: 1234 }, calibration: 'digits_calib.npz', createdWith: 'test' }) }));
          const back = parseRecipe(json, 'recipe.json');
          expect(back.ok && back.value).toEqual(steps);
        });
      }
    }
  }
});

describe('uniqueVariantName', () => {
  const cases: Array<[string, string[], string]> = [
    ['int8-static', [], 'int8-static'],
    ['int8-static', ['int8-static'], 'int8-static-2'],
    ['int8-static', ['int8-static', 'int8-static-2', 'fp16'], 'int8-static-3'],
    ['fp16', ['int8-static'], 'fp16'],
  ];
  for (const [base, taken, want] of cases) it(`${base} after [${taken.join(', ')}]`, () => expect(uniqueVariantName(base, taken)).toBe(want));
});
