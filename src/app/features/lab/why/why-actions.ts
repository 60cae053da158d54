/**
 * Actions of the Benchmark tab's "Why" section (issue 6, "Seeing why"): profile a model, compare a
 * variant's activations with the original's, rank its quantized layers by sensitivity (bench worker,
 * progress, Cancel = worker restart), paint the results on the graph (graph-actions.ts
 * showNodeMetrics), and "Exclude and re-apply": the variant's recipe back into the Optimize form with
 * the N most sensitive nodes kept in float32 (the Inspector's "Keep in float32" list), applied with
 * the Optimize panel's own action, so the new variant lands in Variants and in the lab's model list.
 */
import { isAborted, jobControls, shownWorkerError } from '../../../jobs';
import { useStudio } from '../../../store';
import type { ShownError } from '../../../store';
import { benchWorker } from '../../../workers';
import type { DataSource, ModelSource } from '../../../../worker/protocol';
import type { PassOptionValue } from '../../../../core/transform/types';
import { openModel } from '../../../actions';
import { sameSource, showNodeMetrics } from '../../../graph-actions';
import { applyOptimize, cancelOptimize, loadPasses, sampleCalibrationSet, scheduleEstimate } from '../../../optimize-actions';
import { calibrationSource } from '../../optimize/recipe-form';
import type { Variant } from '../../optimize/optimize-state';
import { useLab } from '../lab-store';
import { accuracyDataSource, refreshSummary } from '../lab-actions';
import { benchSource, labCandidates, labOriginal, sampleInputRanges } from '../lab-models';
import type { LabCandidate } from '../lab-models';
import { useWhy } from './why-store';
import type { WhyJob, WhyJobKind, WhyState } from './why-store';
import { kernelTimeColumn, mergeNames, mostSensitive, quantizationStep, sqnrColumn } from './why-format';

const set = useWhy.setState;
const get = useWhy.getState;

/** Samples for the per-tensor error and for each one-layer variant of the sensitivity analysis. */
const ACTIVATION_SAMPLES = 32;
const SENSITIVITY_SAMPLES = 64;

const shownError = (e: unknown, title: string): ShownError =>
  shownWorkerError(e, title, { title: 'The bench worker stopped', hint: 'Your model is still open. A model this large may not fit in the browser’s WebAssembly memory.' });

const aborted = isAborted;

/** Clears the results when the original model changed since they were measured. */
export function syncWhyWithModel(): void {
  const source = labOriginal()?.source ?? null;
  const { forSource, job } = get();
  if (job || forSource === source) return;
  set({ forSource: source, profile: null, activations: null, sensitivity: null, error: null });
}

export function setWhy(update: Partial<Pick<WhyState, 'profileChoice' | 'errorChoice' | 'sensitivityChoice' | 'profileRuns' | 'keepFloat'>>): void {
  set(update);
}

export function dismissWhyError(): void {
  set({ error: null });
}

export function cancelWhy(): void {
  const job = get().job;
  // Re-applying runs in the optimize worker, under the Optimize panel's own Cancel.
  if (job?.kind === 'reapply') cancelOptimize();
  job?.controller.abort();
}

// ---- what each part offers ----------------------------------------------------------------------

/** The variants of the lab's original whose recipe has a quantization step (sensitivity varies that step). */
export function quantizedVariants(candidates: readonly LabCandidate[], variants: readonly Variant[]): Variant[] {
  const ids = new Set(candidates.filter((c) => !c.model.original).map((c) => c.model.id));
  return variants.filter((v) => ids.has(v.id) && quantizationStep(v.recipe) !== undefined);
}

function chosen<T extends { readonly id: string }>(choice: string, options: readonly T[]): T | undefined {
  return options.find((o) => o.id === choice) ?? options[0];
}

const candidateOptions = (): { id: string; c: LabCandidate }[] => labCandidates().map((c) => ({ id: c.model.id, c }));

// ---- jobs ---------------------------------------------------------------------------------------

const jobs = jobControls<WhyJobKind>(useWhy);
const progressFor = jobs.progressFor;
const endJob = jobs.end;

/** One job at a time across the lab (they share the bench worker). */
function startJob(kind: WhyJobKind): AbortController | null {
  if (get().job || useLab.getState().job) return null;
  syncWhyWithModel();
  return jobs.start(kind);
}

function fail(e: unknown, what: string, title: string): void {
  if (aborted(e)) useStudio.setState({ notice: `${what} cancelled.` });
  else set({ error: shownError(e, title) });
}

const worker = () => benchWorker(useLab.getState().settings.threads);

export async function runProfile(): Promise<void> {
  const target = chosen(get().profileChoice, candidateOptions())?.c;
  if (!target) return;
  const controller = startJob('profile');
  if (!controller) return;
  const { settings } = useLab.getState();
  const ranges = sampleInputRanges(labOriginal()?.source, useStudio.getState().samples);
  try {
    const result = await worker().request(
      'bench/profile',
      { model: benchSource(target), runs: get().profileRuns, warmup: Math.min(settings.warmup, 5), graphOptimizationLevel: settings.graphOptimizationLevel, shapes: settings.shapes, ...(ranges ? { ranges } : {}) },
      { signal: controller.signal, onProgress: progressFor(controller) },
    );
    const warmup = Math.min(settings.warmup, 5);
    const note = `${warmup} warm-up and ${result.summary.runs} profiled runs on random inputs (seed 1${ranges ? ', in the sample’s declared range' : ''}); the profiler adds a little per kernel, so compare latencies in the benchmark and read shares here`;
    set({ profile: { modelId: target.model.id, name: target.model.name, result, note } });
    void refreshSummary();
  } catch (e) {
    fail(e, 'Profiling', 'Could not profile the model');
  } finally {
    endJob(controller);
  }
}

/** The lab's accuracy data (the shipped test set, a file, a folder or random data), or an error shown. */
function labData(): ReturnType<typeof accuracyDataSource> {
  const data = accuracyDataSource(useLab.getState().data, labOriginal()?.source ?? null);
  if (!data.ok) set({ error: { title: 'Data needed', message: data.message, hint: 'Choose it under Accuracy data.' } });
  return data;
}

export async function compareActivations(): Promise<void> {
  const candidates = labCandidates();
  const reference = candidates[0];
  const target = chosen(get().errorChoice, candidates.slice(1).map((c) => ({ id: c.model.id, c })))?.c;
  if (!reference || !target) return;
  const data = labData();
  if (!data.ok) return;
  const controller = startJob('activations');
  if (!controller) return;
  try {
    const result = await worker().request(
      'bench/activations',
      { reference: benchSource(reference), candidate: benchSource(target), data: data.data, maxSamples: ACTIVATION_SAMPLES },
      { signal: controller.signal, onProgress: progressFor(controller) },
    );
    set({ activations: { modelId: target.model.id, name: target.model.name, result } });
    void refreshSummary();
  } catch (e) {
    fail(e, 'The activation comparison', 'Could not compare the activations');
  } finally {
    endJob(controller);
  }
}

/** The calibration data the user chose in Optimize (the page keeps it), for a pass that calibrates. */
function calibrationFor(v: Variant): { ok: true; source?: DataSource } | { ok: false } {
  const { optimize, samples } = useStudio.getState();
  const pass = optimize.passes.list.find((p) => p.id === quantizationStep(v.recipe)?.pass);
  if (pass && !pass.needsCalibration) return { ok: true };
  const chosenSource = calibrationSource(optimize.form.calibration, sampleCalibrationSet(v.origin.source, samples));
  if (!chosenSource.ok) {
    set({ error: { title: 'Calibration data needed', message: chosenSource.message, hint: 'Sensitivity calibrates like the variant did: choose the data in Optimize.' } });
    return { ok: false };
  }
  return { ok: true, source: chosenSource.source };
}

export async function runSensitivity(): Promise<void> {
  const candidates = labCandidates();
  const original = candidates[0];
  const variant = chosen(get().sensitivityChoice, quantizedVariants(candidates, useStudio.getState().optimize.variants));
  const step = variant ? quantizationStep(variant.recipe) : undefined;
  if (!original || !variant || !step) return;
  const data = labData();
  if (!data.ok) return;
  const calibration = calibrationFor(variant);
  if (!calibration.ok) return;
  const controller = startJob('sensitivity');
  if (!controller) return;
  try {
    const result = await worker().request(
      'bench/sensitivity',
      { model: benchSource(original), step, data: data.data, ...(calibration.source ? { calibration: calibration.source } : {}), maxSamples: SENSITIVITY_SAMPLES },
      { signal: controller.signal, onProgress: progressFor(controller) },
    );
    set({ sensitivity: { modelId: variant.id, name: variant.name, step, result } });
    void refreshSummary();
  } catch (e) {
    fail(e, 'Sensitivity analysis', 'Could not rank the layers');
  } finally {
    endJob(controller);
  }
}

/**
 * The analysed variant's recipe back in the Optimize form (passes, options), its N most sensitive
 * nodes added to "Keep in float32", then Apply on the original — the Optimize panel's own action, with
 * the calibration data chosen there.
 */
export async function excludeAndReapply(): Promise<void> {
  const s = get().sensitivity;
  const variant = s ? useStudio.getState().optimize.variants.find((v) => v.id === s.modelId) : undefined;
  if (!s || !variant) return;
  const nodes = mostSensitive(s.result.layers, get().keepFloat);
  if (nodes.length === 0) {
    set({ error: { title: 'Nothing to exclude', message: 'Keep at least one layer in float.', hint: '' } });
    return;
  }
  const controller = startJob('reapply');
  if (!controller) return;
  try {
    set({ job: { ...(get().job as WhyJob), stage: `Re-applying ${variant.recipe.name} with ${nodes.join(', ')} in float32` } });
    // Apply works on the model shown: the original, not a variant opened in the graph meanwhile.
    if (!sameSource(useStudio.getState().modelSource, variant.origin.source)) await openModel(variant.origin.source);
    if (!sameSource(useStudio.getState().modelSource, variant.origin.source)) throw new Error(`could not re-open ${variant.origin.fileName}`);
    await loadPasses();
    const before = useStudio.getState().optimize.variants.length;
    const { optimize } = useStudio.getState();
    const options: Record<string, Record<string, PassOptionValue>> = {};
    for (const step of variant.recipe.steps) options[step.pass] = { ...step.options };
    useStudio.setState({
      optimize: {
        ...optimize,
        form: { ...optimize.form, chosen: variant.recipe.steps.map((st) => st.pass), options, excludedNodes: mergeNames(optimize.form.excludedNodes, nodes) },
      },
    });
    scheduleEstimate();
    await applyOptimize();
    const after = useStudio.getState().optimize;
    if (after.variants.length > before) useStudio.setState({ notice: `New variant ${after.variants[after.variants.length - 1]?.name ?? ''}: ${variant.recipe.name} with ${nodes.join(', ')} kept in float32.` });
    else if (after.error) set({ error: after.error });
  } catch (e) {
    fail(e, 'Re-applying', 'Could not re-apply the recipe');
  } finally {
    endJob(controller);
  }
}

// ---- on the graph -------------------------------------------------------------------------------

function sourceOf(modelId: string): ModelSource | undefined {
  return labCandidates().find((c) => c.model.id === modelId)?.source;
}

/** The profiled model in the Graph tab, coloured by kernel time (fused and folded nodes in the "no kernel" colour). */
export async function showProfileOnGraph(): Promise<void> {
  const p = get().profile;
  const source = p ? sourceOf(p.modelId) : undefined;
  if (!p || !source) return;
  await showNodeMetrics({ source, columns: { kernelUs: kernelTimeColumn(p.result.attribution) } }, 'kernelUs', openModel);
}

/** The original in the Graph tab, coloured by the SQNR of each node's output in the variant (tensor pairs carry the original's node labels). */
export async function showErrorOnGraph(): Promise<void> {
  const a = get().activations;
  const source = labCandidates()[0]?.source;
  if (!a || !source) return;
  await showNodeMetrics({ source, columns: { sqnrDb: sqnrColumn(a.result.tensors) } }, 'sqnrDb', openModel);
}
