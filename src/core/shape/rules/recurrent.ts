/**
 * LSTM / GRU / RNN (ONNX opset 7–22). With layout 0: X [seq, batch, input], Y [seq, dirs, batch,
 * hidden], Y_h/Y_c [dirs, batch, hidden]; layout 1 (opset 14) puts batch first: X [batch, seq, input],
 * Y [batch, seq, dirs, hidden], Y_h/Y_c [batch, dirs, hidden].
 */
import type { ShapeRule } from '../context.js';
import { out } from '../context.js';
import { dimDiv } from '../dims.js';
import type { Dim } from '../types.js';

/** Gates per cell: rows of W are gates × hidden_size. */
export const RNN_GATES: Record<string, number> = { LSTM: 4, GRU: 3, RNN: 1 };

const recurrent: ShapeRule = (ctx) => {
  const x = ctx.shape(0);
  const w = ctx.shape(1);
  const dtype = ctx.dtype(0);
  const gates = RNN_GATES[ctx.node.opType] ?? 1;
  const direction = ctx.attrString('direction', 'forward');
  const dirs: Dim = direction === 'bidirectional' ? 2 : (w?.[0] ?? 1);
  const hidden: Dim = ctx.hasAttr('hidden_size') ? ctx.attrInt('hidden_size', 0) : dimDiv(w?.[1] ?? null, gates);
  const batchFirst = ctx.attrInt('layout', 0) === 1;
  const seq: Dim = x ? ((batchFirst ? x[1] : x[0]) ?? null) : null;
  const batch: Dim = x ? ((batchFirst ? x[0] : x[1]) ?? null) : null;
  const y: Dim[] = batchFirst ? [batch, seq, dirs, hidden] : [seq, dirs, batch, hidden];
  const state: Dim[] = batchFirst ? [batch, dirs, hidden] : [dirs, batch, hidden];
  const results = [out(dtype, y), out(dtype, state)];
  if (ctx.node.opType === 'LSTM') results.push(out(dtype, [...state]));
  return results;
};

export function recurrentRules(): Record<string, ShapeRule> {
  return { LSTM: recurrent, GRU: recurrent, RNN: recurrent };
}
