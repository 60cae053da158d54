/**
 * The one message protocol between the page and its workers (ARCHITECTURE.md, "One message protocol").
 *
 *   page → worker   { kind: 'request',  id, type, payload }
 *   worker → page   { kind: 'progress', id, stage, done, total }   (any number, while the request runs)
 *   worker → page   { kind: 'response', id, ok: true, result } | { kind: 'response', id, ok: false, error }
 *
 * Every request type is declared in RequestMap with its payload and result, so both ends are type-checked.
 * Later capabilities add entries here; they never open a second channel. Big buffers travel in transfer lists.
 * Only types live in this file: the app may import it.
 */
import type { ModelError } from '../core/errors';
import type { ModelSummary } from '../core/model/summary';
import type { CpuReport } from '../core/compat/cpu-report';
import type { GraphLayout, LayoutInput } from '../core/graph-view/types';
import type { NodeDetails } from '../core/inspect/types';
import type { ModelDiff } from '../core/diff/types';
import type { PackedViewGraph } from './view-packing';
import type { PassDescriptor, PassReport, SizeEstimate } from '../core/transform/types';
import type { PassStep, Recipe } from '../core/transform/recipe';
import type { ImagePreprocessing } from '../core/data/types';
import type { BenchmarkReport, BenchmarkSettings } from '../runtime/benchmark';
import type { CompareReport } from '../runtime/compare-models';
import type { Accuracy } from '../core/metrics/fidelity';
import type { LabResults, LabSummary } from '../core/report/lab-report';
import type { TuneReport } from '../runtime/tune';
import type { ModelProfile } from '../runtime/profile';
import type { ActivationDiff } from '../runtime/activation-diff';
import type { SensitivityReport } from '../runtime/sensitivity';

export interface ModelHandle {
  readonly modelId: string;
  readonly fileName: string;
  readonly summary: ModelSummary;
  readonly warnings: readonly string[];
}

/** Where a model comes from: files the user picked (File handles: cheap to post, read in the worker) or a URL of our own origin. */
export type ModelSource =
  | { readonly kind: 'files'; readonly files: readonly File[] }
  | { readonly kind: 'url'; readonly url: string; readonly fileName: string };

/**
 * Sample data for calibration (and later accuracy): files the user picked (.npz, .npy, .json, a
 * test_data_set folder's input_*.pb, or images with their folder paths and a declared preprocessing),
 * a shipped set by URL, or random data (allowed only with a visible warning).
 */
export type DataSource =
  | { readonly kind: 'files'; readonly files: readonly File[]; readonly preprocessing?: ImagePreprocessing }
  | { readonly kind: 'url'; readonly url: string; readonly fileName: string }
  | { readonly kind: 'random'; readonly seed: number; readonly samples: number };

export interface RecipeEstimate {
  readonly modelBytes: number;
  /** Size of the model after the recipe, estimated from the weights each step touches. */
  readonly estimatedBytes: number;
  readonly steps: ReadonlyArray<{ readonly pass: string; readonly estimate?: SizeEstimate; readonly error?: string }>;
}

export interface OptimizeResult {
  /** The optimized model, encoded (transferred, not copied). */
  readonly bytes: ArrayBuffer;
  readonly inputBytes: number;
  readonly reports: readonly PassReport[];
  /** Per step: what the calibration ran on (undefined for steps without calibration). */
  readonly calibration: ReadonlyArray<{ readonly source: string; readonly samples: number; readonly warnings: readonly string[] } | undefined>;
  readonly seconds: number;
  /**
   * The recipe that made it (core's makeRecipe: every option resolved, the model's file name and size,
   * the calibration data's name), built in the worker because the app may not call core; the page
   * names the variant and saves this beside the model.
   */
  readonly recipe: Recipe;
  /**
   * Measured on the input and the output model in the optimize worker (the Overview's counting:
   * parameters = weight elements, MACs at batch 1; non-zero = weight elements not exactly zero).
   */
  readonly compute?: MeasuredModelCompute;
}

export interface MeasuredModelCompute {
  readonly paramsBefore: number;
  readonly paramsAfter: number;
  readonly nonZeroParamsBefore: number;
  readonly nonZeroParamsAfter: number;
  /** null when no MAC-bearing node could be counted. */
  readonly macsBefore: number | null;
  readonly macsAfter: number | null;
}

export interface RuntimeInfo {
  readonly backend: 'wasm';
  readonly threads: number;
  readonly simd: boolean;
  readonly crossOriginIsolated: boolean;
  readonly ortVersion: string;
}

/** A model for the bench worker: the caller's id (echoed in reports) and where to read it. */
export interface BenchModelSource {
  readonly id: string;
  readonly source: ModelSource;
}

/** Accuracy data: a DataSource, or the shipped sample's labelled test set by URL (manifest `testData`). */
export type BenchDataSource = DataSource | { readonly kind: 'sample-test-set'; readonly url: string; readonly fileName: string };

/** Settings of 'bench/run': the engine's, minus the inputs (random, seed 1, in `ranges` when given). */
export type BenchRunSettings = Omit<BenchmarkSettings, 'inputs'> & { readonly ranges?: Readonly<Record<string, readonly [number, number]>> };

export interface BenchAccuracyResult {
  readonly referenceId: string;
  readonly source: string;
  readonly samples: number;
  readonly graphOptimizationLevel: string;
  /** The reference's own labelled accuracy, when the data has labels. */
  readonly referenceAccuracy?: Accuracy;
  /** One comparison per candidate against the reference, in the order asked. */
  readonly candidates: ReadonlyArray<{ readonly id: string; readonly report: CompareReport }>;
  readonly warnings: readonly string[];
}

/** Auto-tune in the bench worker (issue 6, "Decide"): src/runtime/tune.ts over the lab's data. */
export interface BenchTunePayload {
  readonly model: BenchModelSource;
  /** Evaluation samples (labels → the budget is on top-1 accuracy; else agreement / cosine). */
  readonly data: BenchDataSource;
  /**
   * Calibration samples for the int8 static recipes. Absent: the first quarter of `data` (at most 128
   * samples) calibrates and the rest evaluates, as `studio tune` does, so no sample does both; random
   * data calibrates on itself.
   */
  readonly calibration?: DataSource;
  /** Largest allowed drop of the metric (0.01 = one point of top-1, or 1 − the minimum cosine). */
  readonly maxDrop: number;
  readonly quick: boolean;
  /** Benchmark runs per candidate (interleaved with the original) and its time budget. */
  readonly runs?: number;
  readonly budgetMs?: number;
  /** Evaluation samples per candidate at most. */
  readonly maxSamples?: number;
}

export interface BenchTuneResult {
  readonly report: TuneReport;
  /** What calibrated the static recipes, and whether it was split off the evaluation data. */
  readonly calibration: { readonly source: string; readonly split: boolean };
  /** A saveable recipe (core makeRecipe, file-safe name) per measured candidate, by candidate name. */
  readonly recipes: Readonly<Record<string, Recipe>>;
  /** The chosen candidate's model, encoded (transferred), and its recipe. */
  readonly best?: { readonly bytes: ArrayBuffer; readonly recipe: Recipe };
}

export interface RequestMap {
  /** Read, decode, validate and summarise a model; it stays in the worker under modelId. */
  'model/open': { payload: { source: ModelSource }; result: ModelHandle };
  /** Forget a model the worker holds. */
  'model/close': { payload: { modelId: string }; result: null };
  /** The model re-encoded (round trip today; transformations later), as bytes to download. */
  'model/export': { payload: { modelId: string }; result: { bytes: ArrayBuffer; fileName: string } };
  /** Ask onnxruntime-web which of the model's operators it can run, and what would be slow on a CPU. */
  'runtime/compat': { payload: { source: ModelSource }; result: { report: CpuReport; runtime: RuntimeInfo } };
  /**
   * The drawable graph of one scope ('' = main graph) of a model the worker holds (model worker), strings packed (view-packing.ts).
   * `baseId`: the model a variant was made from, held too; adds the metrics column `channelsRemoved` (core/graph-view/sparsity-metrics.ts).
   */
  'graph/view': { payload: { modelId: string; scopePath: string; baseId?: string }; result: PackedViewGraph };
  /** Positions for a ViewGraph's numeric part (layout worker; cancelling it never touches the models). */
  'graph/layout': { payload: { graph: LayoutInput }; result: GraphLayout };
  /** Everything the Inspector shows for one node, weight statistics included (model worker). */
  'graph/node': { payload: { modelId: string; nodeId: string }; result: NodeDetails };
  /** Differences between two models the worker holds (model worker). */
  'graph/diff': { payload: { baseId: string; otherId: string }; result: ModelDiff };
  /** The registry of transformations, for building the Optimize panel (model worker). */
  'optimize/passes': { payload: null; result: PassDescriptor[] };
  /** Size estimate of a recipe applied to a model the worker holds, before running it (model worker). */
  'optimize/estimate': { payload: { modelId: string; steps: readonly PassStep[] }; result: RecipeEstimate };
  /**
   * Apply a recipe to a model (optimize worker: it also runs onnxruntime-web for calibration, so
   * cancelling restarts it without touching the models the model worker holds). Progress per node.
   */
  'optimize/run': { payload: { source: ModelSource; steps: readonly PassStep[]; calibration?: DataSource }; result: OptimizeResult };
  /**
   * Benchmark models interleaved (bench worker: its thread count is fixed by its name, `bench-N`, because
   * ORT reads it once). Ratios are against the first model. Progress per round; Cancel restarts the worker.
   */
  'bench/run': { payload: { models: readonly BenchModelSource[]; settings: BenchRunSettings }; result: BenchmarkReport };
  /** Fidelity (and accuracy with labels) of each candidate against the reference on the same data (bench worker). */
  'bench/accuracy': {
    payload: { reference: BenchModelSource; candidates: readonly BenchModelSource[]; data: BenchDataSource; graphOptimizationLevel?: BenchmarkSettings['graphOptimizationLevel']; maxSamples?: number };
    result: BenchAccuracyResult;
  };
  /** Rows, Pareto front and the Markdown/JSON/CSV exports of the lab's results (bench worker; pure core formatting). */
  'bench/report': { payload: { results: LabResults }; result: LabSummary };
  /**
   * Per-operator profile of one model (bench worker, ORT's profiler on; random inputs, seed 1, in `ranges`,
   * symbolic dims from `shapes`): time per node and kernel, fused / folded / quantized-but-float nodes.
   */
  'bench/profile': {
    payload: { model: BenchModelSource; runs: number; warmup: number; graphOptimizationLevel?: BenchmarkSettings['graphOptimizationLevel']; shapes?: Readonly<Record<string, number>>; ranges?: Readonly<Record<string, readonly [number, number]>> };
    result: ModelProfile;
  };
  /** Error of every activation of `candidate` against the same activation of `reference`, on the same data (bench worker). */
  'bench/activations': { payload: { reference: BenchModelSource; candidate: BenchModelSource; data: BenchDataSource; maxSamples?: number }; result: ActivationDiff };
  /**
   * Per-layer sensitivity of `step` (a quantization step of a variant's recipe) applied to `model`: one layer
   * quantized at a time, ranked by output SQNR (bench worker). `calibration`: required when the pass calibrates.
   */
  'bench/sensitivity': { payload: { model: BenchModelSource; step: PassStep; data: BenchDataSource; calibration?: DataSource; maxSamples?: number }; result: SensitivityReport };
  /** Auto-tune: try the usual recipes, measure speed and accuracy, pick the fastest within budget (bench worker; progress per candidate; Cancel restarts the worker). */
  'bench/tune': { payload: BenchTunePayload; result: BenchTuneResult };
  /** For tests of the bridge itself: sleeps, reporting progress; 'crash' makes the worker die. */
  'debug/sleep': { payload: { ms: number; crash?: boolean }; result: { slept: number } };
}

export type RequestType = keyof RequestMap;
export type PayloadOf<T extends RequestType> = RequestMap[T]['payload'];
export type ResultOf<T extends RequestType> = RequestMap[T]['result'];

export interface RequestMessage<T extends RequestType = RequestType> {
  readonly kind: 'request';
  readonly id: number;
  readonly type: T;
  readonly payload: PayloadOf<T>;
}

export interface ProgressMessage {
  readonly kind: 'progress';
  readonly id: number;
  /** What is happening, for the user: "Reading model.onnx", "Decoding", "Analysing". */
  readonly stage: string;
  readonly done: number;
  /** 0 when the total is unknown. */
  readonly total: number;
}

/**
 * Why a request failed. `model`: the input is bad (the user can act on it). `bug`: our code threw.
 * `aborted`: the caller cancelled. `crashed`: the worker died (out of memory, a WASM trap) and was restarted.
 */
export type WorkerFailure =
  | { readonly kind: 'model'; readonly error: ModelError }
  | { readonly kind: 'bug'; readonly message: string; readonly stack?: string }
  | { readonly kind: 'aborted' }
  | { readonly kind: 'crashed'; readonly message: string };

export type ResponseMessage<T extends RequestType = RequestType> =
  | { readonly kind: 'response'; readonly id: number; readonly ok: true; readonly result: ResultOf<T> }
  | { readonly kind: 'response'; readonly id: number; readonly ok: false; readonly failure: WorkerFailure };

export type WorkerToPage = ProgressMessage | ResponseMessage;
