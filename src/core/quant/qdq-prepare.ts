/**
 * Pre-processing before QDQ insertion, as ORT's quantize_static expects of its input (its
 * quant_pre_process / basic graph optimisations):
 *   - Conv → BatchNormalization (inference, constant statistics) is folded into the Conv's weight and
 *     bias. Otherwise the BatchNormalization sits between the Conv and its QuantizeLinear and ORT cannot
 *     fuse the group (ORT folds the pair at load time in fp32 anyway, so fp32 behaviour is unchanged).
 *   - Sum of exactly two inputs (opset < 7 ResNet exports) becomes Add: identical math, and ORT has an
 *     int8 kernel for Add (QLinearAdd) but none for Sum.
 */
import type { onnx } from '../onnx/codec.js';
import { DataType, Long } from '../onnx/codec.js';
import { attrFloat, attrInt, attrInts } from '../graph/attributes.js';
import { tensorDims, tensorToNumbers } from '../onnx/tensor.js';
import type { GraphScope, NameAllocator } from '../transform/graph-edit.js';
import { floatTensor, int64Tensor, readCounts } from '../transform/graph-edit.js';
import { indexGraph, resolveConst } from './qdq-graph.js';
import { dropUnread } from './qdq-rewrite.js';

export interface PrepareStats {
  readonly foldedBatchNorms: number;
  readonly sumsToAdd: number;
}

export function prepareForQdq(scope: GraphScope, names: NameAllocator): PrepareStats {
  const graph = scope.graph;
  const readsBefore = readCounts(graph);
  const index = indexGraph(graph);
  let folded = 0;
  let sums = 0;
  const removed = new Set<onnx.INodeProto>();
  for (const bn of graph.node ?? []) {
    if (bn.opType === 'Sum' && (bn.domain ?? '') === '' && (bn.input ?? []).length === 2) {
      bn.opType = 'Add';
      sums++;
      continue;
    }
    if (bn.opType !== 'BatchNormalization' || (bn.domain ?? '') !== '') continue;
    if ((bn.output ?? []).filter((o) => o !== '').length !== 1 || attrInt(bn, 'training_mode', 0) !== 0 || attrInt(bn, 'spatial', 1) !== 1) continue;
    const x = bn.input?.[0] ?? '';
    const conv = index.producer.get(x);
    if (!conv || conv.opType !== 'Conv' || (conv.domain ?? '') !== '' || removed.has(conv)) continue;
    if ((index.consumers.get(x) ?? []).length !== 1 || index.graphOutputs.has(x)) continue;
    const consts = [1, 2, 3, 4].map((i) => {
      const c = resolveConst(scope, index, bn.input?.[i] ?? '');
      return c && c.ref.tensor.dataType === DataType.FLOAT ? tensorToNumbers(c.ref.tensor) : undefined;
    });
    const w = resolveConst(scope, index, conv.input?.[1] ?? '');
    const b = conv.input?.[2] ? resolveConst(scope, index, conv.input[2]) : undefined;
    if (!w || w.ref.tensor.dataType !== DataType.FLOAT || (conv.input?.[2] && !b)) continue;
    const [gamma, beta, mean, variance] = consts;
    const wv = tensorToNumbers(w.ref.tensor);
    const bv = b ? tensorToNumbers(b.ref.tensor) : undefined;
    const dims = tensorDims(w.ref.tensor);
    const cout = dims[0] ?? 0;
    if (!gamma || !beta || !mean || !variance || !wv || (b && !bv) || gamma.length !== cout || beta.length !== cout || mean.length !== cout || variance.length !== cout) continue;
    const eps = attrFloat(bn, 'epsilon', 1e-5);
    const per = wv.length / Math.max(1, cout);
    const newW = new Float32Array(wv.length);
    const newB = new Float32Array(cout);
    for (let c = 0; c < cout; c++) {
      const s = (gamma[c] as number) / Math.sqrt((variance[c] as number) + eps);
      for (let j = 0; j < per; j++) newW[c * per + j] = (wv[c * per + j] as number) * s;
      newB[c] = ((bv ? (bv[c] as number) : 0) - (mean[c] as number)) * s + (beta[c] as number);
    }
    const base = conv.name || w.ref.name;
    const wName = names.fresh(`${base}_weight_bn_folded`);
    const bName = names.fresh(`${base}_bias_bn_folded`);
    const inits = graph.initializer ?? (graph.initializer = []);
    inits.push(floatTensor(wName, dims, newW), floatTensor(bName, [cout], newB));
    conv.input = [conv.input?.[0] ?? '', wName, bName];
    conv.output = [bn.output?.[0] ?? ''];
    removed.add(bn);
    folded++;
  }
  if (removed.size > 0) graph.node = (graph.node ?? []).filter((n) => !removed.has(n));
  if (folded > 0) dropUnread(graph, readsBefore);
  return { foldedBatchNorms: folded, sumsToAdd: sums };
}

/** Ops whose signature or meaning changes on the way to opset 11 (other than Slice, which is converted). */
const OPSET11_BLOCKERS = new Set(['TopK', 'Upsample', 'Resize', 'Dropout', 'Clip', 'Pad', 'Scatter', 'MaxUnpool']);
/**
 * The opset an old model is raised to. 10 would be enough for QLinearConv, but ORT's QDQ rewrites then
 * emit ops of 11 (measured: "No Op registered for Round with domain_version of 10" on ultraface), and
 * ORT's own quantizer raises old models to 11 as well.
 */
const TARGET_OPSET = 11;

/**
 * ORT's fusions emit QLinearConv / QLinearMatMul in the default domain, which exist from opset 10: an
 * older model must import a newer opset or the session fails ("No Op registered for QLinearConv with
 * domain_version of 9"). ORT's Python quantizer just bumps the import; we bump it only when no op in the
 * graph changes meaning on the way, converting Slice-1 (attributes) into Slice-10 (inputs).
 * Returns why not, when it cannot.
 */
export function raiseOpsetForQdq(model: onnx.IModelProto, names: NameAllocator): string | undefined {
  const imports = model.opsetImport ?? [];
  const def = imports.find((o) => (o.domain ?? '') === '' || o.domain === 'ai.onnx');
  const version = def ? Number(def.version ?? 0) : 0;
  if (!def || version >= TARGET_OPSET) return undefined;
  const blockers = new Set<string>();
  const visit = (g: onnx.IGraphProto): void => {
    for (const n of g.node ?? []) {
      if ((n.domain ?? '') === '' && OPSET11_BLOCKERS.has(n.opType ?? '')) blockers.add(n.opType ?? '');
      for (const a of n.attribute ?? []) {
        if (a.g) visit(a.g);
        for (const sg of a.graphs ?? []) visit(sg);
      }
    }
  };
  if (model.graph) visit(model.graph);
  if (blockers.size > 0) return `the model imports opset ${version}; int8 kernels need opset ${TARGET_OPSET}, where ${[...blockers].join(', ')} change meaning`;
  const convertSlices = (g: onnx.IGraphProto): void => {
    for (const n of g.node ?? []) {
      for (const a of n.attribute ?? []) {
        if (a.g) convertSlices(a.g);
        for (const sg of a.graphs ?? []) convertSlices(sg);
      }
      if (n.opType !== 'Slice' || (n.domain ?? '') !== '' || (n.input ?? []).length !== 1) continue;
      const starts = attrInts(n, 'starts') ?? [];
      const ends = attrInts(n, 'ends') ?? [];
      const axes = attrInts(n, 'axes');
      const base = n.name || n.output?.[0] || 'slice';
      const inits = g.initializer ?? (g.initializer = []);
      const add = (what: string, values: number[]): string => {
        const name = names.fresh(`${base}_${what}`);
        // Slice-1 writes "to the end" as INT64_MAX, beyond a double's exact range: clamp (same meaning).
        inits.push(int64Tensor(name, [values.length], values.map((v) => Math.max(-(2 ** 62), Math.min(2 ** 62, v)))));
        return name;
      };
      n.input = [n.input?.[0] ?? '', add('starts', starts), add('ends', ends), ...(axes ? [add('axes', axes)] : [])];
      n.attribute = (n.attribute ?? []).filter((a) => a.name !== 'starts' && a.name !== 'ends' && a.name !== 'axes');
    }
  };
  if (model.graph) convertSlices(model.graph);
  def.version = Long.fromNumber(TARGET_OPSET);
  return undefined;
}
