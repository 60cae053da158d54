/**
 * Int8 dynamic quantization, like onnxruntime.quantization.quantize_dynamic: constant MatMul/Gemm
 * (optionally Conv) weights are stored as 8-bit integers; activations are quantized at run time.
 *
 * Emitted form (the one onnxruntime-web runs fastest, RUNTIME-FACTS.md):
 *   A ─ DynamicQuantizeLinear ─ A_q, A_scale, A_zp
 *   MatMulInteger(A_q, W_q, A_zp, W_zp) ─ Cast(float) ─ Mul(·, A_scale · W_scale) [─ Add(bias)]
 * ORT's DynamicQuantizeMatMulFusion turns that chain into one DynamicQuantizeMatMul kernel (u8×s8),
 * measured ~2.4× faster than fp32 MatMul at 64×768×3072. One DynamicQuantizeLinear is shared by all
 * nodes reading the same activation (q/k/v projections).
 *
 * Conv (opt-in through opTypesToQuantize): DynamicQuantizeLinear → ConvInteger → Cast → Mul → Add.
 * ConvInteger with u8 activations × s8 weights is ~6× slower than fp32 on WASM, u8×u8 ~2.5× faster,
 * so Conv weights are always uint8 here, whatever weightType says; per channel they are symmetric
 * around 128 so one scalar zero point serves every channel (ORT's ConvInteger takes a scalar w_zero_point).
 */
import { attrInt } from '../../graph/attributes.js';
import type { Result } from '../../errors.js';
import { err, ok } from '../../errors.js';
import type { onnx } from '../../onnx/codec.js';
import { DataType } from '../../onnx/codec.js';
import { elementCount, tensorDims } from '../../onnx/tensor.js';
import { quantizeWeight } from '../../quant/qparams.js';
import { inferShapes } from '../../shape/index.js';
import type { QType, QuantizedWeight } from '../../quant/qparams.js';
import type { GraphScope, WeightRef } from '../graph-edit.js';
import { cloneModel, floatTensor, int8Tensor, intAttr, NameAllocator, node, opsetVersion, uint8Tensor, walkGraphs } from '../graph-edit.js';
import { booleanOption, numberOption, parseList, stringOption } from '../options.js';
import type { NodeDecision, PassContext, PassDefinition, PassOptions, PassOutcome, SizeEstimate } from '../types.js';
import { throwIfAborted } from '../types.js';
import { analyzeLinear, biasVector, dropUnreadWeights, estimatePlans, isExcluded, weightBytes, weightValues } from './matmul-candidates.js';
import type { CandidatePlan, LinearCandidate } from './matmul-candidates.js';

interface Settings {
  readonly ops: ReadonlySet<string>;
  readonly excluded: ReadonlySet<string>;
  readonly perChannel: boolean;
  readonly reduceRange: boolean;
  readonly weightType: QType;
  readonly minElements: number;
}

function settings(options: PassOptions): Settings {
  return {
    ops: new Set(parseList(options.opTypesToQuantize ?? 'MatMul,Gemm')),
    excluded: new Set(parseList(options.nodesToExclude)),
    perChannel: booleanOption(options, 'perChannel', false),
    reduceRange: booleanOption(options, 'reduceRange', false),
    weightType: stringOption(options, 'weightType', 'int8') === 'uint8' ? 'uint8' : 'int8',
    minElements: numberOption(options, 'minElements', 0),
  };
}

interface ConvCandidate {
  readonly op: 'Conv';
  readonly weight: WeightRef;
  readonly dims: readonly number[];
  readonly bias: WeightRef | undefined;
}

type Candidate = LinearCandidate | ConvCandidate;
type Plan = CandidatePlan<Candidate>;

function analyzeConv(scope: GraphScope, n: onnx.INodeProto): { candidate: ConvCandidate } | { reason: string } {
  const weight = scope.weight(n.input?.[1] ?? '');
  if (!weight) return { reason: 'weight is computed at run time, not a constant' };
  if ((weight.tensor.dataType ?? 0) !== DataType.FLOAT) return { reason: 'weight is not float32' };
  const dims = tensorDims(weight.tensor);
  if (dims.length < 3) return { reason: `weight has rank ${dims.length}` };
  const biasName = n.input?.[2] ?? '';
  const bias = biasName ? scope.weight(biasName) : undefined;
  if (biasName && (!bias || (bias.tensor.dataType ?? 0) !== DataType.FLOAT)) return { reason: 'bias is not a float32 constant' };
  if (attrInt(n, 'group', 1) > 1 && attrInt(n, 'group', 1) === dims[0]) {
    // Depthwise: ~0.67× fp32 in int8 on WASM (RUNTIME-FACTS.md) and the weights are tiny anyway.
    return { reason: 'depthwise conv: int8 is slower than fp32 on WASM and its weights are tiny' };
  }
  return { candidate: { op: 'Conv', weight, dims, bias } };
}

function elementsOf(c: Candidate): number {
  return c.op === 'Conv' ? elementCount(c.dims) : c.K * c.N;
}

function plan(model: onnx.IModelProto, s: Settings): Plan[] {
  const out: Plan[] = [];
  walkGraphs(model, (scope) => {
    for (const n of scope.graph.node ?? []) {
      const op = n.opType ?? '';
      if (op !== 'MatMul' && op !== 'Gemm' && op !== 'Conv') continue;
      if (!s.ops.has(op)) continue;
      const label = scope.nodeLabel(n);
      if (isExcluded(s.excluded, scope, n)) {
        out.push({ label, op, reason: 'excluded by nodesToExclude' });
        continue;
      }
      let candidate: Candidate;
      if (op === 'Conv') {
        const a = analyzeConv(scope, n);
        if ('reason' in a) {
          out.push({ label, op, reason: a.reason });
          continue;
        }
        candidate = a.candidate;
      } else {
        const a = analyzeLinear(scope, n);
        if (!a.ok) {
          out.push({ label, op, reason: a.reason });
          continue;
        }
        candidate = a.candidate;
      }
      const count = elementsOf(candidate);
      if (count < s.minElements) {
        out.push({ label, op, reason: `weight has ${count} elements, fewer than minElements=${s.minElements}` });
        continue;
      }
      out.push({ scope, node: n, label, candidate });
    }
  });
  return out;
}

/** Stored bytes of the int8 form: one byte a weight plus scales and zero points. */
function quantizedBytes(c: Candidate, perChannel: boolean): number {
  const channels = perChannel ? (c.op === 'Conv' ? (c.dims[0] ?? 1) : c.N) : 1;
  const zpCount = c.op === 'Conv' ? 1 : channels;
  return elementsOf(c) + channels * 4 + zpCount;
}

function estimate(model: onnx.IModelProto, options: PassOptions): SizeEstimate {
  const s = settings(options);
  return estimatePlans(plan(model, s), (c) => quantizedBytes(c, s.perChannel));
}

/** Weight [K,N] (or Conv [M, C/g, …]) in the order the integer op wants it. */
function orientedWeight(c: Candidate, values: Float32Array): Float32Array {
  if (c.op === 'Conv' || c.layout === 'kn') return values;
  const { K, N } = c;
  const out = new Float32Array(K * N);
  for (let n = 0; n < N; n++) for (let k = 0; k < K; k++) out[k * N + n] = values[n * K + k] as number;
  return out;
}

interface QuantizedNames {
  readonly q: string;
  readonly zp: string;
  /** Scale initializer: scalar, [N] for per-column MatMul, [1, M, 1, …] for per-channel Conv. */
  readonly scale: string;
  readonly bytes: number;
}

function apply(input: onnx.IModelProto, options: PassOptions, ctx: PassContext): Result<PassOutcome, string> {
  const s = settings(options);
  if (s.ops.size === 0) return err('opTypesToQuantize is empty: nothing to quantize');
  const model = cloneModel(input);
  const names = new NameAllocator(model);
  const plans = plan(model, s);
  const rowsOf = knownRows(model);
  const warnings: string[] = [];
  const decisions: NodeDecision[] = [];
  const cache = new Map<onnx.ITensorProto, Map<string, QuantizedNames>>();
  const dynamicQ = new Map<onnx.IGraphProto, Map<string, [string, string, string]>>();
  const rewritten = new Map<onnx.IGraphProto, Map<onnx.INodeProto, onnx.INodeProto[]>>();
  const touched = new Set<string>();
  let before = 0;
  let after = 0;
  let changed = 0;

  const addInit = (g: onnx.IGraphProto, t: onnx.ITensorProto): void => {
    (g.initializer ?? (g.initializer = [])).push(t);
  };

  const quantize = (c: Candidate, values: Float32Array): QuantizedNames => {
    const isConv = c.op === 'Conv';
    const key = isConv ? 'conv' : `${c.layout}`;
    const perTensor = cache.get(c.weight.tensor) ?? new Map<string, QuantizedNames>();
    cache.set(c.weight.tensor, perTensor);
    const hit = perTensor.get(key);
    if (hit) return hit;
    const dims = isConv ? c.dims : [c.K, c.N];
    // int8 weights are symmetric ([-127, 127], zp 0) as in ORT's quantize_dynamic; uint8 asymmetric.
    // Conv: always uint8 (u8×s8 ConvInteger is ~6× slower on WASM); per channel symmetric → zp 128.
    const qtype: QType = isConv ? 'uint8' : s.weightType;
    const symmetric = isConv ? s.perChannel : qtype === 'int8';
    const qw: QuantizedWeight = quantizeWeight(orientedWeight(c, values), dims, {
      qtype,
      symmetric,
      reduceRange: s.reduceRange,
      axis: s.perChannel ? (isConv ? 0 : 1) : -1,
    });
    const owner = c.weight.graph;
    const base = c.weight.name;
    const q = names.fresh(`${base}_quantized`);
    const zp = names.fresh(`${base}_zero_point`);
    const scale = names.fresh(`${base}_scale`);
    addInit(owner, qtype === 'int8' ? int8Tensor(q, dims, qw.values as Int8Array) : uint8Tensor(q, dims, qw.values as Uint8Array));
    const perCh = s.perChannel && qw.scales.length > 1;
    // MatMulInteger takes a per-column b_zero_point [N] (ONNX spec); ConvInteger gets a scalar.
    const zpValues = isConv ? qw.zeroPoints.subarray(0, 1) : qw.zeroPoints;
    const zpDims = isConv || !perCh ? [] : [zpValues.length];
    addInit(owner, qtype === 'int8' ? int8Tensor(zp, zpDims, zpValues as Int8Array) : uint8Tensor(zp, zpDims, zpValues as Uint8Array));
    const scaleDims = !perCh ? [] : isConv ? [1, qw.scales.length, ...dims.slice(2).map(() => 1)] : [qw.scales.length];
    addInit(owner, floatTensor(scale, scaleDims, qw.scales));
    const bytes = qw.values.byteLength + qw.scales.byteLength + zpValues.byteLength;
    const out = { q, zp, scale, bytes };
    perTensor.set(key, out);
    return out;
  };

  // DynamicQuantizeLinear exists from opset 11 (ONNX operator spec); in an older model ORT refuses it.
  const opset = opsetVersion(model, '');
  const tooOld = opset < 11 ? `the model's opset ${opset} is older than 11, which DynamicQuantizeLinear needs: convert the model to opset ≥ 11 first (or use int8 static, which raises the opset)` : undefined;
  if (tooOld) warnings.push(tooOld);
  for (const [i, p] of plans.entries()) {
    throwIfAborted(ctx.signal);
    ctx.progress('Quantizing weights', i, plans.length);
    if (!('candidate' in p) || tooOld) {
      decisions.push({ node: p.label, op: 'candidate' in p ? p.candidate.op : p.op, decision: 'skipped', reason: tooOld ?? ('reason' in p ? p.reason : '') });
      continue;
    }
    const { scope, node: n, candidate: c } = p;
    const values = weightValues(c.weight);
    if (!values) {
      decisions.push({ node: p.label, op: c.op, decision: 'skipped', reason: `weight ${c.weight.name} has no data in the model (external data?)` });
      continue;
    }
    const firstUse = !touched.has(c.weight.name);
    const hadCache = cache.get(c.weight.tensor)?.has(c.op === 'Conv' ? 'conv' : c.layout) ?? false;
    const qn = quantize(c, values);
    if (!hadCache) after += qn.bytes;
    if (firstUse) before += weightBytes(c.weight);
    touched.add(c.weight.name);

    const g = scope.graph;
    const label = n.name || p.label;
    const aName = n.input?.[0] ?? '';
    const out = n.output?.[0] ?? '';
    const nodes: onnx.INodeProto[] = [];
    const perGraph = dynamicQ.get(g) ?? new Map<string, [string, string, string]>();
    dynamicQ.set(g, perGraph);
    let dq = perGraph.get(aName);
    if (!dq) {
      dq = [names.fresh(`${aName}_quantized`), names.fresh(`${aName}_scale`), names.fresh(`${aName}_zero_point`)];
      perGraph.set(aName, dq);
      nodes.push(node('DynamicQuantizeLinear', [aName], dq, names.fresh(`${aName}_DynamicQuantizeLinear`)));
    }
    const [aq, as, azp] = dq;
    const intOut = names.fresh(`${out}_int32`);
    if (c.op === 'Conv') {
      const attrs = (n.attribute ?? []).filter((a) => ['auto_pad', 'dilations', 'group', 'kernel_shape', 'pads', 'strides'].includes(a.name ?? ''));
      nodes.push(node('ConvInteger', [aq, qn.q, azp, qn.zp], [intOut], names.fresh(`${label}_ConvInteger`), attrs));
    } else {
      nodes.push(node('MatMulInteger', [aq, qn.q, azp, qn.zp], [intOut], names.fresh(`${label}_MatMulInteger`)));
    }
    const floatOut = names.fresh(`${out}_float`);
    nodes.push(node('Cast', [intOut], [floatOut], names.fresh(`${label}_Cast`), [intAttr('to', DataType.FLOAT)]));
    const scaleOut = names.fresh(`${out}_scale`);
    let scaleIn = qn.scale;
    if (c.op !== 'Conv' && c.alpha !== 1) {
      // Gemm's alpha joins the weight scale: alpha · A · W = A_q·W_q · (A_scale · W_scale · alpha).
      const alphaName = names.fresh(`${label}_alpha`);
      addInit(g, floatTensor(alphaName, [], Float32Array.of(c.alpha)));
      const scaled = names.fresh(`${qn.scale}_alpha`);
      nodes.push(node('Mul', [qn.scale, alphaName], [scaled], names.fresh(`${label}_alpha_Mul`)));
      scaleIn = scaled;
    }
    nodes.push(node('Mul', [as, scaleIn], [scaleOut], names.fresh(`${label}_scale_Mul`)));
    const biasName = biasInput(c, g, names, addInit, touched);
    const mulOut = biasName ? names.fresh(`${out}_nobias`) : out;
    nodes.push(node('Mul', [floatOut, scaleOut], [mulOut], names.fresh(`${label}_Mul`)));
    if (biasName) nodes.push(node('Add', [mulOut, biasName], [out], names.fresh(`${label}_bias_Add`)));

    const rw = rewritten.get(g) ?? new Map<onnx.INodeProto, onnx.INodeProto[]>();
    rewritten.set(g, rw);
    rw.set(n, nodes);
    changed++;
    const rows = c.op === 'Conv' ? undefined : rowsOf(aName);
    const slow = rows !== undefined && rows <= 4 ? `; ${ROWS_NOTE(rows)}` : '';
    if (slow) warnings.push(`${p.label}: ${ROWS_NOTE(rows ?? 1)}`);
    decisions.push({ node: p.label, op: c.op, decision: 'changed', reason: describeChange(c, s) + slow });
  }
  ctx.progress('Quantizing weights', plans.length, plans.length);

  for (const [g, map] of rewritten) g.node = (g.node ?? []).flatMap((n) => map.get(n) ?? [n]);
  dropUnreadWeights(model, touched);

  const skipped = decisions.length - changed;
  const ratio = before > 0 ? ` (${(after / before).toFixed(2)}× of ${(before / 1024).toFixed(0)} KB)` : '';
  return ok({
    model,
    report: {
      pass: 'int8-dynamic',
      summary: `${changed} ${[...s.ops].join('/')} weights to ${s.weightType}${s.perChannel ? ' per channel' : ''}${ratio}; ${skipped} skipped`,
      changedNodes: changed,
      skippedNodes: skipped,
      decisions,
      weightBytesBefore: before,
      weightBytesAfter: after,
      warnings: warnings.length > 3 ? [...warnings.slice(0, 3), `${warnings.length - 3} more layers run with ≤ 4 rows`] : warnings,
    },
  });
}

/** The bias to add after the rescale (Gemm's beta·C, Conv's B reshaped to [1, M, 1, …]), if any. */
function biasInput(c: Candidate, g: onnx.IGraphProto, names: NameAllocator, addInit: (g: onnx.IGraphProto, t: onnx.ITensorProto) => void, touched: Set<string>): string | undefined {
  if (c.op === 'Conv') {
    if (!c.bias) return undefined;
    const v = weightValues(c.bias);
    if (!v) return undefined;
    const name = names.fresh(`${c.bias.name}_reshaped`);
    addInit(g, floatTensor(name, [1, v.length, ...c.dims.slice(2).map(() => 1)], v));
    touched.add(c.bias.name);
    return name;
  }
  if (!c.bias) return undefined;
  const vec = biasVector(c);
  if (vec) {
    const name = names.fresh(`${c.bias.name}_bias`);
    addInit(g, floatTensor(name, [c.N], vec));
    touched.add(c.bias.name);
    return name;
  }
  if (c.bias.weight && c.bias.beta !== 1) {
    const v = weightValues(c.bias.weight);
    if (v) {
      const name = names.fresh(`${c.bias.name}_beta`);
      const beta = c.bias.beta;
      addInit(g, floatTensor(name, tensorDims(c.bias.weight.tensor), v.map((x) => x * beta)));
      touched.add(c.bias.name);
      return name;
    }
  }
  return c.bias.name; // beta is 1 (analyzeLinear checked): Add broadcasts C as Gemm would
}

/**
 * Rows of a MatMul's A (product of all but its last dimension) when shape inference knows them.
 * Measured here (onnxruntime-web 1.30, 1 thread): DynamicQuantizeMatMul at 64×768×3072 ~2× faster
 * than fp32, but at one row 0.4–0.6× (768×3072, 1280×1000) and ~0.9× on tiny weights — the fp32
 * GEMV on prepacked weights beats quantizing the row at run time.
 */
function knownRows(model: onnx.IModelProto): (name: string) => number | undefined {
  let shapes: ReturnType<typeof inferShapes> | undefined;
  try {
    shapes = inferShapes(model);
  } catch {
    shapes = undefined; // speed notes are advisory; an inference gap must not fail the pass
  }
  return (name) => {
    const shape = shapes?.get(name)?.shape;
    if (!shape || shape.length < 2) return undefined;
    let rows = 1;
    for (const d of shape.slice(0, -1)) {
      if (typeof d !== 'number') return undefined;
      rows *= d;
    }
    return rows;
  };
}

const ROWS_NOTE = (rows: number): string => `only ${rows} row${rows === 1 ? '' : 's'} per run: int8 dynamic measured 0.4–0.9× fp32 speed at batch 1 on WASM (smaller file, not faster)`;

function describeChange(c: Candidate, s: Settings): string {
  if (c.op === 'Conv') {
    const pointwise = c.dims.slice(2).every((d) => d === 1);
    return `weight ${c.dims.join('×')} → uint8${s.perChannel ? ' per channel (zp 128)' : ''}, ConvInteger u8×u8 (u8×s8 is ~6× slower on WASM); ${pointwise ? CONV_1X1_SPEED : CONV_KXK_SPEED}`;
  }
  const extra = `${c.layout === 'nk' ? ', transB folded' : ''}${c.alpha !== 1 ? ', alpha folded into scale' : ''}${c.bias ? ', bias added after' : ''}`;
  return `${c.K}×${c.N} weight → ${s.weightType}${s.perChannel ? ' per column' : ''}${extra}; runs as DynamicQuantizeMatMul (measured ~2× fp32 at 64 rows, 0.4–0.9× at 1 row)`;
}

// Measured with onnxruntime-web 1.30 in Node, 1 thread, median of 40–300 runs, on a shared 2-core
// machine (noisy: repeated runs varied by ±30 %), DynamicQuantizeLinear → ConvInteger → Cast → Mul → Add
// against the fp32 Conv: ORT has no fused dynamic Conv kernel, so the chain runs op by op.
const CONV_1X1_SPEED = '1×1 conv measured 2.0–3.9× faster than fp32 (128→128 channels at 28×28)';
const CONV_KXK_SPEED = 'k×k conv measured 0.84–1.12× fp32 per tensor and 0.4–0.6× per channel (64→64 3×3 at 56×56): smaller, not faster';

export const int8DynamicPass: PassDefinition = {
  id: 'int8-dynamic',
  label: 'Int8 dynamic',
  category: 'quantize',
  summary: 'MatMul/Gemm weights to int8, activations quantized at run time (like ORT quantize_dynamic)',
  note:
    'No calibration needed. Measured on WASM (1 thread): MatMuls with many rows (64×768×3072, or the digits MLP at batch 360) run ~2× faster than fp32 as DynamicQuantizeMatMul, but one-row (batch-1) MatMuls run at 0.4–0.9× — there it only shrinks the file. Conv is opt-in: 1×1 convs gained 2–3.9×, 3×3 convs did not.',
  options: {
    opTypesToQuantize: {
      kind: 'list',
      label: 'Op types',
      description: 'Which ops get int8 weights: MatMul, Gemm, and optionally Conv (ConvInteger with uint8 weights: measured faster for 1×1 convs only).',
      default: 'MatMul,Gemm',
      items: 'op-types',
    },
    nodesToExclude: { kind: 'list', label: 'Nodes to exclude', description: 'Nodes to leave in float.', default: '', items: 'node-names' },
    perChannel: {
      kind: 'boolean',
      label: 'Per channel',
      description: 'One scale per output column (MatMul/Gemm) or channel (Conv) instead of one per tensor: more accurate, a few more bytes.',
      default: false,
    },
    reduceRange: {
      kind: 'boolean',
      label: 'Reduce range',
      description: '7-bit weights, for CPUs without VNNI where 8-bit products can overflow; costs accuracy.',
      default: false,
      advanced: true,
    },
    weightType: {
      kind: 'choice',
      label: 'Weight type',
      description: 'int8 (symmetric, the fast u8×s8 kernel) or uint8 (asymmetric). Conv always uses uint8.',
      default: 'int8',
      choices: [
        { value: 'int8', label: 'int8' },
        { value: 'uint8', label: 'uint8' },
      ],
    },
    minElements: {
      kind: 'number',
      label: 'Minimum weight size',
      description: 'Skip weights with fewer elements than this: tiny layers gain no speed and save few bytes.',
      default: 0,
      min: 0,
      max: 1e9,
      step: 1,
      advanced: true,
    },
  },
  estimate,
  apply,
};
