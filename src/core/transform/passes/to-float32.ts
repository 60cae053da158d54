/**
 * To float32: the reverse of the fp16 pass. A model exported in float16 (or bfloat16) — weights,
 * activations, inputs and outputs — becomes float32, so a CPU runs it with its float32 kernels instead
 * of the float32 kernels behind Casts onnxruntime inserts for float16 nodes it has no kernel for.
 *
 * Every float16/bfloat16 tensor (initializers, Constant values, ConstantOfShape values), every type
 * attribute naming them (Cast `to`, `dtype`, `output_datatype`) and every ValueInfo becomes float32
 * (exact: both formats are subsets of float32). Casts that end up converting float32 to float32 are
 * removed (their readers read the Cast's input). With `keepIoTypes` the graph's float16 inputs and
 * outputs keep their type behind boundary Casts.
 */
import type { onnx } from '../../onnx/codec.js';
import { DataType } from '../../onnx/codec.js';
import { isConstantOp } from '../../graph/constant-node.js';
import { findAttr } from '../../graph/attributes.js';
import { err, ok } from '../../errors.js';
import type { Result } from '../../errors.js';
import { cloneModel, intAttr, NameAllocator, walkGraphs } from '../graph-edit.js';
import { booleanOption, defaultOptions } from '../options.js';
import type { NodeDecision, OptionSpecs, PassContext, PassDefinition, PassOptions, PassOutcome } from '../types.js';
import { throwIfAborted } from '../types.js';
import { castNode, forEachValueInfo, renameReads, renameValue, setElemType, valueTypes, weightUses } from './precision-graph.js';
import { convertTensorToFloat32, isLowFloat, tensorElementBytes } from './precision-tensors.js';

const { FLOAT } = DataType;

const OPTIONS: OptionSpecs = {
  keepIoTypes: {
    kind: 'boolean',
    default: false,
    label: 'Keep float16 inputs/outputs',
    description: 'Graph inputs and outputs keep their float16 type, with Casts at the boundary, for callers that feed float16.',
  },
};

/** Attributes holding an element type code, per the ONNX specs of the ops that have them. */
const TYPE_ATTRS = ['to', 'dtype', 'output_datatype'];

function retype(n: onnx.INodeProto): boolean {
  let changed = false;
  n.attribute = (n.attribute ?? []).map((a) => {
    if (TYPE_ATTRS.includes(a.name ?? '') && a.type === 2 && isLowFloat(Number(a.i ?? 0))) {
      changed = true;
      return intAttr(a.name ?? '', FLOAT);
    }
    if (a.t && isLowFloat(a.t.dataType) && !isConstantOp(n)) {
      const t: onnx.ITensorProto = { ...a.t };
      if (convertTensorToFloat32(t)) {
        changed = true;
        return { ...a, t };
      }
    }
    return a;
  });
  return changed;
}

function lowBytes(model: onnx.IModelProto): { before: number; after: number; count: number } {
  let before = 0;
  let count = 0;
  for (const t of weightUses(model).keys()) {
    if (!isLowFloat(t.dataType)) continue;
    before += tensorElementBytes(t, 2);
    count++;
  }
  return { before, after: before * 2, count };
}

function apply(model: onnx.IModelProto, given: PassOptions, ctx: PassContext): Result<PassOutcome, string> {
  const options = { ...defaultOptions(OPTIONS), ...given };
  const keepIo = booleanOption(options, 'keepIoTypes', false);
  const out = cloneModel(model);
  const main = out.graph;
  if (!main) return err('the model has no graph');
  const types = valueTypes(out);
  const wasFloat = (name: string | null | undefined): boolean => {
    const t = name ? types.get(name) : undefined;
    return t === FLOAT || isLowFloat(t);
  };
  const names = new NameAllocator(out);
  const decisions: NodeDecision[] = [];
  const sizes = lowBytes(out);
  let weights = 0;
  let changed = 0;
  let removedCasts = 0;

  // Weights: initializers of every graph and Constant values.
  walkGraphs(out, (scope) => {
    for (const t of scope.graph.initializer ?? []) if (convertTensorToFloat32(t)) weights++;
  });

  let total = 0;
  walkGraphs(out, (scope) => (total += (scope.graph.node ?? []).length));
  let done = 0;
  walkGraphs(out, (scope) => {
    const g = scope.graph;
    const kept: onnx.INodeProto[] = [];
    const graphOutputs = new Set((g.output ?? []).map((v) => v.name ?? ''));
    for (const n of g.node ?? []) {
      throwIfAborted(ctx.signal);
      ctx.progress('converting to float32', ++done, total);
      const label = scope.nodeLabel(n);
      const op = n.opType ?? '';
      const lowIo = [...(n.input ?? []), ...(n.output ?? [])].some((v) => !!v && isLowFloat(types.get(v)));
      if (isConstantOp(n)) {
        const t = findAttr(n, 'value')?.t;
        if (t && isLowFloat(t.dataType)) {
          const copy: onnx.ITensorProto = { ...t };
          if (convertTensorToFloat32(copy)) {
            n.attribute = (n.attribute ?? []).map((a) => (a.name === 'value' ? { ...a, t: copy } : a));
            weights++;
            changed++;
            decisions.push({ node: label, op, decision: 'changed', reason: 'constant stored as float32' });
          }
        }
        kept.push(n);
        continue;
      }
      const retyped = retype(n);
      // A Cast from a float type to float32 is now the identity.
      const to = Number(findAttr(n, 'to')?.i ?? 0);
      const input = n.input?.[0] ?? '';
      const output = n.output?.[0] ?? '';
      if (op === 'Cast' && to === FLOAT && wasFloat(input) && (retyped || lowIo)) {
        removedCasts++;
        decisions.push({ node: label, op, decision: 'changed', reason: 'removed: a float32-to-float32 Cast after conversion' });
        if (graphOutputs.has(output)) {
          // The output name is this graph's interface: keep it, as an Identity.
          kept.push({ ...n, opType: 'Identity', attribute: [] });
        } else {
          renameReads(g, output, input);
        }
        continue;
      }
      if (retyped || lowIo) {
        changed++;
        decisions.push({ node: label, op, decision: 'changed', reason: 'computes in float32' });
      }
      kept.push(n);
    }
    g.node = kept;
  });

  // Every declared float16/bfloat16 value becomes float32.
  forEachValueInfo(out, (vi) => {
    if (isLowFloat(vi.type?.tensorType?.elemType)) setElemType(vi, FLOAT);
  });

  // keepIoTypes: the original float16 interface, with Casts at the boundary.
  let boundaryCasts = 0;
  if (keepIo) {
    const initNames = new Set((main.initializer ?? []).map((t) => t.name ?? ''));
    const prologue: onnx.INodeProto[] = [];
    for (const vi of main.input ?? []) {
      const name = vi.name ?? '';
      const t = types.get(name);
      if (!name || initNames.has(name) || !isLowFloat(t)) continue;
      const inner = names.fresh(`${name}_fp32`);
      renameReads(main, name, inner);
      prologue.push(castNode(name, inner, FLOAT, names.fresh(`Cast_${name}`)));
      setElemType(vi, t ?? FLOAT);
      boundaryCasts++;
    }
    main.node = [...prologue, ...(main.node ?? [])];
    for (const vi of main.output ?? []) {
      const name = vi.name ?? '';
      const t = types.get(name);
      if (!name || !isLowFloat(t)) continue;
      const inner = names.fresh(`${name}_fp32`);
      renameValue(main, name, inner);
      main.node.push(castNode(inner, name, t ?? FLOAT, names.fresh(`Cast_${name}`)));
      setElemType(vi, t ?? FLOAT);
      boundaryCasts++;
    }
  }

  const mb = (b: number): string => `${(b / 1048576).toFixed(2)} MB`;
  const summary = weights + changed + removedCasts === 0
    ? 'no float16 or bfloat16 tensors: the model is already float32'
    : `${changed} nodes to float32, ${removedCasts} redundant Casts removed, ${weights} weights ${mb(sizes.before)} → ${mb(sizes.after)}` + (boundaryCasts ? `; ${boundaryCasts} boundary Casts keep the float16 interface` : '');
  return ok({
    model: out,
    report: { pass: 'to-fp32', summary, changedNodes: changed + removedCasts, skippedNodes: 0, decisions, weightBytesBefore: sizes.before, weightBytesAfter: sizes.after, warnings: [] },
  });
}

export const toFloat32Pass: PassDefinition = {
  id: 'to-fp32',
  label: 'To float32',
  category: 'precision',
  summary: 'A float16 (or bfloat16) model becomes float32 so a CPU runs it at full speed; redundant Casts are dropped.',
  note: 'Doubles the size of the weights it converts. Exact: every float16 and bfloat16 value is a float32 value.',
  options: OPTIONS,
  estimate: (model) => {
    const s = lowBytes(model);
    return { weightBytesBefore: s.before, weightBytesAfter: s.after, nodes: s.count };
  },
  apply,
};
