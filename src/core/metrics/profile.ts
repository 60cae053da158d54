/**
 * onnxruntime's profiler trace, read (pure): Chrome-trace events, one JSON object per line, as ORT prints
 * them at endProfiling (runtime/profile-capture.ts collects the lines). What we use:
 *   - `cat: "Node"` events named `<node name>_kernel_time`: one kernel execution, `dur` in µs, with
 *     `args.op_name` — the kernel that ran, which after ORT's graph optimisations may differ from the
 *     model's op (Conv+Relu → FusedConv; DequantizeLinear → Conv → QuantizeLinear → QLinearConv, named
 *     after the Conv) — and `args.provider`, `args.input_type_shape`;
 *   - `cat: "Session"` events named `model_run`: one inference, whose time span holds its kernels.
 * Kernels are attributed to runs by time; runs before `skipRuns` (warm-up) are dropped.
 */

export interface KernelEvent {
  /** Node name as ORT knows it (the model's name; ORT-made nodes have their own). */
  readonly node: string;
  /** The kernel that ran (op type after fusion). */
  readonly kernel: string;
  readonly provider: string;
  readonly startUs: number;
  readonly durUs: number;
  /** Element type of the first input ('float', 'uint8', …) when the trace gives it. */
  readonly inputType?: string;
}

export interface RunSpan {
  readonly startUs: number;
  readonly durUs: number;
}

export interface ParsedTrace {
  readonly kernels: readonly KernelEvent[];
  readonly runs: readonly RunSpan[];
  /** Session initialisation (graph optimisation, kernel creation) in µs, when traced. */
  readonly sessionInitUs?: number;
  /** Lines that looked like events but did not parse. */
  readonly badLines: number;
}

interface RawEvent {
  readonly cat?: unknown;
  readonly name?: unknown;
  readonly dur?: unknown;
  readonly ts?: unknown;
  readonly args?: { readonly op_name?: unknown; readonly provider?: unknown; readonly input_type_shape?: unknown };
}

const SUFFIX = '_kernel_time';

function firstInputType(shapes: unknown): string | undefined {
  if (!Array.isArray(shapes) || shapes.length === 0) return undefined;
  const first: unknown = shapes[0];
  if (typeof first !== 'object' || first === null) return undefined;
  return Object.keys(first)[0];
}

export function parseTrace(lines: readonly string[]): ParsedTrace {
  const kernels: KernelEvent[] = [];
  const runs: RunSpan[] = [];
  let sessionInitUs: number | undefined;
  let badLines = 0;
  for (const raw of lines) {
    const line = raw.trim().replace(/,$/, '');
    if (!line.startsWith('{')) continue;
    let e: RawEvent;
    try {
      e = JSON.parse(line) as RawEvent;
    } catch {
      badLines++;
      continue;
    }
    const name = typeof e.name === 'string' ? e.name : '';
    const dur = typeof e.dur === 'number' ? e.dur : NaN;
    const ts = typeof e.ts === 'number' ? e.ts : NaN;
    if (!Number.isFinite(dur) || !Number.isFinite(ts)) continue;
    if (e.cat === 'Session') {
      if (name === 'model_run') runs.push({ startUs: ts, durUs: dur });
      else if (name === 'session_initialization') sessionInitUs = dur;
      continue;
    }
    if (e.cat !== 'Node' || !name.endsWith(SUFFIX)) continue;
    const inputType = firstInputType(e.args?.input_type_shape);
    kernels.push({
      node: name.slice(0, -SUFFIX.length),
      kernel: typeof e.args?.op_name === 'string' ? e.args.op_name : '?',
      provider: typeof e.args?.provider === 'string' ? e.args.provider : '',
      startUs: ts,
      durUs: dur,
      ...(inputType ? { inputType } : {}),
    });
  }
  runs.sort((a, b) => a.startUs - b.startUs);
  return { kernels, runs, ...(sessionInitUs !== undefined ? { sessionInitUs } : {}), badLines };
}

export interface NodeTime {
  readonly node: string;
  readonly kernel: string;
  /** Mean µs per measured run (a node that runs several times per run, e.g. in a Loop, sums them). */
  readonly meanUs: number;
  /** Share of the kernel time of a run. */
  readonly share: number;
  readonly inputType?: string;
}

export interface KernelTime {
  readonly kernel: string;
  readonly meanUs: number;
  readonly share: number;
  readonly nodes: number;
}

export interface ProfileSummary {
  readonly runs: number;
  /** Mean over measured runs of the sum of kernel times, µs. */
  readonly kernelUsPerRun: number;
  /** Mean measured run span (model_run), µs: kernel time plus the executor's own. */
  readonly runUs: number;
  readonly nodes: readonly NodeTime[];
  readonly kernels: readonly KernelTime[];
  readonly sessionInitUs?: number;
}

/** Per node and per kernel type, averaged over the runs after `skipRuns`, slowest first. */
export function summarizeTrace(trace: ParsedTrace, skipRuns = 0): ProfileSummary {
  const runs = trace.runs.slice(skipRuns);
  const inRun = (k: KernelEvent): boolean => runs.some((r) => k.startUs >= r.startUs && k.startUs <= r.startUs + r.durUs);
  // Without run events (an older trace), every kernel counts, as one run.
  const kernels = runs.length ? trace.kernels.filter(inRun) : trace.kernels;
  const n = Math.max(1, runs.length);
  const byNode = new Map<string, { kernel: string; us: number; inputType?: string }>();
  const byKernel = new Map<string, { us: number; nodes: Set<string> }>();
  let total = 0;
  for (const k of kernels) {
    total += k.durUs;
    const node = byNode.get(k.node) ?? { kernel: k.kernel, us: 0, ...(k.inputType ? { inputType: k.inputType } : {}) };
    node.us += k.durUs;
    byNode.set(k.node, node);
    const kind = byKernel.get(k.kernel) ?? { us: 0, nodes: new Set<string>() };
    kind.us += k.durUs;
    kind.nodes.add(k.node);
    byKernel.set(k.kernel, kind);
  }
  const share = (us: number): number => (total > 0 ? us / total : 0);
  const nodes = [...byNode].map(([node, v]) => ({ node, kernel: v.kernel, meanUs: v.us / n, share: share(v.us), ...(v.inputType ? { inputType: v.inputType } : {}) }));
  nodes.sort((a, b) => b.meanUs - a.meanUs);
  const kinds = [...byKernel].map(([kernel, v]) => ({ kernel, meanUs: v.us / n, share: share(v.us), nodes: v.nodes.size }));
  kinds.sort((a, b) => b.meanUs - a.meanUs);
  const runUs = runs.length ? runs.reduce((s, r) => s + r.durUs, 0) / runs.length : total;
  return { runs: runs.length, kernelUsPerRun: total / n, runUs, nodes, kernels: kinds, ...(trace.sessionInitUs !== undefined ? { sessionInitUs: trace.sessionInitUs } : {}) };
}
