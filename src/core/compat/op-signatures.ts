/**
 * The distinct operator "signatures" of a model: (domain, op_type, opset version, input types, output
 * types). ONNX Runtime registers kernels per (domain, op, version range, type constraints), so one
 * probe per signature answers "can the runtime run this node?" for every node sharing it.
 */
import type { onnx } from '../onnx/codec.js';
import { toNumber } from '../onnx/codec.js';
import { dtypeName } from '../onnx/dtypes.js';
import { collectValueTypes } from './value-types.js';
import type { ValueDeclarations, ValueTypes } from './value-types.js';

export interface OpSignature {
  /** Cache key: "domain|op|opset|in types|out types". */
  readonly key: string;
  /** '' for the default ONNX domain (ai.onnx is folded into it). */
  readonly domain: string;
  readonly opType: string;
  /** The opset version the model imports for the node's domain; undefined when it imports none. */
  readonly opset: number | undefined;
  /** Element type names per input ('' for an omitted optional input, '?' when unknown). */
  readonly inputTypes: readonly string[];
  readonly outputTypes: readonly string[];
  /** How many nodes share this signature. */
  readonly nodes: number;
  /** Names (or "op #index") of the first few nodes, for messages. */
  readonly nodeNames: readonly string[];
  /** The first node with this signature: the one a probe model is built from. */
  readonly sample: onnx.INodeProto;
  /** Whether some of these nodes sit in a Loop or Scan body (run once per iteration). */
  readonly inLoopBody: number;
}

export const UNKNOWN_TYPE = '?';

export function normalizeDomain(domain: string | null | undefined): string {
  return !domain || domain === 'ai.onnx' ? '' : domain;
}

/** The opset version a model imports for `domain` (ai.onnx and '' are the same domain). */
export function opsetFor(model: onnx.IModelProto, domain: string): number | undefined {
  const d = normalizeDomain(domain);
  const entry = (model.opsetImport ?? []).find((o) => normalizeDomain(o.domain) === d);
  return entry ? toNumber(entry.version) : undefined;
}

/** Every node of the model with whether it runs inside a Loop/Scan body (directly or nested). */
export function nodesWithContext(graph: onnx.IGraphProto | null | undefined): { node: onnx.INodeProto; index: number; inLoop: boolean }[] {
  const out: { node: onnx.INodeProto; index: number; inLoop: boolean }[] = [];
  const visit = (g: onnx.IGraphProto, inLoop: boolean): void => {
    for (const node of g.node ?? []) {
      out.push({ node, index: out.length, inLoop });
      const loops = node.opType === 'Loop' || node.opType === 'Scan';
      for (const a of node.attribute ?? []) {
        if (a.g) visit(a.g, inLoop || loops);
        for (const sub of a.graphs ?? []) visit(sub, inLoop || loops);
      }
    }
  };
  if (graph) visit(graph, false);
  return out;
}

/** "float32", or "seq(float32)", "opt(seq(int64))", "map(string,float32)" for non-tensor values. */
export function typeProtoName(t: onnx.ITypeProto | null | undefined): string {
  if (!t) return UNKNOWN_TYPE;
  if (t.tensorType) return t.tensorType.elemType ? dtypeName(t.tensorType.elemType) : UNKNOWN_TYPE;
  if (t.sequenceType) return `seq(${typeProtoName(t.sequenceType.elemType)})`;
  if (t.optionalType) return `opt(${typeProtoName(t.optionalType.elemType)})`;
  if (t.mapType) return `map(${dtypeName(t.mapType.keyType ?? 0)},${typeProtoName(t.mapType.valueType)})`;
  if (t.sparseTensorType) return `sparse(${dtypeName(t.sparseTensorType.elemType ?? 0)})`;
  return UNKNOWN_TYPE;
}

function typeNames(names: readonly string[] | null | undefined, decl: ValueDeclarations): string[] {
  return (names ?? []).map((n) => {
    if (!n) return '';
    const t = decl.types.get(n);
    if (t) return dtypeName(t);
    const declared = decl.protos.get(n);
    return declared ? typeProtoName(declared) : UNKNOWN_TYPE;
  });
}

export function collectOpSignatures(model: onnx.IModelProto, supplied?: ValueTypes, decl?: ValueDeclarations): OpSignature[] {
  const types = decl ?? collectValueTypes(model, supplied);
  const byKey = new Map<string, { sig: Omit<OpSignature, 'nodes' | 'nodeNames' | 'inLoopBody'>; nodes: number; names: string[]; inLoop: number }>();
  for (const { node, index, inLoop } of nodesWithContext(model.graph)) {
    const domain = normalizeDomain(node.domain);
    const opType = node.opType ?? '';
    const opset = opsetFor(model, domain);
    const inputTypes = typeNames(node.input, types);
    const outputTypes = typeNames(node.output, types);
    const key = [domain, opType, opset ?? '-', inputTypes.join(','), outputTypes.join(',')].join('|');
    let entry = byKey.get(key);
    if (!entry) {
      entry = { sig: { key, domain, opType, opset, inputTypes, outputTypes, sample: node }, nodes: 0, names: [], inLoop: 0 };
      byKey.set(key, entry);
    }
    entry.nodes++;
    if (inLoop) entry.inLoop++;
    if (entry.names.length < 5) entry.names.push(node.name || `${opType} #${index}`);
  }
  return [...byKey.values()].map((e) => ({ ...e.sig, nodes: e.nodes, nodeNames: e.names, inLoopBody: e.inLoop }));
}
