/**
 * The size a recipe would produce, before running it (the Optimize panel asks on every change): each
 * step's own `estimate()` of the weights it would touch, combined into one figure.
 *
 * One step: exact to the pass's estimate — model bytes − weightBytesBefore + weightBytesAfter.
 * Several steps are all estimated on the model as it is now (estimating on the output of earlier steps
 * would mean running them, which is the slow part we want to avoid); simply summing their savings
 * counts twice the weights two steps both rewrite (fp16, then 4-bit: the sum can exceed the weights
 * and go negative). Instead each step k is taken to touch a share p_k = before_k / W of every weight
 * byte and shrink it by r_k = after_k / before_k, independently of the other steps, so the weights
 * become W · Π (1 − p_k + p_k · r_k). For one step that is the exact formula; for several it never
 * goes below zero and never double counts. The page labels the figure an estimate.
 */
import type { onnx } from '../../core/onnx/codec';
import { resolveOptions } from '../../core/transform/options';
import type { PassStep } from '../../core/transform/recipe';
import { PASSES } from '../../core/transform/registry';
import type { PassDefinition } from '../../core/transform/types';
import type { RecipeEstimate } from '../protocol';

export interface ModelSize {
  /** The model's bytes as stored (file plus external data). */
  readonly modelBytes: number;
  /** Bytes of its weights (initializers and Constant tensors, subgraphs included). */
  readonly weightBytes: number;
}

export function estimateRecipe(model: onnx.IModelProto, size: ModelSize, steps: readonly PassStep[], registry: ReadonlyMap<string, PassDefinition> = PASSES): RecipeEstimate {
  const { modelBytes } = size;
  const out: Array<RecipeEstimate['steps'][number]> = [];
  const estimated: Array<{ before: number; after: number }> = [];
  for (const step of steps) {
    const pass = registry.get(step.pass);
    if (!pass) {
      out.push({ pass: step.pass, error: `unknown pass '${step.pass}'` });
      continue;
    }
    const options = resolveOptions(pass.id, pass.options, step.options);
    if (!options.ok) {
      out.push({ pass: step.pass, error: options.error });
      continue;
    }
    try {
      const estimate = pass.estimate(model, options.value);
      estimated.push({ before: estimate.weightBytesBefore, after: estimate.weightBytesAfter });
      out.push({ pass: step.pass, estimate });
    } catch (e) {
      // An estimate is advice: a pass that cannot estimate this model must not break the panel.
      out.push({ pass: step.pass, error: e instanceof Error ? e.message : String(e) });
    }
  }
  return { modelBytes, estimatedBytes: Math.round(combine(size, estimated)), steps: out };
}

function combine({ modelBytes, weightBytes }: ModelSize, steps: ReadonlyArray<{ before: number; after: number }>): number {
  if (steps.length === 1) {
    const [s] = steps as [{ before: number; after: number }];
    return Math.max(0, modelBytes - s.before + s.after);
  }
  // A pass may count bytes the stats do not (e.g. a weight it reads through a Cast); never let a share exceed 1.
  const w = Math.max(weightBytes, ...steps.map((s) => s.before));
  if (w <= 0) return modelBytes;
  let factor = 1;
  for (const s of steps) {
    if (s.before <= 0) continue;
    const p = s.before / w;
    factor *= 1 - p + p * (s.after / s.before);
  }
  return Math.max(0, modelBytes - w + w * factor);
}
