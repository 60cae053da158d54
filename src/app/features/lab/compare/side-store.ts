/**
 * The Benchmark tab's "Side by side" slice: which two models are shown (lab model ids: 'original' or a
 * variant's id; null = the default — the original on the left, the newest variant on the right) and the
 * graph diff between them, fetched from the model worker ('graph/diff') for the pair in `key`.
 */
import { create } from 'zustand';
import type { ModelDiff } from '../../../../core/diff/types';

export type SideDiff =
  | { readonly status: 'idle' }
  | { readonly status: 'loading'; readonly key: string }
  | { readonly status: 'ready'; readonly key: string; readonly diff: ModelDiff }
  | { readonly status: 'error'; readonly key: string; readonly message: string };

export interface SideState {
  readonly left: string | null;
  readonly right: string | null;
  readonly diff: SideDiff;
}

export const useSides = create<SideState>()(() => ({ left: null, right: null, diff: { status: 'idle' } }));
