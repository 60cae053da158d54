/**
 * Multiply-accumulate counts of the compute-heavy ops, from inferred shapes. One MAC is one
 * multiply and one add, the usual unit of papers and of tools like fvcore/thop:
 *   Conv            N · Cout · ∏out_spatial · (Cin / group) · ∏kernel
 *   ConvTranspose   N · Cin · ∏in_spatial · (Cout / group) · ∏kernel
 *   Gemm            M · N · K
 *   MatMul          ∏output · K (batched, broadcast)
 *   LSTM/GRU/RNN    seq · batch · directions · gates · hidden · (input + hidden)
 * Symbolic dims count as 1 (per-sample cost) and are reported, unknown dims make the node unknown.
 */
import type { IRNode } from '../graph/ir.js';
import { attrInt, attrInts, attrString } from '../graph/attributes.js';
import { opKey } from '../graph/opsets.js';
import { RNN_GATES } from '../shape/rules/recurrent.js';
import type { Dim, ShapeMap } from '../shape/types.js';

type MacFn = (node: IRNode, dims: DimReader) => number | undefined;

/** Reads dims of a node's inputs/outputs as numbers; undefined means unknown. */
export class DimReader {
  /** Symbolic dims taken as 1 by nodes whose MACs were computed. */
  readonly symbols = new Set<string>();
  /** Symbols met while computing the current node. */
  readonly pending = new Set<string>();
  constructor(private readonly shapes: ShapeMap) {}

  dim(d: Dim | undefined): number | undefined {
    if (typeof d === 'number') return d;
    if (typeof d === 'string') {
      this.pending.add(d);
      return 1;
    }
    return undefined;
  }

  shape(name: string | undefined): Dim[] | undefined {
    return name ? this.shapes.get(name)?.shape : undefined;
  }

  /** All dims of a value as numbers, or undefined. */
  dims(name: string | undefined): number[] | undefined {
    const s = this.shape(name);
    if (!s) return undefined;
    const out: number[] = [];
    for (const d of s) {
      const n = this.dim(d);
      if (n === undefined) return undefined;
      out.push(n);
    }
    return out;
  }
}

const prod = (xs: readonly number[]): number => xs.reduce((a, b) => a * b, 1);

function convMacs(w: number): MacFn {
  return (node, r) => {
    const out = r.dims(node.outputs[0]);
    const wd = r.dims(node.inputs[w]);
    if (!out || !wd || wd.length < 2 || out.length < 2) return undefined;
    const kernel = attrInts(node.proto, 'kernel_shape') ?? wd.slice(2);
    // N · Cout · ∏out_spatial is the output's element count.
    return prod(out) * (wd[1] as number) * prod(kernel);
  };
}

const convTransposeMacs: MacFn = (node, r) => {
  const x = r.dims(node.inputs[0]);
  const wd = r.dims(node.inputs[1]);
  if (!x || !wd || wd.length < 2) return undefined;
  const kernel = attrInts(node.proto, 'kernel_shape') ?? wd.slice(2);
  // N · Cin · ∏in_spatial is the input's element count.
  return prod(x) * (wd[1] as number) * prod(kernel);
};

const gemmMacs: MacFn = (node, r) => {
  const a = r.dims(node.inputs[0]);
  const b = r.dims(node.inputs[1]);
  if (!a || !b || a.length !== 2 || b.length !== 2) return undefined;
  const [m, k] = attrInt(node.proto, 'transA', 0) ? [a[1], a[0]] : [a[0], a[1]];
  const n = attrInt(node.proto, 'transB', 0) ? b[0] : b[1];
  return (m as number) * (n as number) * (k as number);
};

function matmulMacs(a: number, kFromAttr = false): MacFn {
  return (node, r) => {
    const out = r.dims(node.outputs[0]);
    if (!out) return undefined;
    let k: number | undefined;
    if (kFromAttr) k = attrInt(node.proto, 'K', 0) || undefined;
    else {
      const as = r.shape(node.inputs[a]);
      k = as && as.length > 0 ? r.dim(as[as.length - 1]) : undefined;
    }
    return k === undefined ? undefined : prod(out) * k;
  };
}

const recurrentMacs: MacFn = (node, r) => {
  const x = r.dims(node.inputs[0]);
  const w = r.dims(node.inputs[1]);
  if (!x || x.length !== 3 || !w || w.length !== 3) return undefined;
  const gates = RNN_GATES[node.opType] ?? 1;
  const batchFirst = attrInt(node.proto, 'layout', 0) === 1;
  const [seq, batch] = batchFirst ? [x[1] as number, x[0] as number] : [x[0] as number, x[1] as number];
  const dirs = attrString(node.proto, 'direction', 'forward') === 'bidirectional' ? 2 : (w[0] as number);
  const hidden = attrInt(node.proto, 'hidden_size', 0) || (w[1] as number) / gates;
  const input = w[2] as number;
  return seq * batch * dirs * gates * hidden * (input + hidden);
};

const MAC_RULES: ReadonlyMap<string, MacFn> = new Map<string, MacFn>([
  ['Conv', convMacs(1)],
  ['ConvInteger', convMacs(1)],
  ['QLinearConv', convMacs(3)],
  ['DeformConv', convMacs(1)],
  ['com.microsoft.FusedConv', convMacs(1)],
  ['ConvTranspose', convTransposeMacs],
  ['Gemm', gemmMacs],
  ['com.microsoft.FusedGemm', gemmMacs],
  ['MatMul', matmulMacs(0)],
  ['MatMulInteger', matmulMacs(0)],
  ['QLinearMatMul', matmulMacs(0)],
  ['com.microsoft.MatMulIntegerToFloat', matmulMacs(0)],
  ['com.microsoft.DynamicQuantizeMatMul', matmulMacs(0)],
  ['com.microsoft.MatMulNBits', matmulMacs(0, true)],
  ['LSTM', recurrentMacs],
  ['GRU', recurrentMacs],
  ['RNN', recurrentMacs],
]);

export function isMacBearing(node: IRNode): boolean {
  return MAC_RULES.has(opKey(node.domain, node.opType));
}

/** MACs of one node: a number, null when the node does MACs but its shapes are unknown, undefined when it does none. */
export function nodeMacs(node: IRNode, reader: DimReader): number | null | undefined {
  const fn = MAC_RULES.get(opKey(node.domain, node.opType));
  if (!fn) return undefined;
  reader.pending.clear();
  const v = fn(node, reader);
  if (v === undefined || !Number.isFinite(v) || v < 0) return null;
  for (const s of reader.pending) reader.symbols.add(s);
  return v;
}
