/**
 * What a shape rule sees of one node: its inputs' types, shapes and (when small and known) values,
 * its attributes and the opset version of its domain.
 */
import type { onnx } from '../onnx/codec.js';
import { attrFloat, attrFloats, attrInt, attrInts, attrString, attrTensor, hasAttr } from '../graph/attributes.js';
import type { IRNode, Scope } from '../graph/ir.js';
import { knownInts, tensorKnownValue } from './known-values.js';
import type { Dim, KnownValue, TensorInfo } from './types.js';

export interface Entry {
  info: TensorInfo;
  /** Known contents, decoded lazily from `tensor` when a rule asks. */
  value?: KnownValue | undefined;
  tensor?: onnx.ITensorProto | undefined;
  decoded?: boolean;
}

/** Values visible in one scope; lookups fall through to enclosing scopes. */
export class Env {
  private readonly map = new Map<string, Entry>();
  constructor(readonly parent: Env | undefined) {}

  get(name: string): Entry | undefined {
    return this.map.get(name) ?? this.parent?.get(name);
  }

  set(name: string, entry: Entry): void {
    this.map.set(name, entry);
  }

  hasLocal(name: string): boolean {
    return this.map.has(name);
  }
}

/** One output of a rule: type, shape and optionally known contents. */
export interface RuleOutput {
  readonly dtype: number;
  readonly shape: Dim[] | undefined;
  readonly value?: KnownValue | undefined;
}

export type RuleResult = (RuleOutput | undefined)[] | undefined;

export type SubgraphRunner = (scope: Scope, seeds: ReadonlyMap<string, RuleOutput>) => (RuleOutput | undefined)[];

export class NodeContext {
  readonly proto: onnx.INodeProto;

  constructor(
    readonly node: IRNode,
    readonly opset: number,
    private readonly env: Env,
    readonly maxKnown: number,
    private readonly runSubgraph: SubgraphRunner,
  ) {
    this.proto = node.proto;
  }

  get inputCount(): number {
    return this.node.inputs.length;
  }

  get outputCount(): number {
    return this.node.outputs.length;
  }

  /** Is optional input i given? */
  has(i: number): boolean {
    return !!this.node.inputs[i];
  }

  private entry(i: number): Entry | undefined {
    const name = this.node.inputs[i];
    return name ? this.env.get(name) : undefined;
  }

  info(i: number): TensorInfo | undefined {
    return this.entry(i)?.info;
  }

  shape(i: number): Dim[] | undefined {
    return this.entry(i)?.info.shape;
  }

  dtype(i: number): number {
    return this.entry(i)?.info.dtype ?? 0;
  }

  rank(i: number): number | undefined {
    return this.entry(i)?.info.shape?.length;
  }

  value(i: number): KnownValue | undefined {
    const e = this.entry(i);
    if (!e) return undefined;
    if (!e.decoded && e.tensor && e.value === undefined) {
      e.decoded = true;
      e.value = tensorKnownValue(e.tensor, this.maxKnown);
    }
    return e.value;
  }

  /** Could value(i) be known? Cheap: decides without decoding initializers. */
  mayHaveValue(i: number): boolean {
    const e = this.entry(i);
    if (!e) return false;
    if (e.value !== undefined) return true;
    if (!e.tensor || e.decoded) return false;
    const shape = e.info.shape;
    if (!shape) return false;
    let n = 1;
    for (const d of shape) n *= typeof d === 'number' ? d : Infinity;
    return n <= this.maxKnown;
  }

  /** Known all-numeric contents of input i. */
  ints(i: number): number[] | undefined {
    return knownInts(this.value(i));
  }

  hasAttr(name: string): boolean {
    return hasAttr(this.proto, name);
  }

  attrInt(name: string, fallback: number): number {
    return attrInt(this.proto, name, fallback);
  }

  attrInts(name: string): number[] | undefined {
    return attrInts(this.proto, name);
  }

  attrFloat(name: string, fallback: number): number {
    return attrFloat(this.proto, name, fallback);
  }

  attrFloats(name: string): number[] | undefined {
    return attrFloats(this.proto, name);
  }

  attrString(name: string, fallback: string): string {
    return attrString(this.proto, name, fallback);
  }

  attrTensor(name: string): onnx.ITensorProto | undefined {
    return attrTensor(this.proto, name);
  }

  /** The subgraph held by attribute `name` (first one for GRAPHS). */
  subgraph(name: string): Scope | undefined {
    return this.node.subgraphs.find((s) => s.attribute === name);
  }

  /** Infer a subgraph with its formal inputs seeded; returns its outputs' types in order. */
  inferSubgraph(scope: Scope, seeds: ReadonlyMap<string, RuleOutput>): (RuleOutput | undefined)[] {
    return this.runSubgraph(scope, seeds);
  }
}

export type ShapeRule = (ctx: NodeContext) => RuleResult;

export const out = (dtype: number, shape: Dim[] | undefined, value?: KnownValue): RuleOutput =>
  value === undefined ? { dtype, shape } : { dtype, shape, value };
