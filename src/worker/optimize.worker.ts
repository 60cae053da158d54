/**
 * Entry of the optimize worker: applies recipes ('optimize/run'). It owns its own onnxruntime-web
 * instance because calibration runs the model on the user's samples; cancelling a run terminates and
 * restarts only this worker (WorkerClient), never the model worker that holds the user's models.
 * onnxruntime-web's WASM files come from our own origin, as absolute URLs (see runtime.worker.ts and
 * RUNTIME-FACTS.md: inside a worker ORT starts its thread workers from the .mjs URL).
 */
import wasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.wasm?url';
import mjsUrl from 'onnxruntime-web/ort-wasm-simd-threaded.mjs?url';
import { configureRuntime } from '../runtime/ort';
import { serve } from './host';
import { optimizeHandlers } from './handlers/optimize-handlers';

const absolute = (u: string): string => new URL(u, self.location.href).href;
configureRuntime({
  wasmPaths: { wasm: absolute(wasmUrl), mjs: absolute(mjsUrl) },
  numThreads: self.crossOriginIsolated ? Math.max(1, Math.min(4, navigator.hardwareConcurrency || 1)) : 1,
});

serve(optimizeHandlers);
