/**
 * The model summary: what the Overview shows and what `studio inspect --json` prints. Everything here
 * is plain JSON (numbers, strings, arrays, objects; no Long, no typed arrays) so it crosses a worker
 * boundary by structured clone and serialises as is.
 */
import type { onnx } from '../onnx/codec.js';
import { toNumber } from '../onnx/codec.js';
import { dtypeName } from '../onnx/dtypes.js';
import { buildGraph } from '../graph/build-graph.js';
import type { GraphIR, Scope } from '../graph/ir.js';
import { displayDomain } from '../graph/opsets.js';
import { validateGraphIR } from '../graph/validate.js';
import type { ValidationIssue } from '../graph/validate.js';
import { declaredTensorInfo, inferShapesIR } from '../shape/infer-shapes.js';
import { mergeShapes } from '../shape/dims.js';
import type { Dim, ShapeMap } from '../shape/types.js';
import { computeStatsIR, weightBytes } from '../stats/compute-stats.js';
import type { DtypeTally, ModelStats } from '../stats/compute-stats.js';

export interface InspectTensor {
  readonly name: string;
  /** dtypeName(): 'float32', …; 'undefined' when the model does not say. */
  readonly dtype: string;
  /** Sizes, symbolic names, null for an unnamed unknown dim; null when even the rank is unknown. */
  readonly shape: Dim[] | null;
}

/** Public contract: the JSON of `studio inspect --json`. Add fields only with a version bump of the CLI. */
export interface InspectReport {
  readonly irVersion: number;
  /** Domain → version; the default domain is written "ai.onnx". */
  readonly opsets: Record<string, number>;
  readonly producer: { readonly name: string; readonly version: string };
  /** Graph inputs that are not initializers. */
  readonly inputs: InspectTensor[];
  readonly outputs: InspectTensor[];
  /** Nodes of all graphs, subgraphs included. */
  readonly nodeCount: number;
  /** Op type → count, subgraphs included; ops outside the default domain as 'domain.OpType'. */
  readonly opHistogram: Record<string, number>;
  /** Elements of every initializer, sparse initializer and tensor-valued Constant, subgraphs included. */
  readonly parameterCount: number;
  readonly weightBytes: number;
  readonly fileBytes: number;
  /** Total multiply-accumulates of the nodes whose shapes are known (symbolic dims as 1); null if none. */
  readonly macs: number | null;
}

export interface WeightEntry {
  readonly name: string;
  readonly dtype: string;
  readonly shape: number[];
  readonly bytes: number;
  readonly kind: 'initializer' | 'sparse-initializer' | 'constant';
}

export interface ModelSummary extends InspectReport {
  readonly graphName: string;
  readonly docString: string;
  readonly modelDomain: string;
  readonly modelVersion: number;
  readonly metadata: { readonly key: string; readonly value: string }[];
  /** Model-local functions (FunctionProto), named 'domain.name'. */
  readonly functions: { readonly count: number; readonly names: string[] };
  /** Weights by element type, largest bytes first. */
  readonly bytesByDtype: Record<string, DtypeTally>;
  /** The same tallies, most elements first. */
  readonly paramsByDtype: Record<string, DtypeTally>;
  readonly weightCount: number;
  /** If/Loop/Scan bodies (all GRAPH/GRAPHS attributes, nested included). */
  readonly subgraphCount: number;
  readonly issues: ValidationIssue[];
  /** MACs per op type ('Conv', 'MatMul', …). */
  readonly macsByOpType: Record<string, number>;
  /** MAC-bearing nodes (Conv, Gemm, MatMul, RNNs…) whose MACs were computed / could not be. */
  readonly macNodes: number;
  readonly unknownMacNodes: number;
  /** Symbolic dims counted as 1 in `macs` (e.g. ['batch']): the MACs are per one of each. */
  readonly macAssumedSymbols: string[];
  /** Top 10 weights by stored bytes. */
  readonly largestWeights: WeightEntry[];
}

const LARGEST_WEIGHTS = 10;

function tensorEntry(scope: Scope, name: string, shapes: ShapeMap, preferInferred: boolean): InspectTensor {
  const declared = declaredTensorInfo(scope.valueInfo.get(name));
  const inferred = shapes.get(name);
  const dtype = declared?.dtype || inferred?.dtype || 0;
  const shape = preferInferred ? mergeShapes(declared?.shape, inferred?.shape) : (declared?.shape ?? inferred?.shape);
  return { name, dtype: dtypeName(dtype), shape: shape ? [...shape] : null };
}

function sortedRecord(entries: [string, DtypeTally][], by: (t: DtypeTally) => number): Record<string, DtypeTally> {
  const out: Record<string, DtypeTally> = {};
  for (const [k, v] of [...entries].sort((a, b) => by(b[1]) - by(a[1]))) out[k] = { ...v };
  return out;
}

/** The analyses every view starts from, computed once per model (the worker caches them). */
export interface ModelAnalysis {
  readonly ir: GraphIR;
  readonly shapes: ShapeMap;
  readonly stats: ModelStats;
}

export function analyseModel(model: onnx.IModelProto): ModelAnalysis {
  const ir = buildGraph(model);
  const shapes = inferShapesIR(ir);
  return { ir, shapes, stats: computeStatsIR(ir, shapes) };
}

export function summarizeModel(model: onnx.IModelProto, opts: { fileBytes: number }, analysis: ModelAnalysis = analyseModel(model)): ModelSummary {
  const { ir, shapes, stats } = analysis;
  const issues = validateGraphIR(ir);
  const root = ir.root;

  const opsets: Record<string, number> = {};
  for (const [domain, version] of ir.opsets) opsets[displayDomain(domain)] = version;

  const inputs = root ? root.inputs.filter((n) => n && !root.initializers.has(n) && !root.sparseInitializers.has(n)).map((n) => tensorEntry(root, n, shapes, false)) : [];
  const outputs = root ? root.outputs.filter((n) => n).map((n) => tensorEntry(root, n, shapes, true)) : [];

  const largestWeights = ir.weights
    .map((w) => ({ w, bytes: weightBytes(w) }))
    .sort((a, b) => b.bytes - a.bytes)
    .slice(0, LARGEST_WEIGHTS)
    .map(({ w, bytes }): WeightEntry => ({ name: w.name, dtype: dtypeName(w.dtype), shape: [...w.dims], bytes, kind: w.kind }));

  const tallies = Object.entries(stats.byDtype);
  const functions = model.functions ?? [];
  return {
    irVersion: toNumber(model.irVersion),
    opsets,
    producer: { name: model.producerName ?? '', version: model.producerVersion ?? '' },
    inputs,
    outputs,
    nodeCount: stats.nodeCount,
    opHistogram: stats.opHistogram,
    parameterCount: stats.parameterCount,
    weightBytes: stats.weightBytes,
    fileBytes: opts.fileBytes,
    macs: stats.totalMacs,
    graphName: model.graph?.name ?? '',
    docString: model.docString ?? '',
    modelDomain: model.domain ?? '',
    modelVersion: toNumber(model.modelVersion),
    metadata: (model.metadataProps ?? []).map((p) => ({ key: p.key ?? '', value: p.value ?? '' })),
    functions: { count: functions.length, names: functions.map((f) => (f.domain ? `${f.domain}.${f.name ?? ''}` : (f.name ?? ''))) },
    bytesByDtype: sortedRecord(tallies, (t) => t.bytes),
    paramsByDtype: sortedRecord(tallies, (t) => t.elements),
    weightCount: stats.weightCount,
    subgraphCount: stats.subgraphCount,
    issues,
    macsByOpType: stats.macsByOp,
    macNodes: stats.macNodes,
    unknownMacNodes: stats.unknownMacNodes,
    macAssumedSymbols: stats.assumedSymbols,
    largestWeights,
  };
}

/** Exactly the public InspectReport fields, in contract order (the CLI prints this as JSON). */
export function toInspectReport(s: ModelSummary): InspectReport {
  return {
    irVersion: s.irVersion,
    opsets: { ...s.opsets },
    producer: { name: s.producer.name, version: s.producer.version },
    inputs: s.inputs.map((t) => ({ name: t.name, dtype: t.dtype, shape: t.shape ? [...t.shape] : null })),
    outputs: s.outputs.map((t) => ({ name: t.name, dtype: t.dtype, shape: t.shape ? [...t.shape] : null })),
    nodeCount: s.nodeCount,
    opHistogram: { ...s.opHistogram },
    parameterCount: s.parameterCount,
    weightBytes: s.weightBytes,
    fileBytes: s.fileBytes,
    macs: s.macs,
  };
}
