/**
 * Actions of the Benchmark tab: run the benchmark (bench worker, interleaved, progress, Cancel), measure
 * accuracy (automatically after a benchmark when data is chosen), fetch the summary (rows, Pareto front,
 * exports) the worker derives from the results, select a model, export. Components call these.
 */
import { useWhy } from './why/why-store';
import { useTune } from './tune/tune-store';
import { isAborted, jobControls, shownWorkerError } from '../../jobs';
import { useStudio } from '../../store';
import type { ShownError } from '../../store';
import { benchWorker } from '../../workers';
import type { BenchDataSource, ModelSource } from '../../../worker/protocol';
import type { LabModel, LabResults } from '../../../core/report/lab-report';
import { useLab } from './lab-store';
import type { LabDataChoice, LabJob, LabSettings, LabState } from './lab-store';
import { benchSource, labCandidates, labOriginal, sampleInputRanges, sampleTestSet } from './lab-models';
import type { LabCandidate } from './lab-models';
import { chartPng, chartSvg } from './chart-export';

const set = useLab.setState;
const get = useLab.getState;

const shownError = (e: unknown, title: string): ShownError =>
  shownWorkerError(e, title, { title: 'The bench worker stopped', hint: 'Your model is still open. A model this large may not fit in the browser’s WebAssembly memory; try fewer models at once.' });

const aborted = isAborted;

/** Clears the results when the original model changed since they were measured. */
export function syncLabWithModel(): void {
  const original = labOriginal();
  const { forSource, job } = get();
  if (job || forSource === (original?.source ?? null)) return;
  set({ forSource: original?.source ?? null, models: [], bench: null, accuracy: null, summary: null, selected: null, error: null, settings: { ...get().settings, shapes: {} } });
}

export function setLabSettings(update: Partial<LabSettings>): void {
  set({ settings: { ...get().settings, ...update } });
}

export function setModelChecked(id: string, checked: boolean): void {
  const unchecked = get().unchecked.filter((u) => u !== id);
  set({ unchecked: checked ? unchecked : [...unchecked, id] });
}

export function setLabData(data: LabDataChoice): void {
  set({ data });
}

export function setXAxis(xAxis: LabState['xAxis']): void {
  set({ xAxis });
}

export function selectLabModel(id: string | null): void {
  set({ selected: get().selected === id ? null : id });
}

export function dismissLabError(): void {
  set({ error: null });
}

export function cancelLab(): void {
  get().job?.controller.abort();
}

function chosenCandidates(): LabCandidate[] {
  const unchecked = new Set(get().unchecked);
  return labCandidates().filter((c) => !unchecked.has(c.model.id));
}

/** The accuracy data as the bench worker takes it, or a message saying what is missing. */
export function accuracyDataSource(choice: LabDataChoice, source: ModelSource | null): { ok: true; data: BenchDataSource } | { ok: false; message: string } {
  const shipped = sampleTestSet(source, useStudio.getState().samples);
  switch (choice.kind) {
    case 'sample':
      // A user's model has no shipped set: random data (the panel shows the warning).
      return shipped ? { ok: true, data: { kind: 'sample-test-set', ...shipped } } : { ok: true, data: { kind: 'random', samples: 32, seed: 1 } };
    case 'random':
      return { ok: true, data: { kind: 'random', samples: choice.samples, seed: choice.seed } };
    case 'files':
      return choice.files.length > 0 ? { ok: true, data: { kind: 'files', files: choice.files } } : { ok: false, message: 'Pick a data file (.npz, .npy or .json with labels y) first.' };
    case 'folder':
      return choice.files.length > 0 ? { ok: true, data: { kind: 'files', files: choice.files, preprocessing: choice.preprocessing } } : { ok: false, message: 'Pick an image folder (one subfolder per class) first.' };
  }
}

const jobs = jobControls<LabJob['kind']>(useLab);
const startJob = (kind: LabJob['kind']): AbortController => jobs.start(kind);
const progressFor = jobs.progressFor;
const endJob = jobs.end;

function mergeModels(models: readonly LabModel[]): LabModel[] {
  const byId = new Map(get().models.map((m) => [m.id, m]));
  for (const m of models) byId.set(m.id, m);
  return [...byId.values()];
}

/** Asks the bench worker for rows, Pareto front and exports of what has been measured. */
export async function refreshSummary(): Promise<void> {
  const { bench, accuracy, models, settings } = get();
  const original = labOriginal();
  const why = useWhy.getState();
  const tuned = useTune.getState().outcome?.report;
  const profile = why.profile ? { model: why.profile.name, summary: why.profile.result.summary, counts: why.profile.result.attribution.counts } : undefined;
  const sensitivity = why.sensitivity ? { model: why.sensitivity.name, ...why.sensitivity.result } : undefined;
  const activations = why.activations ? { model: why.activations.name, ...why.activations.result } : undefined;
  if (!original || (!bench && !accuracy && !profile && !activations && !sensitivity && !tuned)) {
    set({ summary: null });
    return;
  }
  // Only the models of the latest runs, in the order of the candidate list.
  const measured = new Set([...(bench?.models.map((m) => m.id) ?? []), ...(accuracy ? [accuracy.referenceId, ...accuracy.candidates.map((c) => c.id)] : [])]);
  const results: LabResults = {
    model: original.fileName,
    createdAt: new Date().toISOString(),
    models: models.filter((m) => measured.has(m.id)),
    ...(bench ? { bench } : {}),
    ...(accuracy ? { accuracy } : {}),
    ...(profile ? { profile } : {}),
    ...(activations ? { activations } : {}),
    ...(sensitivity ? { sensitivity } : {}),
    ...(tuned ? { tune: tuned } : {}),
  };
  try {
    const summary = await benchWorker(settings.threads).request('bench/report', { results });
    set({ summary });
  } catch (e) {
    if (!aborted(e)) set({ error: shownError(e, 'Could not summarise the results') });
  }
}

export async function runBenchmark(): Promise<void> {
  if (get().job) return;
  syncLabWithModel();
  const candidates = chosenCandidates();
  if (candidates.length === 0) {
    set({ error: { title: 'No model chosen', message: 'Tick at least one model to benchmark.', hint: '' } });
    return;
  }
  const { settings } = get();
  const studio = useStudio.getState();
  const original = labOriginal();
  const ranges = sampleInputRanges(original?.source, studio.samples);
  const controller = startJob('bench');
  try {
    const report = await benchWorker(settings.threads).request(
      'bench/run',
      {
        models: candidates.map(benchSource),
        settings: {
          threads: settings.threads,
          graphOptimizationLevel: settings.graphOptimizationLevel,
          warmup: settings.warmup,
          runs: settings.runs,
          ...(settings.budgetS > 0 ? { budgetMs: settings.budgetS * 1000 } : {}),
          shapes: settings.shapes,
          ...(ranges ? { ranges } : {}),
        },
      },
      { signal: controller.signal, onProgress: progressFor(controller) },
    );
    set({ bench: report, models: mergeModels(candidates.map((c) => c.model)), selected: null });
    // A new benchmark replaces an accuracy run made on other models.
    const acc = get().accuracy;
    const ids = candidates.map((c) => c.model.id).sort().join('\n');
    if (acc && [acc.referenceId, ...acc.candidates.map((c) => c.id)].sort().join('\n') !== ids) set({ accuracy: null });
    await refreshSummary();
  } catch (e) {
    if (aborted(e)) useStudio.setState({ notice: 'Benchmark cancelled.' });
    else set({ error: shownError(e, 'Could not run the benchmark') });
    endJob(controller);
    return;
  }
  endJob(controller);
  // Accuracy follows when data is chosen (the shipped test set, a file, a folder, or random data).
  if (accuracyDataSource(get().data, original?.source ?? null).ok) await measureAccuracy();
}

export async function measureAccuracy(): Promise<void> {
  if (get().job) return;
  syncLabWithModel();
  const candidates = chosenCandidates();
  const reference = candidates.find((c) => c.model.original) ?? labCandidates()[0];
  if (!reference) return;
  const data = accuracyDataSource(get().data, reference.source);
  if (!data.ok) {
    set({ error: { title: 'Accuracy data needed', message: data.message, hint: 'Accuracy compares every variant with the original on the same samples.' } });
    return;
  }
  const others = candidates.filter((c) => c !== reference);
  const { settings } = get();
  const controller = startJob('accuracy');
  try {
    const accuracy = await benchWorker(settings.threads).request(
      'bench/accuracy',
      { reference: benchSource(reference), candidates: others.map(benchSource), data: data.data, graphOptimizationLevel: settings.graphOptimizationLevel },
      { signal: controller.signal, onProgress: progressFor(controller) },
    );
    set({ accuracy, models: mergeModels([reference.model, ...others.map((c) => c.model)]) });
    await refreshSummary();
  } catch (e) {
    if (aborted(e)) useStudio.setState({ notice: 'Accuracy measurement cancelled.' });
    else set({ error: shownError(e, 'Could not measure accuracy') });
  } finally {
    endJob(controller);
  }
}

// ---- export -------------------------------------------------------------------------------------

function save(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function stem(): string {
  const original = labOriginal();
  return (original?.fileName ?? 'model').replace(/\.onnx$/i, '');
}

export function exportReport(kind: 'markdown' | 'json' | 'csv'): void {
  const summary = get().summary;
  if (!summary) return;
  if (kind === 'markdown') save(new Blob([summary.markdown], { type: 'text/markdown' }), `${stem()}.benchmark.md`);
  if (kind === 'json') save(new Blob([summary.json], { type: 'application/json' }), `${stem()}.benchmark.json`);
  if (kind === 'csv') save(new Blob([summary.csv], { type: 'text/csv' }), `${stem()}.runs.csv`);
}

/** The Accuracy vs latency chart as a standalone SVG file. */
export function exportChart(figure: HTMLElement | null): void {
  const svg = figure ? chartSvg(figure) : null;
  if (!svg) return;
  save(new Blob([svg], { type: 'image/svg+xml' }), `${stem()}.accuracy-vs-latency.svg`);
}

/** The same chart as a PNG (chart-export.ts draws the SVG on a canvas at twice its size). */
export async function exportChartPng(figure: HTMLElement | null): Promise<void> {
  const png = figure ? await chartPng(figure) : null;
  if (png) save(png, `${stem()}.accuracy-vs-latency.png`);
}
