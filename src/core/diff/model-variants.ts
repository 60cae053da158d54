/**
 * Modified copies of a model, for testing the diff (and for e2e fixtures that compare a model with an
 * edited version): a QDQ int8 copy, an fp16 copy, and single edits (remove, rename, change an
 * attribute, strip names). Pure: they take a decoded model and return a new ModelProto that shares
 * every untouched message with the input (the input is never mutated). Encode the result with the
 * codec to get a file.
 *
 * The QDQ copy follows the layout ONNX Runtime's quantizer writes (onnxruntime.quantization,
 * QuantFormat.QDQ): each Conv/MatMul weight becomes an int8 initializer read through
 * DequantizeLinear (symmetric, per output channel for Conv), and each activation input gets a
 * QuantizeLinear → DequantizeLinear pair (uint8, per tensor). The scales are not calibrated: the copy
 * is structurally right, numerically rough.
 */
import type { onnx } from '../onnx/codec.js';
import { AttributeType, DataType, Long, toNumber } from '../onnx/codec.js';
import { numberToFloat16 } from '../onnx/float-formats.js';
import { tensorToNumbers } from '../onnx/tensor.js';
import { buildGraph } from '../graph/build-graph.js';
import { resolveWeightThroughIdentity } from '../graph/resolve.js';

const L = (n: number): Long => Long.fromNumber(n);

function requireGraph(model: onnx.IModelProto): onnx.IGraphProto {
  if (!model.graph) throw new Error('The model has no graph');
  return model.graph;
}

function withGraph(model: onnx.IModelProto, graph: onnx.IGraphProto): onnx.IModelProto {
  return { ...model, graph };
}

function floatTensor(name: string, dims: number[], values: ArrayLike<number>): onnx.ITensorProto {
  const raw = new Uint8Array(values.length * 4);
  const dv = new DataView(raw.buffer);
  for (let i = 0; i < values.length; i++) dv.setFloat32(i * 4, values[i] as number, true);
  return { name, dataType: DataType.FLOAT, dims: dims.map(L), rawData: raw };
}

function intTensor(name: string, dtype: number, dims: number[], values: ArrayLike<number>): onnx.ITensorProto {
  const raw = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) raw[i] = (values[i] as number) & 0xff;
  return { name, dataType: dtype, dims: dims.map(L), rawData: raw };
}

/** Every input name read by any node of a graph or its subgraphs. */
function namesRead(g: onnx.IGraphProto, out = new Set<string>()): Set<string> {
  for (const n of g.node ?? []) {
    for (const i of n.input ?? []) out.add(i);
    for (const a of n.attribute ?? []) {
      if (a.g) namesRead(a.g, out);
      for (const sg of a.graphs ?? []) namesRead(sg, out);
    }
  }
  for (const o of g.output ?? []) out.add(o.name ?? '');
  return out;
}

/** Drops initializers nobody reads any more (and, for IR < 4 models, their graph-input entries). */
function dropUnread(g: onnx.IGraphProto, candidates: ReadonlySet<string>): onnx.IGraphProto {
  const read = namesRead(g);
  const gone = new Set([...candidates].filter((n) => !read.has(n)));
  return {
    ...g,
    initializer: (g.initializer ?? []).filter((t) => !gone.has(t.name ?? '')),
    input: (g.input ?? []).filter((i) => !gone.has(i.name ?? '')),
  };
}

export interface QdqReport {
  /** Names of the Conv/MatMul nodes wrapped (or their index when unnamed). */
  readonly nodes: string[];
  /** Float weights replaced by int8 + DequantizeLinear. */
  readonly weights: string[];
  /** Activations given a QuantizeLinear → DequantizeLinear pair. */
  readonly activations: string[];
  /** Per weight: int8 values, scales and the original values, for checking the Inspector's quantization facts. */
  readonly quantized: Map<string, { readonly q: Int8Array; readonly scale: Float32Array; readonly original: Float64Array; readonly axis: number }>;
}

/** A QDQ int8 copy: Conv (and MatMul with a constant B) weights int8 through DequantizeLinear, activations through Q → DQ. */
export function qdqVariant(model: onnx.IModelProto, ops: readonly string[] = ['Conv', 'MatMul']): { model: onnx.IModelProto; report: QdqReport } {
  const g = requireGraph(model);
  const ir = buildGraph(model);
  const root = ir.root;
  if (!root) throw new Error('The model has no graph');
  const nodes: onnx.INodeProto[] = [];
  const initializers: onnx.ITensorProto[] = [...(g.initializer ?? [])];
  const report: QdqReport = { nodes: [], weights: [], activations: [], quantized: new Map() };
  const weightOut = new Map<string, string>();
  const actOut = new Map<string, string>();
  const replaced = new Set<string>();

  for (const irNode of root.nodes) {
    const n = irNode.proto;
    const weightName = irNode.inputs[1] ?? '';
    const w = ops.includes(irNode.opType) && irNode.domain === '' ? resolveWeightThroughIdentity(root, weightName) : undefined;
    const values = w?.tensor && w.dtype === DataType.FLOAT ? tensorToNumbers(w.tensor) : undefined;
    if (!w || !values || w.dims.length < 1) {
      nodes.push(n);
      continue;
    }
    const inputs = [...(n.input ?? [])];
    // Weight: symmetric int8; per output channel (axis 0) for Conv, per tensor for MatMul.
    let wq = weightOut.get(w.name);
    if (!wq) {
      const perChannel = irNode.opType === 'Conv';
      const channels = perChannel ? (w.dims[0] as number) : 1;
      const inner = values.length / channels;
      const scale = new Float32Array(channels);
      const q = new Int8Array(values.length);
      for (let c = 0; c < channels; c++) {
        let m = 0;
        for (let i = c * inner; i < (c + 1) * inner; i++) m = Math.max(m, Math.abs(values[i] as number));
        scale[c] = m > 0 ? m / 127 : 1;
        for (let i = c * inner; i < (c + 1) * inner; i++) q[i] = Math.max(-127, Math.min(127, Math.round((values[i] as number) / (scale[c] as number))));
      }
      const scaleDims = perChannel ? [channels] : [];
      initializers.push(
        intTensor(`${w.name}_quantized`, DataType.INT8, w.dims, q),
        floatTensor(`${w.name}_scale`, scaleDims, scale),
        intTensor(`${w.name}_zero_point`, DataType.INT8, scaleDims, new Int8Array(channels)),
      );
      wq = `${w.name}_dequantized`;
      nodes.push({
        opType: 'DequantizeLinear',
        domain: '',
        name: `${w.name}_DequantizeLinear`,
        input: [`${w.name}_quantized`, `${w.name}_scale`, `${w.name}_zero_point`],
        output: [wq],
        attribute: perChannel ? [{ name: 'axis', type: AttributeType.INT, i: L(0) }] : [],
      });
      weightOut.set(w.name, wq);
      replaced.add(w.name);
      report.weights.push(w.name);
      report.quantized.set(w.name, { q, scale, original: values, axis: perChannel ? 0 : -1 });
    }
    inputs[1] = wq;
    // Activation: uint8 per tensor, a fixed scale (the copy is not calibrated).
    const act = irNode.inputs[0] ?? '';
    if (act) {
      let aq = actOut.get(act);
      if (!aq) {
        initializers.push(floatTensor(`${act}_scale`, [], [0.02]), intTensor(`${act}_zero_point`, DataType.UINT8, [], [128]));
        aq = `${act}_dequantized`;
        nodes.push(
          { opType: 'QuantizeLinear', domain: '', name: `${act}_QuantizeLinear`, input: [act, `${act}_scale`, `${act}_zero_point`], output: [`${act}_quantized`], attribute: [] },
          { opType: 'DequantizeLinear', domain: '', name: `${act}_DequantizeLinear`, input: [`${act}_quantized`, `${act}_scale`, `${act}_zero_point`], output: [aq], attribute: [] },
        );
        actOut.set(act, aq);
        report.activations.push(act);
      }
      inputs[0] = aq;
    }
    nodes.push({ ...n, input: inputs });
    report.nodes.push(irNode.name || String(irNode.index));
  }
  const graph = dropUnread({ ...g, node: nodes, initializer: initializers }, replaced);
  // Per-axis DequantizeLinear needs opset 13.
  const opset = (model.opsetImport ?? []).map((o) => ((!o.domain || o.domain === 'ai.onnx') && toNumber(o.version) < 13 ? { ...o, version: L(13) } : o));
  return { model: { ...withGraph(model, graph), opsetImport: opset }, report };
}

/** An fp16 copy: every float32 initializer of the main graph stored as float16 and Cast back to float32 where it is read. */
export function fp16Variant(model: onnx.IModelProto): { model: onnx.IModelProto; converted: string[] } {
  const g = requireGraph(model);
  const casts: onnx.INodeProto[] = [];
  const converted: string[] = [];
  const initializer = (g.initializer ?? []).map((t) => {
    if (t.dataType !== DataType.FLOAT) return t;
    const values = tensorToNumbers(t);
    if (!values) return t;
    const name = t.name ?? '';
    const raw = new Uint8Array(values.length * 2);
    const dv = new DataView(raw.buffer);
    for (let i = 0; i < values.length; i++) dv.setUint16(i * 2, numberToFloat16(values[i] as number), true);
    casts.push({ opType: 'Cast', domain: '', name: `${name}_cast`, input: [`${name}_fp16`], output: [name], attribute: [{ name: 'to', type: AttributeType.INT, i: L(DataType.FLOAT) }] });
    converted.push(name);
    return { name: `${name}_fp16`, dataType: DataType.FLOAT16, dims: t.dims, rawData: raw };
  });
  const done = new Set(converted);
  // IR < 4 lists initializers among the graph inputs: those entries now name the Cast outputs, so drop them.
  const input = (g.input ?? []).filter((i) => !done.has(i.name ?? ''));
  return { model: withGraph(model, { ...g, initializer, input, node: [...casts, ...(g.node ?? [])] }), converted };
}

/** Removes main-graph node `index` (one data input, one output) and rewires its readers to its input. */
export function removeNodeVariant(model: onnx.IModelProto, index: number): onnx.IModelProto {
  const g = requireGraph(model);
  const victim = g.node?.[index];
  const from = victim?.input?.[0];
  const to = victim?.output?.[0];
  if (!victim || !from || !to) throw new Error(`Node ${index} cannot be removed`);
  const rename = (names: readonly string[] | null | undefined): string[] => (names ?? []).map((n) => (n === to ? from : n));
  const node = (g.node ?? []).filter((_, i) => i !== index).map((n) => ((n.input ?? []).includes(to) ? { ...n, input: rename(n.input) } : n));
  const output = (g.output ?? []).map((o) => (o.name === to ? { ...o, name: from } : o));
  return withGraph(model, { ...g, node, output });
}

export function renameNodeVariant(model: onnx.IModelProto, index: number, name: string): onnx.IModelProto {
  const g = requireGraph(model);
  return withGraph(model, { ...g, node: (g.node ?? []).map((n, i) => (i === index ? { ...n, name } : n)) });
}

/** Sets (adds or replaces) one attribute of main-graph node `index`. */
export function setAttributeVariant(model: onnx.IModelProto, index: number, attribute: onnx.IAttributeProto): onnx.IModelProto {
  const g = requireGraph(model);
  const node = (g.node ?? []).map((n, i) => {
    if (i !== index) return n;
    const rest = (n.attribute ?? []).filter((a) => a.name !== attribute.name);
    return { ...n, attribute: [...rest, attribute] };
  });
  return withGraph(model, { ...g, node });
}

/** Clears every main-graph node name (some exporters write none): matching must fall back to tensors. */
export function stripNamesVariant(model: onnx.IModelProto): onnx.IModelProto {
  const g = requireGraph(model);
  return withGraph(model, { ...g, node: (g.node ?? []).map((n) => ({ ...n, name: '' })) });
}
