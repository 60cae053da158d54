/**
 * The page's side of the worker bridge: typed requests, progress callbacks, AbortSignal, transfer lists,
 * crash detection and restart. The app reaches workers only through this class.
 *
 * Why not Comlink: it has no notion of progress events, cancellation or a dead worker; all three are
 * central here (a 500 MB parse must be cancellable and an out-of-memory WASM trap must not freeze the tab).
 *
 * Cancelling terminates the worker (a synchronous decode cannot be interrupted any other way) and
 * starts a fresh one; every other pending request then fails with `crashed`/`aborted`, and the
 * `onRestart` listeners let the app re-open what the user had (the app keeps File handles, not bytes).
 */
import type { PayloadOf, RequestType, ResultOf, WorkerFailure, WorkerToPage, RequestMessage } from './protocol';

export class WorkerRequestError extends Error {
  readonly failure: WorkerFailure;
  constructor(failure: WorkerFailure) {
    super(describeFailure(failure));
    this.name = 'WorkerRequestError';
    this.failure = failure;
  }
}

export function describeFailure(f: WorkerFailure): string {
  switch (f.kind) {
    case 'model':
      return `${f.error.title}. ${f.error.message}`;
    case 'bug':
      return `Internal error: ${f.message}`;
    case 'aborted':
      return 'Cancelled.';
    case 'crashed':
      return f.message;
  }
}

export interface RequestOptions {
  readonly signal?: AbortSignal;
  readonly onProgress?: (stage: string, done: number, total: number) => void;
  readonly transfer?: Transferable[];
}

interface Pending {
  readonly resolve: (value: unknown) => void;
  readonly reject: (reason: WorkerRequestError) => void;
  readonly onProgress?: RequestOptions['onProgress'];
  readonly cleanup: () => void;
}

export type RestartReason = 'aborted' | 'crashed';

const CRASH_WINDOW_MS = 10_000;
const MAX_CRASHES_IN_WINDOW = 4;

export class WorkerClient {
  private worker: Worker;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly restartListeners = new Set<(reason: RestartReason, message: string) => void>();
  /** Times the worker was replaced; shown in diagnostics. */
  restarts = 0;
  private recentCrashes: number[] = [];
  /** Set when the worker crashed too often to restart; every request then fails with this message. */
  private broken: string | null = null;

  constructor(private readonly create: () => Worker, readonly name: string) {
    this.worker = this.start();
  }

  private start(): Worker {
    const worker = this.create();
    worker.addEventListener('message', (e: MessageEvent<WorkerToPage>) => this.onMessage(e.data));
    // An uncaught error inside the worker's event loop (e.g. a WASM abort) or a failed module load.
    worker.addEventListener('error', (e: ErrorEvent) => {
      e.preventDefault();
      this.restart('crashed', `The ${this.name} worker crashed${e.message ? `: ${e.message}` : ''}. It was restarted; please try again.`);
    });
    worker.addEventListener('messageerror', () => {
      this.restart('crashed', `The ${this.name} worker sent a message that could not be read. It was restarted.`);
    });
    return worker;
  }

  private onMessage(msg: WorkerToPage): void {
    const p = this.pending.get(msg.id);
    if (!p) return;
    if (msg.kind === 'progress') {
      p.onProgress?.(msg.stage, msg.done, msg.total);
      return;
    }
    this.pending.delete(msg.id);
    p.cleanup();
    if (msg.ok) p.resolve(msg.result);
    else p.reject(new WorkerRequestError(msg.failure));
  }

  request<T extends RequestType>(type: T, payload: PayloadOf<T>, options: RequestOptions = {}): Promise<ResultOf<T>> {
    const { signal, onProgress, transfer = [] } = options;
    if (signal?.aborted) return Promise.reject(new WorkerRequestError({ kind: 'aborted' }));
    if (this.broken) return Promise.reject(new WorkerRequestError({ kind: 'crashed', message: this.broken }));
    const id = this.nextId++;
    return new Promise<ResultOf<T>>((resolve, reject) => {
      const onAbort = (): void => {
        const p = this.pending.get(id);
        if (!p) return;
        this.pending.delete(id);
        p.cleanup();
        reject(new WorkerRequestError({ kind: 'aborted' }));
        this.restart('aborted', 'Cancelled by the user.');
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      const pending: Pending = {
        resolve: (v) => resolve(v as ResultOf<T>),
        reject,
        cleanup: () => signal?.removeEventListener('abort', onAbort),
        ...(onProgress ? { onProgress } : {}),
      };
      this.pending.set(id, pending);
      const message: RequestMessage<T> = { kind: 'request', id, type, payload };
      this.worker.postMessage(message, transfer);
    });
  }

  /** Subscribe to worker replacements (the app re-opens the user's model after one). Returns an unsubscribe function. */
  onRestart(listener: (reason: RestartReason, message: string) => void): () => void {
    this.restartListeners.add(listener);
    return () => this.restartListeners.delete(listener);
  }

  private restart(reason: RestartReason, message: string): void {
    this.worker.terminate();
    this.restarts++;
    // A worker that dies right after every start (e.g. its module fails to load) must not be
    // restarted in a tight loop: after several crashes within a few seconds it stays down.
    const now = Date.now();
    if (reason === 'crashed') this.recentCrashes = [...this.recentCrashes.filter((t) => now - t < CRASH_WINDOW_MS), now];
    if (this.recentCrashes.length >= MAX_CRASHES_IN_WINDOW) {
      this.broken = `The ${this.name} worker keeps failing to start, so the studio stopped restarting it. Reload the page to try again.`;
    }
    const failed = [...this.pending.values()];
    this.pending.clear();
    for (const p of failed) {
      p.cleanup();
      p.reject(new WorkerRequestError(reason === 'aborted' ? { kind: 'aborted' } : { kind: 'crashed', message }));
    }
    if (!this.broken) this.worker = this.start();
    for (const l of this.restartListeners) l(reason, message);
  }

  dispose(): void {
    this.worker.terminate();
    for (const p of this.pending.values()) p.reject(new WorkerRequestError({ kind: 'aborted' }));
    this.pending.clear();
  }
}
