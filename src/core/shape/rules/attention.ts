/**
 * Attention (opset 23) and RotaryEmbedding (opset 23).
 * Attention takes Q, K, V as 4-D [batch, heads, seq, head_size] or 3-D [batch, seq, heads·head_size]
 * (then q_num_heads / kv_num_heads say how to split). Outputs: Y like Q but with V's head size,
 * present_key / present_value [batch, kv_heads, past_seq + kv_seq, head_size], and the optional
 * qk_matmul_output [batch, q_heads, q_seq, total_seq].
 */
import type { ShapeRule } from '../context.js';
import { out } from '../context.js';
import { dimAdd, dimDiv, dimMul } from '../dims.js';
import type { Dim } from '../types.js';

const attention: ShapeRule = (ctx) => {
  const q = ctx.shape(0);
  const k = ctx.shape(1);
  const v = ctx.shape(2);
  const dtype = ctx.dtype(0);
  if (!q || !k || !v) return [out(dtype, undefined)];
  const pastKey = ctx.has(4) ? ctx.shape(4) : undefined;
  const pastValue = ctx.has(5) ? ctx.shape(5) : undefined;
  const batch = q[0] ?? null;
  let qHeads: Dim;
  let qSeq: Dim;
  let kvHeads: Dim;
  let kvSeq: Dim;
  let kHead: Dim;
  let vHead: Dim;
  let y: Dim[];
  if (q.length === 4) {
    [qHeads, qSeq] = [q[1] ?? null, q[2] ?? null];
    [kvHeads, kvSeq, kHead] = [k[1] ?? null, k[2] ?? null, k[3] ?? null];
    vHead = v[3] ?? null;
    y = [batch, qHeads, qSeq, vHead];
  } else if (q.length === 3) {
    qHeads = ctx.attrInt('q_num_heads', 0) || null;
    kvHeads = ctx.attrInt('kv_num_heads', 0) || null;
    qSeq = q[1] ?? null;
    kvSeq = k[1] ?? null;
    kHead = kvHeads === null ? null : dimDiv(k[2] ?? null, kvHeads);
    vHead = kvHeads === null ? null : dimDiv(v[2] ?? null, kvHeads);
    y = [batch, qSeq, qHeads === null ? null : dimMul(qHeads, vHead)];
  } else return [out(dtype, undefined)];
  const total = dimAdd(pastKey?.[2] ?? (ctx.has(4) ? null : 0), kvSeq);
  const totalV = dimAdd(pastValue?.[2] ?? (ctx.has(5) ? null : 0), kvSeq);
  return [
    out(dtype, y),
    out(dtype, [batch, kvHeads, total, kHead]),
    out(dtype, [batch, kvHeads, totalV, vHead]),
    out(dtype, [batch, qHeads, qSeq, total]),
  ];
};

export function attentionRules(): Record<string, ShapeRule> {
  return {
    Attention: attention,
    RotaryEmbedding: (ctx) => [out(ctx.dtype(0), ctx.shape(0))],
  };
}
