/**
 * Peak-memory sampling during synchronous work. A decode or encode blocks the main thread, so a timer
 * there never fires; a worker thread polls the process RSS (process-wide) every millisecond and keeps
 * the maximum in shared memory. Heap and ArrayBuffer figures come from the main isolate after the work,
 * while its result is still referenced.
 */
import { Worker } from 'node:worker_threads';

const SAMPLER = `
const { workerData } = require('node:worker_threads');
const peak = new Float64Array(workerData.sab, 0, 1);
const stop = new Int32Array(workerData.sab, 8, 1);
const tick = () => {
  const rss = process.memoryUsage.rss();
  if (rss > peak[0]) peak[0] = rss;
  if (Atomics.load(stop, 0) === 0) setTimeout(tick, 1);
};
tick();
`;

export interface MemorySample {
  /** RSS before the work, bytes. */
  readonly rssBefore: number;
  /** Highest RSS seen while the work ran, bytes. */
  readonly rssPeak: number;
  /** heapUsed + arrayBuffers before and after (result still alive), bytes. */
  readonly heapAbBefore: number;
  readonly heapAbAfter: number;
}

export class PeakSampler {
  private readonly sab = new SharedArrayBuffer(16);
  private readonly peak = new Float64Array(this.sab, 0, 1);
  private readonly stop = new Int32Array(this.sab, 8, 1);
  private readonly worker: Worker;
  private readonly started: Promise<void>;

  constructor() {
    this.worker = new Worker(SAMPLER, { eval: true, workerData: { sab: this.sab } });
    this.started = new Promise((resolve) => this.worker.once('online', () => resolve()));
  }

  /** Runs `work` and reports memory around it; the result stays referenced until after the last sample. */
  async measure<T>(work: () => T): Promise<{ result: T; memory: MemorySample; ms: number }> {
    await this.started;
    const gc = (globalThis as { gc?: () => void }).gc;
    gc?.();
    const before = process.memoryUsage();
    this.peak[0] = before.rss;
    await new Promise((r) => setTimeout(r, 20)); // let the sampler see the baseline
    const start = performance.now();
    const result = work();
    const ms = performance.now() - start;
    await new Promise((r) => setTimeout(r, 20)); // one more sample after the peak
    const after = process.memoryUsage();
    return {
      result,
      ms,
      memory: {
        rssBefore: before.rss,
        rssPeak: Math.max(this.peak[0] ?? 0, after.rss),
        heapAbBefore: before.heapUsed + before.arrayBuffers,
        heapAbAfter: after.heapUsed + after.arrayBuffers,
      },
    };
  }

  async close(): Promise<void> {
    Atomics.store(this.stop, 0, 1);
    await this.worker.terminate();
  }
}
