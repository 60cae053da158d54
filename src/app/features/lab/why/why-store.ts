/**
 * The "Why" section's own store (beside lab-store.ts): the models chosen in its three parts, their
 * results as the bench worker returned them, the running job and its error. Results belong to one
 * original (`forSource`); opening another model clears them.
 */
import { create } from 'zustand';
import type { PassStep } from '../../../../core/transform/recipe';
import type { ModelSource, ResultOf } from '../../../../worker/protocol';
import type { ShownError } from '../../../store';

export type ModelProfile = ResultOf<'bench/profile'>;
export type ActivationDiff = ResultOf<'bench/activations'>;
export type SensitivityReport = ResultOf<'bench/sensitivity'>;

export type WhyJobKind = 'profile' | 'activations' | 'sensitivity' | 'reapply';

export interface WhyJob {
  readonly kind: WhyJobKind;
  readonly stage: string;
  readonly done: number;
  readonly total: number;
  readonly controller: AbortController;
}

/** A result with the model it is about (lab model id and display name). */
export interface ForModel<T> {
  readonly modelId: string;
  readonly name: string;
  readonly result: T;
  /** How it was measured, in words (shown beside the result). */
  readonly note?: string;
}

export interface WhyState {
  readonly forSource: ModelSource | null;
  /** Lab model ids chosen in each part ('' = the first offered). */
  readonly profileChoice: string;
  readonly errorChoice: string;
  readonly sensitivityChoice: string;
  readonly profileRuns: number;
  readonly profile: ForModel<ModelProfile> | null;
  readonly activations: ForModel<ActivationDiff> | null;
  readonly sensitivity: (ForModel<SensitivityReport> & { readonly step: PassStep }) | null;
  /** "Keep most sensitive in float": N. */
  readonly keepFloat: number;
  readonly job: WhyJob | null;
  readonly error: ShownError | null;
}

export const initialWhyState = (): WhyState => ({
  forSource: null,
  profileChoice: '',
  errorChoice: '',
  sensitivityChoice: '',
  profileRuns: 10,
  profile: null,
  activations: null,
  sensitivity: null,
  keepFloat: 1,
  job: null,
  error: null,
});

export const useWhy = create<WhyState>()(() => initialWhyState());
