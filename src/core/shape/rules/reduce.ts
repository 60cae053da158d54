/** Reductions (Reduce*, ArgMax/ArgMin). */
import { DataType } from '../../onnx/codec.js';
import type { ShapeRule } from '../context.js';
import { out } from '../context.js';
import { allNums, isNum, unknownDims } from '../dims.js';
import { castNumber } from '../known-values.js';
import type { Dim, KnownValue } from '../types.js';

/** Opset from which `axes` moved from an attribute to an optional input. */
const AXES_INPUT_SINCE: Record<string, number> = {
  ReduceSum: 13,
  ReduceMean: 18,
  ReduceMax: 18,
  ReduceMin: 18,
  ReduceProd: 18,
  ReduceL1: 18,
  ReduceL2: 18,
  ReduceLogSum: 18,
  ReduceLogSumExp: 18,
  ReduceSumSquare: 18,
};

const REDUCE_VALUE: Record<string, (xs: number[]) => number> = {
  ReduceSum: (xs) => xs.reduce((a, b) => a + b, 0),
  ReduceProd: (xs) => xs.reduce((a, b) => a * b, 1),
  ReduceMax: (xs) => Math.max(...xs),
  ReduceMin: (xs) => Math.min(...xs),
};

const reduce: ShapeRule = (ctx) => {
  const x = ctx.shape(0);
  const dtype = ctx.dtype(0);
  const keep = ctx.attrInt('keepdims', 1) === 1;
  const fromInput = ctx.opset >= (AXES_INPUT_SINCE[ctx.node.opType] ?? 18);
  const axesGiven = fromInput ? ctx.has(1) : ctx.hasAttr('axes');
  let axes = fromInput ? (ctx.has(1) ? ctx.ints(1) : []) : (ctx.attrInts('axes') ?? []);
  if (!x) return [out(dtype, undefined)];
  if (axesGiven && axes === undefined) {
    // Axes come from a tensor we cannot see: with keepdims the rank survives.
    if (keep) return [out(dtype, unknownDims(x.length))];
    const k = ctx.shape(1)?.[0];
    return [out(dtype, isNum(k) ? unknownDims(x.length - k) : undefined)];
  }
  axes ??= [];
  if (axes.length === 0) {
    if (fromInput && ctx.attrInt('noop_with_empty_axes', 0) === 1) return [out(dtype, x, ctx.value(0))];
    axes = x.map((_, i) => i);
  }
  const set = new Set(axes.map((a) => (a < 0 ? a + x.length : a)));
  const dims: Dim[] = [];
  x.forEach((d, i) => {
    if (!set.has(i)) dims.push(d);
    else if (keep) dims.push(1);
  });
  let value: KnownValue | undefined;
  const v = ctx.value(0);
  const fn = REDUCE_VALUE[ctx.node.opType];
  if (fn && v && set.size === x.length && allNums(v.data)) value = { dims: dims as number[], data: [castNumber(fn(v.data), dtype)] };
  return [out(dtype, dims, value)];
};

const argReduce: ShapeRule = (ctx) => {
  const x = ctx.shape(0);
  if (!x) return [out(DataType.INT64, undefined)];
  const axisRaw = ctx.attrInt('axis', 0);
  const axis = axisRaw < 0 ? axisRaw + x.length : axisRaw;
  const keep = ctx.attrInt('keepdims', 1) === 1;
  const dims: Dim[] = [];
  x.forEach((d, i) => {
    if (i !== axis) dims.push(d);
    else if (keep) dims.push(1);
  });
  return [out(DataType.INT64, dims)];
};

export function reduceRules(): Record<string, ShapeRule> {
  const rules: Record<string, ShapeRule> = {};
  for (const op of Object.keys(AXES_INPUT_SINCE)) rules[op] = reduce;
  rules.ArgMax = argReduce;
  rules.ArgMin = argReduce;
  return rules;
}
