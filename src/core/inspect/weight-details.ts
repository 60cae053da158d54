/**
 * WeightDetails of a weight (initializer, sparse initializer, tensor-valued Constant): dtype, shape,
 * size, value statistics, histogram and quantization facts; and which weight a node input reads,
 * looking through the ops exporters and quantizers put between a weight and its user.
 */
import { dtypeName } from '../onnx/dtypes.js';
import { elementCount, tensorBytes, tensorDims } from '../onnx/tensor.js';
import type { ExternalFiles } from '../onnx/tensor.js';
import type { IRNode, Scope, Weight } from '../graph/ir.js';
import { producerOf, resolveWeight } from '../graph/resolve.js';
import { weightBytes } from '../stats/compute-stats.js';
import { findQuantUse, quantParams, quantUseAt } from './quant-params.js';
import type { QuantUse } from './quant-params.js';
import type { WeightDetails } from './types.js';
import { summarizeValues } from './weight-stats.js';

/** A weight as seen from a node input. */
export interface PortWeight {
  readonly weight: Weight;
  /** Ops looked through, from the port towards the weight. */
  readonly via: string[];
  /** The DequantizeLinear looked through, which then supplies the quantization parameters. */
  readonly use: QuantUse | undefined;
}

/**
 * The weight behind input `name` of a node in `scope`: read directly, or through a chain of Identity
 * nodes (PyTorch shares a weight between layers that way) with at most one DequantizeLinear (QDQ
 * models keep int8 weights and dequantize them in the graph) or Cast (fp16 models keep half weights
 * and cast them up) on the way.
 */
export function resolvePortWeight(scope: Scope, name: string): PortWeight | undefined {
  if (!name) return undefined;
  const via: string[] = [];
  let dequantize: IRNode | undefined;
  let converted = false;
  let current = name;
  let at = scope;
  for (let hops = 0; hops < 8; hops++) {
    const w = resolveWeight(at, current);
    if (w) return { weight: w, via, use: dequantize ? quantUseAt(dequantize, 0, w.dims.length) : undefined };
    const producer = producerOf(at, current);
    if (!producer || producer.domain !== '') return undefined;
    const op = producer.opType;
    if (op === 'DequantizeLinear' || op === 'Cast') {
      if (converted) return undefined;
      converted = true;
      if (op === 'DequantizeLinear') dequantize = producer;
    } else if (op !== 'Identity') {
      return undefined;
    }
    const next = producer.inputs[0];
    if (!next) return undefined;
    via.push(op);
    current = next;
    at = producer.scope;
  }
  return undefined;
}

export interface WeightDetailsOptions {
  readonly external?: ExternalFiles;
  /** The quantization use to report; when absent, the weight's consumers are searched for one. */
  readonly use?: QuantUse;
  readonly via?: string[];
  /** Further scopes whose nodes may read the weight (the inspected node's), besides the weight's own. */
  readonly scopes?: readonly Scope[];
}

export function weightDetails(w: Weight, options: WeightDetailsOptions = {}): WeightDetails {
  const { external } = options;
  let bytes: Uint8Array | undefined;
  let implicitZeros = 0;
  let valueDtype = w.dtype;
  let stored = w.elements;
  if (w.tensor) {
    bytes = tensorBytes(w.tensor, external);
  } else if (w.sparse?.values) {
    const values = w.sparse.values;
    bytes = tensorBytes(values, external);
    valueDtype = values.dataType ?? w.dtype;
    stored = elementCount(tensorDims(values));
    // A sparse tensor's absent elements are zeros (onnx.proto SparseTensorProto).
    implicitZeros = Math.max(0, elementCount(w.dims) - stored);
  }
  const summary = bytes ? summarizeValues(valueDtype, bytes, stored, implicitZeros) : undefined;
  let quant = null;
  if (summary && w.tensor) {
    const scopes = [w.scope, ...(options.scopes ?? []).filter((s) => s !== w.scope)];
    const use = options.use ?? findQuantUse(w.name, w.dims.length, scopes);
    if (use) quant = quantParams(w, use, summary.stats, bytes, external);
  }
  return {
    name: w.name,
    kind: w.kind,
    dtype: dtypeName(w.dtype),
    shape: [...w.dims],
    elements: w.elements,
    bytes: weightBytes(w),
    stats: summary?.stats ?? null,
    histogram: summary?.histogram ?? null,
    quant,
    ...(options.via && options.via.length > 0 ? { via: options.via } : {}),
  };
}
