/**
 * "Side by side" actions: choose the two models, fetch their graph diff (the model worker's 'graph/diff',
 * which the Compare tab uses too) and open the pair in the Compare tab.
 *
 * The diff needs both models held by the model worker: the one on screen is reused; any other is
 * opened for the request and closed after it, so the worker keeps only what the user opened.
 */
import { useStudio } from '../../../store';
import { modelWorker } from '../../../workers';
import { describeFailure, WorkerRequestError } from '../../../../worker/client';
import type { ModelSource } from '../../../../worker/protocol';
import { openModel } from '../../../actions';
import { openCompare, showTab } from '../../../graph-actions';
import { ORIGINAL_ID } from '../lab-models';
import type { LabCandidate } from '../lab-models';
import { useSides } from './side-store';

const set = useSides.setState;
const get = useSides.getState;

/** The pair shown: the choices when they still exist, else the original and the newest variant. */
export function resolveSides(candidates: readonly LabCandidate[], left: string | null, right: string | null): { left?: LabCandidate; right?: LabCandidate } {
  const byId = (id: string | null): LabCandidate | undefined => (id === null ? undefined : candidates.find((c) => c.model.id === id));
  const l = byId(left) ?? byId(ORIGINAL_ID) ?? candidates[0];
  const r = byId(right) ?? candidates[candidates.length - 1];
  return { ...(l ? { left: l } : {}), ...(r ? { right: r } : {}) };
}

export function chooseSide(side: 'left' | 'right', id: string): void {
  set(side === 'left' ? { left: id } : { right: id });
}

/** Two sources name the same model: the same URL, or the same first File handle. */
export function sameSource(a: ModelSource | null | undefined, b: ModelSource | null | undefined): boolean {
  if (!a || !b) return false;
  if (a.kind === 'url' && b.kind === 'url') return a.url === b.url;
  if (a.kind === 'files' && b.kind === 'files') return a.files[0] !== undefined && a.files[0] === b.files[0];
  return false;
}

/** Identifies a pair of models for the diff (file handles have no ids: their names, sizes and times). */
export function pairKey(left: LabCandidate, right: LabCandidate): string {
  const key = (c: LabCandidate): string => {
    const s = c.source;
    const f = s.kind === 'files' ? s.files[0] : undefined;
    return s.kind === 'url' ? s.url : `${c.model.id}:${f?.name ?? ''}:${f?.size ?? 0}:${f?.lastModified ?? 0}`;
  };
  return `${key(left)}|${key(right)}`;
}

/** The model worker's id for a candidate: the model on screen, or a temporary one (closed by the caller). */
async function heldId(c: LabCandidate, opened: string[]): Promise<string> {
  const { model, modelSource } = useStudio.getState();
  if (model && sameSource(modelSource, c.source)) return model.modelId;
  const handle = await modelWorker().request('model/open', { source: c.source });
  opened.push(handle.modelId);
  return handle.modelId;
}

/** Fetches the graph diff of the pair unless it is already there or on its way. */
export async function loadSideDiff(left: LabCandidate, right: LabCandidate): Promise<void> {
  const key = pairKey(left, right);
  const current = get().diff;
  if (current.status !== 'idle' && current.key === key) return;
  set({ diff: { status: 'loading', key } });
  const opened: string[] = [];
  try {
    const baseId = await heldId(left, opened);
    const otherId = await heldId(right, opened);
    const diff = await modelWorker().request('graph/diff', { baseId, otherId });
    if (get().diff.status === 'loading' && (get().diff as { key: string }).key === key) set({ diff: { status: 'ready', key, diff } });
  } catch (e) {
    const message = e instanceof WorkerRequestError ? describeFailure(e.failure) : e instanceof Error ? e.message : String(e);
    if ((get().diff as { key?: string }).key === key) set({ diff: { status: 'error', key, message } });
  } finally {
    for (const id of opened) void modelWorker().request('model/close', { modelId: id }).catch(() => undefined);
  }
}

/** A File for a candidate (the Compare tab opens files): a URL of our origin is fetched into one. */
async function fileOf(c: LabCandidate): Promise<File[]> {
  if (c.source.kind === 'files') return [...c.source.files];
  const res = await fetch(c.source.url);
  if (!res.ok) throw new Error(`Could not load ${c.source.fileName}: HTTP ${res.status}`);
  return [new File([await res.blob()], c.source.fileName)];
}

/** The Compare tab with the left model as the base and the right one as the other. */
export async function openSidesInCompare(left: LabCandidate, right: LabCandidate): Promise<void> {
  if (!sameSource(useStudio.getState().modelSource, left.source)) {
    // The original keeps its source object, so the lab's results stay; a variant opens from its File.
    await openModel(left.source);
    if (!sameSource(useStudio.getState().modelSource, left.source)) return;
  }
  showTab('compare');
  try {
    await openCompare(await fileOf(right));
  } catch (e) {
    useStudio.setState({ notice: e instanceof Error ? e.message : String(e) });
  }
}
