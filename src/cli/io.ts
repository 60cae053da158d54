/**
 * What a command may touch: two output streams and the working directory. main.ts binds them to the
 * process; tests bind them to strings, so most CLI behaviour is tested without spawning Node.
 */
import type { ModelError } from '../core/errors.js';
import { formatModelError } from '../core/errors.js';

export interface CliIo {
  /** Writes to stdout (a trailing newline is added). */
  out(text: string): void;
  /** Writes to stderr (a trailing newline is added). */
  err(text: string): void;
  readonly cwd: string;
}

export const EXIT_OK = 0;
/** The input is bad (not a model, truncated, missing data…) — one line on stderr says why. */
export const EXIT_BAD_INPUT = 1;
/** The command line is wrong — usage on stderr. */
export const EXIT_USAGE = 2;

/** A failure that ends a command: its exit code and the one line that explains it. */
export class CliFailure {
  constructor(
    readonly exitCode: number,
    readonly line: string,
  ) {}

  static bad(e: ModelError): CliFailure {
    return new CliFailure(EXIT_BAD_INPUT, formatModelError(e));
  }

  static usage(message: string, command?: string): CliFailure {
    const help = command ? `npm run studio -- ${command} --help` : 'npm run studio -- --help';
    return new CliFailure(EXIT_USAGE, `studio: ${message} (see: ${help})`);
  }
}

/** Same shape as formatModelError's line, for file-system problems that are not about a model. */
export function fileProblem(path: string, title: string, message: string, hint: string): CliFailure {
  return new CliFailure(EXIT_BAD_INPUT, `${path}: ${title}. ${message} — ${hint}`);
}
