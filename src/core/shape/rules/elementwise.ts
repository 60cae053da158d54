/**
 * Element-wise operators: unary (shape and type of the input), numpy-broadcasting binary/variadic
 * ops, comparisons (bool result) and Where. Small known values are evaluated so that shape
 * arithmetic in exported graphs (Shape → Gather → Div → Mul → Concat) stays known.
 */
import { DataType } from '../../onnx/codec.js';
import type { NodeContext, RuleOutput, ShapeRule } from '../context.js';
import { out } from '../context.js';
import { broadcastShapes, isNum } from '../dims.js';
import { castNumber, isIntegerType, mapKnown } from '../known-values.js';
import type { Dim, KnownValue } from '../types.js';

type ElementFn = (xs: Dim[], dtype: number) => Dim;

const num2 = (f: (a: number, b: number) => number, dtype: number) => (xs: Dim[]): Dim => {
  const [a, b] = xs;
  return isNum(a) && isNum(b) ? castNumber(f(a, b), dtype) : null;
};

/** Binary element functions; symbolic operands survive only the identities (x+0, x·1, x/1). */
const BINARY: Record<string, ElementFn> = {
  Add: (xs, t) => {
    const [a, b] = xs;
    if (b === 0) return a ?? null;
    if (a === 0) return b ?? null;
    return num2((x, y) => x + y, t)(xs);
  },
  Sub: (xs, t) => (xs[1] === 0 ? (xs[0] ?? null) : xs[0] !== null && xs[0] === xs[1] && !isNum(xs[0]) ? 0 : num2((x, y) => x - y, t)(xs)),
  Mul: (xs, t) => {
    const [a, b] = xs;
    if (b === 1) return a ?? null;
    if (a === 1) return b ?? null;
    if (a === 0 || b === 0) return 0;
    return num2((x, y) => x * y, t)(xs);
  },
  // Integer Div truncates toward zero (C semantics, as ONNX Runtime's kernels do).
  Div: (xs, t) => (xs[1] === 1 ? (xs[0] ?? null) : num2((x, y) => (isIntegerType(t) ? (y === 0 ? NaN : Math.trunc(x / y)) : x / y), t)(xs)),
  Pow: (xs, t) => (xs[1] === 1 ? (xs[0] ?? null) : num2((x, y) => x ** y, t)(xs)),
  Max: (xs, t) => reduceDims(xs, Math.max, t),
  Min: (xs, t) => reduceDims(xs, Math.min, t),
  Sum: (xs, t) => reduceDims(xs, (a, b) => a + b, t),
  Equal: (xs) => (xs[0] !== null && xs[0] === xs[1] ? 1 : num2((x, y) => (x === y ? 1 : 0), DataType.BOOL)(xs)),
  Less: (xs) => num2((x, y) => (x < y ? 1 : 0), DataType.BOOL)(xs),
  LessOrEqual: (xs) => num2((x, y) => (x <= y ? 1 : 0), DataType.BOOL)(xs),
  Greater: (xs) => num2((x, y) => (x > y ? 1 : 0), DataType.BOOL)(xs),
  GreaterOrEqual: (xs) => num2((x, y) => (x >= y ? 1 : 0), DataType.BOOL)(xs),
  And: (xs) => num2((x, y) => (x && y ? 1 : 0), DataType.BOOL)(xs),
  Or: (xs) => num2((x, y) => (x || y ? 1 : 0), DataType.BOOL)(xs),
  Xor: (xs) => num2((x, y) => ((x !== 0) !== (y !== 0) ? 1 : 0), DataType.BOOL)(xs),
};

function reduceDims(xs: Dim[], f: (a: number, b: number) => number, dtype: number): Dim {
  if (xs.every(isNum)) return castNumber((xs as number[]).reduce((a, b) => f(a, b)), dtype);
  const first = xs[0];
  // max(s, s) = min(s, s) = s
  if (f !== Math.max && f !== Math.min) return null;
  return first !== null && xs.every((x) => x === first) ? (first ?? null) : null;
}

const UNARY_FN: Record<string, (x: number) => number> = {
  Neg: (x) => -x,
  Abs: Math.abs,
  Floor: Math.floor,
  Ceil: Math.ceil,
  // ONNX Round: half to even.
  Round: (x) => {
    const r = Math.round(x);
    return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
  },
  Sqrt: Math.sqrt,
  Reciprocal: (x) => 1 / x,
  Sign: Math.sign,
  Exp: Math.exp,
  Log: Math.log,
  Relu: (x) => Math.max(0, x),
  Not: (x) => (x ? 0 : 1),
};

const UNARY_SAME = [
  'Relu', 'Sigmoid', 'Tanh', 'Exp', 'Log', 'Sqrt', 'Neg', 'Abs', 'Erf', 'Clip', 'LeakyRelu', 'HardSigmoid', 'HardSwish', 'Gelu',
  'Softplus', 'Softsign', 'Elu', 'Selu', 'Celu', 'ThresholdedRelu', 'Mish', 'Swish', 'Reciprocal', 'Floor', 'Ceil', 'Round', 'Sign',
  'Sin', 'Cos', 'Tan', 'Asin', 'Acos', 'Atan', 'Sinh', 'Cosh', 'Asinh', 'Acosh', 'Atanh', 'Identity', 'Not', 'BitwiseNot', 'Shrink',
  'Softmax', 'LogSoftmax', 'Hardmax', 'LpNormalization', 'MeanVarianceNormalization', 'LRN', 'InstanceNormalization',
  'GroupNormalization', 'RMSNormalization', 'Trilu', 'CumSum', 'CumProd', 'ReverseSequence', 'Scatter', 'ScatterElements', 'ScatterND',
  'EyeLike',
];

function unary(ctx: NodeContext, dtype?: number): RuleOutput {
  const t = dtype ?? ctx.dtype(0);
  const fn = UNARY_FN[ctx.node.opType];
  const v = ctx.mayHaveValue(0) ? ctx.value(0) : undefined;
  let value: KnownValue | undefined;
  if (v && fn) {
    const f = fn;
    value = { dims: v.dims, data: v.data.map((x) => (isNum(x) ? castNumber(f(x), t) : ctx.node.opType === 'Relu' || ctx.node.opType === 'Abs' ? x : null)) };
  } else if (v && ctx.node.opType === 'Identity') {
    value = v;
  }
  return out(t, ctx.shape(0), value);
}

/** Ops that used the legacy `broadcast`/`axis` attributes before opset 7: the output has A's shape. */
const LEGACY_BROADCAST = new Set(['Add', 'Sub', 'Mul', 'Div', 'Pow', 'And', 'Or', 'Xor', 'Equal', 'Less', 'Greater', 'PRelu']);

function broadcastRule(resultType: 'first' | 'bool'): ShapeRule {
  return (ctx) => {
    const n = ctx.inputCount;
    const dtype = resultType === 'bool' ? DataType.BOOL : ctx.dtype(0) || ctx.dtype(1);
    if (ctx.opset < 7 && LEGACY_BROADCAST.has(ctx.node.opType)) return [out(dtype, ctx.shape(0))];
    const shapes = Array.from({ length: n }, (_, i) => ctx.shape(i));
    const shape = broadcastShapes(shapes);
    const fn = BINARY[ctx.node.opType];
    let value: KnownValue | undefined;
    let evaluable = fn !== undefined;
    for (let i = 0; i < n && evaluable; i++) evaluable = ctx.mayHaveValue(i);
    if (fn && evaluable) {
      const values = Array.from({ length: n }, (_, i) => ctx.value(i));
      if (values.every((v) => v !== undefined)) {
        const calcType = resultType === 'bool' ? ctx.dtype(0) : dtype;
        value = mapKnown(values as KnownValue[], (xs) => fn(xs, calcType), ctx.maxKnown);
      }
    }
    return [out(dtype, shape, value)];
  };
}

const where: ShapeRule = (ctx) => {
  const shape = broadcastShapes([ctx.shape(0), ctx.shape(1), ctx.shape(2)]);
  const evaluable = ctx.mayHaveValue(0) && ctx.mayHaveValue(1) && ctx.mayHaveValue(2);
  const c = evaluable ? ctx.value(0) : undefined;
  const x = evaluable ? ctx.value(1) : undefined;
  const y = evaluable ? ctx.value(2) : undefined;
  let value: KnownValue | undefined;
  if (c && x && y) value = mapKnown([c, x, y], ([cc, xx, yy]) => (isNum(cc) ? ((cc ? xx : yy) ?? null) : null), ctx.maxKnown);
  return [out(ctx.dtype(1) || ctx.dtype(2), shape, value)];
};

export function elementwiseRules(): Record<string, ShapeRule> {
  const rules: Record<string, ShapeRule> = {};
  for (const op of UNARY_SAME) rules[op] = (ctx) => [unary(ctx)];
  for (const op of ['IsNaN', 'IsInf']) rules[op] = (ctx) => [out(DataType.BOOL, ctx.shape(0))];
  rules.Not = (ctx) => [unary(ctx, DataType.BOOL)];
  for (const op of ['Add', 'Sub', 'Mul', 'Div', 'Pow', 'Mod', 'Max', 'Min', 'Mean', 'Sum', 'BitShift', 'BitwiseAnd', 'BitwiseOr', 'BitwiseXor']) {
    rules[op] = broadcastRule('first');
  }
  for (const op of ['Equal', 'Less', 'Greater', 'LessOrEqual', 'GreaterOrEqual', 'And', 'Or', 'Xor']) rules[op] = broadcastRule('bool');
  rules.Where = where;
  // PRelu's slope broadcasts to X (unidirectional), so the output is X's shape.
  rules.PRelu = (ctx) => [out(ctx.dtype(0), ctx.shape(0))];
  return rules;
}
