/** Ops that make tensors or describe them: Constant, Shape, Size, Cast, ConstantOfShape, Range, TopK, … */
import { DataType, onnx, toNumber } from '../../onnx/codec.js';
import { constantPayload, constantStrings } from '../../graph/constant-node.js';
import { findAttr } from '../../graph/attributes.js';
import { elementCount, tensorDims, tensorToNumbers } from '../../onnx/tensor.js';
import type { ShapeRule } from '../context.js';
import { out } from '../context.js';
import { allNums, dimProduct, isNum } from '../dims.js';
import { castNumber, tensorKnownValue } from '../known-values.js';
import type { Dim, KnownValue } from '../types.js';

const constant: ShapeRule = (ctx) => {
  const payload = constantPayload(ctx.proto);
  if (payload?.kind === 'dense') {
    const t = payload.tensor;
    return [out(t.dataType ?? 0, tensorDims(t), tensorKnownValue(t, ctx.maxKnown))];
  }
  if (payload?.kind === 'sparse') {
    const dims = (payload.sparse.dims ?? []).map((d) => toNumber(d));
    return [out(payload.sparse.values?.dataType ?? 0, dims)];
  }
  const strings = constantStrings(ctx.proto);
  if (strings) return [out(DataType.STRING, strings.dims)];
  return [out(0, undefined)];
};

/** Shape (with start/end since opset 15, clamped like Slice). Its value is the dims themselves. */
const shape: ShapeRule = (ctx) => {
  const x = ctx.shape(0);
  if (!x) return [out(DataType.INT64, [null])];
  const r = x.length;
  const clamp = (v: number): number => Math.min(Math.max(v < 0 ? v + r : v, 0), r);
  const start = clamp(ctx.attrInt('start', 0));
  const end = clamp(ctx.hasAttr('end') ? ctx.attrInt('end', r) : r);
  const data = x.slice(start, Math.max(start, end));
  return [out(DataType.INT64, [data.length], { dims: [data.length], data })];
};

const size: ShapeRule = (ctx) => {
  const x = ctx.shape(0);
  const n = x ? dimProduct(x) : null;
  return [out(DataType.INT64, [], n === null ? undefined : { dims: [], data: [n] })];
};

/** Cast-1 names the target type as a string ("FLOAT"); Cast-6+ uses the enum code. */
function castTarget(proto: onnx.INodeProto): number {
  const a = findAttr(proto, 'to');
  if (!a) return 0;
  if (a.type === onnx.AttributeProto.AttributeType.STRING && a.s) {
    const name = new TextDecoder().decode(a.s).toUpperCase();
    const code = (onnx.TensorProto.DataType as unknown as Record<string, number>)[name];
    return typeof code === 'number' ? code : 0;
  }
  return toNumber(a.i);
}

function castValue(v: KnownValue | undefined, to: number): KnownValue | undefined {
  if (!v) return undefined;
  return { dims: v.dims, data: v.data.map((x) => (isNum(x) ? castNumber(x, to) : x)) };
}

const cast: ShapeRule = (ctx) => {
  const to = castTarget(ctx.proto);
  return [out(to, ctx.shape(0), castValue(ctx.value(0), to))];
};

const castLike: ShapeRule = (ctx) => {
  const to = ctx.dtype(1);
  return [out(to, ctx.shape(0), to ? castValue(ctx.value(0), to) : undefined)];
};

/** ConstantOfShape: the input's values are the output dims; `value` (default float 0) fills it. */
const constantOfShape: ShapeRule = (ctx) => {
  const fill = ctx.attrTensor('value');
  const dtype = fill?.dataType ?? DataType.FLOAT;
  const target = ctx.value(0);
  if (!target) {
    const k = ctx.shape(0)?.[0];
    return [out(dtype, isNum(k) ? new Array<Dim>(k).fill(null) : undefined)];
  }
  const dims = [...target.data];
  let value: KnownValue | undefined;
  if (allNums(dims) && elementCount(dims) <= ctx.maxKnown) {
    const v = fill ? (tensorToNumbers(fill)?.[0] ?? 0) : 0;
    value = { dims, data: new Array<Dim>(elementCount(dims)).fill(v) };
  }
  return [out(dtype, dims, value)];
};

/** Range: max(ceil((limit - start) / delta), 0) elements. */
const range: ShapeRule = (ctx) => {
  const dtype = ctx.dtype(0);
  const [s, l, d] = [ctx.value(0)?.data[0], ctx.value(1)?.data[0], ctx.value(2)?.data[0]];
  if (!isNum(s) || !isNum(l) || !isNum(d) || d === 0) return [out(dtype, [null])];
  const n = Math.max(Math.ceil((l - s) / d), 0);
  let value: KnownValue | undefined;
  if (n <= ctx.maxKnown) value = { dims: [n], data: Array.from({ length: n }, (_, i) => castNumber(s + i * d, dtype)) };
  return [out(dtype, [n], value)];
};

/** TopK: K from input 1 (opset 10+) or attribute k; values and int64 indices. */
const topK: ShapeRule = (ctx) => {
  const x = ctx.shape(0);
  if (!x) return [out(ctx.dtype(0), undefined), out(DataType.INT64, undefined)];
  const k = ctx.opset < 10 ? ctx.attrInt('k', 0) : ctx.value(1)?.data[0];
  const axisRaw = ctx.attrInt('axis', -1);
  const axis = axisRaw < 0 ? axisRaw + x.length : axisRaw;
  const dims = x.map((d, i) => (i === axis ? (isNum(k) ? k : null) : d));
  return [out(ctx.dtype(0), dims), out(DataType.INT64, [...dims])];
};

const nonZero: ShapeRule = (ctx) => [out(DataType.INT64, [ctx.rank(0) ?? null, null])];

const compress: ShapeRule = (ctx) => {
  const x = ctx.shape(0);
  if (!ctx.hasAttr('axis')) return [out(ctx.dtype(0), [null])];
  if (!x) return [out(ctx.dtype(0), undefined)];
  const a = ctx.attrInt('axis', 0);
  const axis = a < 0 ? a + x.length : a;
  return [out(ctx.dtype(0), x.map((d, i) => (i === axis ? null : d)))];
};

/** Random*Like / Bernoulli / EyeLike: input's shape, `dtype` attribute or the input's type. */
const likeInput: ShapeRule = (ctx) => [out(ctx.attrInt('dtype', 0) || ctx.dtype(0), ctx.shape(0))];

const randomWithShape: ShapeRule = (ctx) => [out(ctx.attrInt('dtype', DataType.FLOAT), ctx.attrInts('shape'))];

export function tensorRules(): Record<string, ShapeRule> {
  return {
    Constant: constant,
    Shape: shape,
    Size: size,
    Cast: cast,
    CastLike: castLike,
    ConstantOfShape: constantOfShape,
    Range: range,
    TopK: topK,
    NonZero: nonZero,
    NonMaxSuppression: () => [out(DataType.INT64, [null, 3])],
    Compress: compress,
    Det: (ctx) => [out(ctx.dtype(0), ctx.shape(0)?.slice(0, -2))],
    Bernoulli: likeInput,
    RandomUniformLike: likeInput,
    RandomNormalLike: likeInput,
    EyeLike: likeInput,
    RandomUniform: randomWithShape,
    RandomNormal: randomWithShape,
    Multinomial: (ctx) => [out(ctx.attrInt('dtype', DataType.INT32), [ctx.shape(0)?.[0] ?? null, ctx.attrInt('sample_size', 1)])],
  };
}
