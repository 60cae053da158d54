/**
 * "Will this model run well on a CPU in the browser?" — the operators onnxruntime-web's WASM backend
 * cannot run (from the runtime's own answers, src/runtime/op-support.ts) and the patterns it runs
 * slowly (slow-patterns.ts). Pure: the probe results come in as data.
 */
import type { onnx } from '../onnx/codec.js';
import type { OpProbeResult } from './probe-types.js';
import { findSlowPatterns } from './slow-patterns.js';
import type { SlowPattern } from './slow-patterns.js';
import { collectValueTypes } from './value-types.js';
import type { ValueTypes } from './value-types.js';

export type { SlowPattern } from './slow-patterns.js';

export interface UnsupportedOp {
  /** Operator type, e.g. "BitShift". */
  readonly op: string;
  /** '' for the default ONNX domain. */
  readonly domain: string;
  /** Nodes of the model using it in a form the runtime rejected. */
  readonly nodes: number;
  /** The runtime's reasons, one per distinct type combination, joined. */
  readonly reason: string;
}

export interface CpuReport {
  readonly unsupported: readonly UnsupportedOp[];
  readonly slow: readonly SlowPattern[];
  /** Operators that could not be probed (unknown input types): neither known good nor bad. */
  readonly unprobed: readonly UnsupportedOp[];
  /** Distinct operator signatures probed. */
  readonly signatures: number;
}

export interface CpuReportOptions {
  /** Element types by value name (e.g. from shape inference), as given to the probe. */
  readonly valueTypes?: ValueTypes;
}

function group(results: readonly OpProbeResult[]): UnsupportedOp[] {
  const byOp = new Map<string, { op: string; domain: string; nodes: number; reasons: string[] }>();
  for (const r of results) {
    const { domain, opType, inputTypes, nodes } = r.signature;
    const key = `${domain}|${opType}`;
    let e = byOp.get(key);
    if (!e) {
      e = { op: opType, domain, nodes: 0, reasons: [] };
      byOp.set(key, e);
    }
    e.nodes += nodes;
    const types = inputTypes.filter((t) => t).join(', ');
    const reason = `${r.reason}${types && !r.reason.includes(types) ? ` (inputs: ${types})` : ''}`;
    if (!e.reasons.includes(reason)) e.reasons.push(reason);
  }
  return [...byOp.values()]
    .map(({ op, domain, nodes, reasons }) => ({ op, domain, nodes, reason: reasons.join('; ') }))
    .sort((a, b) => b.nodes - a.nodes || a.op.localeCompare(b.op));
}

export function cpuReport(model: onnx.IModelProto, probeResults: readonly OpProbeResult[], options: CpuReportOptions = {}): CpuReport {
  const decl = collectValueTypes(model, options.valueTypes);
  return {
    unsupported: group(probeResults.filter((r) => r.status === 'no-kernel' || r.status === 'error')),
    slow: findSlowPatterns(model, decl),
    unprobed: group(probeResults.filter((r) => r.status === 'unknown-types')),
    signatures: probeResults.length,
  };
}
