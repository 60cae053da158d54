/**
 * Ops that rearrange a tensor without computing: Reshape, Flatten, Transpose, Squeeze, Unsqueeze,
 * Concat, Split, Slice, Gather*, Expand, Tile, Pad, Depth/SpaceToDepth, OneHot. Each also carries
 * known values through, which is what resolves Reshape targets built from Shape chains.
 */
import type { NodeContext, RuleOutput, ShapeRule } from '../context.js';
import { out } from '../context.js';
import { allNums, broadcastShapes, dimAdd, dimDiv, dimMul, dimProduct, isNum, mergeDim, normAxis, unknownDims } from '../dims.js';
import { mapKnown } from '../known-values.js';
import type { Dim, KnownValue } from '../types.js';

/** Values at or beyond this are "to the end" (exporters write INT64_MAX or INT32_MAX). */
const TO_END = 2 ** 31 - 1;

/**
 * Solve Reshape's -1: the input's element count divided by the other target dims. Symbols that occur
 * on both sides cancel, so [batch, 4, 16] → [0, -1] gives [batch, 64].
 */
function solveMinusOne(input: readonly Dim[], others: readonly Dim[]): Dim {
  let num = 1;
  let den = 1;
  const syms: string[] = [];
  for (const d of input) {
    if (d === null) return null;
    if (isNum(d)) num *= d;
    else syms.push(d);
  }
  for (const d of others) {
    if (d === null) return null;
    if (isNum(d)) den *= d;
    else {
      const k = syms.indexOf(d);
      if (k < 0) return null;
      syms.splice(k, 1);
    }
  }
  if (den === 0 || num % den !== 0) return null;
  const ratio = num / den;
  if (syms.length === 0) return ratio;
  return syms.length === 1 && ratio === 1 ? (syms[0] as string) : null;
}

export function reshapeDims(input: Dim[] | undefined, target: readonly Dim[], allowZero: boolean): Dim[] {
  const dims: Dim[] = target.map((t, i) => (t === 0 && !allowZero ? (input?.[i] ?? null) : t));
  const m = target.indexOf(-1);
  if (m >= 0) dims[m] = input ? solveMinusOne(input, dims.filter((_, i) => i !== m)) : null;
  return dims;
}

const reshape: ShapeRule = (ctx) => {
  const dtype = ctx.dtype(0);
  const x = ctx.shape(0);
  let dims: Dim[] | undefined;
  if (ctx.opset < 5) {
    const attr = ctx.attrInts('shape');
    dims = attr ? reshapeDims(x, attr, false) : undefined;
  } else {
    const target = ctx.value(1);
    if (target) dims = reshapeDims(x, target.data, ctx.attrInt('allowzero', 0) === 1);
    else {
      const len = ctx.shape(1)?.[0];
      if (isNum(len)) dims = unknownDims(len);
    }
  }
  return [out(dtype, dims, passValue(ctx.value(0), dims))];
};

/** The same elements under new dims, when the new dims are concrete. */
function passValue(v: KnownValue | undefined, dims: Dim[] | undefined): KnownValue | undefined {
  if (!v || !allNums(dims)) return undefined;
  return { dims, data: v.data };
}

const flatten: ShapeRule = (ctx) => {
  const x = ctx.shape(0);
  if (!x) return [out(ctx.dtype(0), [null, null])];
  const axis = ctx.attrInt('axis', 1);
  const a = axis < 0 ? axis + x.length : axis;
  if (a < 0 || a > x.length) return [out(ctx.dtype(0), [null, null])];
  const dims = [dimProduct(x.slice(0, a)), dimProduct(x.slice(a))];
  return [out(ctx.dtype(0), dims, passValue(ctx.value(0), dims))];
};

const transpose: ShapeRule = (ctx) => {
  const x = ctx.shape(0);
  if (!x) return [out(ctx.dtype(0), undefined)];
  const perm = ctx.attrInts('perm') ?? x.map((_, i) => x.length - 1 - i);
  if (perm.length !== x.length) return [out(ctx.dtype(0), undefined)];
  const v = ctx.value(0);
  return [out(ctx.dtype(0), perm.map((p) => x[p] ?? null), x.length <= 1 ? v : undefined)];
};

/** Axes from the attribute (before `inputFromOpset`) or from input 1. */
function axesOf(ctx: NodeContext, inputFromOpset: number, input = 1): number[] | undefined {
  return ctx.opset < inputFromOpset ? ctx.attrInts('axes') : ctx.has(input) ? ctx.ints(input) : undefined;
}

const squeeze: ShapeRule = (ctx) => {
  const x = ctx.shape(0);
  const dtype = ctx.dtype(0);
  const axesGiven = ctx.opset < 13 ? ctx.hasAttr('axes') : ctx.has(1);
  const axes = axesOf(ctx, 13);
  if (!x) return [out(dtype, undefined)];
  let dims: Dim[] | undefined;
  if (axes) {
    const drop = new Set(axes.map((a) => (a < 0 ? a + x.length : a)));
    dims = x.filter((_, i) => !drop.has(i));
  } else if (axesGiven) {
    const k = ctx.shape(1)?.[0];
    dims = isNum(k) ? unknownDims(x.length - k) : undefined;
  } else if (x.every((d) => d !== null)) {
    // Without axes every size-1 dim goes; symbolic dims are taken to be > 1 (they name batch/sequence sizes).
    dims = x.filter((d) => d !== 1);
  }
  return [out(dtype, dims, passValue(ctx.value(0), dims))];
};

const unsqueeze: ShapeRule = (ctx) => {
  const x = ctx.shape(0);
  const dtype = ctx.dtype(0);
  const axes = axesOf(ctx, 13);
  if (!x) return [out(dtype, undefined)];
  if (!axes) {
    const k = ctx.shape(1)?.[0];
    return [out(dtype, isNum(k) ? unknownDims(x.length + k) : undefined)];
  }
  const rank = x.length + axes.length;
  const ones = new Set(axes.map((a) => (a < 0 ? a + rank : a)));
  const dims: Dim[] = [];
  let j = 0;
  for (let i = 0; i < rank; i++) dims.push(ones.has(i) ? 1 : (x[j++] ?? null));
  return [out(dtype, dims, passValue(ctx.value(0), dims))];
};

const concat: ShapeRule = (ctx) => {
  const n = ctx.inputCount;
  const shapes = Array.from({ length: n }, (_, i) => ctx.shape(i));
  const dtype = Array.from({ length: n }, (_, i) => ctx.dtype(i)).find((t) => t !== 0) ?? 0;
  const known = shapes.filter((s): s is Dim[] => s !== undefined);
  const first = known[0];
  if (!first) return [out(dtype, undefined)];
  const rank = first.length;
  const axis = normAxis(ctx.attrInt('axis', 0), rank);
  if (axis === undefined) return [out(dtype, undefined)];
  const dims: Dim[] = [];
  for (let i = 0; i < rank; i++) {
    if (i === axis) {
      let total: Dim = 0;
      for (const s of shapes) total = s ? dimAdd(total, s[i] ?? null) : null;
      dims.push(total);
    } else {
      let d: Dim = null;
      for (const s of known) d = mergeDim(d, s[i] ?? null);
      dims.push(d);
    }
  }
  let value: KnownValue | undefined;
  if (axis === 0) {
    const values = Array.from({ length: n }, (_, i) => ctx.value(i));
    if (values.every((v) => v !== undefined) && allNums(dims)) {
      value = { dims, data: (values as KnownValue[]).flatMap((v) => v.data) };
    }
  }
  return [out(dtype, dims, value)];
};

/** Split (opset 2–18 attribute `split`, 13+ input, 18+ num_outputs). */
const split: ShapeRule = (ctx) => {
  const x = ctx.shape(0);
  const dtype = ctx.dtype(0);
  const n = ctx.outputCount;
  if (!x) return new Array<RuleOutput>(n).fill(out(dtype, undefined));
  const axis = normAxis(ctx.attrInt('axis', 0), x.length);
  if (axis === undefined) return new Array<RuleOutput>(n).fill(out(dtype, undefined));
  const total = x[axis] ?? null;
  let sizes: Dim[] | undefined = ctx.opset < 13 ? ctx.attrInts('split') : ctx.has(1) ? ctx.ints(1) : undefined;
  if (sizes && sizes.length === 0) sizes = undefined;
  if (!sizes) {
    if (ctx.opset >= 13 && ctx.has(1)) sizes = unknownDims(n);
    else if (!isNum(total)) sizes = unknownDims(n);
    else if (ctx.opset >= 18 && ctx.hasAttr('num_outputs')) {
      // num_outputs: chunks of ceil(dim / n), the last one smaller.
      const chunk = Math.ceil(total / n);
      sizes = Array.from({ length: n }, (_, i) => (i < n - 1 ? chunk : total - chunk * (n - 1)));
    } else sizes = Array.from({ length: n }, () => (total % n === 0 ? total / n : null));
  }
  const v = ctx.value(0);
  let offset = 0;
  return sizes.map((s) => {
    const dims = x.map((d, i) => (i === axis ? s : d));
    let value: KnownValue | undefined;
    if (v && x.length === 1 && isNum(s)) value = { dims: [s], data: v.data.slice(offset, offset + s) };
    offset += isNum(s) ? s : NaN;
    return out(dtype, dims, value);
  });
};

interface SliceSpec {
  readonly starts: number[];
  readonly ends: number[];
  readonly axes: number[] | undefined;
  readonly steps: number[] | undefined;
}

/** Indices selected by Slice along one axis of known size (ONNX Slice-10+ clamping rules). */
function sliceRange(dim: number, start: number, end: number, step: number): { start: number; count: number } {
  let s = start < 0 ? start + dim : start;
  let e = end < 0 ? end + dim : end;
  if (step > 0) {
    s = Math.min(Math.max(s, 0), dim);
    e = Math.min(Math.max(e, 0), dim);
    return { start: s, count: Math.max(0, Math.ceil((e - s) / step)) };
  }
  s = Math.min(Math.max(s, 0), dim - 1);
  e = Math.min(Math.max(e, -1), dim - 1);
  return { start: s, count: Math.max(0, Math.ceil((s - e) / -step)) };
}

function sliceDim(dim: Dim, start: number, end: number, step: number): Dim {
  if (isNum(dim)) return sliceRange(dim, start, end, step).count;
  // The whole axis of a symbolic dim is still that dim.
  if (step === 1 && start === 0 && end >= TO_END) return dim;
  return null;
}

const slice: ShapeRule = (ctx) => {
  const x = ctx.shape(0);
  const dtype = ctx.dtype(0);
  if (!x) return [out(dtype, undefined)];
  let spec: SliceSpec | undefined;
  let axesOnly: number[] | undefined;
  if (ctx.opset < 10) {
    const starts = ctx.attrInts('starts');
    const ends = ctx.attrInts('ends');
    if (starts && ends) spec = { starts, ends, axes: ctx.attrInts('axes'), steps: undefined };
  } else {
    const starts = ctx.ints(1);
    const ends = ctx.ints(2);
    const axes = ctx.has(3) ? ctx.ints(3) : undefined;
    const steps = ctx.has(4) ? ctx.ints(4) : undefined;
    const axesKnown = !ctx.has(3) || axes !== undefined;
    const stepsKnown = !ctx.has(4) || steps !== undefined;
    if (starts && ends && axesKnown && stepsKnown) spec = { starts, ends, axes, steps };
    else if (axes) axesOnly = axes;
  }
  if (!spec) {
    const unknownAxes = new Set((axesOnly ?? x.map((_, i) => i)).map((a) => (a < 0 ? a + x.length : a)));
    return [out(dtype, x.map((d, i) => (unknownAxes.has(i) ? null : d)))];
  }
  const dims = [...x];
  const ranges = new Map<number, { start: number; end: number; step: number }>();
  spec.starts.forEach((start, k) => {
    const rawAxis = spec.axes?.[k] ?? k;
    const axis = rawAxis < 0 ? rawAxis + x.length : rawAxis;
    const end = spec.ends[k] ?? TO_END;
    const step = spec.steps?.[k] ?? 1;
    if (axis < 0 || axis >= x.length || step === 0) return;
    ranges.set(axis, { start, end, step });
    dims[axis] = sliceDim(x[axis] ?? null, start, end, step);
  });
  let value: KnownValue | undefined;
  const v = ctx.value(0);
  const r = ranges.get(0);
  if (v && v.dims.length === 1 && r && ranges.size === 1 && isNum(x[0])) {
    const { start, count } = sliceRange(x[0], r.start, r.end, r.step);
    const data: Dim[] = [];
    for (let i = 0; i < count; i++) data.push(v.data[start + i * r.step] ?? null);
    value = { dims: [count], data };
  }
  return [out(dtype, dims, value)];
};

const gather: ShapeRule = (ctx) => {
  const data = ctx.shape(0);
  const indices = ctx.shape(1);
  const dtype = ctx.dtype(0);
  if (!data || !indices) return [out(dtype, undefined)];
  const axis = normAxis(ctx.attrInt('axis', 0), data.length);
  if (axis === undefined) return [out(dtype, undefined)];
  const dims = [...data.slice(0, axis), ...indices, ...data.slice(axis + 1)];
  let value: KnownValue | undefined;
  const v = ctx.value(0);
  const idx = ctx.ints(1);
  if (v && idx && v.dims.length === 1 && axis === 0) {
    const n = v.dims[0] as number;
    value = { dims: indices as number[], data: idx.map((i) => v.data[i < 0 ? i + n : i] ?? null) };
    if (!allNums(indices)) value = undefined;
  }
  return [out(dtype, dims, value)];
};

const gatherND: ShapeRule = (ctx) => {
  const data = ctx.shape(0);
  const indices = ctx.shape(1);
  const b = ctx.attrInt('batch_dims', 0);
  const last = indices?.[indices.length - 1];
  if (!data || !indices || !isNum(last)) return [out(ctx.dtype(0), undefined)];
  return [out(ctx.dtype(0), [...indices.slice(0, -1), ...data.slice(b + last)])];
};

const expand: ShapeRule = (ctx) => {
  const x = ctx.shape(0);
  const target = ctx.value(1);
  let dims: Dim[] | undefined;
  if (target) dims = broadcastShapes([x, target.data]);
  else {
    const k = ctx.shape(1)?.[0];
    if (x && isNum(k)) dims = broadcastShapes([x, unknownDims(k)]);
  }
  let value: KnownValue | undefined;
  const v = ctx.value(0);
  if (v && allNums(dims)) value = mapKnown([v, { dims, data: new Array<Dim>(dims.reduce((a, b) => a * b, 1)).fill(0) }], (xs) => xs[0] ?? null, ctx.maxKnown);
  return [out(ctx.dtype(0), dims, value)];
};

const tile: ShapeRule = (ctx) => {
  const x = ctx.shape(0);
  const repeats = ctx.ints(1);
  if (!x) return [out(ctx.dtype(0), undefined)];
  return [out(ctx.dtype(0), x.map((d, i) => (repeats ? dimMul(d, repeats[i] ?? null) : null)))];
};

/** Pad: `paddings` (opset 1), `pads` attribute (2–10), pads input (11+), axes input (18+). */
const pad: ShapeRule = (ctx) => {
  const x = ctx.shape(0);
  const dtype = ctx.dtype(0);
  if (!x) return [out(dtype, undefined)];
  const pads = ctx.opset < 2 ? ctx.attrInts('paddings') : ctx.opset < 11 ? ctx.attrInts('pads') : ctx.ints(1);
  const axesRaw = ctx.opset >= 18 && ctx.has(3) ? ctx.ints(3) : x.map((_, i) => i);
  if (!axesRaw) return [out(dtype, unknownDims(x.length))];
  const axes = axesRaw.map((a) => (a < 0 ? a + x.length : a));
  const dims = [...x];
  axes.forEach((a, k) => {
    dims[a] = pads ? dimAdd(dimAdd(x[a] ?? null, pads[k] ?? 0), pads[k + axes.length] ?? 0) : null;
  });
  return [out(dtype, dims)];
};

const depthToSpace: ShapeRule = (ctx) => {
  const x = ctx.shape(0);
  const b = ctx.attrInt('blocksize', 1);
  if (!x || x.length !== 4) return [out(ctx.dtype(0), undefined)];
  return [out(ctx.dtype(0), [x[0] ?? null, dimDiv(x[1] ?? null, b * b), dimMul(x[2] ?? null, b), dimMul(x[3] ?? null, b)])];
};

const spaceToDepth: ShapeRule = (ctx) => {
  const x = ctx.shape(0);
  const b = ctx.attrInt('blocksize', 1);
  if (!x || x.length !== 4) return [out(ctx.dtype(0), undefined)];
  return [out(ctx.dtype(0), [x[0] ?? null, dimMul(x[1] ?? null, b * b), dimDiv(x[2] ?? null, b), dimDiv(x[3] ?? null, b)])];
};

/** OneHot(indices, depth, values): a depth-sized axis inserted at `axis`. */
const oneHot: ShapeRule = (ctx) => {
  const x = ctx.shape(0);
  const dtype = ctx.dtype(2);
  if (!x) return [out(dtype, undefined)];
  const depth = ctx.value(1)?.data[0];
  const axis = ctx.attrInt('axis', -1);
  const a = axis < 0 ? axis + x.length + 1 : axis;
  const dims = [...x];
  dims.splice(a, 0, isNum(depth) ? depth : null);
  return [out(dtype, dims)];
};

/** CenterCropPad(input, shape): the listed axes take the requested sizes. */
const centerCropPad: ShapeRule = (ctx) => {
  const x = ctx.shape(0);
  const sizes = ctx.value(1);
  if (!x) return [out(ctx.dtype(0), undefined)];
  const axes = (ctx.attrInts('axes') ?? x.map((_, i) => i)).map((a) => (a < 0 ? a + x.length : a));
  const dims = [...x];
  axes.forEach((a, k) => (dims[a] = sizes ? (sizes.data[k] ?? null) : null));
  return [out(ctx.dtype(0), dims)];
};

/** GridSample: [N, C] followed by the grid's spatial dims. */
const gridSample: ShapeRule = (ctx) => {
  const x = ctx.shape(0);
  const grid = ctx.shape(1);
  if (!grid) return [out(ctx.dtype(0), undefined)];
  return [out(ctx.dtype(0), [grid[0] ?? x?.[0] ?? null, x?.[1] ?? null, ...grid.slice(1, -1)])];
};

export function reshapeRules(): Record<string, ShapeRule> {
  return {
    Reshape: reshape,
    Flatten: flatten,
    Transpose: transpose,
    Squeeze: squeeze,
    Unsqueeze: unsqueeze,
    Concat: concat,
    Split: split,
    Slice: slice,
    Gather: gather,
    GatherElements: (ctx) => [out(ctx.dtype(0), ctx.shape(1))],
    GatherND: gatherND,
    Expand: expand,
    Tile: tile,
    Pad: pad,
    DepthToSpace: depthToSpace,
    SpaceToDepth: spaceToDepth,
    OneHot: oneHot,
    CenterCropPad: centerCropPad,
    GridSample: gridSample,
  };
}
