/**
 * Entry of the runtime worker. onnxruntime-web's WASM files come from our own origin (Vite `?url`
 * imports, hashed into dist/assets), never a CDN; ORT starts its thread workers from the .mjs URL, which
 * must be absolute inside a worker (RUNTIME-FACTS.md). Threads need cross-origin isolation (COOP/COEP).
 */
import wasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.wasm?url';
import mjsUrl from 'onnxruntime-web/ort-wasm-simd-threaded.mjs?url';
import { configureRuntime } from '../runtime/ort';
import { serve } from './host';
import { runtimeHandlers } from './handlers/runtime-handlers';

const absolute = (u: string): string => new URL(u, self.location.href).href;
configureRuntime({
  wasmPaths: { wasm: absolute(wasmUrl), mjs: absolute(mjsUrl) },
  // As many threads as cores, up to 4 (ORT's own cap); without cross-origin isolation ORT can only run 1.
  numThreads: self.crossOriginIsolated ? Math.max(1, Math.min(4, navigator.hardwareConcurrency || 1)) : 1,
});

serve(runtimeHandlers);
