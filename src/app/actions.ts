/**
 * What the user can do, as plain functions over the store and the worker clients. Components call
 * these; they never talk to workers themselves.
 */
import { useStudio, emptyGraph } from './store';
import type { SampleEntry, ShownError } from './store';
import type { Result } from '../core/errors';
import type { ModelHandle } from '../worker/protocol';
import { layoutWorker, modelWorker, runtimeWorker } from './workers';
import { WorkerRequestError } from '../worker/client';
import type { ModelSource } from '../worker/protocol';

const set = useStudio.setState;
const get = useStudio.getState;

function sourceLabel(source: ModelSource): string {
  return source.kind === 'url' ? source.fileName : source.files.map((f) => f.name).join(', ');
}

function toShownError(e: unknown): ShownError {
  if (e instanceof WorkerRequestError) {
    const f = e.failure;
    if (f.kind === 'model') return f.error;
    if (f.kind === 'crashed') return { title: 'The model worker stopped', message: f.message, hint: 'Your previous model is still open. If this file is very large, it may not fit in the browser’s memory.' };
    if (f.kind === 'bug') return { title: 'Something went wrong inside the studio', message: f.message, hint: 'This is a bug in the studio; please report it with the file that caused it.' };
  }
  return { title: 'Something went wrong', message: e instanceof Error ? e.message : String(e), hint: '' };
}

let restartHooked = false;
/** After a worker restart (cancel or crash) the worker has lost its models: re-open the one the user sees. */
function hookRestart(): void {
  if (restartHooked) return;
  restartHooked = true;
  modelWorker().onRestart((reason) => {
    const { modelSource, model } = get();
    if (!modelSource || !model) return;
    if (reason === 'crashed') set({ notice: 'The model worker restarted; your model was re-opened.' });
    void modelWorker()
      .request('model/open', { source: modelSource })
      .then((handle) => set({ model: handle }))
      .catch(() => set({ model: null, modelSource: null, notice: 'The model worker restarted and could not re-open your model.' }));
  });
}

export async function openModel(source: ModelSource): Promise<void> {
  hookRestart();
  get().loading?.controller.abort();
  const controller = new AbortController();
  const label = sourceLabel(source);
  set({ loading: { label, stage: `Reading ${label}`, done: 0, total: 0, controller }, error: null, notice: null });
  try {
    const handle = await modelWorker().request('model/open', { source }, {
      signal: controller.signal,
      onProgress: (stage, done, total) => {
        const loading = get().loading;
        if (loading?.controller === controller) set({ loading: { ...loading, stage, done, total } });
      },
    });
    const previous = get().model;
    const compared = get().compare.other;
    set({
      model: handle,
      modelSource: source,
      compat: { status: 'idle' },
      // A new model starts with a fresh graph view (the Graph tab rebuilds it when shown).
      graph: emptyGraph,
      selection: null,
      details: { status: 'idle', nodeId: null, details: null, error: null },
      compare: { status: 'idle', other: null, diff: null, graph: emptyGraph, error: null },
    });
    // Start the layout worker now, so that its module is loaded before the user opens the Graph tab.
    layoutWorker();
    if (compared) void modelWorker().request('model/close', { modelId: compared.modelId }).catch(() => undefined);
    if (previous) void modelWorker().request('model/close', { modelId: previous.modelId }).catch(() => undefined);
    scheduleCompat(source, handle.modelId);
  } catch (e) {
    if (e instanceof WorkerRequestError && e.failure.kind === 'aborted') {
      set({ notice: `Stopped opening ${label}.` });
    } else {
      // A bad file never replaces what the user already has open.
      set({ error: toShownError(e) });
    }
  } finally {
    if (get().loading?.controller === controller) set({ loading: null });
  }
}

export function cancelLoading(): void {
  get().loading?.controller.abort();
}

export function dismissError(): void {
  set({ error: null });
}

export function dismissNotice(): void {
  set({ notice: null });
}

export function openFiles(files: readonly File[]): void {
  if (files.length === 0) return;
  void openModel({ kind: 'files', files: [...files] });
}

export function openSample(sample: SampleEntry): void {
  const url = new URL(`samples/${sample.file}`, document.baseURI).href;
  void openModel({ kind: 'url', url, fileName: sample.file });
}

/**
 * Starts the operator probe soon after opening — but if the user went straight to the Graph tab, only
 * once that graph is laid out: the probe compiles onnxruntime-web's 14 MB wasm and creates a session per
 * operator, and on a 2-core machine that competition showed up as 100–180 ms main-thread stalls
 * during the graph's first paint (`npm run bench:graph` with and without --settle).
 */
function scheduleCompat(source: ModelSource, modelId: string): void {
  const deadline = Date.now() + 30_000;
  const tryStart = (): void => {
    const { model, tab, graph, compat } = get();
    if (model?.modelId !== modelId || compat.status !== 'idle') return;
    const graphBusy = tab === 'graph' && (graph.modelId !== modelId || graph.status === 'building' || graph.status === 'laying-out');
    if (graphBusy && Date.now() < deadline) {
      setTimeout(tryStart, 250);
      return;
    }
    void checkCompat(source, modelId);
  };
  setTimeout(tryStart, 300);
}

async function checkCompat(source: ModelSource, modelId: string): Promise<void> {
  set({ compat: { status: 'running' } });
  try {
    const { report, runtime } = await runtimeWorker().request('runtime/compat', { source });
    if (get().model?.modelId === modelId) set({ compat: { status: 'done', report, runtime } });
  } catch (e) {
    if (get().model?.modelId === modelId) set({ compat: { status: 'error', message: toShownError(e).message } });
  }
}

export async function loadSamples(): Promise<void> {
  try {
    const res = await fetch(new URL('samples/manifest.json', document.baseURI));
    if (!res.ok) return;
    const list = (await res.json()) as SampleEntry[];
    set({ samples: list });
  } catch {
    // No samples bundled: the picker simply stays empty.
  }
}

export async function downloadModel(): Promise<void> {
  const model = get().model;
  if (!model) return;
  try {
    const { bytes, fileName } = await modelWorker().request('model/export', { modelId: model.modelId });
    const url = URL.createObjectURL(new Blob([bytes], { type: 'application/octet-stream' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = fileName.replace(/\.onnx$/i, '') + '.roundtrip.onnx';
    a.click();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  } catch (e) {
    set({ error: toShownError(e) });
  }
}

/** Opens files as a second model in the worker (for Compare) without touching the one the user has open. */
export async function openFilesAsSecondModel(files: readonly File[]): Promise<Result<ModelHandle, ShownError>> {
  try {
    const handle = await modelWorker().request('model/open', { source: { kind: 'files', files: [...files] } });
    return { ok: true, value: handle };
  } catch (e) {
    return { ok: false, error: toShownError(e) };
  }
}
