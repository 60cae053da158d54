/** Gemm, MatMul (numpy matmul semantics) and their quantized / contrib forms, and Einsum. */
import { DataType } from '../../onnx/codec.js';
import type { NodeContext, ShapeRule } from '../context.js';
import { out } from '../context.js';
import { broadcastShapes, mergeDim } from '../dims.js';
import type { Dim } from '../types.js';

/**
 * numpy.matmul: a 1-D left operand gets a 1 prepended (removed afterwards), a 1-D right operand a 1
 * appended; leading dims broadcast.
 */
export function matmulShape(a: Dim[] | undefined, b: Dim[] | undefined): Dim[] | undefined {
  if (!a || !b || a.length === 0 || b.length === 0) return undefined;
  const aa = a.length === 1 ? [1, a[0] as Dim] : a;
  const bb = b.length === 1 ? [b[0] as Dim, 1] : b;
  const batch = broadcastShapes([aa.slice(0, -2), bb.slice(0, -2)]);
  if (!batch) return undefined;
  const dims: Dim[] = [...batch];
  if (a.length > 1) dims.push(aa[aa.length - 2] as Dim);
  if (b.length > 1) dims.push(bb[bb.length - 1] as Dim);
  return dims;
}

function matmulRule(a: number, b: number, dtype: (ctx: NodeContext) => number): ShapeRule {
  return (ctx) => [out(dtype(ctx), matmulShape(ctx.shape(a), ctx.shape(b)))];
}

/** Gemm: Y[M, N] = op(A)[M, K] · op(B)[K, N] (+ C), op = transpose when transA/transB. */
const gemm: ShapeRule = (ctx) => {
  const a = ctx.shape(0);
  const b = ctx.shape(1);
  const m = a && a.length === 2 ? (ctx.attrInt('transA', 0) ? a[1] : a[0]) : null;
  const n = b && b.length === 2 ? (ctx.attrInt('transB', 0) ? b[0] : b[1]) : null;
  return [out(ctx.dtype(0), [m ?? null, n ?? null])];
};

/** com.microsoft MatMulNBits: A[..., K] times a packed [N, K] weight: [..., N]. */
const matMulNBits: ShapeRule = (ctx) => {
  const a = ctx.shape(0);
  return [out(ctx.dtype(0), a ? [...a.slice(0, -1), ctx.attrInt('N', 0) || null] : undefined)];
};

/**
 * Einsum: letters bind dims; '...' binds broadcast leading dims. Without '->' the output is the
 * ellipsis dims followed by letters used once, in alphabetical order (ONNX Einsum, numpy rules).
 */
const einsum: ShapeRule = (ctx) => {
  const dtype = ctx.dtype(0);
  const eq = ctx.attrString('equation', '').replace(/\s+/g, '');
  const [lhs, rhs] = eq.split('->') as [string, string | undefined];
  const terms = lhs.split(',');
  const letters = new Map<string, Dim>();
  const counts = new Map<string, number>();
  const ellipses: Dim[][] = [];
  for (let t = 0; t < terms.length; t++) {
    const term = terms[t] as string;
    const shape = ctx.shape(t);
    const explicit = term.replace('...', '');
    const hasEllipsis = term.includes('...');
    if (!shape) {
      if (hasEllipsis) return [out(dtype, undefined)];
      for (const ch of explicit) {
        counts.set(ch, (counts.get(ch) ?? 0) + 1);
        if (!letters.has(ch)) letters.set(ch, null);
      }
      continue;
    }
    const ellRank = shape.length - explicit.length;
    if (ellRank < 0 || (!hasEllipsis && ellRank !== 0)) return [out(dtype, undefined)];
    let pos = 0;
    for (let i = 0; i < term.length; i++) {
      if (term.startsWith('...', i)) {
        ellipses.push(shape.slice(pos, pos + ellRank));
        pos += ellRank;
        i += 2;
        continue;
      }
      const ch = term[i] as string;
      counts.set(ch, (counts.get(ch) ?? 0) + 1);
      const d = shape[pos++] as Dim;
      letters.set(ch, letters.has(ch) ? mergeDim(letters.get(ch) as Dim, d) : d);
    }
  }
  const ell = broadcastShapes(ellipses) ?? [];
  const spec = rhs ?? `${ellipses.length > 0 ? '...' : ''}${[...counts].filter(([, c]) => c === 1).map(([ch]) => ch).sort().join('')}`;
  const dims: Dim[] = [];
  for (let i = 0; i < spec.length; i++) {
    if (spec.startsWith('...', i)) {
      dims.push(...ell);
      i += 2;
    } else dims.push(letters.get(spec[i] as string) ?? null);
  }
  return [out(dtype, dims)];
};

export function linearRules(): Record<string, ShapeRule> {
  return {
    Gemm: gemm,
    'com.microsoft.FusedGemm': gemm,
    MatMul: matmulRule(0, 1, (ctx) => ctx.dtype(0)),
    MatMulInteger: matmulRule(0, 1, () => DataType.INT32),
    // QLinearMatMul(a, a_scale, a_zp, b, b_scale, b_zp, y_scale, y_zp)
    QLinearMatMul: matmulRule(0, 3, (ctx) => ctx.dtype(7) || ctx.dtype(0)),
    'com.microsoft.MatMulIntegerToFloat': matmulRule(0, 1, (ctx) => ctx.dtype(2) || DataType.FLOAT),
    'com.microsoft.DynamicQuantizeMatMul': matmulRule(0, 1, (ctx) => ctx.dtype(0)),
    'com.microsoft.MatMulNBits': matMulNBits,
    Einsum: einsum,
  };
}
