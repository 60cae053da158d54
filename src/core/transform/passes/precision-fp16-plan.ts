/**
 * The decisions of the fp16 pass that need no type inference, shared by `estimate` (cheap, nothing
 * converted) and `apply`: which nodes stay float32 and why, and which float32 weights become float16.
 *
 * A weight is converted when at least one reader computes in float16 at that input; readers that stay
 * float32 then get a Cast back (ORT folds a Cast of a constant at load). A weight only float32 nodes
 * read stays float32, so blocking a node never costs it precision in its weights.
 */
import type { onnx } from '../../onnx/codec.js';
import { DataType } from '../../onnx/codec.js';
import { isExternal } from '../../onnx/tensor.js';
import { isConstantOp } from '../../graph/constant-node.js';
import { opsetVersion, walkGraphs } from '../graph-edit.js';
import type { PassOptions } from '../types.js';
import { alwaysFloat32Input, DEFAULT_BLOCK_REASONS, fp16Forbidden } from './precision-ops.js';
import type { WeightUse } from './precision-graph.js';
import { blockLists, userBlockReason, weightUses } from './precision-graph.js';
import { tensorElementBytes } from './precision-tensors.js';

export interface Fp16Plan {
  /** Nodes kept in float32, with the reason shown in the report. */
  readonly blocked: Map<onnx.INodeProto, string>;
  /** float32 weights that become float16. */
  readonly convert: Map<onnx.ITensorProto, WeightUse>;
  /** float32 weights left as they are, with the reason. */
  readonly kept: Map<onnx.ITensorProto, { readonly use: WeightUse; readonly reason: string }>;
  readonly opset: number;
  readonly bytesBefore: number;
  readonly bytesAfter: number;
}

function markSubgraphs(n: onnx.INodeProto, reason: string, blocked: Map<onnx.INodeProto, string>): void {
  for (const a of n.attribute ?? []) {
    for (const g of [...(a.g ? [a.g] : []), ...(a.graphs ?? [])]) {
      for (const inner of g.node ?? []) {
        if (!blocked.has(inner)) blocked.set(inner, reason);
        markSubgraphs(inner, reason, blocked);
      }
    }
  }
}

export function planFp16(model: onnx.IModelProto, options: PassOptions): Fp16Plan {
  const opset = opsetVersion(model, '');
  const lists = blockLists(options);
  const blocked = new Map<onnx.INodeProto, string>();
  walkGraphs(model, (scope) => {
    for (const n of scope.graph.node ?? []) {
      // A node inside a blocked If/Loop already carries its parent's reason (walkGraphs visits parents first).
      const reason = blocked.get(n) ?? userBlockReason(n, scope, lists, (op) => DEFAULT_BLOCK_REASONS[op]) ?? (isConstantOp(n) ? undefined : fp16Forbidden(n, opset));
      if (!reason) continue;
      blocked.set(n, reason);
      markSubgraphs(n, `inside ${scope.nodeLabel(n)}, which stays float32`, blocked);
    }
  });

  const convert = new Map<onnx.ITensorProto, WeightUse>();
  const kept = new Map<onnx.ITensorProto, { use: WeightUse; reason: string }>();
  let bytesBefore = 0;
  let bytesAfter = 0;
  for (const [t, use] of weightUses(model)) {
    if (t.dataType !== DataType.FLOAT) continue;
    let reason: string | undefined;
    if (isExternal(t)) reason = 'stored as external data, which this pass does not load';
    else if (use.ref.node && blocked.has(use.ref.node)) reason = `its Constant node stays float32 (${blocked.get(use.ref.node) ?? ''})`;
    else if (use.isGraphOutput) reason = 'it is a graph output; its type is part of the interface';
    else if (!use.readers.some((r) => !blocked.has(r.node) && !alwaysFloat32Input(r.node.opType ?? '', opset, r.index))) reason = 'only float32 nodes read it';
    if (reason) {
      kept.set(t, { use, reason });
      continue;
    }
    convert.set(t, use);
    bytesBefore += tensorElementBytes(t, 4);
    bytesAfter += tensorElementBytes(t, 2);
  }
  return { blocked, convert, kept, opset, bytesBefore, bytesAfter };
}
