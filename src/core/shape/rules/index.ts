/** The rule registry: op key ('Conv', 'com.microsoft.FusedConv') → shape rule. */
import type { ShapeRule } from '../context.js';
import { attentionRules } from './attention.js';
import { controlFlowRules } from './control-flow.js';
import { convPoolRules } from './conv-pool.js';
import { elementwiseRules } from './elementwise.js';
import { linearRules } from './linear.js';
import { miscRules } from './misc.js';
import { normalizationRules } from './normalization.js';
import { quantizeRules } from './quantize.js';
import { recurrentRules } from './recurrent.js';
import { reduceRules } from './reduce.js';
import { reshapeRules } from './reshape.js';
import { resizeRules } from './resize.js';
import { tensorRules } from './tensor.js';

export const SHAPE_RULES: ReadonlyMap<string, ShapeRule> = new Map(
  Object.entries({
    ...elementwiseRules(),
    ...normalizationRules(),
    ...convPoolRules(),
    ...linearRules(),
    ...reshapeRules(),
    ...reduceRules(),
    ...recurrentRules(),
    ...quantizeRules(),
    ...resizeRules(),
    ...tensorRules(),
    ...controlFlowRules(),
    ...attentionRules(),
    ...miscRules(),
  }),
);

/** Op keys (opKey(domain, opType)) that have a shape rule. */
export function supportedOps(): string[] {
  return [...SHAPE_RULES.keys()].sort();
}
