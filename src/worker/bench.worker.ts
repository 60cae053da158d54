/**
 * Entry of the bench worker (the Benchmark tab): benchmarks and accuracy runs in an onnxruntime-web of
 * its own, so cancelling restarts only it, and so that its thread count can differ from the other
 * workers'. ORT reads `env.wasm.numThreads` once, when its wasm starts, so the count is fixed for the
 * worker's life: the page names the worker `bench-N` (src/app/workers.ts benchWorker) and starts a new
 * one when the Threads setting changes. Without cross-origin isolation there is no SharedArrayBuffer
 * and ORT runs 1 thread whatever we ask (the report then says so).
 *
 * The WebAssembly memory probe (src/runtime/wasm-memory.ts) is installed when the handlers' imports are
 * evaluated, before the first session. WASM files come from our own origin as absolute URLs (see
 * runtime.worker.ts and RUNTIME-FACTS.md).
 */
import wasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.wasm?url';
import mjsUrl from 'onnxruntime-web/ort-wasm-simd-threaded.mjs?url';
import { configureRuntime } from '../runtime/ort';
import { serve } from './host';
import { benchHandlers, threadsFromName } from './handlers/bench-handlers';
import { whyHandlers } from './handlers/why-handlers';
import { tuneHandlers } from './handlers/tune-handlers';

const absolute = (u: string): string => new URL(u, self.location.href).href;
configureRuntime({
  wasmPaths: { wasm: absolute(wasmUrl), mjs: absolute(mjsUrl) },
  numThreads: self.crossOriginIsolated ? threadsFromName(self.name) : 1,
});

serve({ ...benchHandlers, ...whyHandlers, ...tuneHandlers });
