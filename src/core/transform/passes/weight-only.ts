/**
 * Weight-only block-wise quantization: MatMul / Gemm with a constant 2-D weight → ONNX Runtime's
 * com.microsoft MatMulNBits (4 or 8 bits per weight, one scale — and zero point when asymmetric — per
 * block of `blockSize` weights along K). Activations stay float; the runtime dequantizes the weight
 * blocks inside the kernel.
 *
 * Honest about speed: on onnxruntime-web's WASM backend MatMulNBits is *slower* than the fp32 MatMul
 * it replaces (RUNTIME-FACTS.md: 0.6× at M=64 and ~0.03× at M=1, 4-bit block 32), so this is a size
 * option — the file shrinks ~7× for the weights it touches at 4 bits — not a speed one.
 */
import type { Result } from '../../errors.js';
import { err, ok } from '../../errors.js';
import type { onnx } from '../../onnx/codec.js';
import { blockQuantBytes, quantizeBlockwise } from '../../quant/block-quant.js';
import type { BlockBits, BlockQuantOptions } from '../../quant/block-quant.js';
import { cloneModel, ensureOpset, floatTensor, intAttr, NameAllocator, node, uint8Tensor, walkGraphs } from '../graph-edit.js';
import { booleanOption, numberOption, parseList } from '../options.js';
import type { NodeDecision, PassContext, PassDefinition, PassOptions, PassOutcome, SizeEstimate } from '../types.js';
import { throwIfAborted } from '../types.js';
import { analyzeLinear, biasVector, dropUnreadWeights, estimatePlans, isExcluded, weightBytes, weightValues } from './matmul-candidates.js';
import type { CandidatePlan, LinearCandidate } from './matmul-candidates.js';

interface Settings {
  readonly quant: BlockQuantOptions;
  readonly accuracyLevel: number;
  readonly excluded: ReadonlySet<string>;
  readonly minElements: number;
}

function settings(options: PassOptions): Settings | string {
  const bits = numberOption(options, 'bits', 4);
  const blockSize = numberOption(options, 'blockSize', 32);
  if (bits !== 4 && bits !== 8) return `bits must be 4 or 8, got ${bits}`;
  // MatMulNBits requires a power-of-two block size ≥ 16 (contrib op spec).
  if (blockSize < 16 || (blockSize & (blockSize - 1)) !== 0) return `blockSize must be a power of two ≥ 16, got ${blockSize}`;
  return {
    quant: { bits: bits as BlockBits, blockSize, symmetric: booleanOption(options, 'symmetric', true) },
    accuracyLevel: numberOption(options, 'accuracyLevel', 0),
    excluded: new Set(parseList(options.nodesToExclude)),
    minElements: numberOption(options, 'minElements', 0),
  };
}

type Plan = CandidatePlan<LinearCandidate>;

/** Every MatMul/Gemm in every graph, with what this pass would do to it and why. */
function plan(model: onnx.IModelProto, s: Settings): Plan[] {
  const out: Plan[] = [];
  walkGraphs(model, (scope) => {
    for (const n of scope.graph.node ?? []) {
      if (n.opType !== 'MatMul' && n.opType !== 'Gemm') continue;
      const label = scope.nodeLabel(n);
      const op = n.opType;
      if (isExcluded(s.excluded, scope, n)) {
        out.push({ label, op, reason: 'excluded by nodesToExclude' });
        continue;
      }
      const a = analyzeLinear(scope, n);
      if (!a.ok) {
        out.push({ label, op, reason: a.reason });
        continue;
      }
      const c = a.candidate;
      if (c.K * c.N < s.minElements) {
        out.push({ label, op, reason: `weight has ${c.K * c.N} elements, fewer than minElements=${s.minElements}` });
        continue;
      }
      if (c.K < 16) {
        // One block would be mostly padding: the file would not shrink and the kernel gains nothing.
        out.push({ label, op, reason: `reduction depth K=${c.K} is below the smallest block (16)` });
        continue;
      }
      out.push({ scope, node: n, label, candidate: c });
    }
  });
  return out;
}

function estimate(model: onnx.IModelProto, options: PassOptions): SizeEstimate {
  const s = settings(options);
  if (typeof s === 'string') return { weightBytesBefore: 0, weightBytesAfter: 0, nodes: 0 };
  return estimatePlans(plan(model, s), (c) => blockQuantBytes(c.K, c.N, s.quant));
}

const SPEED_NOTE = 'MatMulNBits runs slower than fp32 on onnxruntime-web WASM (measured 0.6× at M=64, ~0.03× at M=1 for 4-bit block 32): this shrinks the file, it does not speed it up';

function apply(input: onnx.IModelProto, options: PassOptions, ctx: PassContext): Result<PassOutcome, string> {
  const s = settings(options);
  if (typeof s === 'string') return err(s);
  const model = cloneModel(input);
  const names = new NameAllocator(model);
  const plans = plan(model, s);
  const decisions: NodeDecision[] = [];
  // One packed copy per (weight tensor, layout, alpha): weights shared by several nodes are packed once.
  const packedCache = new Map<onnx.ITensorProto, Map<string, { b: string; scales: string; zp: string | undefined }>>();
  const rewritten = new Map<onnx.IGraphProto, Map<onnx.INodeProto, onnx.INodeProto[]>>();
  const touchedWeights = new Set<string>();
  let before = 0;
  let after = 0;
  let changed = 0;
  const { bits, blockSize, symmetric } = s.quant;

  for (const [i, p] of plans.entries()) {
    throwIfAborted(ctx.signal);
    ctx.progress('Packing weights', i, plans.length);
    if (!('candidate' in p)) {
      decisions.push({ node: p.label, op: p.op, decision: 'skipped', reason: p.reason });
      continue;
    }
    const { scope, node: n, candidate: c } = p;
    const values = weightValues(c.weight);
    if (!values) {
      decisions.push({ node: p.label, op: c.op, decision: 'skipped', reason: `weight ${c.weight.name} has no data in the model (external data?)` });
      continue;
    }
    const key = `${c.layout}:${c.alpha}`;
    const perTensor = packedCache.get(c.weight.tensor) ?? new Map();
    packedCache.set(c.weight.tensor, perTensor);
    let packed = perTensor.get(key);
    if (!packed) {
      const q = quantizeBlockwise(values, c.K, c.N, c.layout, s.quant, c.alpha);
      const base = c.weight.name;
      const b = names.fresh(`${base}_Q${bits}`);
      const scales = names.fresh(`${base}_scales`);
      const zp = q.zeroPoints ? names.fresh(`${base}_zero_points`) : undefined;
      // The packed weight lives next to the float one, so every scope that could read it still can.
      const owner = c.weight.graph;
      const inits = owner.initializer ?? (owner.initializer = []);
      inits.push(uint8Tensor(b, [c.N, q.kBlocks, q.blobSize], q.packed));
      inits.push(floatTensor(scales, [c.N * q.kBlocks], q.scales));
      if (zp && q.zeroPoints) inits.push(uint8Tensor(zp, [q.zeroPoints.length], q.zeroPoints));
      packed = { b, scales, zp };
      perTensor.set(key, packed);
      if (!touchedWeights.has(c.weight.name)) before += weightBytes(c.weight);
      after += q.packed.byteLength + q.scales.byteLength + (q.zeroPoints?.byteLength ?? 0);
    }
    touchedWeights.add(c.weight.name);

    const out = n.output?.[0] ?? '';
    const label = n.name || p.label;
    const inputs = [n.input?.[0] ?? '', packed.b, packed.scales, packed.zp ?? ''];
    const replacement: onnx.INodeProto[] = [];
    let mmOut = out;
    const bias = biasVector(c);
    if (c.bias) {
      if (bias) {
        const biasName = names.fresh(`${c.bias.name}_bias`);
        (scope.graph.initializer ?? (scope.graph.initializer = [])).push(floatTensor(biasName, [c.N], bias));
        inputs.push('', biasName); // g_idx absent, then bias (input 5)
        touchedWeights.add(c.bias.name);
      } else {
        // A C that is computed, or broadcast from another shape: add it after (beta is 1 here, analyzeLinear checked).
        mmOut = names.fresh(`${out}_nobias`);
      }
    }
    while (inputs[inputs.length - 1] === '') inputs.pop();
    replacement.push(
      node('MatMulNBits', inputs, [mmOut], names.fresh(`${label}_MatMulNBits`), [
        intAttr('K', c.K),
        intAttr('N', c.N),
        intAttr('bits', bits),
        intAttr('block_size', blockSize),
        intAttr('accuracy_level', s.accuracyLevel),
      ], 'com.microsoft'),
    );
    if (mmOut !== out && c.bias) {
      let cName = c.bias.name;
      if (c.bias.weight && c.bias.beta !== 1) {
        const v = weightValues(c.bias.weight);
        if (v) {
          cName = names.fresh(`${c.bias.name}_beta`);
          (scope.graph.initializer ?? (scope.graph.initializer = [])).push(floatTensor(cName, [...(c.bias.weight.tensor.dims ?? []).map(Number)], v.map((x) => x * (c.bias?.beta ?? 1))));
          touchedWeights.add(c.bias.name);
        }
      }
      replacement.push(node('Add', [mmOut, cName], [out], names.fresh(`${label}_bias`)));
    }
    const perGraph = rewritten.get(scope.graph) ?? new Map<onnx.INodeProto, onnx.INodeProto[]>();
    rewritten.set(scope.graph, perGraph);
    perGraph.set(n, replacement);
    changed++;
    decisions.push({
      node: p.label,
      op: c.op,
      decision: 'changed',
      reason: `${c.K}×${c.N} weight → ${bits}-bit blocks of ${blockSize}${symmetric ? ' (symmetric)' : ' with zero points'}${c.layout === 'nk' ? ', transB folded' : ''}${c.alpha !== 1 ? `, alpha ${c.alpha} folded into scales` : ''}`,
    });
  }
  ctx.progress('Packing weights', plans.length, plans.length);

  for (const [g, map] of rewritten) g.node = (g.node ?? []).flatMap((n) => map.get(n) ?? [n]);
  if (changed > 0) ensureOpset(model, 'com.microsoft', 1);
  dropUnreadWeights(model, touchedWeights);

  const skipped = decisions.length - changed;
  const ratio = before > 0 ? ` (${(after / before).toFixed(2)}× of ${(before / 1024).toFixed(0)} KB)` : '';
  return ok({
    model,
    report: {
      pass: 'weight-only',
      summary: `${changed} MatMul/Gemm weights to ${bits}-bit blocks of ${blockSize}${ratio}; ${skipped} skipped`,
      changedNodes: changed,
      skippedNodes: skipped,
      decisions,
      weightBytesBefore: before,
      weightBytesAfter: after,
      warnings: changed > 0 ? [SPEED_NOTE] : [],
    },
  });
}

export const weightOnlyPass: PassDefinition = {
  id: 'weight-only',
  label: 'Weight-only int4/int8 (MatMulNBits)',
  category: 'quantize',
  summary: 'MatMul/Gemm weights to 4- or 8-bit blocks (com.microsoft MatMulNBits); activations stay float',
  note: `A size option: about 7× smaller weights at 4 bits, but ${SPEED_NOTE.replace('MatMulNBits runs', 'it runs')}.`,
  options: {
    bits: { kind: 'number', label: 'Bits', description: 'Bits per weight: 4 shrinks most, 8 keeps more accuracy.', default: 4, min: 4, max: 8, step: 4, choices: [4, 8] },
    blockSize: {
      kind: 'number',
      label: 'Block size',
      description: 'Weights along K that share one scale. Smaller blocks are more accurate and store more scales.',
      default: 32,
      min: 16,
      max: 256,
      step: 16,
      choices: [16, 32, 64, 128, 256],
    },
    symmetric: { kind: 'boolean', label: 'Symmetric', description: 'No zero points (smaller); turn off to store a zero point per block for skewed weights.', default: true },
    accuracyLevel: {
      kind: 'number',
      label: 'Accuracy level',
      description: 'MatMulNBits accuracy_level: the minimum precision of the compute (0 unset, 1 fp32, 2 fp16, 3 bf16, 4 int8 activations).',
      default: 0,
      min: 0,
      max: 4,
      step: 1,
      advanced: true,
    },
    nodesToExclude: { kind: 'list', label: 'Nodes to exclude', description: 'MatMul/Gemm nodes to leave in float.', default: '', items: 'node-names' },
    minElements: {
      kind: 'number',
      label: 'Minimum weight size',
      description: 'Skip weights with fewer elements than this (tiny layers save little).',
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
