/**
 * The app's workers, created lazily once. `model` parses and transforms; `runtime` owns
 * onnxruntime-web (a WASM out-of-memory there must not take the user's parsed model with it);
 * `layout` lays graphs out, so cancelling a big layout restarts only it, never the model worker.
 */
import { WorkerClient } from '../worker/client';

let model: WorkerClient | undefined;
let runtime: WorkerClient | undefined;
let layout: WorkerClient | undefined;

export function modelWorker(): WorkerClient {
  model ??= new WorkerClient(() => new Worker(new URL('../worker/model.worker.ts', import.meta.url), { type: 'module', name: 'model' }), 'model');
  return model;
}

export function runtimeWorker(): WorkerClient {
  runtime ??= new WorkerClient(() => new Worker(new URL('../worker/runtime.worker.ts', import.meta.url), { type: 'module', name: 'runtime' }), 'runtime');
  return runtime;
}

export function layoutWorker(): WorkerClient {
  layout ??= new WorkerClient(() => new Worker(new URL('../worker/layout.worker.ts', import.meta.url), { type: 'module', name: 'layout' }), 'layout');
  return layout;
}
