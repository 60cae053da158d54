/**
 * A child process of the corpus test: runs the cases it is sent, one at a time, and reports each
 * phase before entering it so that the parent can classify a hang or a crash (a WASM abort kills the
 * process; a 1-thread WASM run blocks the event loop, so only the parent can time it out).
 */
import { configureRuntime } from '../../src/runtime/ort.js';
import type { CorpusCase } from './cases.js';
import { runCase } from './run-case.js';
import type { CaseResult, Phase } from './run-case.js';

export type ToChild = { readonly type: 'case'; readonly case: CorpusCase } | { readonly type: 'exit' };
export type FromChild =
  | { readonly type: 'ready' }
  | { readonly type: 'phase'; readonly phase: Phase }
  | { readonly type: 'result'; readonly result: CaseResult; readonly rss: number };

const send = (m: FromChild): void => {
  process.send?.(m);
};

configureRuntime({ numThreads: 1, logLevel: 'fatal' });

process.on('message', (m: ToChild) => {
  if (m.type === 'exit') {
    process.disconnect?.();
    return;
  }
  void runCase(m.case, (phase) => send({ type: 'phase', phase })).then((result) => {
    send({ type: 'result', result, rss: process.memoryUsage().rss });
  });
});

send({ type: 'ready' });
