/**
 * Model statistics: parameters and bytes per element type, op histogram, per-node parameters and
 * MACs. Parameters are the elements of every weight: initializers, sparse initializers (their stored
 * values) and tensor-valued Constant nodes, in every scope.
 */
import type { onnx } from '../onnx/codec.js';
import { dtypeName, storageBytes } from '../onnx/dtypes.js';
import { elementCount, tensorDims, tensorStorageBytes } from '../onnx/tensor.js';
import { buildGraph } from '../graph/build-graph.js';
import type { GraphIR, Weight } from '../graph/ir.js';
import { opKey } from '../graph/opsets.js';
import { resolveWeightThroughIdentity } from '../graph/resolve.js';
import type { ShapeMap } from '../shape/types.js';
import { DimReader, nodeMacs } from './macs.js';

export interface DtypeTally {
  tensors: number;
  elements: number;
  bytes: number;
}

export type MacStatus = 'none' | 'known' | 'unknown';

export interface NodeStats {
  readonly id: string;
  /** Histogram key: 'Conv', or 'com.microsoft.FusedConv' outside the default domain. */
  readonly op: string;
  /** Elements of the weights this node reads (through Identity, as PyTorch shares weights that way). */
  readonly params: number;
  /** 0 unless macStatus is 'known'. */
  readonly macs: number;
  readonly macStatus: MacStatus;
}

export interface ModelStats {
  readonly parameterCount: number;
  /** Bytes of weight data as stored (sparse: values + indices). */
  readonly weightBytes: number;
  readonly weightCount: number;
  /** By dtypeName(): 'float32' → tally. */
  readonly byDtype: Record<string, DtypeTally>;
  readonly opHistogram: Record<string, number>;
  /** All nodes, subgraphs included. */
  readonly nodeCount: number;
  readonly subgraphCount: number;
  /** One entry per node, in GraphIR.nodes order. */
  readonly nodes: NodeStats[];
  /** Sum of the MACs that could be computed; null when no MAC-bearing node could be computed. */
  readonly totalMacs: number | null;
  readonly macsByOp: Record<string, number>;
  readonly macNodes: number;
  readonly unknownMacNodes: number;
  /** Symbolic dims taken as 1 in MAC counts (so MACs are per sample / per step). */
  readonly assumedSymbols: string[];
}

/** Stored bytes of a weight. */
export function weightBytes(w: Weight): number {
  if (w.tensor) return tensorStorageBytes(w.tensor);
  const sp = w.sparse;
  if (!sp) return 0;
  const values = sp.values ? tensorStorageBytes(sp.values) : 0;
  const idx = sp.indices;
  const indices = idx ? storageBytes(idx.dataType ?? 0, elementCount(tensorDims(idx))) : 0;
  return values + indices;
}

export function computeStats(model: onnx.IModelProto, shapes: ShapeMap): ModelStats {
  return computeStatsIR(buildGraph(model), shapes);
}

export function computeStatsIR(ir: GraphIR, shapes: ShapeMap): ModelStats {
  const byDtype: Record<string, DtypeTally> = {};
  let parameterCount = 0;
  let totalBytes = 0;
  for (const w of ir.weights) {
    const bytes = weightBytes(w);
    const key = dtypeName(w.dtype);
    const tally = (byDtype[key] ??= { tensors: 0, elements: 0, bytes: 0 });
    tally.tensors += 1;
    tally.elements += w.elements;
    tally.bytes += bytes;
    parameterCount += w.elements;
    totalBytes += bytes;
  }

  const opHistogram: Record<string, number> = {};
  const macsByOp: Record<string, number> = {};
  const reader = new DimReader(shapes);
  const nodes: NodeStats[] = [];
  let totalMacs = 0;
  let macNodes = 0;
  let unknownMacNodes = 0;
  for (const node of ir.nodes) {
    const op = opKey(node.domain, node.opType);
    opHistogram[op] = (opHistogram[op] ?? 0) + 1;
    let params = 0;
    let seen: Weight[] | undefined;
    for (const inp of node.inputs) {
      if (!inp) continue;
      const w = resolveWeightThroughIdentity(node.scope, inp);
      if (w && !seen?.includes(w)) {
        (seen ??= []).push(w);
        params += w.elements;
      }
    }
    const macs = nodeMacs(node, reader);
    let macStatus: MacStatus = 'none';
    if (macs === null) {
      macStatus = 'unknown';
      unknownMacNodes++;
    } else if (macs !== undefined) {
      macStatus = 'known';
      macNodes++;
      totalMacs += macs;
      macsByOp[op] = (macsByOp[op] ?? 0) + macs;
    }
    nodes.push({ id: node.id, op, params, macs: macs ?? 0, macStatus });
  }
  return {
    parameterCount,
    weightBytes: totalBytes,
    weightCount: ir.weights.length,
    byDtype,
    opHistogram,
    nodeCount: ir.nodes.length,
    subgraphCount: ir.scopes.length - (ir.root ? 1 : 0),
    nodes,
    totalMacs: macNodes > 0 ? totalMacs : null,
    macsByOp,
    macNodes,
    unknownMacNodes,
    assumedSymbols: [...reader.symbols].sort(),
  };
}
