/**
 * Auto-tune's slice of the Benchmark tab (its own small store, beside lab-store.ts): the budget form,
 * the running job (the search, or re-applying a candidate's recipe for "Add as variant"), and the
 * result. The chosen model arrives from the bench worker as bytes and is kept as a File (a blob handle,
 * not a JS buffer). Results belong to one original (`forSource`).
 */
import { create } from 'zustand';
import type { BenchTuneResult, DataSource, ModelSource } from '../../../../worker/protocol';
import type { ShownError } from '../../../store';

export type TuneReport = BenchTuneResult['report'];
export type TuneCandidate = TuneReport['candidates'][number];

export interface TuneForm {
  /** Budget with labelled data: points of top-1 accuracy (1 = 0.01). */
  readonly maxDropPoints: number;
  /** Budget without labels: the lowest cosine (or top-1 agreement) allowed. */
  readonly minCosine: number;
  /** Only the base recipes (no sensitivity search, no pruning). */
  readonly quick: boolean;
}

export interface TuneJob {
  readonly kind: 'tune' | 'variant';
  readonly stage: string;
  readonly done: number;
  readonly total: number;
  readonly controller: AbortController;
}

/** What the run was made with, shown next to its numbers. */
export interface TuneConditions {
  readonly threads: number;
  readonly runs: number;
  readonly budgetMs?: number;
  readonly labelled: boolean;
}

export interface TuneOutcome {
  readonly report: TuneReport;
  readonly calibration: BenchTuneResult['calibration'];
  readonly recipes: BenchTuneResult['recipes'];
  /** The chosen candidate's model, named `<stem>.<recipe>.onnx`. */
  readonly bestFile?: File;
  /** The calibration data the page gave (to re-apply a candidate's recipe the same way), if any. */
  readonly calibrationSource?: DataSource;
  /** The evaluation data as a DataSource (used to calibrate a re-applied recipe when the run split it). */
  readonly dataSource?: DataSource;
  readonly conditions: TuneConditions;
}

export interface TuneState {
  readonly form: TuneForm;
  readonly job: TuneJob | null;
  readonly error: ShownError | null;
  readonly forSource: ModelSource | null;
  readonly outcome: TuneOutcome | null;
  /** Candidate name → the variant made from it ("Add as variant"). */
  readonly added: Readonly<Record<string, string>>;
}

export const initialTuneState = (): TuneState => ({
  form: { maxDropPoints: 1, minCosine: 0.999, quick: false },
  job: null,
  error: null,
  forSource: null,
  outcome: null,
  added: {},
});

export const useTune = create<TuneState>()(() => initialTuneState());
