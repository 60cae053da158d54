/**
 * The app's two workers, created lazily once. `model` parses and transforms; `runtime` owns
 * onnxruntime-web (a WASM out-of-memory there must not take the user's parsed model with it).
 */
import { WorkerClient } from '../worker/client';

let model: WorkerClient | undefined;
let runtime: WorkerClient | undefined;

export function modelWorker(): WorkerClient {
  model ??= new WorkerClient(() => new Worker(new URL('../worker/model.worker.ts', import.meta.url), { type: 'module', name: 'model' }), 'model');
  return model;
}

export function runtimeWorker(): WorkerClient {
  runtime ??= new WorkerClient(() => new Worker(new URL('../worker/runtime.worker.ts', import.meta.url), { type: 'module', name: 'runtime' }), 'runtime');
  return runtime;
}
