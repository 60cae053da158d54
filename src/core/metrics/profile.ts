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
  /** Median over measured runs of its µs per run (a node that runs several times per run, e.g. in a Loop, sums them). */
  readonly meanUs: number;
  /** Share of the sum of the nodes' figures. */
  share: number;
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
  /** Sum of the nodes' per-run medians, µs. */
  readonly kernelUsPerRun: number;
  /** Median measured run span (model_run), µs: kernel time plus the executor's own. */
  readonly runUs: number;
  readonly nodes: readonly NodeTime[];
  readonly kernels: readonly KernelTime[];
  readonly sessionInitUs?: number;
}

/**
 * Per node and per kernel type over the runs after `skipRuns`, slowest first. Each node's figure is
 * its median time per run: on a shared machine one preempted run can cost a kernel 30× its usual time,
 * which a mean would charge to that kernel (measured: the same QLinearConv 23 µs and 693 µs "mean").
 */
export function summarizeTrace(trace: ParsedTrace, skipRuns = 0): ProfileSummary {
  const runs = trace.runs.slice(skipRuns);
  const runOf = (k: KernelEvent): number => runs.findIndex((r) => k.startUs >= r.startUs && k.startUs <= r.startUs + r.durUs);
  // Without run events (an older trace), every kernel counts, as one run.
  const n = Math.max(1, runs.length);
  const byNode = new Map<string, { kernel: string; perRun: Float64Array; inputType?: string }>();
  for (const k of trace.kernels) {
    const r = runs.length ? runOf(k) : 0;
    if (r < 0) continue;
    const node = byNode.get(k.node) ?? { kernel: k.kernel, perRun: new Float64Array(n), ...(k.inputType ? { inputType: k.inputType } : {}) };
    node.perRun[r] = (node.perRun[r] as number) + k.durUs;
    byNode.set(k.node, node);
  }
  const nodes = [...byNode].map(([node, v]) => ({ node, kernel: v.kernel, meanUs: medianOf(v.perRun), share: 0, ...(v.inputType ? { inputType: v.inputType } : {}) }));
  const total = nodes.reduce((s, x) => s + x.meanUs, 0);
  for (const x of nodes) x.share = total > 0 ? x.meanUs / total : 0;
  nodes.sort((a, b) => b.meanUs - a.meanUs);
  const byKernel = new Map<string, { us: number; nodes: number }>();
  for (const x of nodes) {
    const kind = byKernel.get(x.kernel) ?? { us: 0, nodes: 0 };
    kind.us += x.meanUs;
    kind.nodes++;
    byKernel.set(x.kernel, kind);
  }
  const kinds = [...byKernel].map(([kernel, v]) => ({ kernel, meanUs: v.us, share: total > 0 ? v.us / total : 0, nodes: v.nodes }));
  kinds.sort((a, b) => b.meanUs - a.meanUs);
  const runUs = runs.length ? medianOf(Float64Array.from(runs, (r) => r.durUs)) : total;
  return { runs: runs.length, kernelUsPerRun: total, runUs, nodes, kernels: kinds, ...(trace.sessionInitUs !== undefined ? { sessionInitUs: trace.sessionInitUs } : {}) };
}

function medianOf(values: Float64Array): number {
  if (values.length === 0) return 0;
  const s = Float64Array.from(values).sort();
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}
