/**
 * The app's workers, created lazily once. `model` parses and transforms; `runtime` owns
 * onnxruntime-web (a WASM out-of-memory there must not take the user's parsed model with it);
 * `layout` lays graphs out, so cancelling a big layout restarts only it, never the model worker;
 * `optimize` applies recipes (and runs onnxruntime-web for calibration), so cancelling a long run or a
 * calibration that runs out of WASM memory restarts only it; `bench` (benchWorker) runs the Benchmark
 * tab's measurements with the thread count the user chose.
 */
import { WorkerClient } from '../worker/client';

let model: WorkerClient | undefined;
let runtime: WorkerClient | undefined;
let layout: WorkerClient | undefined;
let optimize: WorkerClient | undefined;

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

export function optimizeWorker(): WorkerClient {
  optimize ??= new WorkerClient(() => new Worker(new URL('../worker/optimize.worker.ts', import.meta.url), { type: 'module', name: 'optimize' }), 'optimize');
  return optimize;
}

let bench: { readonly client: WorkerClient; readonly threads: number } | undefined;

/**
 * The bench worker for `threads` WASM threads. ORT fixes its thread count when its wasm starts, so the
 * worker takes the count from its name (`bench-N`, read in bench.worker.ts); asking for another count
 * disposes of the old worker (ending whatever it was running) and starts a new one.
 */
export function benchWorker(threads: number): WorkerClient {
  if (bench && bench.threads !== threads) {
    bench.client.dispose();
    bench = undefined;
  }
  bench ??= {
    threads,
    client: new WorkerClient(() => new Worker(new URL('../worker/bench.worker.ts', import.meta.url), { type: 'module', name: `bench-${threads}` }), 'bench'),
  };
  return bench.client;
}
