/**
 * What differs between two matched nodes, as short sentences for the Compare panel:
 *   'op type: Conv → ConvInteger', 'name: conv1 → conv1_q', 'attribute group: 1 → 32',
 *   'weight W: float32 [8, 1, 5, 5] → int8 [8, 1, 5, 5] (via DequantizeLinear)',
 *   'input X: relu1 → relu1_dq (from DequantizeLinear)', 'inputs: 3 → 2'.
 *
 * Inputs are compared by where their values come from, not by tensor name: a value from matched
 * producers (same output index), the same graph input, or a weight with equal dtype, shape and bytes
 * is the same input even when renamed. Weights are looked at through Identity, DequantizeLinear and
 * Cast (inspect/weight-details.ts), so quantized and fp16 weights show as dtype changes.
 */
import type { onnx } from '../onnx/codec.js';
import { toNumber } from '../onnx/codec.js';
import { dtypeName } from '../onnx/dtypes.js';
import { tensorBytes, tensorDims } from '../onnx/tensor.js';
import type { ExternalFiles } from '../onnx/tensor.js';
import type { IRNode, Weight } from '../graph/ir.js';
import { opKey } from '../graph/opsets.js';
import { producerOf } from '../graph/resolve.js';
import { attributeType, formatAttributeValue } from '../inspect/format-attribute.js';
import { inputPortName } from '../inspect/port-names.js';
import { resolvePortWeight } from '../inspect/weight-details.js';

export interface ChangeContext {
  /** The partner of a base node in the other model (any scope), if matched. */
  readonly partner: (base: IRNode) => IRNode | undefined;
  readonly baseExternal?: ExternalFiles;
  readonly otherExternal?: ExternalFiles;
  /**
   * Weight byte comparisons already made (base weight → other weight → equal?): shared weights are
   * read by many nodes, and each comparison reads the whole tensor.
   */
  readonly compared?: Map<Weight, Map<Weight, boolean | undefined>>;
}

function sameWeightBytes(wb: Weight, wo: Weight, ctx: ChangeContext): boolean | undefined {
  const row = ctx.compared?.get(wb);
  if (row?.has(wo)) return row.get(wo);
  const result = sameBytes(weightBytesOf(wb, ctx.baseExternal), weightBytesOf(wo, ctx.otherExternal));
  if (ctx.compared) {
    if (row) row.set(wo, result);
    else ctx.compared.set(wb, new Map([[wo, result]]));
  }
  return result;
}

type Source =
  | { readonly kind: 'none' }
  | { readonly kind: 'weight'; readonly weight: Weight; readonly via: string[] }
  | { readonly kind: 'node'; readonly node: IRNode; readonly index: number }
  | { readonly kind: 'value'; readonly name: string };

function sourceOf(node: IRNode, name: string): Source {
  if (!name) return { kind: 'none' };
  const pw = resolvePortWeight(node.scope, name);
  if (pw) return { kind: 'weight', weight: pw.weight, via: pw.via };
  const producer = producerOf(node.scope, name);
  if (producer) return { kind: 'node', node: producer, index: producer.outputs.indexOf(name) };
  return { kind: 'value', name };
}

const shapeText = (w: Weight): string => `${dtypeName(w.dtype)} [${w.dims.join(', ')}]`;

function sameBytes(a: Uint8Array | undefined, b: Uint8Array | undefined): boolean | undefined {
  if (!a || !b) return undefined;
  const n = a.byteLength;
  if (n !== b.byteLength) return false;
  if (a.buffer === b.buffer && a.byteOffset === b.byteOffset) return true;
  let i = 0;
  // Word-wise when both views are 4-byte aligned (initializers usually are not: raw_data sits at any offset).
  if (a.byteOffset % 4 === 0 && b.byteOffset % 4 === 0 && n >= 64) {
    const wa = new Int32Array(a.buffer, a.byteOffset, n >> 2);
    const wb = new Int32Array(b.buffer, b.byteOffset, n >> 2);
    for (let k = 0; k < wa.length; k++) if (wa[k] !== wb[k]) return false;
    i = wa.length * 4;
  }
  for (; i < n; i++) if (a[i] !== b[i]) return false;
  return true;
}

function weightBytesOf(w: Weight, external: ExternalFiles | undefined): Uint8Array | undefined {
  const t = w.tensor ?? w.sparse?.values ?? undefined;
  return t ? tensorBytes(t, external) : undefined;
}

function sameAttribute(a: onnx.IAttributeProto, b: onnx.IAttributeProto, ctx: ChangeContext): boolean {
  const ta = attributeType(a);
  if (ta !== attributeType(b)) return false;
  if (a.g || b.g || (a.graphs?.length ?? 0) > 0 || (b.graphs?.length ?? 0) > 0) {
    // Subgraph contents are diffed node by node (model-diff.ts); here only their presence counts.
    return Boolean(a.g) === Boolean(b.g) && (a.graphs?.length ?? 0) === (b.graphs?.length ?? 0);
  }
  if (a.t || b.t) return Boolean(a.t && b.t && sameTensor(a.t, b.t, ctx));
  if (toNumber(a.i) !== toNumber(b.i)) return false;
  if ((a.f ?? 0) !== (b.f ?? 0) && !(Number.isNaN(a.f) && Number.isNaN(b.f))) return false;
  if (!sameBytes(a.s ?? new Uint8Array(0), b.s ?? new Uint8Array(0))) return false;
  const ia = a.ints ?? [];
  const ib = b.ints ?? [];
  if (ia.length !== ib.length || ia.some((v, i) => toNumber(v) !== toNumber(ib[i]))) return false;
  const fa = a.floats ?? [];
  const fb = b.floats ?? [];
  if (fa.length !== fb.length || fa.some((v, i) => v !== fb[i])) return false;
  const sa = a.strings ?? [];
  const sb = b.strings ?? [];
  if (sa.length !== sb.length || sa.some((v, i) => !sameBytes(v, sb[i]))) return false;
  return true;
}

function sameTensor(a: onnx.ITensorProto, b: onnx.ITensorProto, ctx: ChangeContext): boolean {
  if ((a.dataType ?? 0) !== (b.dataType ?? 0)) return false;
  const da = tensorDims(a);
  const db = tensorDims(b);
  if (da.length !== db.length || da.some((d, i) => d !== db[i])) return false;
  return sameBytes(tensorBytes(a, ctx.baseExternal), tensorBytes(b, ctx.otherExternal)) ?? true;
}

function describe(node: IRNode, name: string, src: Source): string {
  if (src.kind === 'none') return '(none)';
  if (src.kind === 'weight') return `${name} (${shapeText(src.weight)}${src.via.length ? ` via ${src.via.join(' → ')}` : ''})`;
  if (src.kind === 'node') return `${name} (from ${opKey(src.node.domain, src.node.opType)})`;
  return node.scope.inputSet.has(name) ? `${name} (graph input)` : name;
}

function inputChange(b: IRNode, o: IRNode, k: number, ctx: ChangeContext): string | undefined {
  const bn = b.inputs[k] ?? '';
  const on = o.inputs[k] ?? '';
  const sb = sourceOf(b, bn);
  const so = sourceOf(o, on);
  const port = inputPortName(o.domain, o.opType, k);
  if (sb.kind === 'weight' && so.kind === 'weight') {
    const wb = sb.weight;
    const wo = so.weight;
    const via = so.via.filter((v) => v !== 'Identity');
    const viaText = via.length > 0 ? ` (via ${via.join(' → ')})` : '';
    if (wb.dtype !== wo.dtype || wb.dims.length !== wo.dims.length || wb.dims.some((d, i) => d !== wo.dims[i])) {
      return `weight ${port}: ${shapeText(wb)} → ${shapeText(wo)}${viaText}`;
    }
    if (sameWeightBytes(wb, wo, ctx) === false) {
      return `weight ${port}: values differ${viaText}`;
    }
    return undefined;
  }
  if (sb.kind === 'none' && so.kind === 'none') return undefined;
  if (sb.kind === 'node' && so.kind === 'node' && ctx.partner(sb.node) === so.node && sb.index === so.index) return undefined;
  if (sb.kind === 'value' && so.kind === 'value' && sb.name === so.name) return undefined;
  return `input ${port}: ${describe(b, bn, sb)} → ${describe(o, on, so)}`;
}

/** The differences between base node `b` and its match `o`; empty when they are the same. */
export function nodeChanges(b: IRNode, o: IRNode, ctx: ChangeContext): string[] {
  const out: string[] = [];
  const bk = opKey(b.domain, b.opType);
  const ok = opKey(o.domain, o.opType);
  if (bk !== ok) out.push(`op type: ${bk} → ${ok}`);
  if (b.name !== o.name) out.push(`name: ${b.name || '(none)'} → ${o.name || '(none)'}`);

  const ba = new Map((b.proto.attribute ?? []).map((a) => [a.name ?? '', a]));
  const oa = new Map((o.proto.attribute ?? []).map((a) => [a.name ?? '', a]));
  for (const name of new Set([...ba.keys(), ...oa.keys()])) {
    const x = ba.get(name);
    const y = oa.get(name);
    if (x && y && sameAttribute(x, y, ctx)) continue;
    const xs = x ? formatAttributeValue(x, ctx.baseExternal) : '(none)';
    const ys = y ? formatAttributeValue(y, ctx.otherExternal) : '(none)';
    out.push(`attribute ${name}: ${xs} → ${ys}`);
  }

  if (b.inputs.length !== o.inputs.length) out.push(`inputs: ${b.inputs.length} → ${o.inputs.length}`);
  for (let k = 0; k < Math.max(b.inputs.length, o.inputs.length); k++) {
    const c = inputChange(b, o, k, ctx);
    if (c) out.push(c);
  }
  if (b.outputs.length !== o.outputs.length) out.push(`outputs: ${b.outputs.length} → ${o.outputs.length}`);
  return out;
}
