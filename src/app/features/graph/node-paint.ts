/**
 * Per-node fill colours for one (view, overlay) pair, computed once when either changes — never per
 * frame. Nodes point into a small palette (Uint16Array of palette indices) so the renderer can fill
 * all nodes of one colour with a single path.
 *
 * The overlay mechanism takes any per-node number: every key of ViewGraph.metrics is an overlay,
 * painted on a log scale unless METRICS says otherwise (weight sparsity and channels removed are
 * linear), so later features (latency, quantization error, sensitivity) only add a metrics column
 * (kernel time and SQNR arrive from the Benchmark tab through graph-actions.ts showNodeMetrics).
 */
import type { ViewGraph } from '../../../core/graph-view/types';
import { NodeKind } from './graph-kinds';
import {
  INPUT_FILL,
  NAN_FILL,
  NEUTRAL_FILL,
  OP_FAMILIES,
  OUTPUT_FILL,
  SCALE_STEPS,
  SCALE_STOPS,
  ZERO_FILL,
  bucketColour,
  linearBucket,
  logBucket,
  logScaleOf,
  opFamily,
  textColourOn,
} from './color-scale';

export interface OpLegendEntry {
  readonly label: string;
  readonly fill: string;
  /** Nodes of this family in the view. */
  readonly count: number;
  /** Op types of the family present in the view, most frequent first. */
  readonly ops: readonly string[];
}

export type Legend =
  | { readonly kind: 'op'; readonly entries: readonly OpLegendEntry[] }
  | {
      readonly kind: 'scale';
      readonly metric: string;
      readonly label: string;
      /** 'log' for numbers spanning decades (params, MACs), 'linear' for bounded ones (sparsity, channels). */
      readonly scale: 'log' | 'linear';
      /** How min/max read: 'percent' (a fraction shown as 0–100 %) or plain numbers. */
      readonly unit: 'percent' | 'number';
      /** What the colour means, in words, when the label alone does not say it. */
      readonly description?: string;
      /** What the zero colour and "no value" mean for this metric. */
      readonly zeroLabel: string;
      readonly missingLabel: string;
      readonly min: number;
      readonly max: number;
      readonly stops: readonly string[];
      readonly zeroFill: string | null;
      readonly missingFill: string | null;
      /** Op nodes with a positive value / zero / no value. */
      readonly counts: { readonly positive: number; readonly zero: number; readonly missing: number };
    }
  | { readonly kind: 'none' };

export interface NodePaint {
  readonly palette: readonly string[];
  /** Text colour readable on each palette entry. */
  readonly textColours: readonly string[];
  /** Palette index of each node. */
  readonly fill: Uint16Array;
  readonly legend: Legend;
}

/** Palette slots shared by every overlay. */
export const SLOT_INPUT = 0;
export const SLOT_OUTPUT = 1;

/** How a metrics column is painted; columns not listed here get a log scale under their own key. */
interface MetricSpec {
  readonly label: string;
  readonly scale: 'log' | 'linear';
  readonly unit: 'percent' | 'number';
  /** Fixed ends of a linear scale (sparsity is always 0–100 %); the data's max otherwise. */
  readonly min?: number;
  readonly max?: number;
  readonly description?: string;
  readonly zeroLabel: string;
  readonly missingLabel: string;
}

const METRICS: Readonly<Record<string, MetricSpec>> = {
  params: { label: 'Parameters', scale: 'log', unit: 'number', zeroLabel: '0', missingLabel: 'no value' },
  macs: { label: 'MACs', scale: 'log', unit: 'number', zeroLabel: '0', missingLabel: 'no value' },
  sparsity: {
    label: 'Weight sparsity',
    scale: 'linear',
    unit: 'percent',
    min: 0,
    max: 1,
    description: 'share of the node’s float weight elements that are exactly zero',
    zeroLabel: '0 % (dense)',
    missingLabel: 'no float weights',
  },
  channelsRemoved: {
    label: 'Channels removed',
    scale: 'linear',
    unit: 'number',
    min: 0,
    description: 'output channels of the original model minus this variant’s (nodes matched by name)',
    zeroLabel: 'none removed',
    missingLabel: 'not in the original / shape unknown',
  },
  // Attached by the Benchmark tab (graph-actions.ts showNodeMetrics), not built by the model worker.
  kernelUs: {
    label: 'Kernel time',
    scale: 'log',
    unit: 'number',
    description: 'µs per run of the node’s kernel (median over the profiled runs, onnxruntime-web profiler)',
    zeroLabel: 'no kernel of its own: fused into a neighbour or folded by onnxruntime',
    missingLabel: 'not profiled',
  },
  sqnrDb: {
    label: 'SQNR (dB)',
    scale: 'linear',
    unit: 'number',
    min: 0,
    description: 'the variant’s activation against the original’s, per producing node: lighter = more quantization error',
    zeroLabel: '0 dB or less (error as large as the signal)',
    missingLabel: 'not compared, or identical (∞ dB)',
  },
};

const DEFAULT_SPEC = (id: string): MetricSpec => ({ label: id, scale: 'log', unit: 'number', zeroLabel: '0', missingLabel: 'no value' });

/** Display name of an overlay id: 'op' → 'Op type', 'params' → 'Parameters', 'sparsity' → 'Weight sparsity', other metric keys as is. */
export function overlayLabel(id: string): string {
  if (id === 'op') return 'Op type';
  if (id === 'none') return 'None';
  return METRICS[id]?.label ?? id;
}

/** The overlays a view offers: op type, none, then one per metrics column. */
export function overlayOptions(view: ViewGraph | null): { id: string; label: string }[] {
  const ids = ['op', 'none', ...Object.keys(view?.metrics ?? {})];
  return ids.map((id) => ({ id, label: overlayLabel(id) }));
}

class PaletteBuilder {
  readonly colours: string[] = [INPUT_FILL, OUTPUT_FILL];
  private readonly slots = new Map<string, number>();
  slot(colour: string): number {
    let s = this.slots.get(colour);
    if (s === undefined) {
      s = this.colours.length;
      this.colours.push(colour);
      this.slots.set(colour, s);
    }
    return s;
  }
}

export function computeNodePaint(view: ViewGraph, overlay: string, colorOf?: (index: number) => string | undefined): NodePaint {
  const n = view.nodeCount;
  const palette = new PaletteBuilder();
  const fill = new Uint16Array(n);
  const metric = view.metrics[overlay];
  const isOp = (i: number): boolean => view.kinds[i] === NodeKind.Op;
  let legend: Legend;

  if (overlay === 'op') {
    // ~30 distinct op types among thousands of nodes: resolve each type's family once.
    const byTitle = new Map<string, { slot: number; family: string; count: number }>();
    for (let i = 0; i < n; i++) {
      if (view.kinds[i] !== NodeKind.Op) continue;
      const title = view.titles[i] ?? '';
      let t = byTitle.get(title);
      if (!t) {
        const fam = opFamily(title);
        t = { slot: palette.slot(fam.fill), family: fam.id, count: 0 };
        byTitle.set(title, t);
      }
      t.count++;
      fill[i] = t.slot;
    }
    const entries: OpLegendEntry[] = [];
    for (const fam of OP_FAMILIES) {
      const ops = [...byTitle.entries()].filter(([, t]) => t.family === fam.id);
      if (ops.length === 0) continue;
      ops.sort((a, b) => b[1].count - a[1].count || a[0].localeCompare(b[0]));
      entries.push({ label: fam.label, fill: fam.fill, count: ops.reduce((sum, [, t]) => sum + t.count, 0), ops: ops.map(([op]) => op) });
    }
    legend = { kind: 'op', entries };
  } else if (metric) {
    const spec = METRICS[overlay] ?? DEFAULT_SPEC(overlay);
    const log = logScaleOf(metric, isOp);
    // Linear: from the fixed min (0) to the fixed max, or to the largest value present.
    const scale = spec.scale === 'log' ? log : { ...log, min: spec.min ?? 0, max: spec.max ?? log.max };
    const bucketOf = spec.scale === 'log' ? (v: number): number => logBucket(log, v) : (v: number): number => linearBucket(scale.min, scale.max, v);
    const slots: number[] = [];
    for (let b = 0; b < SCALE_STEPS; b++) slots.push(palette.slot(bucketColour(b)));
    const zeroSlot = palette.slot(ZERO_FILL);
    const nanSlot = palette.slot(NAN_FILL);
    let positive = 0;
    let zero = 0;
    let missing = 0;
    for (let i = 0; i < n; i++) {
      if (!isOp(i)) continue;
      const b = bucketOf(metric[i] ?? 0);
      if (b >= 0) positive++;
      else if (b === -1) zero++;
      else missing++;
      fill[i] = b >= 0 ? (slots[b] ?? 0) : b === -1 ? zeroSlot : nanSlot;
    }
    legend = {
      kind: 'scale',
      metric: overlay,
      label: spec.label,
      scale: spec.scale,
      unit: spec.unit,
      ...(spec.description ? { description: spec.description } : {}),
      zeroLabel: spec.zeroLabel,
      missingLabel: spec.missingLabel,
      min: scale.min,
      max: scale.max,
      stops: SCALE_STOPS,
      zeroFill: zero > 0 ? ZERO_FILL : null,
      missingFill: missing > 0 ? NAN_FILL : null,
      counts: { positive, zero, missing },
    };
  } else {
    const neutral = palette.slot(NEUTRAL_FILL);
    for (let i = 0; i < n; i++) if (isOp(i)) fill[i] = neutral;
    legend = { kind: 'none' };
  }

  for (let i = 0; i < n; i++) {
    const kind = view.kinds[i];
    if (kind === NodeKind.Input) fill[i] = SLOT_INPUT;
    else if (kind === NodeKind.Output) fill[i] = SLOT_OUTPUT;
  }
  if (colorOf) {
    for (let i = 0; i < n; i++) {
      const c = colorOf(i);
      if (c !== undefined) fill[i] = palette.slot(c);
    }
  }
  return { palette: palette.colours, textColours: palette.colours.map(textColourOn), fill, legend };
}

const paintCache = new WeakMap<ViewGraph, Map<string, NodePaint>>();

/**
 * computeNodePaint without a colorOf override, memoised per (view, overlay): the panel's legend and
 * the canvas share one computation.
 */
export function cachedNodePaint(view: ViewGraph, overlay: string): NodePaint {
  let byOverlay = paintCache.get(view);
  if (!byOverlay) {
    byOverlay = new Map();
    paintCache.set(view, byOverlay);
  }
  let paint = byOverlay.get(overlay);
  if (!paint) {
    paint = computeNodePaint(view, overlay);
    byOverlay.set(overlay, paint);
  }
  return paint;
}
