/**
 * The CPU-compatibility probe: "which operators of this model can onnxruntime-web's WASM backend not
 * run?", answered by the runtime itself rather than a hand-kept list. For each distinct operator
 * signature (domain, op, opset, input/output types) we build a one-node model and try to create a
 * session with graph optimisation disabled (so that nothing is folded away and the node must get a
 * kernel). ORT assigns kernels at session creation, so creation alone tells whether the node runs.
 */
import type { onnx } from '../core/onnx/codec.js';
import { encodeModelProto } from '../core/onnx/codec.js';
import { collectOpSignatures, UNKNOWN_TYPE } from '../core/compat/op-signatures.js';
import type { OpSignature } from '../core/compat/op-signatures.js';
import { buildProbeModel, PROBE_PREFIX } from '../core/compat/probe-model.js';
import type { OpProbeResult, ProbeStatus } from '../core/compat/probe-types.js';
import { collectValueTypes } from '../core/compat/value-types.js';
import type { ValueDeclarations, ValueTypes } from '../core/compat/value-types.js';
import { createSession, executionSettings } from './ort.js';
import { ortTypeOf } from './tensors.js';
import type { ExecutionSettings } from './ort.js';

export interface ProbeOptions {
  /** Element types by value name (e.g. from shape inference); override what the model declares. */
  readonly valueTypes?: ValueTypes;
  /** Called after each signature, for progress bars. */
  readonly onProgress?: (done: number, total: number) => void;
  readonly signal?: AbortSignal;
}

export interface OpSupportReport {
  readonly results: readonly OpProbeResult[];
  readonly settings: ExecutionSettings;
  /** Wall time of the whole probe, ms. */
  readonly ms: number;
  /** Sessions actually created (the rest came from the cache or could not be probed). */
  readonly probed: number;
}

/**
 * Types onnxruntime-web can pass across its JS API. int4/uint4 exist as ORT tensor types but outputs of
 * those types fail at run time ("unsupported type: int4"), so probes route them through Casts too.
 */
const passable = (elemType: number): boolean => {
  const t = ortTypeOf(elemType);
  return t !== undefined && t !== 'int4' && t !== 'uint4';
};

/** Results by signature key; the same runtime gives the same answer, so it lives for the page/process. */
const cache = new Map<string, { status: ProbeStatus; reason: string }>();

export function clearProbeCache(): void {
  cache.clear();
}

async function probeOne(model: onnx.IModelProto, sig: OpSignature, decl: ValueDeclarations): Promise<{ status: ProbeStatus; reason: string }> {
  const unknown = sig.inputTypes.findIndex((t) => t === UNKNOWN_TYPE);
  if (unknown >= 0) {
    const name = sig.sample.input?.[unknown] ?? '';
    return { status: 'unknown-types', reason: `the element type of input '${name}' is unknown (run shape inference, or pass a type map)` };
  }
  const built = buildProbeModel(model, sig, decl, { passable });
  if (!built.ok) return { status: 'unknown-types', reason: built.reason };
  const bytes = encodeModelProto(built.model);
  // Disabled optimisation keeps the node as it is; fatal-only logging keeps expected failures quiet.
  const session = await createSession(bytes, { graphOptimizationLevel: 'disabled', logSeverityLevel: 4 });
  if (session.ok) {
    await session.value.release();
    return { status: 'runs', reason: '' };
  }
  const f = session.error;
  // A failure in one of the probe's own Casts says nothing about the node under test.
  if (f.detail.includes(PROBE_PREFIX)) {
    return { status: 'unknown-types', reason: `could not feed this node's types to a probe: ${f.message}` };
  }
  // The node name in ORT's message is the probe's own; signatures list the model's node names.
  return { status: f.kind === 'no-kernel' ? 'no-kernel' : 'error', reason: f.message.replace(/ at node '[^']*'/, '') };
}

/** Probes every operator signature of `model`, one session at a time (through the runtime queue). */
export async function probeOperatorSupport(model: onnx.IModelProto, options: ProbeOptions = {}): Promise<OpSupportReport> {
  const start = performance.now();
  const decl = collectValueTypes(model, options.valueTypes);
  const signatures = collectOpSignatures(model, undefined, decl);
  const results: OpProbeResult[] = [];
  let probed = 0;
  for (const sig of signatures) {
    if (options.signal?.aborted) throw options.signal.reason ?? new Error('aborted');
    const { sample: _sample, ...signature } = sig;
    const hit = cache.get(sig.key);
    if (hit) {
      results.push({ signature, ...hit, cached: true });
    } else {
      const answer = await probeOne(model, sig, decl);
      if (answer.status !== 'unknown-types') {
        probed++;
        cache.set(sig.key, answer);
      }
      results.push({ signature, ...answer, cached: false });
    }
    options.onProgress?.(results.length, signatures.length);
  }
  return { results, settings: executionSettings('disabled'), ms: performance.now() - start, probed };
}
