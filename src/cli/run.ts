/**
 * The CLI's dispatcher: picks the command, turns every failure into one line on stderr and an exit
 * code — 0 success, 1 bad input (the line says what the file is and what to do), 2 a wrong command
 * line (usage on stderr), 70 a bug in the studio (EX_SOFTWARE from sysexits.h; the stack trace only
 * with STUDIO_DEBUG=1). Bad input never prints a stack trace.
 */
import { readFileSync } from 'node:fs';
import type { Result } from '../core/errors.js';
import { runBench } from './commands/bench.js';
import { runCompare } from './commands/compare.js';
import { runInspect } from './commands/inspect.js';
import { runOptimize } from './commands/optimize.js';
import { runTune } from './commands/tune.js';
import type { CliFailure, CliIo } from './io.js';
import { EXIT_OK, EXIT_USAGE } from './io.js';

export const EXIT_INTERNAL = 70;

export const USAGE = `Usage: npm run studio -- <command> [options]

Commands:
  inspect MODEL.onnx [--json] [--data FILE ...]   overview of a model: I/O, operators, parameters, MACs
  optimize MODEL.onnx -o OUT.onnx [--fp16|--int8-static --calib DATA|--pass ID ...]
                                                  apply transformations and write the result
  bench MODEL.onnx [--threads N] [--runs N] [--warmup N] [--json]
                                                  inference latency in onnxruntime-web (WASM)
  compare REF.onnx CAND.onnx [--data FILE] [--json]
                                                  output fidelity and accuracy of a variant vs its original
  tune MODEL.onnx --data FILE --max-drop D -o OUT.onnx [--json]
                                                  the fastest recipe within an accuracy budget

Options:
  -h, --help       show help (also: <command> --help)
  -v, --version    print the studio's version

Exit codes: 0 done, 1 the input is not a usable ONNX model (one line on stderr says why), 2 usage error.`;

type Command = (args: readonly string[], io: CliIo) => Result<number, CliFailure> | Promise<Result<number, CliFailure>>;

const COMMANDS: Readonly<Record<string, Command>> = {
  inspect: runInspect,
  optimize: runOptimize,
  bench: runBench,
  compare: runCompare,
  tune: runTune,
};

export function studioVersion(): string {
  const pkg: unknown = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
  return typeof pkg === 'object' && pkg !== null && 'version' in pkg && typeof pkg.version === 'string' ? pkg.version : 'unknown';
}

/** node:util parseArgs signals a bad command line with these error codes. */
function isArgError(e: unknown): e is Error {
  return e instanceof Error && 'code' in e && typeof e.code === 'string' && e.code.startsWith('ERR_PARSE_ARGS_');
}

export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined) {
    io.err(USAGE);
    return EXIT_USAGE;
  }
  if (command === '--help' || command === '-h' || command === 'help') {
    io.out(USAGE);
    return EXIT_OK;
  }
  if (command === '--version' || command === '-v') {
    io.out(studioVersion());
    return EXIT_OK;
  }
  const run = Object.hasOwn(COMMANDS, command) ? COMMANDS[command] : undefined;
  if (!run) {
    io.err(`studio: unknown command '${command}'\n\n${USAGE}`);
    return EXIT_USAGE;
  }
  try {
    const result = await run(rest, io);
    if (result.ok) return result.value;
    io.err(result.error.line);
    return result.error.exitCode;
  } catch (e) {
    if (isArgError(e)) {
      // Keep node's first sentence ("Unknown option '--frob'."); the rest is about '--' escaping.
      const first = /^.*?\.(?=\s|$)/.exec(e.message)?.[0] ?? e.message;
      io.err(`studio ${command}: ${first} (see: npm run studio -- ${command} --help)`);
      return EXIT_USAGE;
    }
    const message = e instanceof Error ? e.message : String(e);
    io.err(`studio ${command}: internal error: ${message.split('\n')[0] ?? ''} (this is a bug; STUDIO_DEBUG=1 shows the stack trace)`);
    if (process.env.STUDIO_DEBUG === '1' && e instanceof Error && e.stack) io.err(e.stack);
    return EXIT_INTERNAL;
  }
}
