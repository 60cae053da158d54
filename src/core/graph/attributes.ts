/**
 * Typed reads of NodeProto attributes. protobufjs fills absent scalar fields with defaults (0, Long 0,
 * empty arrays), so presence is decided by the attribute existing by name, not by the field value.
 */
import type { onnx } from '../onnx/codec.js';
import { AttributeType, toNumber } from '../onnx/codec.js';

const utf8 = new TextDecoder();

export function findAttr(node: onnx.INodeProto, name: string): onnx.IAttributeProto | undefined {
  const attrs = node.attribute;
  if (!attrs) return undefined;
  for (const a of attrs) if (a.name === name) return a;
  return undefined;
}

export function hasAttr(node: onnx.INodeProto, name: string): boolean {
  return findAttr(node, name) !== undefined;
}

export function attrInt(node: onnx.INodeProto, name: string, fallback: number): number {
  const a = findAttr(node, name);
  return a ? toNumber(a.i) : fallback;
}

export function attrInts(node: onnx.INodeProto, name: string): number[] | undefined {
  const a = findAttr(node, name);
  return a ? (a.ints ?? []).map((v) => toNumber(v)) : undefined;
}

export function attrFloat(node: onnx.INodeProto, name: string, fallback: number): number {
  const a = findAttr(node, name);
  return a ? (a.f ?? 0) : fallback;
}

export function attrFloats(node: onnx.INodeProto, name: string): number[] | undefined {
  const a = findAttr(node, name);
  return a ? [...(a.floats ?? [])] : undefined;
}

export function attrString(node: onnx.INodeProto, name: string, fallback: string): string {
  const a = findAttr(node, name);
  return a?.s ? utf8.decode(a.s) : fallback;
}

export function attrTensor(node: onnx.INodeProto, name: string): onnx.ITensorProto | undefined {
  return findAttr(node, name)?.t ?? undefined;
}

export interface GraphAttribute {
  /** Attribute name, e.g. 'then_branch', 'body'. */
  readonly name: string;
  /** Position within a GRAPHS attribute; undefined for a single GRAPH attribute. */
  readonly index: number | undefined;
  readonly graph: onnx.IGraphProto;
}

/** Every subgraph a node carries (If, Loop, Scan and any custom op with GRAPH/GRAPHS attributes). */
export function graphAttributes(node: onnx.INodeProto): GraphAttribute[] {
  const out: GraphAttribute[] = [];
  for (const a of node.attribute ?? []) {
    const name = a.name ?? '';
    if (a.g && (a.type === AttributeType.GRAPH || !a.type)) out.push({ name, index: undefined, graph: a.g });
    if (a.graphs && a.graphs.length > 0 && (a.type === AttributeType.GRAPHS || !a.type)) {
      a.graphs.forEach((graph, index) => out.push({ name, index, graph }));
    }
  }
  return out;
}
