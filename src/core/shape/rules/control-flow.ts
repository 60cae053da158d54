/**
 * If, Loop and Scan: their outputs come from their subgraphs, which are inferred with their formal
 * inputs seeded (ONNX operator spec for each op).
 */
import { DataType } from '../../onnx/codec.js';
import type { Scope } from '../../graph/ir.js';
import type { NodeContext, RuleOutput, RuleResult, ShapeRule } from '../context.js';
import { out } from '../context.js';
import { isNum, unifyShapes } from '../dims.js';
import type { Dim } from '../types.js';

/**
 * If: when the condition is a known constant, the taken branch decides; otherwise each output keeps
 * what both branches agree on.
 */
const ifRule: ShapeRule = (ctx) => {
  const thenScope = ctx.subgraph('then_branch');
  const elseScope = ctx.subgraph('else_branch');
  const a = thenScope ? ctx.inferSubgraph(thenScope, new Map()) : [];
  const b = elseScope ? ctx.inferSubgraph(elseScope, new Map()) : [];
  const cond = ctx.value(0)?.data[0];
  if (isNum(cond)) return cond ? a : b;
  return Array.from({ length: ctx.outputCount }, (_, k) => {
    const x = a[k];
    const y = b[k];
    if (!x || !y) return x ?? y;
    return out(x.dtype || y.dtype, unifyShapes(x.shape, y.shape));
  });
};

/** Seeds for a body's formal inputs, by position. */
function seedMap(body: Scope, infos: (RuleOutput | undefined)[]): Map<string, RuleOutput> {
  const seeds = new Map<string, RuleOutput>();
  body.inputs.forEach((name, i) => {
    const info = infos[i];
    if (name && info) seeds.set(name, info);
  });
  return seeds;
}

/**
 * Loop(M, cond, v_initial…): body(iter, cond, v…) → (cond, v…, scan…). Outputs: final v…, then each
 * scan output stacked along a new leading axis of length trip count (known only for a constant M
 * and no condition).
 */
const loop: ShapeRule = (ctx) => {
  const body = ctx.subgraph('body');
  if (!body) return undefined;
  const carried = ctx.inputCount - 2;
  const seeds: (RuleOutput | undefined)[] = [out(DataType.INT64, []), out(DataType.BOOL, [])];
  for (let i = 0; i < carried; i++) {
    const info = ctx.info(2 + i);
    seeds.push(info ? out(info.dtype, info.shape) : undefined);
  }
  const results = ctx.inferSubgraph(body, seedMap(body, seeds));
  const trip = ctx.value(0)?.data[0];
  const tripCount: Dim = ctx.has(0) && !ctx.has(1) && isNum(trip) ? trip : null;
  return Array.from({ length: ctx.outputCount }, (_, k) => {
    const r = results[1 + k];
    if (k < carried) {
      const init = ctx.info(2 + k);
      const dtype = r?.dtype || init?.dtype || 0;
      // Loop-carried values may change shape between iterations; keep what stays the same.
      return out(dtype, r?.shape && init?.shape ? unifyShapes(init.shape, r.shape) : (r?.shape ?? init?.shape));
    }
    return out(r?.dtype ?? 0, r?.shape ? [tripCount, ...r.shape] : undefined);
  });
};

/**
 * Scan (opset 9+): N state inputs then M scan inputs; the body sees one slice of each scan input
 * (scan axis removed) and returns N states plus K per-iteration outputs, which are stacked along
 * scan_output_axes.
 */
const scan: ShapeRule = (ctx) => {
  const body = ctx.subgraph('body');
  if (!body) return undefined;
  if (ctx.opset < 9) return scan8(ctx, body);
  const m = ctx.attrInt('num_scan_inputs', 0);
  const n = ctx.inputCount - m;
  const inAxes = ctx.attrInts('scan_input_axes') ?? [];
  const outAxes = ctx.attrInts('scan_output_axes') ?? [];
  const seeds: (RuleOutput | undefined)[] = [];
  let seqLen: Dim = null;
  for (let i = 0; i < ctx.inputCount; i++) {
    const info = ctx.info(i);
    if (!info) {
      seeds.push(undefined);
      continue;
    }
    if (i < n) {
      seeds.push(out(info.dtype, info.shape));
      continue;
    }
    const shape = info.shape;
    const a = inAxes[i - n] ?? 0;
    const axis = shape && a < 0 ? a + shape.length : a;
    if (shape && isNum(shape[axis]) && seqLen === null) seqLen = shape[axis] as number;
    seeds.push(out(info.dtype, shape ? shape.filter((_, j) => j !== axis) : undefined));
  }
  const results = ctx.inferSubgraph(body, seedMap(body, seeds));
  return Array.from({ length: ctx.outputCount }, (_, k) => {
    const r = results[k];
    if (k < n || !r) return r ? out(r.dtype, r.shape) : undefined;
    if (!r.shape) return out(r.dtype, undefined);
    const rank = r.shape.length + 1;
    const a = outAxes[k - n] ?? 0;
    const axis = a < 0 ? a + rank : a;
    const dims = [...r.shape];
    dims.splice(axis, 0, seqLen);
    return out(r.dtype, dims);
  });
};

/**
 * Scan-8: (sequence_lens?, states…, scan inputs…) with a leading batch axis everywhere and the
 * sequence on axis 1 of scan inputs; the body sees states and slices without batch (and sequence).
 */
function scan8(ctx: NodeContext, body: Scope): RuleResult {
  const m = ctx.attrInt('num_scan_inputs', 0);
  const n = ctx.inputCount - 1 - m;
  const seeds: (RuleOutput | undefined)[] = [];
  let batch: Dim = null;
  let seqLen: Dim = null;
  for (let i = 1; i < ctx.inputCount; i++) {
    const info = ctx.info(i);
    const shape = info?.shape;
    if (shape && batch === null) batch = shape[0] ?? null;
    if (i > n && shape && seqLen === null) seqLen = shape[1] ?? null;
    seeds.push(info ? out(info.dtype, shape?.slice(i > n ? 2 : 1)) : undefined);
  }
  const results = ctx.inferSubgraph(body, seedMap(body, seeds));
  return Array.from({ length: ctx.outputCount }, (_, k) => {
    const r = results[k];
    if (!r?.shape) return r ? out(r.dtype, undefined) : undefined;
    return out(r.dtype, k < n ? [batch, ...r.shape] : [batch, seqLen, ...r.shape]);
  });
}

export function controlFlowRules(): Record<string, ShapeRule> {
  return { If: ifRule, Loop: loop, Scan: scan };
}
