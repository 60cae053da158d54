/**
 * Convolution and pooling output sizes, per the ONNX operator spec (Conv, ConvTranspose, MaxPool,
 * AveragePool, LpPool):
 *   explicit pads: out = floor((in + pad_begin + pad_end - ((k - 1)·d + 1)) / s) + 1   (ceil with ceil_mode)
 *   SAME_UPPER/LOWER: out = ceil(in / s);  VALID: out = floor((in - ((k - 1)·d + 1)) / s) + 1
 *   ConvTranspose: out = s·(in - 1) + output_padding + ((k - 1)·d + 1) - pad_begin - pad_end, or in·s with SAME
 */
import { DataType } from '../../onnx/codec.js';
import type { NodeContext, ShapeRule } from '../context.js';
import { out } from '../context.js';
import { dimMul, isNum, unknownDims } from '../dims.js';
import type { Dim } from '../types.js';

interface Window {
  readonly kernel: Dim[];
  readonly strides: number[];
  readonly dilations: number[];
  readonly pads: number[];
  readonly autoPad: string;
  readonly ceilMode: boolean;
}

function windowAttrs(ctx: NodeContext, spatial: number, kernel: Dim[]): Window {
  const fill = (v: number[] | undefined, def: number): number[] => (v && v.length === spatial ? v : new Array<number>(spatial).fill(def));
  const pads = ctx.attrInts('pads');
  return {
    kernel,
    strides: fill(ctx.attrInts('strides'), 1),
    dilations: fill(ctx.attrInts('dilations'), 1),
    pads: pads && pads.length === 2 * spatial ? pads : new Array<number>(2 * spatial).fill(0),
    autoPad: ctx.attrString('auto_pad', 'NOTSET'),
    ceilMode: ctx.attrInt('ceil_mode', 0) === 1,
  };
}

function windowOutput(inDim: Dim, i: number, w: Window, spatial: number): Dim {
  const s = w.strides[i] as number;
  const d = w.dilations[i] as number;
  const k = w.kernel[i] ?? null;
  if (w.autoPad === 'SAME_UPPER' || w.autoPad === 'SAME_LOWER') {
    if (s === 1) return inDim;
    return isNum(inDim) ? Math.ceil(inDim / s) : null;
  }
  const padSum = w.autoPad === 'VALID' ? 0 : (w.pads[i] as number) + (w.pads[i + spatial] as number);
  if (!isNum(k)) return null;
  const span = (k - 1) * d + 1;
  // Stride 1 with padding that exactly covers the window ("same" convs) keeps the size, symbolic or not.
  if (s === 1 && padSum === span - 1) return inDim;
  if (!isNum(inDim)) return null;
  const avail = inDim + padSum - span;
  if (!w.ceilMode || w.autoPad === 'VALID') return Math.floor(avail / s) + 1;
  let o = Math.ceil(avail / s) + 1;
  // As PyTorch and ONNX Runtime do: the last window must start inside the input or the leading padding.
  if ((o - 1) * s >= inDim + (w.pads[i] as number)) o -= 1;
  return o;
}

function spatialRank(ctx: NodeContext, x: Dim[] | undefined, wShape: Dim[] | undefined): number | undefined {
  if (x) return x.length - 2;
  if (wShape) return wShape.length - 2;
  return ctx.attrInts('kernel_shape')?.length;
}

/** Conv-like ops: which inputs hold X and W, and the output element type. */
interface ConvLayout {
  readonly x: number;
  readonly w: number;
  readonly dtype: (ctx: NodeContext) => number;
}

function convRule(layout: ConvLayout): ShapeRule {
  return (ctx) => {
    const x = ctx.shape(layout.x);
    const wShape = ctx.shape(layout.w);
    const spatial = spatialRank(ctx, x, wShape);
    const dtype = layout.dtype(ctx);
    if (spatial === undefined || spatial < 0) return [out(dtype, undefined)];
    const kernel: Dim[] = ctx.attrInts('kernel_shape') ?? (wShape ? wShape.slice(2) : new Array<Dim>(spatial).fill(null));
    const w = windowAttrs(ctx, spatial, kernel);
    const dims: Dim[] = [x?.[0] ?? null, wShape?.[0] ?? null];
    for (let i = 0; i < spatial; i++) dims.push(windowOutput(x?.[i + 2] ?? null, i, w, spatial));
    return [out(dtype, dims)];
  };
}

const convTranspose: ShapeRule = (ctx) => {
  const x = ctx.shape(0);
  const wShape = ctx.shape(1);
  const dtype = ctx.dtype(0);
  const spatial = spatialRank(ctx, x, wShape);
  if (spatial === undefined || spatial < 0) return [out(dtype, undefined)];
  const group = ctx.attrInt('group', 1);
  const channels = dimMul(wShape?.[1] ?? null, group);
  const outputShape = ctx.attrInts('output_shape');
  const dims: Dim[] = [x?.[0] ?? null, channels];
  if (outputShape && outputShape.length >= spatial) {
    dims.push(...outputShape.slice(outputShape.length - spatial));
    return [out(dtype, dims)];
  }
  const kernel: Dim[] = ctx.attrInts('kernel_shape') ?? (wShape ? wShape.slice(2) : new Array<Dim>(spatial).fill(null));
  const w = windowAttrs(ctx, spatial, kernel);
  const outPad = ctx.attrInts('output_padding') ?? [];
  for (let i = 0; i < spatial; i++) {
    const inDim = x?.[i + 2] ?? null;
    const s = w.strides[i] as number;
    const k = kernel[i] ?? null;
    if (w.autoPad === 'SAME_UPPER' || w.autoPad === 'SAME_LOWER') {
      dims.push(s === 1 ? inDim : isNum(inDim) ? inDim * s : null);
      continue;
    }
    if (!isNum(inDim) || !isNum(k)) {
      dims.push(null);
      continue;
    }
    const padSum = w.autoPad === 'VALID' ? 0 : (w.pads[i] as number) + (w.pads[i + spatial] as number);
    dims.push(s * (inDim - 1) + (outPad[i] ?? 0) + (k - 1) * (w.dilations[i] as number) + 1 - padSum);
  }
  return [out(dtype, dims)];
};

function poolRule(withIndices: boolean): ShapeRule {
  return (ctx) => {
    const x = ctx.shape(0);
    const dtype = ctx.dtype(0);
    const kernel = ctx.attrInts('kernel_shape');
    if (!x || !kernel) return [out(dtype, undefined), withIndices ? out(DataType.INT64, undefined) : undefined];
    const spatial = x.length - 2;
    const w = windowAttrs(ctx, spatial, kernel);
    const dims: Dim[] = [x[0] ?? null, x[1] ?? null];
    for (let i = 0; i < spatial; i++) dims.push(windowOutput(x[i + 2] ?? null, i, w, spatial));
    const y = out(dtype, dims);
    return withIndices ? [y, out(DataType.INT64, [...dims])] : [y];
  };
}

const globalPool: ShapeRule = (ctx) => {
  const x = ctx.shape(0);
  return [out(ctx.dtype(0), x ? x.map((d, i) => (i < 2 ? d : 1)) : undefined)];
};

/** MaxUnpool: output_shape input when given, else (in - 1)·s + k - pads. */
const maxUnpool: ShapeRule = (ctx) => {
  const explicit = ctx.ints(2);
  if (explicit) return [out(ctx.dtype(0), explicit)];
  const x = ctx.shape(0);
  const kernel = ctx.attrInts('kernel_shape');
  if (!x || !kernel) return [out(ctx.dtype(0), undefined)];
  const spatial = x.length - 2;
  const w = windowAttrs(ctx, spatial, kernel);
  const dims: Dim[] = [x[0] ?? null, x[1] ?? null];
  // An output_shape we cannot read overrides the default sizes: only the rank is known.
  if (ctx.has(2)) return [out(ctx.dtype(0), [...dims, ...unknownDims(spatial)])];
  for (let i = 0; i < spatial; i++) {
    const d = x[i + 2] ?? null;
    dims.push(isNum(d) ? (d - 1) * (w.strides[i] as number) + (kernel[i] as number) - (w.pads[i] as number) - (w.pads[i + spatial] as number) : null);
  }
  return [out(ctx.dtype(0), dims)];
};

/** RoiAlign: [num_rois, C, output_height, output_width]. */
const roiAlign: ShapeRule = (ctx) => [
  out(ctx.dtype(0), [ctx.shape(1)?.[0] ?? null, ctx.shape(0)?.[1] ?? null, ctx.attrInt('output_height', 1), ctx.attrInt('output_width', 1)]),
];

const maxRoiPool: ShapeRule = (ctx) => {
  const pooled = ctx.attrInts('pooled_shape') ?? [];
  return [out(ctx.dtype(0), [ctx.shape(1)?.[0] ?? null, ctx.shape(0)?.[1] ?? null, ...pooled])];
};

const firstType = (i: number) => (ctx: NodeContext): number => ctx.dtype(i);

export function convPoolRules(): Record<string, ShapeRule> {
  return {
    Conv: convRule({ x: 0, w: 1, dtype: firstType(0) }),
    ConvInteger: convRule({ x: 0, w: 1, dtype: () => DataType.INT32 }),
    // QLinearConv(x, x_scale, x_zp, w, w_scale, w_zp, y_scale, y_zp, B): y has y_zero_point's type.
    QLinearConv: convRule({ x: 0, w: 3, dtype: (ctx) => ctx.dtype(7) || ctx.dtype(0) }),
    'com.microsoft.FusedConv': convRule({ x: 0, w: 1, dtype: firstType(0) }),
    // DeformConv(X, W, offset, B, mask): Conv's output shape.
    DeformConv: convRule({ x: 0, w: 1, dtype: firstType(0) }),
    ConvTranspose: convTranspose,
    MaxPool: poolRule(true),
    AveragePool: poolRule(false),
    LpPool: poolRule(false),
    GlobalAveragePool: globalPool,
    GlobalMaxPool: globalPool,
    GlobalLpPool: globalPool,
    MaxUnpool: maxUnpool,
    RoiAlign: roiAlign,
    MaxRoiPool: maxRoiPool,
  };
}
