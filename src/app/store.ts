/**
 * The app's state: ids, summaries and UI status — never model bytes (those live in the workers).
 * Components subscribe with narrow selectors (useStudio(s => s.model)) so a progress tick re-renders
 * only the progress bar.
 */
import { create } from 'zustand';
import type { ModelHandle, ModelSource, RuntimeInfo } from '../worker/protocol';
import type { ModelError } from '../core/errors';
import type { CpuReport } from '../core/compat/cpu-report';

export interface SampleEntry {
  readonly id: string;
  readonly file: string;
  readonly title: string;
  readonly description: string;
  readonly testAccuracy?: number;
  readonly parameters?: number;
}

export interface LoadingState {
  readonly label: string;
  readonly stage: string;
  readonly done: number;
  readonly total: number;
  readonly controller: AbortController;
}

export type CompatState =
  | { readonly status: 'idle' }
  | { readonly status: 'running' }
  | { readonly status: 'done'; readonly report: CpuReport; readonly runtime: RuntimeInfo }
  | { readonly status: 'error'; readonly message: string };

/** What the user sees in the alert: a bad file, or a failure of ours. */
export type ShownError = Pick<ModelError, 'title' | 'message' | 'hint'> & { readonly file?: string };

export interface StudioState {
  readonly model: ModelHandle | null;
  /** How the open model was obtained: used to re-open it if its worker had to restart. */
  readonly modelSource: ModelSource | null;
  readonly loading: LoadingState | null;
  readonly error: ShownError | null;
  readonly notice: string | null;
  readonly compat: CompatState;
  readonly samples: readonly SampleEntry[];
}

export const useStudio = create<StudioState>()(() => ({
  model: null,
  modelSource: null,
  loading: null,
  error: null,
  notice: null,
  compat: { status: 'idle' },
  samples: [],
}));
