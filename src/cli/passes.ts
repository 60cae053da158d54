/**
 * How `optimize` names transformations: `--pass ID[:key=value,…]` (repeatable, applied in order) and
 * `--recipe FILE.json` (a saved list of steps, ARCHITECTURE.md: "a recipe is just a list of
 * { pass, options }"). Both become PassStep[] and are checked against the registry before any file is
 * read, so a typo fails fast with the list of what exists.
 *
 * The registry is empty today: transformations arrive with later work, each registering an id, a label,
 * typed options with defaults, and apply(). The CLI only looks passes up here.
 */
import type { Result } from '../core/errors.js';
import { err, ok } from '../core/errors.js';
import type { onnx } from '../core/onnx/codec.js';

export type PassOptionValue = string | number | boolean;
export type PassOptions = Readonly<Record<string, PassOptionValue>>;

export interface PassStep {
  readonly pass: string;
  readonly options: PassOptions;
}

/** What the CLI needs from a registered transformation. */
export interface CliPass {
  readonly id: string;
  readonly label: string;
  /** Option names with their defaults; the type of the default is the option's type. */
  readonly defaults: PassOptions;
  apply(model: onnx.ModelProto, options: PassOptions): { model: onnx.ModelProto; report: string };
}

export type PassRegistry = ReadonlyMap<string, CliPass>;

/** Transformations available to the CLI (none yet). */
export const PASSES: PassRegistry = new Map();

/** 'true' → true, '12' → 12, anything else stays a string. */
function parseValue(text: string): PassOptionValue {
  if (text === 'true') return true;
  if (text === 'false') return false;
  if (text.trim() !== '' && Number.isFinite(Number(text))) return Number(text);
  return text;
}

/** `fp16:keepIo=true,minElements=1024` → { pass: 'fp16', options: { keepIo: true, minElements: 1024 } }. */
export function parsePassArg(arg: string): Result<PassStep, string> {
  const colon = arg.indexOf(':');
  const pass = (colon < 0 ? arg : arg.slice(0, colon)).trim();
  if (!/^[a-z][\w-]*$/i.test(pass)) return err(`--pass wants ID or ID:key=value,…, got '${arg}'`);
  const options: Record<string, PassOptionValue> = {};
  if (colon >= 0) {
    for (const pair of arg.slice(colon + 1).split(',')) {
      if (pair.trim() === '') continue;
      const eq = pair.indexOf('=');
      if (eq <= 0) return err(`option '${pair}' of --pass ${pass} is not key=value`);
      options[pair.slice(0, eq).trim()] = parseValue(pair.slice(eq + 1).trim());
    }
  }
  return ok({ pass, options });
}

/** A recipe: `{ "version": 1, "steps": [{ "pass": "…", "options": {…} }] }` or just the steps array. */
export function parseRecipe(text: string, source: string): Result<PassStep[], string> {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (e) {
    return err(`${source} is not valid JSON (${e instanceof Error ? e.message : String(e)})`);
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
        if (typeof v !== 'string' && typeof v !== 'number' && typeof v !== 'boolean') return err(`${source}: option ${k} of step ${i + 1} must be a string, number or boolean`);
        options[k] = v;
      }
    }
    out.push({ pass: s.pass, options });
  }
  return ok(out);
}

export interface ResolvedStep {
  readonly pass: CliPass;
  readonly options: PassOptions;
}

/** Looks every step up and checks its option names and types against the pass's defaults. */
export function resolveSteps(steps: readonly PassStep[], registry: PassRegistry = PASSES): Result<ResolvedStep[], string> {
  const out: ResolvedStep[] = [];
  for (const step of steps) {
    const pass = registry.get(step.pass);
    if (!pass) {
      const known = [...registry.keys()];
      return err(`unknown pass '${step.pass}' (${known.length === 0 ? 'no passes are available yet' : `available: ${known.join(', ')}`})`);
    }
    for (const [key, value] of Object.entries(step.options)) {
      const def = pass.defaults[key];
      if (def === undefined) return err(`pass ${pass.id} has no option '${key}' (options: ${Object.keys(pass.defaults).join(', ') || 'none'})`);
      if (typeof def !== typeof value) return err(`option ${key} of pass ${pass.id} must be a ${typeof def}, got ${JSON.stringify(value)}`);
    }
    out.push({ pass, options: { ...pass.defaults, ...step.options } });
  }
  return ok(out);
}
