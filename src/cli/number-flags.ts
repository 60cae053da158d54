/** Numeric flags of the CLI commands, checked the same way everywhere (a usage error names the flag and what it wants). */
import type { Result } from '../core/errors.js';
import { err, ok } from '../core/errors.js';
import { CliFailure } from './io.js';

/** `--name` as a number ≥ min (a whole number when `integer`), or `fallback` when absent. */
export function numberFlag(command: string, name: string, text: string | undefined, fallback: number, min: number, integer: boolean): Result<number, CliFailure> {
  if (text === undefined) return ok(fallback);
  const n = Number(text);
  const valid = integer ? Number.isInteger(n) : Number.isFinite(n);
  if (!valid || n < min) return err(CliFailure.usage(`--${name} wants a ${integer ? 'whole ' : ''}number ≥ ${min}, got '${text}'`, command));
  return ok(n);
}
