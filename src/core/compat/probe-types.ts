/**
 * What the runtime said about one operator signature. Produced by src/runtime/op-support.ts (which asks
 * onnxruntime-web), consumed by cpuReport() here; declared in core so both layers share it.
 */
import type { OpSignature } from './op-signatures.js';

export type ProbeStatus =
  /** A session with this node alone was created: the WASM CPU provider has a kernel. */
  | 'runs'
  /** ORT knows the operator but has no CPU kernel for this opset/type combination ("Could not find an implementation …"). */
  | 'no-kernel'
  /** Session creation failed for another reason (unknown op, type inference, unsupported type, …). */
  | 'error'
  /** Not probed: an input's element type is unknown. */
  | 'unknown-types';

export interface OpProbeResult {
  readonly signature: Omit<OpSignature, 'sample'>;
  readonly status: ProbeStatus;
  /** Why it does not run, in a sentence (empty when it runs). */
  readonly reason: string;
  /** Whether the answer came from the probe cache. */
  readonly cached: boolean;
}
