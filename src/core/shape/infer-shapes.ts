/**
 * inferShapes: one pass over each scope in topological order, seeded from graph inputs, value_info,
 * initializers and Constant nodes. Rules are best effort: an op without a rule (or a rule that meets
 * data it does not understand) leaves its outputs unknown; nothing here throws on model content.
 */
import type { onnx } from '../onnx/codec.js';
import { toNumber } from '../onnx/codec.js';
import { tensorDims } from '../onnx/tensor.js';
import { buildGraph } from '../graph/build-graph.js';
import type { GraphIR, IRNode, Scope } from '../graph/ir.js';
import { DEFAULT_DOMAIN, MAX_TOLERATED_DEFAULT_OPSET, opKey } from '../graph/opsets.js';
import type { Entry, RuleOutput, RuleResult } from './context.js';
import { Env, NodeContext } from './context.js';
import { mergeShapes } from './dims.js';
import { DEFAULT_MAX_KNOWN_ELEMENTS } from './known-values.js';
import { SHAPE_RULES } from './rules/index.js';
import type { Dim, InferOptions, ShapeMap, TensorInfo } from './types.js';

export function inferShapes(model: onnx.IModelProto, options?: InferOptions): ShapeMap {
  return inferShapesIR(buildGraph(model), options);
}

export function inferShapesIR(ir: GraphIR, options: InferOptions = {}): ShapeMap {
  const engine = new Engine(ir, options);
  if (ir.root) engine.runScope(ir.root, new Env(undefined), new Map());
  return engine.results;
}

/** Declared type of a ValueInfoProto, or undefined when it declares no tensor type. */
export function declaredTensorInfo(vi: onnx.IValueInfoProto | undefined, symbols?: Readonly<Record<string, number>>): TensorInfo | undefined {
  const tt = vi?.type?.tensorType ?? vi?.type?.sparseTensorType;
  if (!tt) return undefined;
  const dtype = tt.elemType ?? 0;
  if (!tt.shape) return { dtype, shape: undefined };
  const shape = (tt.shape.dim ?? []).map((d): Dim => {
    if (d.dimValue !== null && d.dimValue !== undefined) {
      const v = toNumber(d.dimValue);
      return v >= 0 ? v : null;
    }
    if (d.dimParam) return symbols?.[d.dimParam] ?? d.dimParam;
    return null;
  });
  return { dtype, shape };
}

/** Rules may compute nonsense from inconsistent models (negative or fractional sizes): those become unknown. */
function sanitize(shape: Dim[] | undefined): Dim[] | undefined {
  if (!shape) return undefined;
  let bad = false;
  for (const d of shape) if (typeof d === 'number' && !(Number.isInteger(d) && d >= 0)) bad = true;
  return bad ? shape.map((d) => (typeof d === 'number' && !(Number.isInteger(d) && d >= 0) ? null : d)) : shape;
}

const noSubgraphs = (): (RuleOutput | undefined)[] => [];

class Engine {
  readonly results: ShapeMap = new Map();
  private readonly depthOf = new Map<string, number>();
  private readonly maxKnown: number;

  constructor(
    private readonly ir: GraphIR,
    private readonly options: InferOptions,
  ) {
    this.maxKnown = options.maxKnownElements ?? DEFAULT_MAX_KNOWN_ELEMENTS;
  }

  /** Outer scopes win a name clash; depths are tracked only for subgraph values (the root's are 0). */
  private record(name: string, info: TensorInfo, depth: number): void {
    if (depth === 0) {
      this.results.set(name, info);
      if (this.depthOf.size > 0) this.depthOf.delete(name);
      return;
    }
    const d = this.depthOf.get(name) ?? (this.results.has(name) ? 0 : undefined);
    if (d === undefined || depth < d) {
      this.results.set(name, info);
      this.depthOf.set(name, depth);
    }
  }

  private declared(scope: Scope, name: string): TensorInfo | undefined {
    if (scope.valueInfo.size === 0) return undefined;
    return declaredTensorInfo(scope.valueInfo.get(name), this.options.symbols);
  }

  runScope(scope: Scope, env: Env, seeds: ReadonlyMap<string, RuleOutput>): (RuleOutput | undefined)[] {
    for (const [name, t] of scope.initializers) {
      const info: TensorInfo = { dtype: t.dataType ?? 0, shape: tensorDims(t) };
      env.set(name, { info, tensor: t });
      this.record(name, info, scope.depth);
    }
    for (const [name, sp] of scope.sparseInitializers) {
      const info: TensorInfo = { dtype: sp.values?.dataType ?? 0, shape: (sp.dims ?? []).map((d) => toNumber(d)) };
      env.set(name, { info });
      this.record(name, info, scope.depth);
    }
    for (const name of scope.inputs) {
      if (!name || scope.initializers.has(name) || scope.sparseInitializers.has(name)) continue;
      const seed = seeds.get(name);
      let declared = this.declared(scope, name);
      const override = scope.depth === 0 ? this.options.inputShapes?.[name] : undefined;
      if (override) declared = { dtype: declared?.dtype ?? 0, shape: [...override] };
      const info: TensorInfo = {
        dtype: declared?.dtype || seed?.dtype || 0,
        shape: mergeShapes(declared?.shape, seed?.shape),
      };
      env.set(name, { info, value: seed?.value });
      this.record(name, info, scope.depth);
    }
    for (const node of scope.order) this.runNode(node, env);
    return scope.outputs.map((name) => {
      const e = name ? env.get(name) : undefined;
      return e ? { dtype: e.info.dtype, shape: e.info.shape, value: e.value } : undefined;
    });
  }

  private opsetFor(domain: string): number {
    return this.ir.opsets.get(domain) ?? (domain === DEFAULT_DOMAIN ? MAX_TOLERATED_DEFAULT_OPSET : 1);
  }

  private runNode(node: IRNode, env: Env): void {
    const visited = node.subgraphs.length > 0 ? new Set<Scope>() : undefined;
    const runSubgraph = visited
      ? (sub: Scope, seeds: ReadonlyMap<string, RuleOutput>): (RuleOutput | undefined)[] => {
          visited.add(sub);
          return this.runScope(sub, new Env(env), seeds);
        }
      : noSubgraphs;
    const ctx = new NodeContext(node, this.opsetFor(node.domain), env, this.maxKnown, runSubgraph);
    const rule = SHAPE_RULES.get(opKey(node.domain, node.opType));
    let outs: RuleResult;
    try {
      outs = rule?.(ctx);
    } catch {
      // A rule meeting malformed attributes or inputs: leave the outputs unknown rather than fail.
      outs = undefined;
    }
    if (visited) for (const sub of node.subgraphs) if (!visited.has(sub)) this.runScope(sub, new Env(env), new Map());
    const scope = node.scope;
    node.outputs.forEach((name, k) => {
      if (!name) return;
      const o = outs?.[k];
      const declared = this.declared(scope, name);
      const info: TensorInfo = { dtype: o?.dtype || declared?.dtype || 0, shape: sanitize(mergeShapes(o?.shape, declared?.shape)) };
      const value = o?.value && o.value.data.length <= this.maxKnown ? o.value : undefined;
      const entry: Entry = { info, value };
      env.set(name, entry);
      this.record(name, info, scope.depth);
    });
  }
}
