/**
 * Patterns that run on onnxruntime-web's WASM CPU backend but slower than a user would expect, or that
 * press against its memory limits. Every number in the messages was measured on this project's target
 * (onnxruntime-web 1.30, WASM, 1 thread, median vs fp32; shared/RUNTIME-FACTS.md).
 */
import { onnx, toNumber } from '../onnx/codec.js';
import { elementCount, tensorDims, tensorStorageBytes } from '../onnx/tensor.js';
import { nodesWithContext, normalizeDomain } from './op-signatures.js';
import type { ValueDeclarations } from './value-types.js';

const DT = onnx.TensorProto.DataType;

export interface SlowPattern {
  /** What was found, e.g. "float16 compute". */
  readonly what: string;
  /** Why it matters on a CPU, with the measured number. */
  readonly why: string;
  readonly nodes: number;
}

/** Operators that only move or reinterpret data: ORT registers them for every type, so fp16 there costs nothing. */
const DATA_MOVEMENT = new Set([
  'Cast', 'CastLike', 'Identity', 'Shape', 'Size', 'Reshape', 'Flatten', 'Squeeze', 'Unsqueeze', 'Transpose', 'Concat',
  'Split', 'Slice', 'Gather', 'GatherElements', 'GatherND', 'Expand', 'Tile', 'Pad', 'Constant', 'ConstantOfShape',
  'DequantizeLinear', 'QuantizeLinear', 'Where', 'If', 'Loop', 'Scan', 'Range', 'ScatterND', 'ScatterElements',
]);

/** Gather tables from this size on are worth a memory warning (the whole table sits in WASM memory). */
const LARGE_TABLE_BYTES = 64 * 1024 * 1024;
const GiB = 1024 ** 3;

interface Ctx {
  readonly decl: ValueDeclarations;
  readonly nodes: readonly { node: onnx.INodeProto; inLoop: boolean }[];
}

function attrInt(node: onnx.INodeProto, name: string, fallback: number): number {
  const a = (node.attribute ?? []).find((x) => x.name === name);
  return a?.i !== undefined && a.i !== null ? toNumber(a.i) : fallback;
}

const isDefault = (n: onnx.INodeProto, op: string): boolean => normalizeDomain(n.domain) === '' && n.opType === op;
const isMs = (n: onnx.INodeProto, op: string): boolean => n.domain === 'com.microsoft' && n.opType === op;

function typeOf(ctx: Ctx, name: string | undefined): number | undefined {
  return name ? ctx.decl.types.get(name) : undefined;
}

/** A weight that comes through DequantizeLinear from an 8-bit tensor: the QDQ form ORT fuses into int8 kernels. */
function dequantizedFrom8Bit(ctx: Ctx, name: string | undefined): boolean {
  const producer = name ? ctx.decl.producers.get(name) : undefined;
  if (!producer || producer.opType !== 'DequantizeLinear') return false;
  const t = typeOf(ctx, producer.input?.[0]);
  return t === DT.INT8 || t === DT.UINT8;
}

/** Dims of a value: initializer dims, else the declared shape when fully static. */
function dimsOf(ctx: Ctx, name: string | undefined): number[] | undefined {
  if (!name) return undefined;
  const init = ctx.decl.initializers.get(name);
  if (init) return tensorDims(init);
  const producer = ctx.decl.producers.get(name);
  if (producer?.opType === 'DequantizeLinear') return dimsOf(ctx, producer.input?.[0]);
  const shape = ctx.decl.protos.get(name)?.tensorType?.shape?.dim;
  if (!shape) return undefined;
  const dims = shape.map((d) => (d.dimValue !== undefined && d.dimValue !== null ? toNumber(d.dimValue) : -1));
  return dims.every((d) => d >= 0) ? dims : undefined;
}

/** The int8 convolutions ORT runs with integer kernels: QLinearConv, ConvInteger, or a QDQ Conv (fused to QLinearConv). */
function int8ConvWeight(ctx: Ctx, n: onnx.INodeProto): string | undefined | null {
  if (isDefault(n, 'QLinearConv') || isMs(n, 'QLinearConv')) return n.input?.[3];
  if (isDefault(n, 'ConvInteger')) return n.input?.[1];
  if (isDefault(n, 'Conv') && dequantizedFrom8Bit(ctx, n.input?.[1]) && dequantizedFrom8Bit(ctx, n.input?.[0])) return n.input?.[1];
  return null;
}

function count(ctx: Ctx, pred: (n: onnx.INodeProto) => boolean): number {
  let c = 0;
  for (const { node } of ctx.nodes) if (pred(node)) c++;
  return c;
}

function hasInputOfType(ctx: Ctx, n: onnx.INodeProto, type: number): boolean {
  return (n.input ?? []).some((i) => typeOf(ctx, i) === type);
}

function weightBytes(model: onnx.IModelProto): number {
  let total = 0;
  // Computed from dims, so external-data tensors count too.
  for (const t of model.graph?.initializer ?? []) total += tensorStorageBytes(t);
  return total;
}

export function findSlowPatterns(model: onnx.IModelProto, decl: ValueDeclarations): SlowPattern[] {
  const ctx: Ctx = { decl, nodes: nodesWithContext(model.graph) };
  const out: SlowPattern[] = [];
  const add = (nodes: number, what: string, why: string): void => {
    if (nodes > 0) out.push({ what, why, nodes });
  };

  add(count(ctx, (n) => !DATA_MOVEMENT.has(n.opType ?? '') && hasInputOfType(ctx, n, DT.FLOAT16)), 'float16 compute',
    "ORT's WASM CPU provider has fp16 kernels for few operators and wraps the rest in Casts to fp32: MatMul in fp16 measured ~0.94× the fp32 speed (no gain). " +
      'For a smaller file without the slowdown keep fp16 weights followed by a Cast to fp32 (folded at load: fp32 speed, half the size).');
  add(count(ctx, (n) => !DATA_MOVEMENT.has(n.opType ?? '') && hasInputOfType(ctx, n, DT.BFLOAT16)), 'bfloat16 compute',
    'The WASM CPU provider has almost no bfloat16 kernels: such nodes either fail (see unsupported operators) or run through conversions. Convert bfloat16 weights to float32 or float16 storage.');
  add(count(ctx, (n) => isDefault(n, 'ConvInteger') && typeOf(ctx, n.input?.[0]) === DT.UINT8 && typeOf(ctx, n.input?.[1]) === DT.INT8),
    'ConvInteger with uint8 activations × int8 weights',
    'Measured ~6× SLOWER than fp32 on WASM, while uint8 × uint8 ConvInteger is ~2.5× faster: quantize these weights as uint8, or use QDQ (fused to QLinearConv, ~2.2× faster).');
  add(count(ctx, (n) => isMs(n, 'MatMulNBits')), 'MatMulNBits (4-bit weights)',
    'A size option, not a speed one on WASM: 4-bit block-32 MatMulNBits measured 0.6× fp32 speed at M=64 and ~0.03× at M=1 (token-by-token decoding).');

  add(count(ctx, (n) => int8ConvWeight(ctx, n) !== null && attrInt(n, 'group', 1) > 1), 'depthwise/grouped convolution in int8',
    'int8 depthwise convolution measured 0.67× the fp32 speed (MobileNetV3-small structure: quantize-everything 0.63×, float depthwise 1.10×): keep grouped convolutions in float.');
  add(count(ctx, (n) => {
    const w = int8ConvWeight(ctx, n);
    if (w === null || attrInt(n, 'group', 1) > 1) return false;
    const dims = dimsOf(ctx, w ?? undefined);
    if (!dims || dims.length < 2) return false;
    return elementCount(dims.slice(1)) < 64;
  }), 'int8 convolution with a small reduction depth (Cin·kh·kw < 64)',
    'int8 convs with reduction depth 9–27 (e.g. a first conv on 3 channels) measured 0.4–0.6× fp32 speed; int8 pays off from depth ≥ 64 (dense 3×3 convs 2.7–2.95×): keep these in float.');
  add(count(ctx, (n) => isMs(n, 'QGemm') || (isDefault(n, 'Gemm') && dequantizedFrom8Bit(ctx, n.input?.[1]) && dequantizedFrom8Bit(ctx, n.input?.[0]))),
    'int8 Gemm (QGemm)', 'A batch-1 Gemm fused to QGemm measured ~0.3× fp32 speed: keep the final classifier Gemm in float.');
  add(count(ctx, (n) => isMs(n, 'QLinearMul') || (isDefault(n, 'Mul') && dequantizedFrom8Bit(ctx, n.input?.[0]) && dequantizedFrom8Bit(ctx, n.input?.[1]))),
    'int8 elementwise Mul (QLinearMul)', 'Mul fused to QLinearMul measured ~0.4× fp32 speed: leave Mul (e.g. squeeze-excite scaling) in float.');
  add(count(ctx, (n) => isDefault(n, 'MaxPool') && (typeOf(ctx, n.input?.[0]) === DT.UINT8 || typeOf(ctx, n.input?.[0]) === DT.INT8)),
    '8-bit MaxPool', 'MaxPool on uint8 measured ~0.7× the fp32 speed.');

  const inLoop = ctx.nodes.filter((x) => x.inLoop).length;
  add(inLoop, 'operators inside Loop/Scan bodies',
    "They run once per iteration through ORT's subgraph executor, which adds per-node dispatch and output copies each step and cannot fuse across iterations; cost grows with the iteration count.");

  const bigGathers = ctx.nodes.filter(({ node }) => {
    if (!isDefault(node, 'Gather')) return false;
    const table = ctx.decl.initializers.get(node.input?.[0] ?? '');
    return table !== undefined && tensorStorageBytes(table) >= LARGE_TABLE_BYTES;
  });
  if (bigGathers.length > 0) {
    const largest = Math.max(...bigGathers.map(({ node }) => tensorStorageBytes(ctx.decl.initializers.get(node.input?.[0] ?? '') ?? {})));
    add(bigGathers.length, 'very large Gather (embedding) tables',
      `The largest table is ${(largest / 1024 ** 2).toFixed(0)} MB and lives whole in WASM memory (32-bit: 4 GiB cap, never shrinks after release; a ~100 MB fp32 model grew WASM memory to ~410 MB). Consider int8/fp16 storage of the table.`);
  }

  const bytes = weightBytes(model);
  if (bytes >= GiB) {
    add(1, 'model size', `${(bytes / GiB).toFixed(2)} GiB of weights in one buffer: onnxruntime-web refuses buffers over 2 GB, and plain 1 GB models failed with bad_alloc unless prepacking was disabled; weights passed as external data loaded up to 1.9 GB.`);
  }
  return out;
}
