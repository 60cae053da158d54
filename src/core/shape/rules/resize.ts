/**
 * Resize (opset 10: X, scales; 11–12: X, roi, scales, sizes; 13+: roi/scales optional; 18+: axes and
 * keep_aspect_ratio_policy) and Upsample (7: scales attribute; 9: scales input).
 * Output size = floor(input · scale), or `sizes` when given (ONNX Resize spec).
 */
import type { NodeContext, ShapeRule } from '../context.js';
import { out } from '../context.js';
import { isNum, unknownDims } from '../dims.js';
import type { Dim } from '../types.js';

function scaled(x: Dim[], scales: readonly Dim[], axes: readonly number[]): Dim[] {
  const dims = [...x];
  axes.forEach((a, k) => {
    const s = scales[k];
    const d = x[a] ?? null;
    dims[a] = s === 1 ? d : isNum(s) && isNum(d) ? Math.floor(Math.fround(d * s)) : null; // ORT: int64(float(scale · in))
  });
  return dims;
}

function sized(ctx: NodeContext, x: Dim[], sizes: readonly Dim[], axes: readonly number[]): Dim[] {
  const dims = [...x];
  const policy = ctx.attrString('keep_aspect_ratio_policy', 'stretch');
  if (policy !== 'stretch' && sizes.every(isNum) && axes.every((a) => isNum(x[a]))) {
    // not_larger / not_smaller: one scale for all axes, then round half up (ONNX Resize-18).
    const ratios = axes.map((a, k) => (sizes[k] as number) / (x[a] as number));
    const scale = policy === 'not_larger' ? Math.min(...ratios) : Math.max(...ratios);
    axes.forEach((a) => (dims[a] = Math.floor((x[a] as number) * scale + 0.5)));
    return dims;
  }
  axes.forEach((a, k) => (dims[a] = sizes[k] ?? null));
  return dims;
}

const resize: ShapeRule = (ctx) => {
  const x = ctx.shape(0);
  const dtype = ctx.dtype(0);
  if (!x) return [out(dtype, undefined)];
  const rank = x.length;
  const axes = (ctx.attrInts('axes') ?? x.map((_, i) => i)).map((a) => (a < 0 ? a + rank : a));
  const scalesIndex = ctx.opset < 11 ? 1 : 2;
  const sizesIndex = 3;
  // An empty tensor stands for "not given" (exporters pass '' or a [0] constant).
  const scales = ctx.has(scalesIndex) ? ctx.value(scalesIndex) : undefined;
  const sizes = ctx.has(sizesIndex) ? ctx.value(sizesIndex) : undefined;
  if (sizes && sizes.data.length > 0) return [out(dtype, sized(ctx, x, sizes.data, axes))];
  if (scales && scales.data.length > 0) return [out(dtype, scaled(x, scales.data, axes))];
  const sizesGiven = ctx.has(sizesIndex) && ctx.shape(sizesIndex)?.[0] !== 0;
  const scalesGiven = ctx.has(scalesIndex) && ctx.shape(scalesIndex)?.[0] !== 0;
  if (sizesGiven || scalesGiven) return [out(dtype, unknownDims(rank))];
  return [out(dtype, undefined)];
};

const upsample: ShapeRule = (ctx) => {
  const x = ctx.shape(0);
  const dtype = ctx.dtype(0);
  if (!x) return [out(dtype, undefined)];
  const scales = ctx.opset < 9 ? ctx.attrFloats('scales') : ctx.value(1)?.data;
  if (!scales) return [out(dtype, unknownDims(x.length))];
  return [out(dtype, scaled(x, scales, x.map((_, i) => i)))];
};

export function resizeRules(): Record<string, ShapeRule> {
  return { Resize: resize, Upsample: upsample };
}
