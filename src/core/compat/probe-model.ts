/**
 * A one-node model for a signature: the node as it is (attributes and subgraphs included), its
 * inputs as typed graph inputs, small constant inputs kept as initializers (some kernels read
 * constant inputs when they are created), and the model's own opset imports, IR version and local
 * functions, so that the runtime resolves the operator exactly as it would in the full model.
 */
import { Long, onnx } from '../onnx/codec.js';
import { tensorStorageBytes } from '../onnx/tensor.js';
import type { OpSignature } from './op-signatures.js';
import type { ValueDeclarations } from './value-types.js';

/** Constant inputs up to this size travel as initializers; larger ones become typed graph inputs. */
const MAX_CONSTANT_BYTES = 4 * 1024 * 1024;

/** Names a node's subgraphs read from enclosing scopes (ONNX IR: subgraphs may use outer values). */
export function implicitInputs(node: onnx.INodeProto): string[] {
  const out = new Set<string>();
  const visit = (g: onnx.IGraphProto, outer: ReadonlySet<string>): void => {
    const local = new Set(outer);
    for (const v of g.input ?? []) if (v.name) local.add(v.name);
    for (const t of g.initializer ?? []) if (t.name) local.add(t.name);
    for (const s of g.sparseInitializer ?? []) if (s.values?.name) local.add(s.values.name);
    for (const n of g.node ?? []) {
      for (const i of n.input ?? []) if (i && !local.has(i)) out.add(i);
      for (const a of n.attribute ?? []) {
        if (a.g) visit(a.g, local);
        for (const sub of a.graphs ?? []) visit(sub, local);
      }
      for (const o of n.output ?? []) if (o) local.add(o);
    }
  };
  for (const a of node.attribute ?? []) {
    if (a.g) visit(a.g, new Set());
    for (const sub of a.graphs ?? []) visit(sub, new Set());
  }
  return [...out];
}

/** A Constant node's tensor, when it carries one in `value`. */
function constantTensor(node: onnx.INodeProto | undefined): onnx.ITensorProto | undefined {
  if (!node || node.opType !== 'Constant' || (node.domain ?? '') !== '') return undefined;
  return (node.attribute ?? []).find((a) => a.name === 'value')?.t ?? undefined;
}

export type ProbeModelResult =
  | { readonly ok: true; readonly model: onnx.ModelProto }
  | { readonly ok: false; readonly reason: string };

/** Prefix of the helper nodes and values a probe adds around the node under test. */
export const PROBE_PREFIX = 'probe__';

export interface ProbeModelOptions {
  /**
   * Element types the runtime can take as graph inputs and return as outputs. A value of another type
   * (bfloat16, float8, int4 with onnxruntime-web) is fed through a Cast from float32, and returned
   * through a Cast to float32, so that the node itself is what gets tested.
   */
  readonly passable?: (elemType: number) => boolean;
}

export function buildProbeModel(model: onnx.IModelProto, sig: OpSignature, decl: ValueDeclarations, options: ProbeModelOptions = {}): ProbeModelResult {
  const node = sig.sample;
  const passable = options.passable ?? (() => true);
  const casts: onnx.INodeProto[] = [];
  const castNode = (input: string, output: string, to: number): onnx.INodeProto => ({
    name: `${PROBE_PREFIX}cast_${casts.length}`, opType: 'Cast', input: [input], output: [output],
    attribute: [{ name: 'to', type: onnx.AttributeProto.AttributeType.INT, i: Long.fromNumber(to) }],
  });
  const names = [...new Set([...(node.input ?? []).filter((n) => n), ...implicitInputs(node)])];
  const inputs: onnx.IValueInfoProto[] = [];
  const initializers: onnx.ITensorProto[] = [];
  let constantBytes = 0;
  for (const name of names) {
    const constant = decl.initializers.get(name) ?? constantTensor(decl.producers.get(name));
    const size = constant ? tensorStorageBytes(constant) : 0;
    if (constant && (constant.dataLocation ?? 0) === 0 && constantBytes + size <= MAX_CONSTANT_BYTES) {
      constantBytes += size;
      initializers.push({ ...constant, name });
      continue;
    }
    const declared = decl.protos.get(name);
    const elemType = decl.types.get(name);
    const shape = declared?.tensorType?.shape ? { shape: declared.tensorType.shape } : {};
    if (elemType && !passable(elemType)) {
      const fed = `${PROBE_PREFIX}in_${inputs.length}`;
      inputs.push({ name: fed, type: { tensorType: { elemType: onnx.TensorProto.DataType.FLOAT, ...shape } } });
      casts.push(castNode(fed, name, elemType));
    } else if (declared?.tensorType && elemType) {
      inputs.push({ name, type: { tensorType: { elemType, ...shape } } });
    } else if (declared && !declared.tensorType) {
      inputs.push({ name, type: declared }); // sequences, optionals, maps: as declared
    } else if (elemType) {
      inputs.push({ name, type: { tensorType: { elemType } } });
    } else {
      return { ok: false, reason: `the element type of input '${name}' is unknown (run shape inference, or pass a type map)` };
    }
  }
  const outCasts: onnx.INodeProto[] = [];
  const outputs: onnx.IValueInfoProto[] = (node.output ?? [])
    .filter((n) => n)
    .map((name, i) => {
      const elemType = decl.types.get(name);
      const declared = decl.protos.get(name);
      if (declared && !declared.tensorType) return { name, type: declared };
      if (elemType && !passable(elemType)) {
        const returned = `${PROBE_PREFIX}out_${i}`;
        outCasts.push({ ...castNode(name, returned, onnx.TensorProto.DataType.FLOAT), name: `${PROBE_PREFIX}cast_out_${i}` });
        return { name: returned, type: { tensorType: { elemType: onnx.TensorProto.DataType.FLOAT } } };
      }
      // Left untyped: ORT infers output types from the inputs and attributes. Declaring them would
      // risk a false failure when a name is reused with another type in a sibling subgraph.
      return { name };
    });
  const probe = onnx.ModelProto.create({
    irVersion: model.irVersion ?? Long.fromNumber(8),
    opsetImport: model.opsetImport ?? [],
    producerName: 'model-optimization-studio op probe',
    graph: {
      name: 'probe',
      node: [...casts, { ...node, name: node.name || 'probe' }, ...outCasts],
      input: inputs,
      initializer: initializers,
      output: outputs,
    },
    ...(model.functions?.length ? { functions: model.functions } : {}),
  });
  return { ok: true, model: probe };
}
