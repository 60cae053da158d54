/**
 * Structured channel pruning, the arithmetic: rank a group's channels by the norm of its producer
 * filters (Li et al. 2017 "Pruning Filters for Efficient ConvNets" use L1), choose which to remove,
 * and cut those entries out of every weight axis of the group — physically, so the tensors (and the
 * file) get smaller and dense kernels do less work.
 *
 * Cuts are collected per weight tensor and axis over all groups first, then applied once: a Conv is
 * often the consumer of one group (input channels, axis 1) and the producer of the next (axis 0).
 */
import type { onnx } from '../onnx/codec.js';
import { Long } from '../onnx/codec.js';
import { elementCount, tensorBytes, tensorDims } from '../onnx/tensor.js';
import type { ChannelGroup, ChannelSlice } from './channel-groups.js';
import { floatElementBytes, weightMagnitudes } from './weights.js';

export type Importance = 'l1' | 'l2';

/** Per channel: Σ over producers of ‖W_p[c]‖ (L1 or L2 of the whole filter). */
export function channelImportance(group: ChannelGroup, kind: Importance): Float64Array {
  const out = new Float64Array(group.channels);
  for (const s of group.slices) {
    if (s.axis !== 0 || s.slot !== 1 || !group.producers.includes(s.reader)) continue;
    const mags = weightMagnitudes(s.weight.tensor);
    if (!mags) continue;
    const per = mags.length / group.channels;
    const sq = new Float64Array(group.channels);
    for (let c = 0; c < group.channels; c++) {
      let acc = 0;
      for (let k = c * per; k < (c + 1) * per; k++) {
        const v = mags[k] as number;
        acc += kind === 'l1' ? v : v * v;
      }
      sq[c] = kind === 'l1' ? acc : Math.sqrt(acc);
    }
    for (let c = 0; c < group.channels; c++) out[c] = (out[c] as number) + (sq[c] as number);
  }
  return out;
}

export interface KeepRule {
  readonly ratio: number;
  readonly minChannels: number;
  readonly roundTo: number;
}

/** Channels kept out of C: C − round(C·ratio), never below minChannels, rounded up to a multiple of roundTo. */
export function keptChannels(channels: number, removeWanted: number, rule: KeepRule): number {
  let kept = channels - Math.max(0, Math.min(channels, removeWanted));
  kept = Math.max(kept, Math.min(channels, rule.minChannels));
  if (rule.roundTo > 1) kept = Math.min(channels, Math.ceil(kept / rule.roundTo) * rule.roundTo);
  return Math.max(1, kept);
}

/** The `count` least important channels (ties: lower index first), sorted ascending. */
export function leastImportant(importance: Float64Array, count: number): number[] {
  const idx = Array.from(importance.keys());
  idx.sort((a, b) => (importance[a] as number) - (importance[b] as number) || a - b);
  return idx.slice(0, count).sort((a, b) => a - b);
}

/** The cuts of one weight: the tensor itself, or a private copy for one reader (ChannelSlice.private). */
export interface WeightCuts {
  readonly slice: ChannelSlice;
  /** axis → indices to remove. */
  readonly axes: Map<number, Set<number>>;
}

/** Keyed by the tensor (unshared weights) or by "reader label#slot" (private copies). */
export type CutPlan = Map<onnx.ITensorProto | string, WeightCuts>;

export function addGroupCuts(plan: CutPlan, group: ChannelGroup, removed: readonly number[], readerKey: (s: ChannelSlice) => string): void {
  for (const s of group.slices) {
    const key = s.private ? readerKey(s) : s.weight.tensor;
    const entry = plan.get(key) ?? { slice: s, axes: new Map<number, Set<number>>() };
    plan.set(key, entry);
    const axes = entry.axes;
    const set = axes.get(s.axis) ?? new Set<number>();
    axes.set(s.axis, set);
    for (const c of removed) for (let k = 0; k < s.block; k++) set.add((s.offset + c) * s.block + k);
  }
}

const product = (dims: readonly number[]): number => elementCount(dims);

/** Bytes of the tensor now and after the cuts (float weights only: the analysis guarantees that). */
export function cutBytes(tensor: onnx.ITensorProto, axes: ReadonlyMap<number, ReadonlySet<number>>): { readonly before: number; readonly after: number } {
  const size = floatElementBytes(tensor.dataType ?? 0) ?? 4;
  const dims = tensorDims(tensor);
  const after = dims.map((d, a) => d - (axes.get(a)?.size ?? 0));
  return { before: product(dims) * size, after: product(after) * size };
}

/**
 * Rewrites `tensor` (of the pass's copy) without the cut entries: one axis at a time, each a strided
 * copy of the kept slabs. Writes raw_data (new bytes; the input model's buffer is never written).
 */
export function applyCuts(tensor: onnx.ITensorProto, axes: ReadonlyMap<number, ReadonlySet<number>>): void {
  const size = floatElementBytes(tensor.dataType ?? 0);
  const src = tensorBytes(tensor);
  if (size === undefined || !src) throw new Error('applyCuts: not a float tensor with data');
  let dims = tensorDims(tensor);
  let bytes = src.slice(0, product(dims) * size);
  for (const [axis, cut] of [...axes.entries()].sort((a, b) => a[0] - b[0])) {
    if (cut.size === 0) continue;
    const n = dims[axis] as number;
    const outer = product(dims.slice(0, axis));
    const inner = product(dims.slice(axis + 1)) * size;
    const keep: number[] = [];
    for (let i = 0; i < n; i++) if (!cut.has(i)) keep.push(i);
    const out = new Uint8Array(outer * keep.length * inner);
    let w = 0;
    for (let o = 0; o < outer; o++) {
      for (const k of keep) {
        const start = (o * n + k) * inner;
        out.set(bytes.subarray(start, start + inner), w);
        w += inner;
      }
    }
    bytes = out;
    dims = dims.map((d, a) => (a === axis ? keep.length : d));
  }
  tensor.dims = dims.map((d) => Long.fromNumber(d));
  tensor.rawData = bytes;
  // raw_data and the typed fields are exclusive (onnx.proto): drop whichever held the data before.
  tensor.floatData = [];
  tensor.doubleData = [];
  tensor.int32Data = [];
}
