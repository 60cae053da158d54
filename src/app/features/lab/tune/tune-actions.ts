/**
 * Auto-tune actions (issue 6, "Decide"): run the search in the bench worker (progress, Cancel = worker
 * restart), and "Add as variant": the chosen candidate's model (sent back by the worker) — or any other
 * measured candidate's recipe, applied again in the optimize worker with the same calibration data —
 * becomes a Variant through the optimize slice's addVariant, so it can be downloaded, benchmarked,
 * opened in the graph and compared like an Apply result.
 *
 * The search and the lab's benchmark share the bench worker and the machine: one at a time (a second
 * job would skew both measurements, and either Cancel restarts the worker).
 */
import { isAborted, jobControls, shownWorkerError } from '../../../jobs';
import { useStudio } from '../../../store';
import type { ShownError } from '../../../store';
import { benchWorker, optimizeWorker } from '../../../workers';
import type { BenchDataSource, DataSource, ModelSource } from '../../../../worker/protocol';
import { addVariant, sampleCalibrationSet } from '../../../optimize-actions';
import { calibrationSource } from '../../optimize/recipe-form';
import { variantModelFileName } from '../../optimize/variant-files';
import { useLab } from '../lab-store';
import type { LabDataChoice } from '../lab-store';
import { accuracyDataSource, refreshSummary } from '../lab-actions';
import { labOriginal, sampleTestSet } from '../lab-models';
import { useTune } from './tune-store';
import type { TuneCandidate, TuneForm, TuneJob, TuneOutcome, TuneReport } from './tune-store';

const set = useTune.setState;
const get = useTune.getState;

/** Evaluation samples per candidate at most: all of a sample's test set (360), a bound for big data. */
const MAX_SAMPLES = 500;

const shownError = (e: unknown, title: string): ShownError =>
  shownWorkerError(e, title, { title: 'A worker stopped', hint: 'Your model is still open. A model this large may not fit in the browser’s WebAssembly memory; try Quick search.' });

const aborted = isAborted;

/** Whether the lab's data choice brings labels (the shipped test set, a data file, an image folder) — what the budget is on. */
export function dataHasLabels(choice: LabDataChoice, source: ModelSource | null | undefined): boolean {
  if (choice.kind === 'random') return false;
  if (choice.kind === 'sample') return sampleTestSet(source, useStudio.getState().samples) !== undefined;
  return true;
}

/** The engine's metric, in words. */
export function metricLabel(metric: TuneReport['metric']): string {
  return metric === 'accuracy' ? 'top-1 accuracy' : metric === 'top1-agreement' ? 'top-1 agreement with the original' : 'cosine similarity to the original';
}

/** Clears the result when the original changed since it was measured. */
export function syncTuneWithModel(): void {
  const source = labOriginal()?.source ?? null;
  const { forSource, job } = get();
  if (job || forSource === source) return;
  set({ forSource: source, outcome: null, added: {}, error: null });
}

export function setTuneForm(update: Partial<TuneForm>): void {
  set({ form: { ...get().form, ...update } });
}

export function dismissTuneError(): void {
  set({ error: null });
}

export function cancelTune(): void {
  get().job?.controller.abort();
}

const jobs = jobControls<TuneJob['kind']>(useTune);
const startJob = (kind: TuneJob['kind'], stage: string): AbortController => jobs.start(kind, stage);
const progressFor = jobs.progressFor;
const endJob = jobs.end;

/** What calibrates: the sample's shipped set; else the Optimize panel's files or folder; else the worker splits the data. */
function calibrationFor(source: ModelSource): DataSource | undefined {
  const studio = useStudio.getState();
  const shipped = sampleCalibrationSet(source, studio.samples);
  if (shipped) return { kind: 'url', ...shipped };
  const choice = studio.optimize.form.calibration;
  if (choice.kind !== 'files' && choice.kind !== 'folder') return undefined;
  const chosen = calibrationSource(choice, undefined);
  return chosen.ok ? chosen.source : undefined;
}

/** The lab's data as an optimize-worker DataSource (the shipped test set is a URL of our origin). */
function asDataSource(data: BenchDataSource): DataSource {
  return data.kind === 'sample-test-set' ? { kind: 'url', url: data.url, fileName: data.fileName } : data;
}

export async function runTune(): Promise<void> {
  if (get().job || useLab.getState().job) return;
  syncTuneWithModel();
  const original = labOriginal();
  if (!original) return;
  const lab = useLab.getState();
  const data = accuracyDataSource(lab.data, original.source);
  if (!data.ok) {
    set({ error: { title: 'Data needed', message: data.message, hint: 'Auto-tune measures every recipe’s accuracy on the Accuracy data chosen above.' } });
    return;
  }
  const { form } = get();
  const labelled = dataHasLabels(lab.data, original.source);
  const maxDrop = labelled ? form.maxDropPoints / 100 : 1 - form.minCosine;
  if (!Number.isFinite(maxDrop) || maxDrop < 0) {
    set({ error: { title: 'The budget is out of range', message: labelled ? 'The accuracy drop is in points, 0 or more (1 = one point of top-1).' : 'The minimum cosine is at most 1 (e.g. 0.999).', hint: '' } });
    return;
  }
  const calibration = calibrationFor(original.source);
  const { settings } = lab;
  const budgetMs = settings.budgetS > 0 ? settings.budgetS * 1000 : undefined;
  const controller = startJob('tune', 'Starting');
  try {
    const result = await benchWorker(settings.threads).request(
      'bench/tune',
      {
        model: { id: 'original', source: original.source },
        data: data.data,
        ...(calibration ? { calibration } : {}),
        maxDrop,
        quick: form.quick,
        runs: settings.runs,
        ...(budgetMs !== undefined ? { budgetMs } : {}),
        maxSamples: MAX_SAMPLES,
      },
      { signal: controller.signal, onProgress: progressFor(controller) },
    );
    const bestFile = result.best ? new File([result.best.bytes], variantModelFileName(original.fileName, result.best.recipe.name), { type: 'application/octet-stream' }) : undefined;
    const outcome: TuneOutcome = {
      report: result.report,
      calibration: result.calibration,
      recipes: result.recipes,
      ...(bestFile ? { bestFile } : {}),
      ...(calibration ? { calibrationSource: calibration } : {}),
      ...(data.data.kind !== 'random' ? { dataSource: asDataSource(data.data) } : {}),
      conditions: { threads: settings.threads, runs: settings.runs, ...(budgetMs !== undefined ? { budgetMs } : {}), labelled },
    };
    set({ outcome, added: {}, forSource: original.source });
    void refreshSummary();
  } catch (e) {
    if (aborted(e)) useStudio.setState({ notice: 'Auto-tune cancelled.' });
    else set({ error: shownError(e, 'Could not auto-tune') });
  } finally {
    endJob(controller);
  }
}

function pointsText(c: TuneCandidate, report: TuneReport): string {
  if (c.drop === undefined || !Number.isFinite(c.drop)) return '';
  if (report.metric === 'cosine') return `cosine ${(1 - c.drop).toFixed(6)}`;
  // A drop is a loss: shown as the change of the metric, in points (−0.28 = 0.28 points worse).
  const change = -c.drop * 100;
  return `${change > 0 ? '+' : change < 0 ? '−' : '±'}${Math.abs(change).toFixed(2)} points of ${metricLabel(report.metric)}`;
}

/** A candidate of the last run becomes a variant of the original (see the file comment). */
export async function addTunedVariant(name: string): Promise<void> {
  const outcome = get().outcome;
  const original = labOriginal();
  if (!outcome || !original || get().job || get().added[name] !== undefined) return;
  const candidate = outcome.report.candidates.find((c) => c.name === name);
  const recipe = outcome.recipes[name];
  if (!candidate || !recipe) return;
  const measured = `${candidate.speedup?.toFixed(2) ?? '—'}× the original’s speed, ${pointsText(candidate, outcome.report)} on ${outcome.report.samples} samples of ${outcome.report.source}`;
  if (name === outcome.report.best && outcome.bestFile) {
    const variant = addVariant(original, {
      bytes: outcome.bestFile,
      recipe,
      note: `Chosen by auto-tune (${measured}; budget ${budgetText(outcome.report)}). Made in the bench worker, so there are no per-node reports: apply the same recipe in Optimize to see them.`,
    });
    set({ added: { ...get().added, [name]: variant.id } });
    return;
  }
  // Another candidate: its model was not kept, so its recipe runs again in the optimize worker with the
  // calibration data the search used (the same data → the same model: calibration is deterministic).
  const needsCalibration = recipe.steps.some((s) => s.pass === 'int8-static');
  const calibration = outcome.calibrationSource ?? (needsCalibration ? outcome.dataSource : undefined);
  if (needsCalibration && !calibration) {
    set({ error: { title: 'Calibration data needed', message: 'This recipe calibrates, and the search calibrated on random data.', hint: 'Choose calibration data in the Optimize panel and apply the recipe there.' } });
    return;
  }
  const controller = startJob('variant', `Applying ${name}`);
  try {
    const result = await optimizeWorker().request('optimize/run', { source: original.source, steps: recipe.steps, ...(calibration ? { calibration } : {}) }, { signal: controller.signal, onProgress: progressFor(controller) });
    const split = needsCalibration && !outcome.calibrationSource;
    const variant = addVariant(original, {
      ...result,
      recipe: { ...result.recipe, name: recipe.name },
      note: `From auto-tune (${measured}).${split ? ` The search calibrated on ${outcome.calibration.source}; this variant is calibrated on all of it, so its accuracy may differ slightly.` : ''}`,
    });
    set({ added: { ...get().added, [name]: variant.id } });
  } catch (e) {
    if (aborted(e)) useStudio.setState({ notice: 'Cancelled; no variant was added.' });
    else set({ error: shownError(e, `Could not make ${name}`) });
  } finally {
    endJob(controller);
  }
}

/** "1 point of top-1 accuracy", "cosine ≥ 0.999". */
export function budgetText(report: TuneReport): string {
  const d = report.budget.maxDrop;
  if (report.metric === 'cosine') return `cosine ≥ ${(1 - d).toPrecision(4)}`;
  const points = d * 100;
  return `at most ${Number(points.toFixed(3))} point${points === 1 ? '' : 's'} of ${metricLabel(report.metric)} below the original’s`;
}
