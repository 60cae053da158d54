/**
 * onnxruntime-web prints its profiler's trace (Chrome-trace JSON, one event per line) when a session ends
 * profiling, and keeps no file (RUNTIME-FACTS.md "Profiling"). Where it prints depends on the host:
 *   - browser / worker: the emscripten module's `out`, which is `console.log.bind(console)` taken when
 *     the wasm module is instantiated (the first session creation). Wrapping console.log afterwards
 *     misses it, so this module installs a forwarding console.log once, when it is imported (ort.ts
 *     imports it before anything creates a session); the wrapper passes every line through unless a
 *     capture is running.
 *   - Node: emscripten writes with fs.writeSync(1, …); the capture swaps it on the CJS `fs` object
 *     (process.getBuiltinModule, Node ≥ 20.16) only while it runs.
 * Captures nest nowhere: one at a time (the runtime queue serialises sessions anyway).
 */

type Sink = (line: string) => void;
let sink: Sink | undefined;

const originalLog = console.log.bind(console);
console.log = (...args: unknown[]): void => {
  if (sink) sink(args.map(String).join(' '));
  else originalLog(...args);
};

interface NodeFs {
  writeSync: (fd: number, data: unknown, ...rest: unknown[]) => number;
}

function nodeFs(): NodeFs | undefined {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const fs = proc?.getBuiltinModule?.('fs') as NodeFs | undefined;
  return fs && typeof fs.writeSync === 'function' ? fs : undefined;
}

/** Runs `job` with the runtime's printed lines collected (and not printed); returns both. */
export async function captureRuntimeOutput<T>(job: () => Promise<T>): Promise<{ readonly value: T; readonly lines: string[] }> {
  if (sink) throw new Error('a runtime output capture is already running');
  const lines: string[] = [];
  let partial = '';
  const push = (text: string): void => {
    const parts = (partial + text).split('\n');
    partial = parts.pop() ?? '';
    for (const p of parts) lines.push(p);
  };
  sink = (line) => push(`${line}\n`);
  const fs = nodeFs();
  const write = fs?.writeSync;
  if (fs && write) {
    fs.writeSync = (fd, data, ...rest) => {
      if (fd !== 1) return write.call(fs, fd, data, ...rest);
      const text = typeof data === 'string' ? data : new TextDecoder().decode(data as Uint8Array);
      push(text);
      return typeof data === 'string' ? text.length : (data as Uint8Array).byteLength;
    };
  }
  try {
    const value = await job();
    if (partial) lines.push(partial);
    return { value, lines };
  } finally {
    sink = undefined;
    if (fs && write) fs.writeSync = write;
  }
}
