/**
 * How `optimize` names transformations on the command line: `--pass ID[:key=value,…]` (repeatable,
 * applied in order), `--recipe FILE.json` (core/transform/recipe.ts) and shortcut flags (--fp16,
 * --int8-static, …) that stand for a pass with options. All become PassStep[] and are checked against
 * the registry (core/transform/registry.ts — the same one the page builds its panel from) before any
 * file is read, so a typo fails fast with the list of what exists.
 */
import type { Result } from '../core/errors.js';
import { err, ok } from '../core/errors.js';
import type { PassStep } from '../core/transform/recipe.js';
import type { PassDefinition, PassOptionValue } from '../core/transform/types.js';

export { parseRecipe } from '../core/transform/recipe.js';
export type { PassStep } from '../core/transform/recipe.js';
export { PASSES } from '../core/transform/registry.js';
export { resolveSteps } from '../core/transform/apply-recipe.js';
export type { ResolvedStep } from '../core/transform/apply-recipe.js';

export type PassRegistry = ReadonlyMap<string, PassDefinition>;

/** 'true' → true, '12' → 12, anything else stays a string. */
function parseValue(text: string): PassOptionValue {
  if (text === 'true') return true;
  if (text === 'false') return false;
  if (text.trim() !== '' && Number.isFinite(Number(text))) return Number(text);
  return text;
}

/**
 * `int8-static:percentile=99.99,nodesToExclude=conv1,conv2` → { pass, options }. A segment without
 * '=' continues the previous option's list (so lists need no other separator); the first segment
 * must be key=value.
 */
export function parsePassArg(arg: string): Result<PassStep, string> {
  const colon = arg.indexOf(':');
  const pass = (colon < 0 ? arg : arg.slice(0, colon)).trim();
  if (!/^[a-z][\w-]*$/i.test(pass)) return err(`--pass wants ID or ID:key=value,…, got '${arg}'`);
  const options: Record<string, PassOptionValue> = {};
  let last: string | undefined;
  if (colon >= 0) {
    for (const pair of arg.slice(colon + 1).split(',')) {
      if (pair.trim() === '') continue;
      const eq = pair.indexOf('=');
      if (eq <= 0) {
        if (last === undefined) return err(`option '${pair}' of --pass ${pass} is not key=value`);
        options[last] = `${String(options[last])},${pair.trim()}`;
        continue;
      }
      last = pair.slice(0, eq).trim();
      options[last] = parseValue(pair.slice(eq + 1).trim());
    }
  }
  return ok({ pass, options });
}
