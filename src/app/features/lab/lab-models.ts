/**
 * Which models the Benchmark tab measures: the original (the open model — or, when a variant is shown
 * with "Open in graph", the model it was made from) and the variants made from it in Optimize. Also
 * what the sample manifest says about a shipped sample: its labelled test set and its input range.
 */
import { useMemo } from 'react';
import { useStudio } from '../../store';
import type { StudioState, SampleEntry } from '../../store';
import type { Variant } from '../optimize/optimize-state';
import type { BenchModelSource, ModelSource } from '../../../worker/protocol';
import type { LabModel } from '../../../core/report/lab-report';

export const ORIGINAL_ID = 'original';

export interface LabCandidate {
  readonly model: LabModel;
  readonly source: ModelSource;
}

/** The parts of the studio's state the lab's model list depends on. */
export interface LabInputs {
  readonly model: StudioState['model'];
  readonly modelSource: StudioState['modelSource'];
  readonly variants: readonly Variant[];
}

export function labInputs(s: StudioState = useStudio.getState()): LabInputs {
  return { model: s.model, modelSource: s.modelSource, variants: s.optimize.variants };
}

export interface LabOriginal {
  readonly source: ModelSource;
  readonly fileName: string;
  readonly bytes: number;
}

/** The original of the lab, or null when no model is open. */
export function labOriginal(s: LabInputs = labInputs()): LabOriginal | null {
  const { model, modelSource, variants } = s;
  if (!model || !modelSource) return null;
  const shown = modelSource.kind === 'files' ? modelSource.files[0] : undefined;
  const variant = shown ? variants.find((v) => v.file === shown) : undefined;
  if (variant) return { source: variant.origin.source, fileName: variant.origin.fileName, bytes: variant.origin.bytes };
  return { source: modelSource, fileName: model.fileName, bytes: model.summary.fileBytes };
}

/** Original first, then its variants in the order they were made. */
export function labCandidates(s: LabInputs = labInputs()): LabCandidate[] {
  const original = labOriginal(s);
  if (!original) return [];
  const out: LabCandidate[] = [{ model: { id: ORIGINAL_ID, name: 'Original', fileName: original.fileName, bytes: original.bytes, original: true }, source: original.source }];
  for (const v of s.variants) {
    if (v.origin.source !== original.source) continue;
    out.push({ model: { id: v.id, name: v.name, fileName: v.file.name, bytes: v.file.size, original: false }, source: { kind: 'files', files: [v.file] } });
  }
  return out;
}

export const benchSource = (c: LabCandidate): BenchModelSource => ({ id: c.model.id, source: c.source });

/** Manifest fields the studio's SampleEntry type does not declare (public/samples/manifest.json). */
interface SampleManifestExtras {
  readonly testData?: string;
  readonly input?: { readonly name?: string; readonly range?: readonly [number, number] };
}

function sampleOf(source: ModelSource | null | undefined, samples: readonly SampleEntry[]): (SampleEntry & SampleManifestExtras) | undefined {
  if (source?.kind !== 'url') return undefined;
  return samples.find((s) => s.file === source.fileName);
}

/** The shipped labelled test set of a sample model (manifest `testData`), by URL of our origin. */
export function sampleTestSet(source: ModelSource | null | undefined, samples: readonly SampleEntry[]): { url: string; fileName: string } | undefined {
  const sample = sampleOf(source, samples);
  if (!sample?.testData) return undefined;
  return { url: new URL(`samples/${sample.testData}`, document.baseURI).href, fileName: sample.testData };
}

/** Declared value range of a sample's input (random benchmark inputs are drawn in it). */
export function sampleInputRanges(source: ModelSource | null | undefined, samples: readonly SampleEntry[]): Record<string, readonly [number, number]> | undefined {
  const input = sampleOf(source, samples)?.input;
  if (!input?.name || !input.range) return undefined;
  return { [input.name]: input.range };
}

/** The lab's models, recomputed only when the open model or the variants change. */
export function useLabCandidates(): LabCandidate[] {
  const model = useStudio((s) => s.model);
  const modelSource = useStudio((s) => s.modelSource);
  const variants = useStudio((s) => s.optimize.variants);
  return useMemo(() => labCandidates({ model, modelSource, variants }), [model, modelSource, variants]);
}

/** Names of the symbolic dims of the model's inputs ("batch"), in order of appearance. */
export function useSymbolicDims(): string[] {
  const model = useStudio((s) => s.model);
  return useMemo(() => symbolicDims(model), [model]);
}

function symbolicDims(model: StudioState['model']): string[] {
  const out: string[] = [];
  for (const input of model?.summary.inputs ?? []) {
    for (const d of input.shape ?? []) if (typeof d === 'string' && d !== '' && !out.includes(d)) out.push(d);
  }
  return out;
}
