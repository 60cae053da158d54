/**
 * Where int8 pays off on onnxruntime-web's WASM CPU backend: which layers of a model the int8-static
 * pass turns into QDQ groups (that ORT fuses into QLinearConv / QLinearMatMul / QLinearAdd …) and which
 * stay float. Three modes:
 *   - 'speed'   (default) the measured rules below, each with its reason as data;
 *   - 'all'     every layer ORT's quantize_static would quantize (the reference behaviour);
 *   - 'measure' per-layer float/int8 timings taken on this machine (CalibrationInfo.layerSpeedups).
 * Then "glue" ops (Add, MaxPool, Concat, pooling, shape ops) join an int8 region only when it is int8
 * on both sides, so fused kernels hand uint8 tensors to each other instead of bouncing through float.
 *
 * Numbers: ../shared/RUNTIME-FACTS.md "Whole models, int8 QDQ on WASM" (1 thread, per-layer profile,
 * onnxruntime-web 1.30) and issue 4 item 5.
 */
import type { onnx } from '../onnx/codec.js';
import type { GraphScope } from '../transform/graph-edit.js';
import type { ShapeMap } from '../shape/index.js';
import type { GraphIndex, LayerFacts } from './qdq-graph.js';
import { clipBounds, layerFacts } from './qdq-graph.js';
import { findIslands } from './qdq-cost.js';

export type PlacementMode = 'speed' | 'all' | 'measure';

/** What a speed rule sees about a Conv/MatMul/Gemm. */
export interface RuleContext {
  readonly facts: LayerFacts;
  /** Op types reading the layer's output (looking through a Relu/Clip that follows it). */
  readonly consumerOps: readonly string[];
  /** Op type producing the layer's (first) activation input, '' for a graph input. */
  readonly inputProducerOp: string;
  /** The model's default-domain opset (after pre-processing). */
  readonly opset: number;
}

export interface PlacementRule {
  readonly id: string;
  readonly ops: ReadonlyArray<'Conv' | 'MatMul' | 'Gemm'>;
  /** Measured int8 speed relative to fp32 (RUNTIME-FACTS), as shown in the report. */
  readonly speedup: string;
  /** The same as a number for the region cost estimate (0: not measured). */
  readonly gain: number;
  readonly int8: boolean;
  readonly reason: (c: RuleContext) => string;
  readonly matches: (c: RuleContext) => boolean;
}

/** ORT has no int8 kernel for these: inside an int8 region each costs a Dequantize/Quantize pair. */
export const FLOAT_ONLY_ACTIVATIONS: ReadonlySet<string> = new Set(['HardSigmoid', 'HardSwish', 'Gelu', 'Elu', 'Selu', 'Tanh', 'Softplus', 'Mish']);

/** ORT-web 1.30, 1 thread, kernel profile on squeezenet1_1: uint8 MaxPool (NCHW) 4.4–17 ms vs fp32 0.3–1.5 ms. */
const UINT8_MAXPOOL = '5–13× slower';

/** Reduction depth below which a conv's int8 kernel loses to fp32 (measured 0.4–0.6× at 9–27; 147 ran ~2×). */
export const MIN_REDUCTION_DEPTH = 64;
/** Rows of A below which a MatMul/Gemm is matrix–vector work where int8 loses (batch-1 Gemm → QGemm ~0.3×). */
export const MIN_GEMM_ROWS = 16;

const rows = (c: RuleContext): string => (c.facts.rows === undefined ? 'unknown' : String(c.facts.rows));

/** First matching rule decides; the list is the documentation of the default placement. */
export const SPEED_RULES: readonly PlacementRule[] = [
  {
    id: 'conv-depthwise',
    gain: 0.67,
    ops: ['Conv'],
    speedup: '0.67×',
    int8: false,
    matches: (c) => c.facts.depthwise === true,
    reason: () => 'depthwise conv: int8 runs at 0.67× of fp32 on WASM',
  },
  {
    id: 'conv-grouped',
    gain: 0,
    ops: ['Conv'],
    speedup: 'not measured',
    int8: false,
    matches: (c) => (c.facts.group ?? 1) > 1,
    reason: (c) => `grouped conv (group ${c.facts.group ?? 1}): int8 grouped kernels are not known to be faster on WASM; use placement 'measure' to test`,
  },
  {
    id: 'conv-shallow',
    gain: 0.5,
    ops: ['Conv'],
    speedup: '0.4–0.6×',
    int8: false,
    matches: (c) => (c.facts.reductionDepth ?? 0) < MIN_REDUCTION_DEPTH,
    reason: (c) => `reduction depth ${c.facts.reductionDepth ?? 0} < ${MIN_REDUCTION_DEPTH} (e.g. a first conv on RGB): int8 runs at 0.4–0.6× of fp32`,
  },
  {
    id: 'after-maxpool',
    gain: 0,
    ops: ['Conv', 'MatMul', 'Gemm'],
    speedup: 'MaxPool 5–13× slower',
    int8: false,
    matches: (c) => c.opset >= 12 && c.inputProducerOp === 'MaxPool',
    reason: () =>
      `its input comes from a MaxPool: ORT moves the QuantizeLinear above a MaxPool (opset ≥ 12) and runs it on uint8, measured ${UINT8_MAXPOOL} than fp32 here, which costs more than this layer gains`,
  },
  {
    id: 'before-maxpool',
    gain: 0,
    ops: ['Conv', 'MatMul', 'Gemm'],
    speedup: 'MaxPool 5–13× slower',
    int8: false,
    matches: (c) => c.opset >= 12 && c.consumerOps.length > 0 && c.consumerOps.every((op) => op === 'MaxPool'),
    reason: () => `its output goes only to a MaxPool: ORT would run that MaxPool on uint8 (opset ≥ 12), measured ${UINT8_MAXPOOL} than fp32 here`,
  },
  {
    id: 'conv-1x1-before-float-activation',
    gain: 1,
    ops: ['Conv'],
    speedup: '≈1×',
    int8: false,
    matches: (c) => isPointwise(c.facts) && c.consumerOps.length > 0 && c.consumerOps.every((op) => FLOAT_ONLY_ACTIVATIONS.has(op)),
    reason: (c) => `1×1 conv feeding ${c.consumerOps.join(', ')} (no int8 kernel): the Dequantize/Quantize pair and the lost fp32 Conv+activation fusion eat the 1.3–1.9× gain`,
  },
  {
    id: 'conv-1x1',
    gain: 1.5,
    ops: ['Conv'],
    speedup: '1.3–1.9×',
    int8: true,
    matches: (c) => isPointwise(c.facts),
    reason: () => '1×1 conv: int8 runs 1.3–1.9× faster',
  },
  {
    id: 'conv-dense',
    gain: 2.5,
    ops: ['Conv'],
    speedup: '2–3×',
    int8: true,
    matches: () => true,
    reason: (c) => `dense ${(c.facts.kernel ?? []).join('×')} conv (reduction depth ${c.facts.reductionDepth ?? 0}): int8 runs 2–3× faster`,
  },
  {
    id: 'matmul-dynamic',
    gain: 0,
    ops: ['MatMul'],
    speedup: 'not measured',
    int8: false,
    matches: (c) => c.facts.weight === undefined,
    reason: () => "MatMul of two activations: both sides are quantized at run time, not known to be faster; use placement 'measure' to test",
  },
  {
    id: 'matmul-few-rows',
    gain: 0.3,
    ops: ['MatMul'],
    speedup: '≈0.3×',
    int8: false,
    matches: (c) => (c.facts.rows ?? 1) < MIN_GEMM_ROWS,
    reason: (c) => `${rows(c)} row(s) of A (matrix–vector work at batch 1): int8 runs at ~0.3× of fp32`,
  },
  {
    id: 'matmul',
    gain: 2.2,
    ops: ['MatMul'],
    speedup: '2.2–2.4×',
    int8: true,
    matches: () => true,
    reason: (c) => `MatMul with ${rows(c)} rows: fused to QLinearMatMul / MatMulIntegerToFloat, 2.2–2.4× faster`,
  },
  {
    id: 'gemm-few-rows',
    gain: 0.3,
    ops: ['Gemm'],
    speedup: '0.3×',
    int8: false,
    matches: (c) => (c.facts.rows ?? 1) < MIN_GEMM_ROWS,
    reason: (c) => `Gemm with ${rows(c)} row(s) (batch 1): QGemm runs at 0.3× of fp32`,
  },
  {
    id: 'gemm',
    gain: 2.2,
    ops: ['Gemm'],
    speedup: 'like MatMul',
    int8: true,
    matches: () => true,
    reason: (c) => `Gemm with ${rows(c)} rows: QGemm, expected like MatMul (2.2–2.4×)`,
  },
];

function isPointwise(f: LayerFacts): boolean {
  return (f.kernel ?? []).every((k) => k === 1);
}

/** Glue ops with int8 kernels (or QDQ-dropping fusions) in ORT, and how their output is quantized. */
interface GlueSpec {
  /** 'shared': ORT drops the Q/DQ only when output scale = input scale (MaxPool, Reshape, …). */
  readonly output: 'own' | 'shared';
  /** In 'speed' placement: never int8 (with this reason). */
  readonly floatReason?: string;
  /** Only the first input is an activation (Reshape's shape, Clip's bounds …are constants). */
  readonly dataInputs: 'first' | 'all';
}

const GLUE: ReadonlyMap<string, GlueSpec> = new Map<string, GlueSpec>([
  ['Add', { output: 'own', dataInputs: 'all' }],
  ['Concat', { output: 'own', dataInputs: 'all' }],
  ['Mul', { output: 'own', dataInputs: 'all', floatReason: 'Mul → QLinearMul runs at 0.4× of fp32 on WASM' }],
  ['MaxPool', { output: 'shared', dataInputs: 'first', floatReason: `uint8 MaxPool (NCHW) runs ${UINT8_MAXPOOL} than fp32 on WASM here, even inside an int8 region` }],
  ['AveragePool', { output: 'own', dataInputs: 'first' }],
  ['GlobalAveragePool', { output: 'own', dataInputs: 'first' }],
  ['LeakyRelu', { output: 'own', dataInputs: 'first' }],
  ['Sigmoid', { output: 'own', dataInputs: 'first' }],
  ['Reshape', { output: 'shared', dataInputs: 'first' }],
  ['Flatten', { output: 'shared', dataInputs: 'first' }],
  ['Transpose', { output: 'shared', dataInputs: 'first' }],
  ['Squeeze', { output: 'shared', dataInputs: 'first' }],
  ['Unsqueeze', { output: 'shared', dataInputs: 'first' }],
]);

/** Relu and Clip are absorbed: Q with zero point at qmin clamps exactly like them (ORT drops them too). */
const ABSORBABLE = new Set(['Relu', 'Clip']);

export interface PlacementOptions {
  readonly mode: PlacementMode;
  readonly opTypes: ReadonlySet<string>;
  readonly exclude: ReadonlySet<string>;
  readonly quantizeOutputs: boolean;
  readonly symmetricActivations: boolean;
  /** A calibrated range exists for this tensor (undefined: assume every tensor has one). */
  readonly hasRange?: (name: string) => boolean;
  readonly layerSpeedups?: ReadonlyMap<string, number>;
  /** Report names of nodes (defaults to scope.nodeLabel); lets labels survive pre-processing. */
  readonly labelOf?: (node: onnx.INodeProto) => string;
  /** Default-domain opset of the model (QDQ propagation through MaxPool happens from 12). */
  readonly opset: number;
}

export type Role = 'compute' | 'glue' | 'activation' | 'float-only';

export interface NodePlan {
  readonly node: onnx.INodeProto;
  readonly label: string;
  readonly op: string;
  readonly role: Role;
  readonly facts?: LayerFacts;
  /** Expected int8 speed / fp32 speed of this layer (rule or measurement), for the region cost check. */
  gain?: number;
  int8: boolean;
  decision: 'changed' | 'kept' | 'skipped';
  reason: string;
}

export interface TensorPlan {
  /** 'range': own scale from calibration; 'shared': same scale as `from` (ORT drops the Q/DQ pair). */
  readonly params: 'range' | 'shared';
  readonly from?: string;
  /** Produced by an int8 node (every reader then reads the dequantized value). */
  readonly int8Producer: boolean;
}

export interface PlacementPlan {
  readonly nodes: readonly NodePlan[];
  /** Relu/Clip nodes removed (their producer's quantized output clamps the same way). */
  readonly absorbed: ReadonlySet<onnx.INodeProto>;
  /** Tensors that get a QuantizeLinear → DequantizeLinear pair. */
  readonly tensors: ReadonlyMap<string, TensorPlan>;
}

/** The quantizable layers of one graph and where int8 goes; stable for the same inputs. */
interface Block {
  readonly decision: 'kept' | 'skipped';
  readonly reason: string;
}

export function planPlacement(scope: GraphScope, index: GraphIndex, shapes: ShapeMap, options: PlacementOptions): PlacementPlan {
  const blocked = new Map<onnx.INodeProto, Block>();
  // Missing ranges and unprofitable regions remove layers, which changes which tensors and regions the
  // rest has: iterate to a fixed point (each round only removes layers, so it ends).
  for (let round = 0; round < 32; round++) {
    const plan = planOnce(scope, index, shapes, options, blocked);
    let changed = false;
    if (options.hasRange) {
      const hasRange = options.hasRange;
      for (const [name, t] of plan.tensors) {
        if (t.params !== 'range' || hasRange(name)) continue;
        for (const n of nodesNeeding(plan, index, name)) {
          if (!blocked.has(n.node)) {
            blocked.set(n.node, { decision: 'skipped', reason: `no calibrated range for tensor '${name}' (calibration never observed it): kept float` });
            changed = true;
          }
        }
      }
    }
    if (!changed && options.mode !== 'all') {
      const outputOf = (n: onnx.INodeProto): string => effectiveOutput(n, index, plan.absorbed);
      for (const island of findIslands(plan.nodes, plan.tensors, index, shapes, outputOf, (p) => p.gain ?? 0)) {
        if (island.costNs <= island.savingNs) continue;
        const layers = island.nodes.filter((n) => n.role === 'compute');
        const reason =
          `too small for int8 here: its int8 region (${layers.length} layer${layers.length === 1 ? '' : 's'}) would save ~${us(island.savingNs)} but entering and leaving it ` +
          `(Quantize, layout Transposes, Dequantize of ${island.edgeElements} values) costs ~${us(island.costNs)} on WASM`;
        for (const n of layers) {
          const measured = options.mode === 'measure' && options.layerSpeedups?.has(n.label) ? ` (measured here: int8 ${(n.gain ?? 0).toFixed(2)}× alone)` : '';
          blocked.set(n.node, { decision: 'kept', reason: reason + measured });
          changed = true;
        }
      }
    }
    if (!changed) return plan;
  }
  return planOnce(scope, index, shapes, options, blocked);
}

const us = (ns: number): string => `${ns >= 1e6 ? (ns / 1e6).toFixed(1) + ' ms' : Math.round(ns / 1000) + ' µs'}`;

function nodesNeeding(plan: PlacementPlan, index: GraphIndex, tensor: string): NodePlan[] {
  const out: NodePlan[] = [];
  for (const p of plan.nodes) {
    if (!p.int8) continue;
    const reads = (p.node.input ?? []).includes(tensor);
    const writes = effectiveOutput(p.node, index, plan.absorbed) === tensor;
    if (reads || writes) out.push(p);
  }
  return out;
}

/** The value a node's quantized output ends up as, after absorbed Relu/Clip. */
export function effectiveOutput(node: onnx.INodeProto, index: GraphIndex, absorbed: ReadonlySet<onnx.INodeProto>): string {
  let out = node.output?.[0] ?? '';
  for (let hops = 0; hops < 4; hops++) {
    const readers = index.consumers.get(out) ?? [];
    const next = readers.length === 1 ? readers[0] : undefined;
    if (!next || !absorbed.has(next)) break;
    out = next.output?.[0] ?? '';
  }
  return out;
}

function planOnce(scope: GraphScope, index: GraphIndex, shapes: ShapeMap, options: PlacementOptions, blocked: ReadonlyMap<onnx.INodeProto, Block>): PlacementPlan {
  const nodes: NodePlan[] = [];
  const byNode = new Map<onnx.INodeProto, NodePlan>();
  const add = (p: NodePlan): void => {
    nodes.push(p);
    byNode.set(p.node, p);
  };
  const isFloat = (name: string): boolean => {
    const dtype = shapes.get(name)?.dtype ?? 0;
    return dtype === 1;
  };

  // 1. Compute layers and glue candidates with their first decision.
  for (const node of scope.graph.node ?? []) {
    const op = node.opType ?? '';
    const label = options.labelOf?.(node) ?? scope.nodeLabel(node);
    const excluded = options.exclude.has(label) || (node.name ? options.exclude.has(node.name) : false);
    const facts = layerFacts(scope, index, shapes, node);
    const glue = (node.domain ?? '') === '' ? GLUE.get(op) : undefined;
    const role: Role | undefined = facts ? 'compute' : glue ? 'glue' : ABSORBABLE.has(op) ? 'activation' : FLOAT_ONLY_ACTIVATIONS.has(op) ? 'float-only' : undefined;
    if (!role) continue;
    const plan: NodePlan = { node, label, op, role, ...(facts ? { facts } : {}), int8: false, decision: 'kept', reason: '' };
    add(plan);
    if (role === 'float-only') {
      plan.reason = `${op} has no int8 kernel in onnxruntime: stays float (inside an int8 region it costs a Dequantize/Quantize pair)`;
      continue;
    }
    if (excluded) {
      plan.decision = 'skipped';
      plan.reason = 'excluded by nodesToExclude';
      continue;
    }
    if (options.opTypes.size > 0 && !options.opTypes.has(op) && role !== 'activation') {
      plan.decision = 'skipped';
      plan.reason = `${op} is not in opTypesToQuantize`;
      continue;
    }
    const block = blocked.get(node);
    if (block) {
      plan.decision = block.decision;
      plan.reason = block.reason;
      continue;
    }
    if (facts) {
      if (facts.unsupported) {
        plan.decision = 'skipped';
        plan.reason = `not quantized: ${facts.unsupported}`;
        continue;
      }
      // Unknown dtype (0): a float32 weight implies float32 activations (the op's type constraint).
      if (facts.activationInputs.some((i) => ![0, 1].includes(shapes.get(node.input?.[i] ?? '')?.dtype ?? 0))) {
        plan.decision = 'skipped';
        plan.reason = 'its input is not a float32 tensor';
        continue;
      }
      decideCompute(plan, facts, index, options);
      continue;
    }
    if (role === 'glue' && glue) {
      const inputs = glue.dataInputs === 'first' ? [node.input?.[0] ?? ''] : (node.input ?? []);
      if (!inputs.every((i) => isFloat(i) && !scope.weight(i)) || !isFloat(node.output?.[0] ?? '')) {
        plan.decision = 'skipped';
        plan.reason = 'not float32 activations (or a constant input): left as is';
        continue;
      }
      if (options.mode !== 'all' && glue.floatReason) {
        plan.reason = glue.floatReason;
        continue;
      }
      plan.int8 = true; // tentative: the region pass below decides
      continue;
    }
    if (role === 'activation') {
      plan.int8 = true; // tentative: absorbed when its producer is int8
    }
  }

  // 2. Absorb Relu/Clip into an int8 producer (single reader, asymmetric, clamp within the Q range).
  const absorbed = new Set<onnx.INodeProto>();
  const producerPlan = (name: string): NodePlan | undefined => {
    const p = index.producer.get(name);
    return p ? byNode.get(p) : undefined;
  };
  const readers = (name: string): readonly onnx.INodeProto[] => index.consumers.get(name) ?? [];
  /** An int8 layer or glue op reads it (activations are never readers of their own: they are absorbed or float). */
  const int8Reader = (r: onnx.INodeProto): boolean => {
    const q = byNode.get(r);
    return q !== undefined && q.int8 && q.role !== 'activation';
  };
  const outputQuantizable = (p: NodePlan): boolean => {
    const out = effectiveOutput(p.node, index, absorbed);
    return !(index.graphOutputs.has(out) && !options.quantizeOutputs);
  };
  /** Does the node's (effective) output go through Q? Conv/glue always; MatMul/Gemm only if an int8 node reads it. */
  const quantizesOutput = (p: NodePlan): boolean => {
    if (!p.int8 || p.role === 'activation') return false;
    if (p.role === 'compute' && p.op !== 'Conv') {
      const out = effectiveOutput(p.node, index, absorbed);
      if (index.graphOutputs.has(out)) return options.quantizeOutputs;
      return readers(out).some(int8Reader);
    }
    return true;
  };
  /** The value reaches its readers as the dequantized output of an int8 node. */
  const int8Produced = (name: string): boolean => {
    const p = producerPlan(name);
    if (!p) return false;
    if (p.role === 'activation') {
      if (!absorbed.has(p.node)) return false;
      const root = producerPlan(p.node.input?.[0] ?? '');
      return root !== undefined && quantizesOutput(root);
    }
    return quantizesOutput(p);
  };

  // 3. Fixed point: drop glue not int8 on both sides; drop layers whose output cannot be quantized.
  for (let changed = true, guard = 0; changed && guard < 10_000; guard++) {
    changed = false;
    const before = absorbed.size;
    absorbed.clear();
    for (const p of nodes) {
      if (p.role !== 'activation' || !p.int8) continue;
      const input = p.node.input?.[0] ?? '';
      const prod = producerPlan(input);
      if (!prod || !prod.int8 || prod.role === 'activation') continue;
      const bounds = p.op === 'Clip' ? clipBounds(scope, index, p.node) : { lo: 0, hi: Infinity };
      const single = readers(input).length === 1 && !index.graphOutputs.has(input);
      const clampOk = !options.symmetricActivations && bounds !== undefined && bounds.lo <= 0 && bounds.hi >= 0;
      // MatMul/Gemm quantize their output only for int8 readers; without that Q nothing would clamp.
      const outQ = prod.op === 'Conv' || prod.role === 'glue' || readers(p.node.output?.[0] ?? '').some(int8Reader);
      if (single && clampOk && outQ) absorbed.add(p.node);
    }
    if (absorbed.size !== before) changed = true;
    for (const p of nodes) {
      if (!p.int8 || p.role === 'activation') continue;
      const needsOutputQ = p.role === 'glue' || p.op === 'Conv';
      if (needsOutputQ && !outputQuantizable(p)) {
        p.int8 = false;
        p.decision = 'kept';
        p.reason =
          p.role === 'compute'
            ? 'its output is a graph output kept float (quantizeOutputs off), and QLinearConv needs a quantized output'
            : 'its output is a graph output kept float (quantizeOutputs off)';
        changed = true;
        continue;
      }
      if (p.role !== 'glue' || options.mode === 'all') continue;
      const spec = GLUE.get(p.op);
      const inputs = spec?.dataInputs === 'first' ? [p.node.input?.[0] ?? ''] : (p.node.input ?? []);
      const inputsInt8 = inputs.every(int8Produced);
      const outputInt8 = readers(effectiveOutput(p.node, index, absorbed)).some(int8Reader);
      if (!inputsInt8 || !outputInt8) {
        p.int8 = false;
        p.reason = !inputsInt8
          ? `${p.op} between float and int8: kept float (int8 only pays when both sides are int8; ${p.op === 'MaxPool' ? 'uint8 MaxPool runs at 0.7×' : 'a lone int8 op adds Quantize/Dequantize work'})`
          : `${p.op} feeds no int8 layer: kept float`;
        changed = true;
      }
    }
  }
  for (const p of nodes) {
    if (p.role === 'activation') {
      if (absorbed.has(p.node)) {
        const prod = producerPlan(p.node.input?.[0] ?? '');
        p.int8 = true;
        p.decision = 'changed';
        p.reason = `absorbed into the quantized output of ${prod?.label ?? 'its producer'} (Quantize with zero point at qmin clamps the same way)`;
      } else if (p.decision !== 'skipped') {
        p.int8 = false;
        p.decision = 'kept';
        p.reason = options.symmetricActivations ? `${p.op} stays float: symmetric activations cannot absorb it` : `${p.op} stays float: its producer is float`;
      }
    } else if (p.int8) {
      p.decision = 'changed';
      if (p.role === 'glue') {
        p.reason = options.mode === 'all' ? `${p.op} quantized (placement 'all')` : `${p.op} inside an int8 region: runs on uint8 data, no Dequantize/Quantize bounce`;
      }
    }
  }

  // 4. Tensors to quantize: activation inputs of int8 nodes, and outputs that go through Q.
  const tensors = new Map<string, TensorPlan>();
  for (const p of nodes) {
    if (!p.int8 || p.role === 'activation') continue;
    const spec = GLUE.get(p.op);
    const inputIdx = p.facts ? p.facts.activationInputs : spec?.dataInputs === 'first' ? [0] : (p.node.input ?? []).map((_, i) => i);
    for (const i of inputIdx) {
      const name = p.node.input?.[i] ?? '';
      if (!name || tensors.has(name)) continue;
      if (!int8Produced(name)) tensors.set(name, { params: 'range', int8Producer: false });
    }
    if (quantizesOutput(p)) {
      const out = effectiveOutput(p.node, index, absorbed);
      const shared = spec?.output === 'shared' && !absorbedBetween(p.node, out);
      tensors.set(out, shared ? { params: 'shared', from: p.node.input?.[0] ?? '', int8Producer: true } : { params: 'range', int8Producer: true });
    }
  }
  return { nodes, absorbed, tensors };

  function absorbedBetween(node: onnx.INodeProto, out: string): boolean {
    return (node.output?.[0] ?? '') !== out;
  }
}

function decideCompute(plan: NodePlan, facts: LayerFacts, index: GraphIndex, options: PlacementOptions): void {
  const readersOf = (name: string): readonly onnx.INodeProto[] => index.consumers.get(name) ?? [];
  let readers = readersOf(plan.node.output?.[0] ?? '');
  const only = readers.length === 1 ? readers[0] : undefined;
  if (only && ABSORBABLE.has(only.opType ?? '')) readers = readersOf(only.output?.[0] ?? '');
  const consumerOps = readers.map((n) => n.opType ?? '');
  const inputProducerOp = index.producer.get(plan.node.input?.[facts.activationInputs[0] ?? 0] ?? '')?.opType ?? '';
  const ctx: RuleContext = { facts, consumerOps, inputProducerOp, opset: options.opset };
  if (options.mode === 'all') {
    if (facts.op === 'MatMul' && !facts.weight) {
      plan.int8 = true;
      plan.reason = "MatMul of two activations quantized (placement 'all')";
      return;
    }
    plan.int8 = true;
    plan.reason = `quantized (placement 'all')`;
    return;
  }
  if (options.mode === 'measure') {
    const ratio = options.layerSpeedups?.get(plan.label);
    if (ratio !== undefined && Number.isFinite(ratio)) {
      plan.int8 = ratio > 1;
      plan.gain = ratio;
      plan.reason = `measured here: int8 ${ratio.toFixed(2)}× the speed of fp32${ratio > 1 ? '' : ' (not faster): kept float'}`;
      return;
    }
  }
  const rule = SPEED_RULES.find((r) => r.ops.includes(facts.op) && r.matches(ctx));
  if (!rule) {
    plan.reason = 'no placement rule applies: kept float';
    return;
  }
  plan.int8 = rule.int8;
  plan.gain = rule.gain;
  plan.reason = rule.reason(ctx) + (options.mode === 'measure' ? ' (not measured: default rule)' : '');
}

/** Candidate Conv/MatMul/Gemm labels whose speed the 'measure' mode asks the runtime to time. */
export function measurableLayers(plan: PlacementPlan): string[] {
  return plan.nodes.filter((p) => p.role === 'compute' && p.decision !== 'skipped').map((p) => p.label);
}
