/**
 * How big onnxruntime-web's WebAssembly heap has grown: the "memory the session grew to" of a benchmark.
 *
 * What we found (onnxruntime-web 1.30, dist/ort-wasm-simd-threaded.mjs): the Emscripten module keeps its
 * heap in a closure — `Module.HEAP8` exists, but ORT holds the Module privately (wasm-factory's
 * getInstance() is not exported) and the public API exposes no memory figure. The threaded build does,
 * however, create its memory in JavaScript on the main ORT thread, before instantiating the wasm:
 * `new WebAssembly.Memory({ initial: 256, maximum: 65536, shared: true })` (pthread workers receive it
 * by message instead). So we wrap the WebAssembly.Memory constructor when this module is evaluated, keep
 * the first shared memory with a non-zero maximum that is created (ORT also builds a `maximum: 0`
 * throw-away memory only to reach the SharedArrayBuffer constructor when the global is hidden), and put
 * the original constructor back. Its `buffer.byteLength` is the heap size; it only grows (32-bit WASM
 * memory never shrinks: released sessions' memory is reused, not returned — RUNTIME-FACTS.md).
 *
 * Limits: the hook must be installed before ORT initialises its wasm (the first session). This module is
 * imported by benchmark.ts, so any bundle or process that can benchmark installs it at load time, before
 * a session exists. If ORT were initialised first, or a future build exported its memory from the wasm
 * instead, wasmHeapBytes() answers undefined and reports say "not measured".
 */

let captured: WebAssembly.Memory | undefined;
let installed = false;

function keep(memory: WebAssembly.Memory): void {
  captured = memory;
}

function install(): void {
  if (installed || typeof WebAssembly === 'undefined' || typeof WebAssembly.Memory !== 'function') return;
  installed = true;
  const wasm = WebAssembly as { Memory: typeof WebAssembly.Memory };
  const Original = wasm.Memory;
  class WatchedMemory extends Original {
    constructor(descriptor: WebAssembly.MemoryDescriptor) {
      super(descriptor);
      if (!captured && descriptor.shared === true && (descriptor.maximum ?? 0) > 0) {
        keep(this);
        wasm.Memory = Original;
      }
    }
  }
  wasm.Memory = WatchedMemory;
}

install();

/** Current size of onnxruntime-web's WebAssembly heap in bytes, or undefined when it cannot be seen. */
export function wasmHeapBytes(): number | undefined {
  return captured?.buffer.byteLength;
}
