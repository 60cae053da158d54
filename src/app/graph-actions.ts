/**
 * Graph explorer actions: build the drawable graph of a scope in the model worker, lay it out in the
 * layout worker (cancellable without losing the model), select nodes, overlays, subgraphs, compare.
 * Performance marks ('graph:view', 'graph:layout', 'graph:ready') feed `npm run bench:graph`.
 */
import { useStudio, emptyGraph } from './store';
import type { ExternalMetrics, GraphState, ViewTab } from './store';
import { layoutWorker, modelWorker } from './workers';
import { WorkerRequestError, describeFailure } from '../worker/client';
import { unpackViewGraph } from '../worker/view-packing';
import type { ModelHandle, ModelSource } from '../worker/protocol';
import type { LayoutInput, ViewGraph } from '../core/graph-view/types';
import { withNodeColumns } from './features/graph/node-columns';

/** Only the numbers go to the layout worker: cloning 20,000 nodes' strings there would cost more than the layout. */
function layoutInputOf(g: LayoutInput): LayoutInput {
  return { nodeCount: g.nodeCount, kinds: g.kinds, widths: g.widths, heights: g.heights, edgeCount: g.edgeCount, edgeFrom: g.edgeFrom, edgeTo: g.edgeTo };
}
import { openFilesAsSecondModel } from './actions';

const set = useStudio.setState;
const get = useStudio.getState;

let layoutController: AbortController | null = null;

function failureText(e: unknown): string {
  return e instanceof WorkerRequestError ? describeFailure(e.failure) : e instanceof Error ? e.message : String(e);
}

/**
 * The original of the variant on screen, held in the model worker as a second model while that variant
 * is shown, so its views carry the "Channels removed" metric ('graph/view' baseId). Opened on the first
 * view of the variant, closed when another model is shown.
 */
let variantBase: { readonly source: ModelSource; readonly modelId: string } | null = null;
let baseRestartHooked = false;

function releaseVariantBase(): void {
  const base = variantBase;
  variantBase = null;
  if (base) void modelWorker().request('model/close', { modelId: base.modelId }).catch(() => undefined);
}

/** The model id of the shown variant's original (opening it if needed), or undefined when no variant is shown. */
async function variantBaseId(): Promise<string | undefined> {
  if (!baseRestartHooked) {
    baseRestartHooked = true;
    // A restarted worker has lost every model: the next view re-opens the original.
    modelWorker().onRestart(() => {
      variantBase = null;
    });
  }
  const { modelSource, optimize } = get();
  const shown = modelSource?.kind === 'files' ? modelSource.files[0] : undefined;
  const variant = shown ? optimize.variants.find((v) => v.file === shown) : undefined;
  if (!variant) {
    releaseVariantBase();
    return undefined;
  }
  if (variantBase?.source === variant.origin.source) return variantBase.modelId;
  releaseVariantBase();
  try {
    const handle = await modelWorker().request('model/open', { source: variant.origin.source });
    variantBase = { source: variant.origin.source, modelId: handle.modelId };
    return handle.modelId;
  } catch {
    // The overlay is a nicety: without the original the view is still drawn, without that column.
    return undefined;
  }
}

/** Builds and lays out one scope of a model; `target` says whether it is the main or the compared model. */
async function buildGraphState(
  model: ModelHandle,
  scopePath: string,
  update: (g: GraphState) => void,
  current: () => GraphState,
  baseId?: () => Promise<string | undefined>,
  decorate: (view: ViewGraph) => ViewGraph = (v) => v,
): Promise<void> {
  layoutController?.abort();
  const controller = new AbortController();
  layoutController = controller;
  const base: GraphState = { ...emptyGraph, status: 'building', modelId: model.modelId, scopePath, progress: { stage: 'Building the graph', done: 0, total: 0 } };
  update(base);
  performance.mark('graph:start');
  try {
    const originalId = baseId ? await baseId() : undefined;
    const t0 = performance.now();
    const view = decorate(unpackViewGraph(await modelWorker().request('graph/view', { modelId: model.modelId, scopePath, ...(originalId !== undefined ? { baseId: originalId } : {}) })));
    const t1 = performance.now();
    performance.mark('graph:view');
    if (controller.signal.aborted) {
      if (layoutController === controller) update({ ...current(), status: 'cancelled', progress: null });
      return;
    }
    update({ ...base, status: 'laying-out', view, progress: { stage: `Laying out ${view.nodeCount.toLocaleString('en-US')} nodes`, done: 0, total: 0 } });
    const layout = await layoutWorker().request('graph/layout', { graph: layoutInputOf(view) }, {
      signal: controller.signal,
      onProgress: (stage, done, total) => {
        const g = current();
        if (g.view === view) update({ ...g, progress: { stage, done, total } });
      },
    });
    const t2 = performance.now();
    performance.mark('graph:layout');
    update({ ...base, status: 'ready', view, layout, progress: null, timings: { viewMs: t1 - t0, layoutMs: t2 - t1 } });
  } catch (e) {
    if (e instanceof WorkerRequestError && e.failure.kind === 'aborted') {
      if (layoutController === controller) update({ ...current(), status: 'cancelled', progress: null });
      return;
    }
    update({ ...current(), status: 'error', progress: null, error: failureText(e) });
  } finally {
    if (layoutController === controller) layoutController = null;
  }
}

export function loadGraph(scopePath = ''): Promise<void> {
  const model = get().model;
  if (!model) return Promise.resolve();
  set({ selection: null, details: { status: 'idle', nodeId: null, details: null, error: null } });
  return buildGraphState(model, scopePath, (graph) => set({ graph }), () => get().graph, variantBaseId, withExternalMetrics);
}

// ---- columns measured elsewhere (the Benchmark tab's profile and per-tensor error) ----------------

/** Two sources name the same model: the same picked file, or the same URL (sources are re-created when a model is re-opened). */
export function sameSource(a: ModelSource | null | undefined, b: ModelSource | null | undefined): boolean {
  if (!a || !b) return false;
  if (a.kind === 'url') return b.kind === 'url' && a.url === b.url;
  if (b.kind === 'url') return false;
  return a.files.length === b.files.length && a.files.every((f, i) => f === b.files[i]);
}

/** The view with the external columns when they belong to the model shown; otherwise as it is (they drop out). */
function withExternalMetrics(view: ViewGraph): ViewGraph {
  const { externalMetrics, modelSource } = get();
  if (!externalMetrics || !sameSource(externalMetrics.source, modelSource)) return view;
  return withNodeColumns(view, externalMetrics.columns);
}

/**
 * Shows per-node columns (by node label) on the graph of the model read from `source` and colours by
 * `overlay`: opens that model when another one is shown (`open`), then switches to the Graph tab. A view
 * already built for it gets the columns at once (the scene is rebuilt once, as for a new layout).
 */
export async function showNodeMetrics(metrics: ExternalMetrics, overlay: string, open: (source: ModelSource) => Promise<void>): Promise<void> {
  set({ externalMetrics: metrics, overlay });
  if (!sameSource(get().modelSource, metrics.source)) await open(metrics.source);
  if (!sameSource(get().modelSource, metrics.source)) return;
  const { graph, model } = get();
  if (model && graph.modelId === model.modelId && graph.status === 'ready' && graph.view && graph.scopePath === '') {
    set({ graph: { ...graph, view: withNodeColumns(graph.view, metrics.columns) } });
  } else if (model && graph.modelId === model.modelId && graph.status !== 'idle' && graph.status !== 'error') {
    // Being built, or another scope: build the main graph again so that it carries the columns.
    void loadGraph('');
  }
  showTab('graph');
}

export function cancelGraph(): void {
  layoutController?.abort();
}

export function enterScope(scopePath: string): void {
  void loadGraph(scopePath);
}

export function showTab(tab: ViewTab): void {
  set({ tab });
  const { model, graph } = get();
  if (tab === 'graph' && model && (graph.modelId !== model.modelId || graph.status === 'idle' || graph.status === 'error')) void loadGraph(graph.modelId === model.modelId ? graph.scopePath : '');
}

export function setOverlay(overlay: string): void {
  set({ overlay });
}

/** Selects a node of the main graph view (or clears the selection) and fetches its details. */
export async function selectNode(index: number | null): Promise<void> {
  const { graph, model } = get();
  if (index === null || !graph.view || !model) {
    set({ selection: null, details: { status: 'idle', nodeId: null, details: null, error: null } });
    return;
  }
  const id = graph.view.ids[index];
  if (id === undefined) return;
  set({ selection: { index, id } });
  if (graph.view.kinds[index] !== 0) {
    // Graph inputs and outputs have no node details beyond what the view shows.
    set({ details: { status: 'idle', nodeId: id, details: null, error: null } });
    return;
  }
  set({ details: { status: 'loading', nodeId: id, details: null, error: null } });
  try {
    const details = await modelWorker().request('graph/node', { modelId: model.modelId, nodeId: id });
    if (get().selection?.id === id) set({ details: { status: 'ready', nodeId: id, details, error: null } });
  } catch (e) {
    if (get().selection?.id === id) set({ details: { status: 'error', nodeId: id, details: null, error: failureText(e) } });
  }
}

/** Opens a second model and compares the open one with it. */
export async function openCompare(files: readonly File[]): Promise<void> {
  const model = get().model;
  if (!model || files.length === 0) return;
  set({ compare: { status: 'loading', other: null, diff: null, graph: emptyGraph, error: null } });
  const other = await openFilesAsSecondModel(files);
  if (!other.ok) {
    set({ compare: { status: 'error', other: null, diff: null, graph: emptyGraph, error: other.error } });
    return;
  }
  try {
    const diff = await modelWorker().request('graph/diff', { baseId: model.modelId, otherId: other.value.modelId });
    set({ compare: { status: 'ready', other: other.value, diff, graph: emptyGraph, error: null } });
    const setOther = (graph: GraphState): void => set({ compare: { ...get().compare, graph } });
    await buildGraphState(other.value, '', setOther, () => get().compare.graph);
    // The side-by-side view needs the base graph too.
    if (get().graph.modelId !== model.modelId || get().graph.status !== 'ready') await loadGraph('');
  } catch (e) {
    set({ compare: { ...get().compare, status: 'error', error: { title: 'Could not compare the models', message: failureText(e), hint: '' } } });
  }
}

export function clearCompare(): void {
  const other = get().compare.other;
  if (other) void modelWorker().request('model/close', { modelId: other.modelId }).catch(() => undefined);
  set({ compare: { status: 'idle', other: null, diff: null, graph: emptyGraph, error: null } });
}
