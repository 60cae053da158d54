/**
 * The Benchmark tab's own store (kept apart from src/app/store.ts, which holds the open model): the
 * settings form, which models take part, the accuracy data choice, the running job, and the results —
 * the engine's reports as they came from the bench worker plus the summary the worker derives from them
 * (rows, Pareto front, exports). Results belong to one original model (`forSource`); opening another
 * model clears them.
 */
import type { DataChoice } from '../../components/data-choice';
import { create } from 'zustand';
import type { LabModel, LabSummary } from '../../../core/report/lab-report';
import type { BenchAccuracyResult, BenchRunSettings, ModelSource, ResultOf } from '../../../worker/protocol';
import type { ShownError } from '../../store';

/** The engine's report (src/runtime/benchmark.ts), as the protocol declares it. */
export type BenchmarkReport = ResultOf<'bench/run'>;
export type OptimizationLevel = BenchRunSettings['graphOptimizationLevel'];

export interface LabSettings {
  readonly threads: number;
  readonly graphOptimizationLevel: OptimizationLevel;
  readonly warmup: number;
  readonly runs: number;
  /** Seconds of measuring at most; 0 = no budget (all runs). */
  readonly budgetS: number;
  /** Sizes of the model's symbolic input dims by name; absent ones are 1. */
  readonly shapes: Readonly<Record<string, number>>;
}

/** Where accuracy samples come from. */
export type LabDataChoice = DataChoice;

export interface LabJob {
  readonly kind: 'bench' | 'accuracy';
  readonly stage: string;
  readonly done: number;
  readonly total: number;
  readonly controller: AbortController;
}

export interface LabState {
  readonly settings: LabSettings;
  /** Model ids the user unticked (so that new variants start ticked). */
  readonly unchecked: readonly string[];
  readonly data: LabDataChoice;
  readonly job: LabJob | null;
  readonly error: ShownError | null;
  /** The original the results were measured for. */
  readonly forSource: ModelSource | null;
  /** Every model measured so far (benchmark or accuracy), by id. */
  readonly models: readonly LabModel[];
  readonly bench: BenchmarkReport | null;
  readonly accuracy: BenchAccuracyResult | null;
  readonly summary: LabSummary | null;
  readonly xAxis: 'latency' | 'speedup';
  /** Model id selected in the chart or a table. */
  readonly selected: string | null;
}

/** What the runtime worker uses: as many threads as cores, up to 4, when the page is cross-origin isolated. */
export function defaultThreads(): number {
  if (typeof crossOriginIsolated === 'undefined' || !crossOriginIsolated) return 1;
  return Math.max(1, Math.min(4, navigator.hardwareConcurrency || 1));
}

export const initialLabState = (): LabState => ({
  settings: { threads: defaultThreads(), graphOptimizationLevel: 'all', warmup: 5, runs: 50, budgetS: 10, shapes: {} },
  unchecked: [],
  data: { kind: 'sample' },
  job: null,
  error: null,
  forSource: null,
  models: [],
  bench: null,
  accuracy: null,
  summary: null,
  xAxis: 'latency',
  selected: null,
});

export const useLab = create<LabState>()(() => initialLabState());
