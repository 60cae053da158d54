/**
 * Long-running worker jobs of a feature store (benchmark, accuracy, profile, auto-tune …): one job at a
 * time with its AbortController and progress, and how a worker failure reads in the page. Each
 * feature store keeps `{ job, error }`; these helpers are the same for all of them.
 */
import type { ShownError } from './store';
import { WorkerRequestError } from '../worker/client';

export interface Job<K extends string = string> {
  readonly kind: K;
  readonly stage: string;
  readonly done: number;
  readonly total: number;
  readonly controller: AbortController;
}

interface JobStore<K extends string> {
  getState(): { readonly job: Job<K> | null };
  setState(partial: { job: Job<K> | null; error?: ShownError | null }): void;
}

export interface JobControls<K extends string> {
  /** Marks a job as running (clearing the last error) and returns its controller. */
  start(kind: K, stage?: string): AbortController;
  /** A progress callback that updates the job only while it is still the current one. */
  progressFor(controller: AbortController): (stage: string, done: number, total: number) => void;
  end(controller: AbortController): void;
}

export function jobControls<K extends string>(store: JobStore<K>): JobControls<K> {
  return {
    start(kind, stage = 'Starting') {
      const controller = new AbortController();
      store.setState({ job: { kind, stage, done: 0, total: 0, controller }, error: null });
      return controller;
    },
    progressFor(controller) {
      return (stage, done, total) => {
        const job = store.getState().job;
        if (job?.controller === controller) store.setState({ job: { ...job, stage, done, total } });
      };
    },
    end(controller) {
      if (store.getState().job?.controller === controller) store.setState({ job: null });
    },
  };
}

export const isAborted = (e: unknown): boolean => e instanceof WorkerRequestError && e.failure.kind === 'aborted';

/**
 * A failure as the alert shows it: the model's own error, a crashed worker (the model stays open; the
 * hint says what to try), a bug of ours, or anything else with its message.
 */
export function shownWorkerError(e: unknown, title: string, crashed: { readonly title: string; readonly hint: string }, bugHint = 'This is a bug in the studio; please report it with the model.'): ShownError {
  if (e instanceof WorkerRequestError) {
    const f = e.failure;
    if (f.kind === 'model') return f.error;
    if (f.kind === 'crashed') return { title: crashed.title, message: f.message, hint: crashed.hint };
    if (f.kind === 'bug') return { title, message: f.message, hint: bugHint };
  }
  return { title, message: e instanceof Error ? e.message : String(e), hint: '' };
}
