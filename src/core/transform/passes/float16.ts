/**
 * Float16: weights and activations to float16, after onnxconverter-common's float16 converter and
 * onnxruntime.transformers.float16 (convert_float_to_float16 with keep_io_types, op_block_list,
 * node_block_list and min_positive_val / max_finite_val clamping).
 *
 * How: every node computes in float16 unless it is blocked (block lists, or ops whose ONNX schema or
 * onnxruntime kernels have no float16). Each float32 value gets a precision from its producer; where a
 * reader wants the other precision a Cast is inserted (one per value, graph and direction). Attributes
 * that fix an output type follow (Cast `to`, ConstantOfShape `value`), If/Loop/Scan bodies are
 * converted with their outputs cast to the node's precision, and every ValueInfo is retyped.
 * Tensors that are not float32 (int64 shapes, indices) are never touched.
 */
import type { onnx } from '../../onnx/codec.js';
import { DataType } from '../../onnx/codec.js';
import { isConstantOp } from '../../graph/constant-node.js';
import { findAttr } from '../../graph/attributes.js';
import { err, ok } from '../../errors.js';
import type { Result } from '../../errors.js';
import { cloneModel, float16Tensor, GraphScope, intAttr, NameAllocator } from '../graph-edit.js';
import { booleanOption, defaultOptions } from '../options.js';
import type { NodeDecision, OptionSpecs, PassContext, PassDefinition, PassOptions, PassOutcome } from '../types.js';
import { PassCancelled, throwIfAborted } from '../types.js';
import { planFp16 } from './precision-fp16-plan.js';
import { castNode, forEachValueInfo, renameValue, setElemType, valueTypes } from './precision-graph.js';
import { alwaysFloat32Input, anyTypeInput, DEFAULT_FP16_BLOCK_LIST, fixedFloat32Output } from './precision-ops.js';
import { convertTensorToFloat16, FP16_MAX, FP16_MIN_POSITIVE, newClampStats, ownConstantTensor } from './precision-tensors.js';

type Prec = 'f16' | 'f32';
const { FLOAT, FLOAT16 } = DataType;
const code = (p: Prec): number => (p === 'f16' ? FLOAT16 : FLOAT);

const OPTIONS: OptionSpecs = {
  keepIoTypes: {
    kind: 'boolean',
    default: true,
    label: 'Keep float32 inputs/outputs',
    description: 'Graph inputs and outputs stay float32, with Casts at the boundary, so callers feed and read float32 as before.',
  },
  opBlockList: {
    kind: 'list',
    items: 'op-types',
    default: DEFAULT_FP16_BLOCK_LIST,
    label: 'Ops kept in float32',
    description: 'Op types that stay float32 (Casts are inserted around them). The default lists ops that are unsafe in float16.',
  },
  nodeBlockList: {
    kind: 'list',
    items: 'node-names',
    default: '',
    label: 'Nodes kept in float32',
    description: 'Node names pinned to float32, e.g. a layer whose activations overflow float16.',
  },
  clampValues: {
    kind: 'boolean',
    default: true,
    label: 'Clamp weights to the float16 range',
    description: 'Weights beyond ±65504 become ±65504 instead of Infinity; nonzero weights below 5.96e-8 keep that magnitude instead of becoming 0.',
    advanced: true,
  },
};

/** Rewrites attributes that fix a float32 output type, for a node that now computes in float16. */
function retypeAttributes(n: onnx.INodeProto): void {
  const op = n.opType ?? '';
  if (op === 'Cast') {
    const to = findAttr(n, 'to');
    if (to && Number(to.i ?? 0) === FLOAT) n.attribute = (n.attribute ?? []).map((a) => (a === to ? intAttr('to', FLOAT16) : a));
  } else if (op === 'ConstantOfShape') {
    // ONNX ConstantOfShape: without `value` the output is float32 zeros.
    const value = findAttr(n, 'value');
    const t = value?.t;
    if (!value) n.attribute = [...(n.attribute ?? []), { name: 'value', type: 4, t: float16Tensor('', [1], new Uint16Array(1)) }];
    else if (t && t.dataType === FLOAT) {
      const copy: onnx.ITensorProto = { ...t };
      if (convertTensorToFloat16(copy, true, newClampStats())) n.attribute = (n.attribute ?? []).map((a) => (a === value ? { ...a, t: copy } : a));
    }
  }
}

function apply(model: onnx.IModelProto, given: PassOptions, ctx: PassContext): Result<PassOutcome, string> {
  const options = { ...defaultOptions(OPTIONS), ...given };
  const keepIo = booleanOption(options, 'keepIoTypes', true);
  const clamp = booleanOption(options, 'clampValues', true);
  const out = cloneModel(model);
  const main = out.graph;
  if (!main) return err('the model has no graph');
  const types = valueTypes(out);
  const plan = planFp16(out, options);
  const names = new NameAllocator(out);
  const stats = newClampStats();
  const cur = new Map<string, Prec>();
  const decisions: NodeDecision[] = [];
  const isFloat = (name: string | null | undefined): name is string => !!name && types.get(name) === FLOAT;
  let casts = 0;
  let changed = 0;
  let kept = 0;
  let weightsConverted = 0;
  let unknownTypes = 0;
  const bytesBefore = plan.bytesBefore;
  const bytesAfter = plan.bytesAfter;

  for (const t of plan.convert.keys()) if (convertTensorToFloat16(t, clamp, stats)) weightsConverted++;

  const total = (() => {
    let n = 0;
    const count = (g: onnx.IGraphProto): void => {
      for (const x of g.node ?? []) {
        n++;
        for (const a of x.attribute ?? []) for (const sg of [...(a.g ? [a.g] : []), ...(a.graphs ?? [])]) count(sg);
      }
    };
    count(main);
    return n;
  })();
  let done = 0;

  const processGraph = (g: onnx.IGraphProto, scope: GraphScope, formal: ReadonlyMap<string, Prec>): void => {
    const initNames = new Set((g.initializer ?? []).map((t) => t.name ?? ''));
    for (const vi of g.input ?? []) {
      if (!isFloat(vi.name) || initNames.has(vi.name)) continue;
      cur.set(vi.name, scope.parent ? (formal.get(vi.name) ?? 'f32') : keepIo ? 'f32' : 'f16');
    }
    for (const t of g.initializer ?? []) if (t.name && types.get(t.name) === FLOAT) cur.set(t.name, plan.convert.has(t) ? 'f16' : 'f32');

    const newNodes: onnx.INodeProto[] = [];
    const castCache = new Map<string, string>();
    const castTo = (name: string, p: Prec): string => {
      const key = `${p}|${name}`;
      const known = castCache.get(key);
      if (known) return known;
      const output = names.fresh(`${name}_${p === 'f16' ? 'fp16' : 'fp32'}`);
      newNodes.push(castNode(name, output, code(p), names.fresh(`Cast_${output}`)));
      cur.set(output, p);
      castCache.set(key, output);
      casts++;
      return output;
    };

    for (const n of g.node ?? []) {
      throwIfAborted(ctx.signal);
      ctx.progress('converting to float16', ++done, total);
      const op = n.opType ?? '';
      const label = scope.nodeLabel(n);
      const blockedReason = plan.blocked.get(n);
      const region: Prec = blockedReason ? 'f32' : 'f16';

      if (isConstantOp(n)) {
        const o = n.output?.[0];
        if (isFloat(o)) {
          const valueTensor = findAttr(n, 'value')?.t ?? undefined;
          let p: Prec = valueTensor && plan.convert.has(valueTensor) ? 'f16' : 'f32';
          if (!valueTensor && !blockedReason) {
            // value_float / value_floats: tiny scalars, converted in place (they are not weights to the plan).
            const own = ownConstantTensor(n, (d) => d === FLOAT);
            if (own && convertTensorToFloat16(own, clamp, stats)) p = 'f16';
          }
          cur.set(o, p);
          if (p === 'f16') {
            changed++;
            decisions.push({ node: label, op, decision: 'changed', reason: 'constant stored as float16' });
          } else {
            kept++;
            const why = blockedReason ?? (valueTensor ? plan.kept.get(valueTensor)?.reason : undefined) ?? 'kept float32';
            decisions.push({ node: label, op, decision: 'kept', reason: `constant kept float32: ${why}` });
          }
        }
        newNodes.push(n);
        continue;
      }

      let floatIo = false;
      const ins = n.input ?? [];
      ins.forEach((name, i) => {
        if (!name) return;
        const t = types.get(name);
        if (t === undefined) unknownTypes++;
        if (t !== FLOAT) return;
        floatIo = true;
        if (anyTypeInput(op, i)) return;
        const want: Prec = region === 'f16' && !alwaysFloat32Input(op, plan.opset, i) ? 'f16' : 'f32';
        if ((cur.get(name) ?? 'f32') !== want) ins[i] = castTo(name, want);
      });
      if (region === 'f16') retypeAttributes(n);

      // Subgraphs (If branches, Loop/Scan bodies) compute like any graph; their float outputs are
      // cast to this node's precision, because the node's outputs take the body outputs' types.
      for (const a of n.attribute ?? []) {
        const subs = [...(a.g ? [a.g] : []), ...(a.graphs ?? [])];
        subs.forEach((sg, k) => {
          const base = `${n.name || op || 'node'}/${a.name ?? ''}${a.graphs?.length ? `[${k}]` : ''}`;
          const subScope = new GraphScope(sg, scope, scope.path ? `${scope.path}/${base}` : base);
          const formal = new Map<string, Prec>();
          const bodyInputs = sg.input ?? [];
          const first = op === 'Loop' ? 2 : op === 'Scan' ? 0 : bodyInputs.length;
          for (let i = first; i < bodyInputs.length; i++) {
            const name = bodyInputs[i]?.name;
            if (isFloat(name)) formal.set(name, region);
          }
          processGraph(sg, subScope, formal);
          for (const vi of sg.output ?? []) {
            const name = vi.name;
            if (!name || !(types.get(name) === FLOAT || vi.type?.tensorType?.elemType === FLOAT)) continue;
            const have = cur.get(name) ?? 'f32';
            if (have === region) continue;
            const output = names.fresh(`${name}_${region === 'f16' ? 'fp16' : 'fp32'}`);
            (sg.node ?? (sg.node = [])).push(castNode(name, output, code(region), names.fresh(`Cast_${output}`)));
            casts++;
            vi.name = output;
            cur.set(output, region);
          }
        });
      }

      (n.output ?? []).forEach((o, j) => {
        if (!isFloat(o)) return;
        floatIo = true;
        let p: Prec = region;
        if (op === 'Cast') p = Number(findAttr(n, 'to')?.i ?? 0) === FLOAT16 ? 'f16' : 'f32';
        else if (fixedFloat32Output(op, j)) p = 'f32';
        cur.set(o, p);
      });

      if (floatIo) {
        if (blockedReason) {
          kept++;
          decisions.push({ node: label, op, decision: 'kept', reason: `kept float32: ${blockedReason}` });
        } else {
          changed++;
          decisions.push({ node: label, op, decision: 'changed', reason: 'computes in float16' });
        }
      }
      newNodes.push(n);
    }
    g.node = newNodes;
  };

  try {
    processGraph(main, new GraphScope(main), new Map());
  } catch (e) {
    if (e instanceof PassCancelled) throw e;
    return err(`float16 conversion failed: ${e instanceof Error ? e.message : String(e)}`);
  }

  // Graph outputs keep their public names: the internal value is renamed and a Cast produces the name.
  const realInputs = new Set((main.input ?? []).map((v) => v.name ?? ''));
  for (const vi of main.output ?? []) {
    const name = vi.name;
    if (!isFloat(name) || realInputs.has(name)) continue;
    const want: Prec = keepIo ? 'f32' : 'f16';
    const have = cur.get(name) ?? 'f32';
    if (have === want) continue;
    const inner = names.fresh(`${name}_${have === 'f16' ? 'fp16' : 'fp32'}`);
    renameValue(main, name, inner);
    cur.set(inner, have);
    (main.node ?? (main.node = [])).push(castNode(inner, name, code(want), names.fresh(`Cast_${name}`)));
    cur.set(name, want);
    casts++;
  }

  forEachValueInfo(out, (vi) => {
    const p = vi.name ? cur.get(vi.name) : undefined;
    const t = vi.type?.tensorType?.elemType;
    if (p && (t === FLOAT || t === FLOAT16)) setElemType(vi, code(p));
  });

  const warnings: string[] = [];
  if (stats.overflow > 0) warnings.push(clamp ? `${stats.overflow} weight values beyond ±${FP16_MAX} were clamped to ±${FP16_MAX}` : `${stats.overflow} weight values beyond ±${FP16_MAX} became ±Infinity`);
  if (stats.underflow > 0) warnings.push(clamp ? `${stats.underflow} nonzero weight values below ${FP16_MIN_POSITIVE.toExponential(2)} were raised to ±${FP16_MIN_POSITIVE.toExponential(2)}` : `${stats.underflow} nonzero weight values below ${FP16_MIN_POSITIVE.toExponential(2)} were flushed to zero`);
  if (unknownTypes > 0) warnings.push(`${unknownTypes} node inputs have an element type this pass could not determine; they were left as they are`);
  const mb = (b: number): string => `${(b / 1048576).toFixed(2)} MB`;
  const summary = `${changed} nodes to float16, ${kept} kept float32, ${casts} Casts inserted; ${weightsConverted} weights ${mb(bytesBefore)} → ${mb(bytesAfter)}` +
    (stats.overflow + stats.underflow > 0 ? `; ${stats.overflow} values clamped to ±65504, ${stats.underflow} raised to the smallest float16` : '');
  return ok({
    model: out,
    report: { pass: 'fp16', summary, changedNodes: changed, skippedNodes: kept, decisions, weightBytesBefore: bytesBefore, weightBytesAfter: bytesAfter, warnings },
  });
}

export const float16Pass: PassDefinition = {
  id: 'fp16',
  label: 'Float16',
  category: 'precision',
  summary: 'Weights and activations to float16 (half the file); inputs and outputs stay float32 by default.',
  note:
    'A size option on CPU: onnxruntime-web\'s WASM backend has float16 kernels for few ops and runs the rest in float32 ' +
    'behind Casts it inserts at load (measured ~0.94× the float32 speed). For CPU use "Float16 weights (fp32 compute)": ' +
    'same file size, full speed. Activations beyond ±65504 overflow in float16; block the node if outputs go wrong.',
  options: OPTIONS,
  estimate: (model, options) => {
    const plan = planFp16(model, { ...defaultOptions(OPTIONS), ...options });
    const readers = new Set<onnx.INodeProto>();
    for (const use of plan.convert.values()) for (const r of use.readers) readers.add(r.node);
    return { weightBytesBefore: plan.bytesBefore, weightBytesAfter: plan.bytesAfter, nodes: readers.size };
  },
  apply,
};
