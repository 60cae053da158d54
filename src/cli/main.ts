/**
 * `npm run studio -- <command>`: the headless studio. Everything but binding to the process lives in
 * run.ts, so that tests can drive it in-process.
 */
import { runCli } from './run.js';

const write = (stream: NodeJS.WriteStream) => (text: string): void => {
  stream.write(text.endsWith('\n') ? text : `${text}\n`);
};

process.exitCode = await runCli(process.argv.slice(2), { out: write(process.stdout), err: write(process.stderr), cwd: process.cwd() });
