/**
 * Optimize actions (issue #4, "In the page"): load the pass registry from the model worker, edit the
 * form, estimate the size (debounced, model worker), apply the recipe (optimize worker, with progress
 * and Cancel), and the variants' actions — download with the recipe, open in the graph view, compare
 * with the original, delete. Components call these; they never talk to workers themselves.
 */
import { shownWorkerError } from './jobs';
import { useStudio } from './store';
import type { SampleEntry, ShownError } from './store';
import { modelWorker, optimizeWorker } from './workers';
import { WorkerRequestError } from '../worker/client';
import type { ImagePreprocessing } from '../core/data/types';
import type { PassOptionValue } from '../core/transform/types';
import type { DataSource, ModelSource, OptimizeResult } from '../worker/protocol';
import type { CalibrationChoice, OptimizeForm, OptimizeState, Variant } from './features/optimize/optimize-state';
import { calibrationSource, needsCalibration, stepsFromForm } from './features/optimize/recipe-form';
import { uniqueVariantName, variantModelFileName, variantRecipeFileName, variantRecipeJson } from './features/optimize/variant-files';
import { openModel } from './actions';
import { openCompare, showTab } from './graph-actions';

const set = useStudio.setState;
const get = useStudio.getState;

function patch(update: Partial<OptimizeState>): void {
  set({ optimize: { ...get().optimize, ...update } });
}

function patchForm(update: Partial<OptimizeForm>): void {
  const optimize = get().optimize;
  set({ optimize: { ...optimize, form: { ...optimize.form, ...update } } });
  scheduleEstimate();
}

const shownError = (e: unknown, title: string): ShownError =>
  shownWorkerError(
    e,
    title,
    { title: 'The optimize worker stopped', hint: 'Your model is still open. A model this large may not fit in the browser’s memory for calibration; try fewer samples or the command line (npm run studio -- optimize).' },
    'This is a bug in the studio; please report it with the model and the recipe.',
  );

export async function loadPasses(): Promise<void> {
  const { status } = get().optimize.passes;
  if (status === 'loading' || status === 'ready') return;
  patch({ passes: { status: 'loading', list: [], error: null } });
  try {
    const list = await modelWorker().request('optimize/passes', null);
    patch({ passes: { status: 'ready', list, error: null } });
    scheduleEstimate();
  } catch (e) {
    patch({ passes: { status: 'error', list: [], error: shownError(e, 'Could not list the transformations').message } });
  }
}

/** Ticking a pass appends it to the recipe; the order ticked is the order applied. */
export function togglePass(id: string, on: boolean): void {
  const { chosen } = get().optimize.form;
  patchForm({ chosen: on ? [...chosen.filter((c) => c !== id), id] : chosen.filter((c) => c !== id) });
}

export function setOption(passId: string, key: string, value: PassOptionValue): void {
  const { options } = get().optimize.form;
  patchForm({ options: { ...options, [passId]: { ...(options[passId] ?? {}), [key]: value } } });
}

export function resetOptions(passId: string): void {
  const { [passId]: _dropped, ...rest } = get().optimize.form.options;
  patchForm({ options: rest });
}

export function setCalibration(calibration: CalibrationChoice): void {
  patchForm({ calibration });
}

export function setPreprocessing(preprocessing: ImagePreprocessing): void {
  const { calibration } = get().optimize.form;
  patchForm({ preprocessing, ...(calibration.kind === 'folder' ? { calibration: { ...calibration, preprocessing } } : {}) });
}

/** "Keep in float32" (Inspector): pins a node, or unpins it. Every chosen pass skips pinned nodes. */
export function toggleKeepFloat(nodeName: string): void {
  const { excludedNodes } = get().optimize.form;
  patchForm({ excludedNodes: excludedNodes.includes(nodeName) ? excludedNodes.filter((n) => n !== nodeName) : [...excludedNodes, nodeName] });
}

// ---- estimate -----------------------------------------------------------------------------------

const ESTIMATE_DELAY_MS = 250;
let estimateTimer: ReturnType<typeof setTimeout> | undefined;
let estimateSeq = 0;

/** Asks the model worker for the recipe's size a moment after the last change (typing in a list, dragging a slider). */
export function scheduleEstimate(): void {
  if (estimateTimer !== undefined) clearTimeout(estimateTimer);
  estimateTimer = setTimeout(() => {
    estimateTimer = undefined;
    void estimateNow();
  }, ESTIMATE_DELAY_MS);
}

async function estimateNow(): Promise<void> {
  const { model, optimize } = get();
  const seq = ++estimateSeq;
  if (!model || optimize.form.chosen.length === 0 || optimize.passes.status !== 'ready') {
    patch({ estimate: { status: 'idle' } });
    return;
  }
  const steps = stepsFromForm(optimize.form, optimize.passes.list);
  patch({ estimate: { status: 'running' } });
  try {
    const estimate = await modelWorker().request('optimize/estimate', { modelId: model.modelId, steps });
    if (seq === estimateSeq) patch({ estimate: { status: 'done', estimate } });
  } catch (e) {
    if (seq === estimateSeq) patch({ estimate: { status: 'error', message: shownError(e, 'Could not estimate the size').message } });
  }
}

// ---- run ----------------------------------------------------------------------------------------

/** The shipped calibration set of the open model when it is a bundled sample (manifest `calibrationData`). */
export function sampleCalibrationSet(source: ModelSource | null, samples: readonly SampleEntry[]): { url: string; fileName: string } | undefined {
  if (source?.kind !== 'url') return undefined;
  const sample = samples.find((s) => s.file === source.fileName);
  if (!sample?.calibrationData) return undefined;
  return { url: new URL(`samples/${sample.calibrationData}`, document.baseURI).href, fileName: sample.calibrationData };
}

let variantCounter = 0;

/** What a variant is made of: an Apply result, or a model made elsewhere (auto-tune: a Blob and its recipe). */
export type VariantParts = Pick<OptimizeResult, 'recipe'> &
  Partial<Pick<OptimizeResult, 'reports' | 'calibration' | 'seconds' | 'compute'>> & { readonly bytes: ArrayBuffer | Blob; readonly note?: string };

/**
 * Adds a variant of `origin` to the list: a unique name from the recipe's, the file `<stem>.<name>.onnx`,
 * the recipe under that name. Apply and the Benchmark tab's auto-tune ("Add as variant") both use it.
 */
export function addVariant(origin: Variant['origin'], parts: VariantParts): Variant {
  const taken = get().optimize.variants.map((v) => v.name);
  const name = uniqueVariantName(parts.recipe.name, taken);
  // A File is a handle: the bytes leave the JS heap for the browser's blob store.
  const file = new File([parts.bytes], variantModelFileName(origin.fileName, name), { type: 'application/octet-stream' });
  const variant: Variant = {
    id: `v${++variantCounter}`,
    name,
    origin,
    file,
    recipe: { ...parts.recipe, name },
    reports: parts.reports ?? [],
    calibration: parts.calibration ?? [],
    seconds: parts.seconds ?? 0,
    ...(parts.compute ? { compute: parts.compute } : {}),
    ...(parts.note ? { note: parts.note } : {}),
  };
  patch({ variants: [...get().optimize.variants, variant] });
  return variant;
}

export async function applyOptimize(): Promise<void> {
  const { model, modelSource, samples, optimize } = get();
  if (!model || !modelSource || optimize.run) return;
  const passes = optimize.passes.list;
  const steps = stepsFromForm(optimize.form, passes);
  if (steps.length === 0) {
    patch({ error: { title: 'No transformation chosen', message: 'Tick at least one pass.', hint: '' } });
    return;
  }
  let calibration: DataSource | undefined;
  if (needsCalibration(optimize.form, passes)) {
    const chosen = calibrationSource(optimize.form.calibration, sampleCalibrationSet(modelSource, samples));
    if (!chosen.ok) {
      patch({ error: { title: 'Calibration data needed', message: chosen.message, hint: 'Int8 static quantization measures activation ranges on samples of real input.' } });
      return;
    }
    calibration = chosen.source;
  }
  const controller = new AbortController();
  patch({ run: { stage: 'Starting', done: 0, total: 0, controller, startedAt: performance.now() }, error: null });
  const origin = { source: modelSource, fileName: model.fileName, bytes: model.summary.fileBytes };
  try {
    const result = await optimizeWorker().request('optimize/run', { source: modelSource, steps, ...(calibration ? { calibration } : {}) }, {
      signal: controller.signal,
      onProgress: (stage, done, total) => {
        const run = get().optimize.run;
        if (run?.controller === controller) patch({ run: { ...run, stage, done, total } });
      },
    });
    addVariant(origin, result);
  } catch (e) {
    if (e instanceof WorkerRequestError && e.failure.kind === 'aborted') set({ notice: 'Optimization cancelled; the model is unchanged.' });
    else patch({ error: shownError(e, 'Could not optimize the model') });
  } finally {
    if (get().optimize.run?.controller === controller) patch({ run: null });
  }
}

export function cancelOptimize(): void {
  get().optimize.run?.controller.abort();
}

export function dismissOptimizeError(): void {
  patch({ error: null });
}

// ---- variants -----------------------------------------------------------------------------------

function variantById(id: string): Variant | undefined {
  return get().optimize.variants.find((v) => v.id === id);
}

function save(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** Saves `<stem>.<recipe>.onnx` and, beside it, `<stem>.<recipe>.recipe.json` (what `studio optimize --recipe` reads). */
export function downloadVariant(id: string): void {
  const v = variantById(id);
  if (!v) return;
  save(v.file, variantModelFileName(v.origin.fileName, v.name));
  save(new Blob([variantRecipeJson(v.recipe, v.name)], { type: 'application/json' }), variantRecipeFileName(v.origin.fileName, v.name));
}

/** Shows the variant itself in the graph view (the original can be brought back with "Back to original" or "Compare with original"). */
export async function openVariantInGraph(id: string): Promise<void> {
  const v = variantById(id);
  if (!v) return;
  await openModel({ kind: 'files', files: [v.file] });
  if (isShownModel(v)) showTab('graph');
}

/** Re-opens the model a variant was made from, unless it is the one shown. */
async function showOrigin(v: Variant): Promise<boolean> {
  if (get().modelSource !== v.origin.source) await openModel(v.origin.source);
  return get().modelSource === v.origin.source;
}

export async function backToOriginal(id: string): Promise<void> {
  const v = variantById(id);
  if (v) await showOrigin(v);
}

/** The Compare tab with the original as base and this variant as the other model. */
export async function compareVariant(id: string): Promise<void> {
  const v = variantById(id);
  if (!v || !(await showOrigin(v))) return;
  showTab('compare');
  await openCompare([v.file]);
}

export function deleteVariant(id: string): void {
  patch({ variants: get().optimize.variants.filter((v) => v.id !== id) });
}

/** Whether the model on screen is this variant (opened with "Open in graph"). */
export function isShownModel(v: Variant): boolean {
  const source = get().modelSource;
  return source?.kind === 'files' && source.files[0] === v.file;
}
