/**
 * The Optimize panel's slice of the store: the pass registry (from the model worker), the form the user
 * fills in (passes in the order chosen, their options, nodes pinned to float32, calibration data), the
 * size estimate, the running job, and the variants made so far.
 *
 * Model bytes never live here as JS buffers: a variant keeps its encoded model as a File (a Blob handle
 * the browser may hold outside the JS heap), which is also what the model worker opens for the graph
 * and Compare views.
 */
import type { DataChoice } from '../../components/data-choice';
import type { PassDescriptor, PassOptionValue, PassReport } from '../../../core/transform/types';
import type { Recipe } from '../../../core/transform/recipe';
import type { ImagePreprocessing } from '../../../core/data/types';
import type { MeasuredModelCompute, ModelSource, RecipeEstimate } from '../../../worker/protocol';
import type { ShownError } from '../../store';

/** Where calibration samples come from, as the user chose them. */
export type CalibrationChoice = DataChoice;

export interface OptimizeForm {
  /** Pass ids in the order the user ticked them: the recipe's order. */
  readonly chosen: readonly string[];
  /** Option values the user changed, per pass id (the rest take the pass defaults). */
  readonly options: Readonly<Record<string, Readonly<Record<string, PassOptionValue>>>>;
  /** Node names pinned to float32 from the graph view ("Keep in float32"); merged into every pass's exclusion list. */
  readonly excludedNodes: readonly string[];
  readonly calibration: CalibrationChoice;
  /** Image folder preprocessing as typed (applied when the folder choice is active). */
  readonly preprocessing: ImagePreprocessing;
}

export type EstimateState =
  | { readonly status: 'idle' }
  | { readonly status: 'running' }
  | { readonly status: 'done'; readonly estimate: RecipeEstimate }
  | { readonly status: 'error'; readonly message: string };

export interface OptimizeRun {
  readonly stage: string;
  readonly done: number;
  readonly total: number;
  readonly controller: AbortController;
  readonly startedAt: number;
}

export interface Variant {
  readonly id: string;
  /** Recipe name, with "-2", "-3" … when the same recipe was applied before. */
  readonly name: string;
  /** The model it was made from, to re-open it for "Compare with original". */
  readonly origin: { readonly source: ModelSource; readonly fileName: string; readonly bytes: number };
  /** The encoded model, as a File handle named `<stem>.<name>.onnx`. */
  readonly file: File;
  readonly recipe: Recipe;
  readonly reports: readonly PassReport[];
  readonly calibration: ReadonlyArray<{ readonly source: string; readonly samples: number; readonly warnings: readonly string[] } | undefined>;
  readonly seconds: number;
  /** Parameters and MACs of the original and of this variant, measured in the optimize worker. */
  readonly compute?: MeasuredModelCompute;
  /** How it was made when not by Apply (e.g. "Chosen by auto-tune …; no per-node reports"). */
  readonly note?: string;
}

export interface OptimizeState {
  readonly passes: { readonly status: 'idle' | 'loading' | 'ready' | 'error'; readonly list: readonly PassDescriptor[]; readonly error: string | null };
  readonly form: OptimizeForm;
  readonly estimate: EstimateState;
  readonly run: OptimizeRun | null;
  readonly error: ShownError | null;
  readonly variants: readonly Variant[];
}

/** A 224×224 RGB image normalised with the ImageNet mean/std: the most common image classifier input. */
export const defaultPreprocessing: ImagePreprocessing = {
  width: 224,
  height: 224,
  layout: 'NCHW',
  channels: 3,
  scale: 1 / 255,
  mean: [0.485, 0.456, 0.406],
  std: [0.229, 0.224, 0.225],
};

export const initialOptimizeState: OptimizeState = {
  passes: { status: 'idle', list: [], error: null },
  form: { chosen: [], options: {}, excludedNodes: [], calibration: { kind: 'sample' }, preprocessing: defaultPreprocessing },
  estimate: { status: 'idle' },
  run: null,
  error: null,
  variants: [],
};
