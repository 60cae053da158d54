/**
 * Arithmetic on dims that may be numbers, symbols or unknown. A symbol survives only where the result
 * is provably the same symbol (x·1, x+0, broadcasting against 1); anything derived from it is null.
 */
import type { Dim } from './types.js';

export const isNum = (d: Dim | undefined): d is number => typeof d === 'number';
export const isSym = (d: Dim | undefined): d is string => typeof d === 'string';

export function allNums(dims: readonly Dim[] | undefined): dims is number[] {
  return dims !== undefined && dims.every(isNum);
}

/** Normalise a possibly negative axis; undefined when out of range. */
export function normAxis(axis: number, rank: number): number | undefined {
  const a = axis < 0 ? axis + rank : axis;
  return a >= 0 && a < rank ? a : undefined;
}

/** Product of dims: numbers multiply; a single symbol times ones stays the symbol; otherwise null. */
export function dimProduct(dims: readonly Dim[]): Dim {
  let n = 1;
  let sym: string | undefined;
  for (const d of dims) {
    if (d === null) return null;
    if (typeof d === 'number') n *= d;
    else if (sym === undefined) sym = d;
    else return null;
  }
  if (sym === undefined) return n;
  if (n === 0) return 0;
  return n === 1 ? sym : null;
}

export function dimAdd(a: Dim, b: Dim): Dim {
  if (isNum(a) && isNum(b)) return a + b;
  if (b === 0) return a;
  if (a === 0) return b;
  return null;
}

export function dimMul(a: Dim, b: Dim): Dim {
  if (isNum(a) && isNum(b)) return a * b;
  if (b === 1) return a;
  if (a === 1) return b;
  if (a === 0 || b === 0) return 0;
  return null;
}

/** a / b when exact or when b is 1. */
export function dimDiv(a: Dim, b: Dim): Dim {
  if (b === 1) return a;
  if (isNum(a) && isNum(b) && b !== 0) return a / b;
  return null;
}

/**
 * Numpy broadcasting of two dims (ONNX "Broadcasting in ONNX"). A known size other than 1 decides the
 * result, because the other side must then be equal to it or 1.
 */
export function broadcastDim(a: Dim, b: Dim): Dim {
  if (a === 1) return b;
  if (b === 1) return a;
  if (isNum(a) && isNum(b)) return a === b ? a : null;
  if (isNum(a)) return a;
  if (isNum(b)) return b;
  if (a === b) return a;
  return null;
}

export function broadcastShapes(shapes: readonly (readonly Dim[] | undefined)[]): Dim[] | undefined {
  let rank = 0;
  for (const s of shapes) {
    if (!s) return undefined;
    rank = Math.max(rank, s.length);
  }
  const out: Dim[] = new Array<Dim>(rank).fill(1);
  for (const s of shapes as (readonly Dim[])[]) {
    const off = rank - s.length;
    for (let i = 0; i < s.length; i++) out[off + i] = broadcastDim(out[off + i] as Dim, s[i] as Dim);
  }
  return out;
}

/** Combine two descriptions of the same dim: prefer a number, then a symbol, then unknown. */
export function mergeDim(a: Dim, b: Dim): Dim {
  if (isNum(a)) return a;
  if (isNum(b)) return b;
  return a ?? b;
}

/** Combine two descriptions of one shape (inferred vs declared); ranks must agree, else the first wins. */
export function mergeShapes(a: Dim[] | undefined, b: Dim[] | undefined): Dim[] | undefined {
  if (!a) return b;
  if (!b || a.length !== b.length) return a;
  return a.map((d, i) => mergeDim(d, b[i] as Dim));
}

/** Two alternatives (If branches): keep what they agree on. */
export function unifyShapes(a: Dim[] | undefined, b: Dim[] | undefined): Dim[] | undefined {
  if (!a || !b || a.length !== b.length) return undefined;
  return a.map((d, i) => (d === b[i] ? d : null));
}

export const unknownDims = (rank: number): Dim[] => new Array<Dim>(rank).fill(null);
