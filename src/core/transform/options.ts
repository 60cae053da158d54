/**
 * Reading a pass's options: defaults from its specs, checks against the specs' types and ranges (so
 * that a recipe edited by hand fails with a sentence, not a broken model), and list parsing.
 */
import type { Result } from '../errors.js';
import { err, ok } from '../errors.js';
import type { OptionSpec, OptionSpecs, PassOptions, PassOptionValue } from './types.js';

export function defaultOptions(specs: OptionSpecs): Record<string, PassOptionValue> {
  const out: Record<string, PassOptionValue> = {};
  for (const [key, spec] of Object.entries(specs)) out[key] = spec.default;
  return out;
}

/** 'Conv, MatMul' → ['Conv', 'MatMul']; items may be separated by commas, semicolons or whitespace. */
export function parseList(value: PassOptionValue | undefined): string[] {
  if (typeof value !== 'string') return [];
  return value
    .split(/[,;\s]+/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

function checkOne(passId: string, key: string, spec: OptionSpec, value: PassOptionValue): Result<PassOptionValue, string> {
  const where = `option ${key} of pass ${passId}`;
  switch (spec.kind) {
    case 'number': {
      if (typeof value !== 'number' || !Number.isFinite(value)) return err(`${where} must be a number, got ${JSON.stringify(value)}`);
      if (value < spec.min || value > spec.max) return err(`${where} must be between ${spec.min} and ${spec.max}, got ${value}`);
      if (spec.choices && !spec.choices.includes(value)) return err(`${where} must be one of ${spec.choices.join(', ')}, got ${value}`);
      return ok(value);
    }
    case 'boolean':
      if (typeof value !== 'boolean') return err(`${where} must be true or false, got ${JSON.stringify(value)}`);
      return ok(value);
    case 'choice': {
      const text = String(value);
      if (!spec.choices.some((c) => c.value === text)) return err(`${where} must be one of ${spec.choices.map((c) => c.value).join(', ')}, got ${JSON.stringify(value)}`);
      return ok(text);
    }
    case 'list':
      // A single number-looking name (a node called "12") arrives as a number from the CLI parser.
      if (typeof value === 'boolean') return err(`${where} must be a comma-separated list, got ${String(value)}`);
      return ok(parseList(String(value)).join(','));
  }
}

/** Fills defaults, rejects unknown names, wrong types and out-of-range values. */
export function resolveOptions(passId: string, specs: OptionSpecs, given: PassOptions): Result<PassOptions, string> {
  const out = defaultOptions(specs);
  for (const [key, value] of Object.entries(given)) {
    const spec = specs[key];
    if (!spec) return err(`pass ${passId} has no option '${key}' (options: ${Object.keys(specs).join(', ') || 'none'})`);
    const checked = checkOne(passId, key, spec, value);
    if (!checked.ok) return checked;
    out[key] = checked.value;
  }
  return ok(out);
}

export function numberOption(options: PassOptions, key: string, fallback: number): number {
  const v = options[key];
  return typeof v === 'number' ? v : fallback;
}

export function booleanOption(options: PassOptions, key: string, fallback: boolean): boolean {
  const v = options[key];
  return typeof v === 'boolean' ? v : fallback;
}

export function stringOption(options: PassOptions, key: string, fallback: string): string {
  const v = options[key];
  return typeof v === 'string' ? v : fallback;
}
