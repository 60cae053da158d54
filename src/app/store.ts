/**
 * The app's state: ids, summaries and UI status — never model bytes (those live in the workers).
 * Components subscribe with narrow selectors (useStudio(s => s.model)) so a progress tick re-renders
 * only the progress bar.
 */
import { create } from 'zustand';
import { initialOptimizeState } from './features/optimize/optimize-state';
import type { ModelHandle, ModelSource, RuntimeInfo } from '../worker/protocol';
import type { ModelError } from '../core/errors';
import type { CpuReport } from '../core/compat/cpu-report';
import type { GraphLayout, ViewGraph } from '../core/graph-view/types';
import type { NodeDetails } from '../core/inspect/types';
import type { ModelDiff } from '../core/diff/types';
import type { OptimizeState } from './features/optimize/optimize-state';

export interface SampleEntry {
  readonly id: string;
  readonly file: string;
  readonly title: string;
  readonly description: string;
  readonly testAccuracy?: number;
  readonly parameters?: number;
  /** The sample's shipped calibration set (a file in public/samples), for the Optimize panel. */
  readonly calibrationData?: string;
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

export type ViewTab = 'overview' | 'graph' | 'compare' | 'optimize' | 'benchmark';

/** A laid-out scope of a model, ready to draw. */
export interface GraphState {
  readonly status: 'idle' | 'building' | 'laying-out' | 'ready' | 'error' | 'cancelled';
  readonly modelId: string | null;
  readonly scopePath: string;
  readonly view: ViewGraph | null;
  readonly layout: GraphLayout | null;
  readonly progress: { readonly stage: string; readonly done: number; readonly total: number } | null;
  readonly error: string | null;
  /** Milliseconds for building the view (model worker) and laying it out (layout worker), as measured by the page. */
  readonly timings: { readonly viewMs: number; readonly layoutMs: number } | null;
}

export interface DetailsState {
  readonly status: 'idle' | 'loading' | 'ready' | 'error';
  readonly nodeId: string | null;
  readonly details: NodeDetails | null;
  readonly error: string | null;
}

export interface CompareState {
  readonly status: 'idle' | 'loading' | 'ready' | 'error';
  readonly other: ModelHandle | null;
  readonly diff: ModelDiff | null;
  /** The other model's main graph, laid out, for the side-by-side view. */
  readonly graph: GraphState;
  readonly error: ShownError | null;
}

export const emptyGraph: GraphState = { status: 'idle', modelId: null, scopePath: '', view: null, layout: null, progress: null, error: null, timings: null };

/**
 * Per-node columns measured outside the model worker (the Benchmark tab's operator profile, the
 * per-tensor quantization error), keyed by main-graph node label — the node's name, or `#<index>` when
 * it has none, as reports and ORT's profile name nodes — for the model read from `source`. The graph
 * view adds them to its metrics when it is built for that model (graph-actions.ts); another model's
 * view ignores them, so they drop out when another model is shown.
 */
export interface ExternalMetrics {
  readonly source: ModelSource;
  readonly columns: Readonly<Record<string, ReadonlyMap<string, number>>>;
}

export interface StudioState {
  readonly model: ModelHandle | null;
  /** How the open model was obtained: used to re-open it if its worker had to restart. */
  readonly modelSource: ModelSource | null;
  readonly loading: LoadingState | null;
  readonly error: ShownError | null;
  readonly notice: string | null;
  readonly compat: CompatState;
  readonly samples: readonly SampleEntry[];
  readonly tab: ViewTab;
  readonly graph: GraphState;
  /** Selected node of the graph view, by ViewGraph index and id. */
  readonly selection: { readonly index: number; readonly id: string } | null;
  readonly details: DetailsState;
  /** Active overlay: 'op' (colour by op type), 'none', or a ViewGraph.metrics key ('params', 'macs', …). */
  readonly overlay: string;
  readonly compare: CompareState;
  /** The Optimize panel: the pass registry, the form, the running job and the variants made so far. */
  readonly optimize: OptimizeState;
  /** Extra overlay columns for one model's graph view (see ExternalMetrics). */
  readonly externalMetrics: ExternalMetrics | null;
}

export const useStudio = create<StudioState>()(() => ({
  model: null,
  modelSource: null,
  loading: null,
  error: null,
  notice: null,
  compat: { status: 'idle' },
  samples: [],
  tab: 'overview',
  graph: emptyGraph,
  selection: null,
  details: { status: 'idle', nodeId: null, details: null, error: null },
  overlay: 'op',
  compare: { status: 'idle', other: null, diff: null, graph: emptyGraph, error: null },
  optimize: initialOptimizeState,
  externalMetrics: null,
}));
