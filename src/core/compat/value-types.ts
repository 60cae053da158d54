/**
 * Element types of a model's values, needed to ask the runtime about a node in isolation (kernels are
 * registered per type) and to spot slow type patterns.
 *
 * Sources, strongest first: a caller-supplied map (e.g. from full shape inference), the model's own
 * declarations (graph inputs/outputs, value_info, initializers, Constant values, subgraph declarations),
 * then a small forward propagation for values nobody declared (exporters such as torch.onnx usually emit
 * no value_info). The propagation only derives element types, from the ONNX operator specs' type
 * constraints: most operators output their first input's type; the exceptions are listed below.
 */
import { onnx, toNumber } from '../onnx/codec.js';

const DT = onnx.TensorProto.DataType;

/** Value name → TensorProto.DataType code. */
export type ValueTypes = ReadonlyMap<string, number>;

export interface ValueDeclarations {
  /** Element types by value name. */
  readonly types: Map<string, number>;
  /** The full TypeProto (with shape) where the model declares one. */
  readonly protos: Map<string, onnx.ITypeProto>;
  /** Initializers (main graph and subgraphs) by name. */
  readonly initializers: Map<string, onnx.ITensorProto>;
  /** The node producing each value, for pattern checks (e.g. a weight coming from DequantizeLinear). */
  readonly producers: Map<string, onnx.INodeProto>;
}

function attr(node: onnx.INodeProto, name: string): onnx.IAttributeProto | undefined {
  return (node.attribute ?? []).find((a) => a.name === name);
}

function attrInt(node: onnx.INodeProto, name: string): number | undefined {
  const a = attr(node, name);
  return a && a.i !== undefined && a.i !== null ? toNumber(a.i) : undefined;
}

/** The element type a Constant node produces, from whichever value_* attribute it carries. */
function constantType(node: onnx.INodeProto): number | undefined {
  for (const a of node.attribute ?? []) {
    switch (a.name) {
      case 'value': return a.t?.dataType ?? undefined;
      case 'sparse_value': return a.sparseTensor?.values?.dataType ?? undefined;
      case 'value_float': case 'value_floats': return DT.FLOAT;
      case 'value_int': case 'value_ints': return DT.INT64;
      case 'value_string': case 'value_strings': return DT.STRING;
    }
  }
  return undefined;
}

/** Every graph of the model: main graph first, then subgraphs in attribute order (depth first). */
export function allGraphs(graph: onnx.IGraphProto | null | undefined): onnx.IGraphProto[] {
  const out: onnx.IGraphProto[] = [];
  const visit = (g: onnx.IGraphProto): void => {
    out.push(g);
    for (const n of g.node ?? []) {
      for (const a of n.attribute ?? []) {
        if (a.g) visit(a.g);
        for (const sub of a.graphs ?? []) visit(sub);
      }
    }
  };
  if (graph) visit(graph);
  return out;
}

function declare(decl: ValueDeclarations, vi: onnx.IValueInfoProto): void {
  const name = vi.name ?? '';
  const elem = vi.type?.tensorType?.elemType;
  if (!name || !vi.type) return;
  decl.protos.set(name, vi.type);
  if (elem) decl.types.set(name, elem);
}

/** Output element types of `node` given its input types (undefined where not derivable), per the operator specs. */
function outputTypes(node: onnx.INodeProto, inTypes: readonly (number | undefined)[], opset: number): (number | undefined)[] {
  const outs = node.output ?? [];
  const first = inTypes.find((t) => t !== undefined);
  const op = node.opType ?? '';
  const domain = node.domain ?? '';
  const all = (t: number | undefined): (number | undefined)[] => outs.map(() => t);
  if (domain === '' || domain === 'ai.onnx') {
    switch (op) {
      case 'Cast': return all(attrInt(node, 'to'));
      case 'CastLike': return all(inTypes[1]);
      case 'Shape': case 'Size': case 'NonZero': case 'ArgMax': case 'ArgMin': case 'SequenceLength': return all(DT.INT64);
      case 'OptionalHasElement': return all(DT.BOOL);
      case 'Equal': case 'Less': case 'Greater': case 'LessOrEqual': case 'GreaterOrEqual':
      case 'Not': case 'And': case 'Or': case 'Xor': case 'IsNaN': case 'IsInf': return all(DT.BOOL);
      case 'Constant': return all(constantType(node));
      case 'ConstantOfShape': {
        const t = attr(node, 'value')?.t?.dataType;
        return all(t ?? DT.FLOAT);
      }
      case 'EyeLike': case 'RandomNormalLike': case 'RandomUniformLike': return all(attrInt(node, 'dtype') ?? first);
      case 'RandomNormal': case 'RandomUniform': return all(attrInt(node, 'dtype') ?? DT.FLOAT);
      case 'Multinomial': return all(attrInt(node, 'dtype') ?? DT.INT32);
      case 'Bernoulli': return all(attrInt(node, 'dtype') ?? first);
      case 'QuantizeLinear': return all(inTypes[2] ?? attrInt(node, 'output_dtype') ?? DT.UINT8);
      case 'DequantizeLinear': return all(attrInt(node, 'output_dtype') || inTypes[1] || DT.FLOAT);
      case 'DynamicQuantizeLinear': return [DT.UINT8, DT.FLOAT, DT.UINT8];
      case 'MatMulInteger': case 'ConvInteger': return all(DT.INT32);
      case 'QLinearConv': case 'QLinearMatMul': return all(inTypes[7] ?? first);
      case 'OneHot': return all(inTypes[2]);
      case 'Where': return all(inTypes[1]);
      // Dropout's mask became bool in opset 10 (before: the input's type).
      case 'Dropout': return [first, opset >= 10 ? DT.BOOL : first];
      case 'MaxPool': return [first, DT.INT64];
      case 'TopK': return [first, DT.INT64];
      case 'Unique': return [first, DT.INT64, DT.INT64, DT.INT64];
      case 'StringNormalizer': case 'RegexFullMatch': return all(op === 'RegexFullMatch' ? DT.BOOL : DT.STRING);
      case 'If': case 'Loop': case 'Scan': return all(undefined); // taken from the body's declared outputs
    }
  }
  if (domain === 'com.microsoft') {
    switch (op) {
      case 'DynamicQuantizeMatMul': case 'MatMulIntegerToFloat': return all(DT.FLOAT);
      case 'DequantizeLinear': return all(inTypes[1] ?? DT.FLOAT);
      case 'QuantizeLinear': return all(inTypes[2] ?? DT.UINT8);
    }
  }
  return all(first);
}

/**
 * Types across control-flow boundaries (ONNX spec). Loop: the body takes (iteration int64, condition
 * bool, carried values…) and returns (condition, carried…, scan outputs…). Scan (opset ≥ 9): the body
 * takes (states…, scan slices…) in the node's input order. If: outputs follow then_branch's outputs.
 * Body inputs and outputs may be left untyped by exporters, so both directions are filled in.
 */
function controlFlowTypes(node: onnx.INodeProto, decl: ValueDeclarations, opset: number): void {
  const op = node.opType ?? '';
  const ins = node.input ?? [];
  const outs = node.output ?? [];
  const setIfUnknown = (name: string | undefined, t: number | undefined): void => {
    if (name && t && !decl.types.has(name)) decl.types.set(name, t);
  };
  const typeOf = (name: string | undefined): number | undefined => (name ? decl.types.get(name) : undefined);
  if (op === 'Loop') {
    const body = attr(node, 'body')?.g;
    const bodyIns = body?.input ?? [];
    setIfUnknown(bodyIns[0]?.name ?? undefined, DT.INT64);
    setIfUnknown(bodyIns[1]?.name ?? undefined, DT.BOOL);
    for (let i = 2; i < bodyIns.length; i++) setIfUnknown(bodyIns[i]?.name ?? undefined, typeOf(ins[i]));
    const bodyOuts = body?.output ?? [];
    outs.forEach((name, i) => {
      const declared = bodyOuts[i + 1]?.type?.tensorType?.elemType || typeOf(bodyOuts[i + 1]?.name ?? undefined);
      // Carried values keep the type of their initial value.
      setIfUnknown(name, declared || (i + 2 < ins.length ? typeOf(ins[i + 2]) : undefined));
    });
  } else if (op === 'Scan') {
    const body = attr(node, 'body')?.g;
    const offset = opset >= 9 ? 0 : 1; // Scan-8 takes sequence_lens first
    (body?.input ?? []).forEach((v, i) => setIfUnknown(v.name ?? undefined, typeOf(ins[i + offset])));
    const bodyOuts = body?.output ?? [];
    outs.forEach((name, i) => setIfUnknown(name, bodyOuts[i]?.type?.tensorType?.elemType ?? typeOf(bodyOuts[i]?.name ?? undefined)));
  } else if (op === 'If') {
    const branches = [attr(node, 'then_branch')?.g?.output ?? [], attr(node, 'else_branch')?.g?.output ?? []];
    outs.forEach((name, i) => {
      for (const b of branches) setIfUnknown(name, b[i]?.type?.tensorType?.elemType || typeOf(b[i]?.name ?? undefined));
    });
  }
}

/** Collects declared types, then propagates element types forward through every graph. */
export function collectValueTypes(model: onnx.IModelProto, supplied?: ValueTypes): ValueDeclarations {
  const decl: ValueDeclarations = { types: new Map(), protos: new Map(), initializers: new Map(), producers: new Map() };
  const graphs = allGraphs(model.graph);
  for (const g of graphs) {
    for (const vi of [...(g.input ?? []), ...(g.output ?? []), ...(g.valueInfo ?? [])]) declare(decl, vi);
    for (const t of g.initializer ?? []) {
      if (!t.name) continue;
      decl.initializers.set(t.name, t);
      if (t.dataType) decl.types.set(t.name, t.dataType);
    }
    for (const s of g.sparseInitializer ?? []) {
      const name = s.values?.name;
      if (name && s.values?.dataType) decl.types.set(name, s.values.dataType);
    }
    for (const n of g.node ?? []) for (const o of n.output ?? []) if (o) decl.producers.set(o, n);
  }
  if (supplied) for (const [name, t] of supplied) if (t) decl.types.set(name, t);
  // Graphs are topologically sorted (ONNX IR spec), but a control-flow node's outputs can depend on
  // its body, which is visited after the enclosing graph: repeat the pass until nothing changes.
  const defaultOpset = (model.opsetImport ?? []).find((o) => !o.domain || o.domain === 'ai.onnx')?.version;
  const opset = defaultOpset ? toNumber(defaultOpset) : 1;
  for (let pass = 0; pass < 4; pass++) {
    const before = decl.types.size;
    for (const g of graphs) {
      for (const n of g.node ?? []) {
        const inTypes = (n.input ?? []).map((name) => (name ? decl.types.get(name) : undefined));
        const outs = outputTypes(n, inTypes, opset);
        (n.output ?? []).forEach((name, i) => {
          const t = outs[i];
          if (name && t && !decl.types.has(name)) decl.types.set(name, t);
        });
        controlFlowTypes(n, decl, opset);
      }
    }
    if (decl.types.size === before) break;
  }
  return decl;
}
