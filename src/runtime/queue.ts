/**
 * One queue for everything that touches onnxruntime-web. ORT's WASM backend is a single instance per
 * JavaScript realm: concurrent session creation and runs interleave on the same wasm heap and, with one
 * thread, block each other anyway. Serialising them keeps timings honest (a benchmark never measures
 * another session's work) and bounds peak WASM memory to one job at a time.
 */
export class SerialQueue {
  private tail: Promise<unknown> = Promise.resolve();
  private pending = 0;

  /** Runs `job` after every job queued before it has settled (success or failure). */
  enqueue<T>(job: () => Promise<T>): Promise<T> {
    this.pending++;
    const result = this.tail.then(job, job);
    this.tail = result.then(
      () => this.settle(),
      () => this.settle(),
    );
    return result;
  }

  /** Jobs queued or running. */
  get size(): number {
    return this.pending;
  }

  private settle(): void {
    this.pending--;
  }
}
