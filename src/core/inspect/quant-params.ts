/**
 * Quantization facts of a weight: which node quantizes or dequantizes it, its scale(s) and zero
 * point(s), the axis, and the range of real values the stored integers stand for.
 *
 * Where the parameters come from (ONNX operator specs):
 * - DequantizeLinear(x, x_scale, x_zero_point): y = (x - zp) * scale; per-tensor (scalar scale),
 *   per-axis (1-D scale along `axis`, default 1) or, from opset 21, blocked (`block_size` > 0: scale
 *   has x's rank, with x's dim along `axis` divided into blocks).
 * - QuantizeLinear(x, y_scale, y_zero_point) on a float weight (fake-quantized exports):
 *   q = saturate(round_half_even(x / scale) + zp); its dequantized range is (q - zp) * scale.
 * - QLinearConv: w_scale/w_zero_point per output channel (axis 0); x per tensor.
 * - QLinearMatMul: a per row (axis rank-2), b per column (axis rank-1).
 * - ConvInteger / MatMulInteger carry only zero points: the scale is applied by a later Mul.
 */
import { DataType } from '../onnx/codec.js';
import { tensorToNumbers } from '../onnx/tensor.js';
import type { ExternalFiles } from '../onnx/tensor.js';
import { attrInt } from '../graph/attributes.js';
import type { IRNode, Scope, Weight } from '../graph/ir.js';
import { resolveWeightThroughIdentity } from '../graph/resolve.js';
import type { QuantParams, WeightStats } from './types.js';
import { forEachChunk } from './value-chunks.js';

/** Values listed in QuantParams.scale / zeroPoint; `count` says how many there are. */
const LISTED = 64;

type Mode = 'dequantize' | 'quantize' | 'zero-point';

/** How a node uses a weight as quantized data. */
export interface QuantUse {
  readonly node: IRNode;
  readonly mode: Mode;
  readonly scale: number;
  readonly zeroPoint: number;
  /** Axis for per-axis parameters (negative counts from the end), before normalising to the rank. */
  readonly axis: number;
  readonly blockSize: number;
}

const isDefaultOrMs = (n: IRNode): boolean => n.domain === '' || n.domain === 'com.microsoft';

/** The quantization role of input `k` of `node`, if that input is quantized data. */
export function quantUseAt(node: IRNode, k: number, rank: number): QuantUse | undefined {
  if (!isDefaultOrMs(node)) return undefined;
  switch (node.opType) {
    case 'DequantizeLinear':
    case 'QuantizeLinear':
      if (k !== 0) return undefined;
      return {
        node,
        mode: node.opType === 'DequantizeLinear' ? 'dequantize' : 'quantize',
        scale: 1,
        zeroPoint: 2,
        axis: attrInt(node.proto, 'axis', 1),
        blockSize: attrInt(node.proto, 'block_size', 0),
      };
    case 'QLinearConv':
      if (k === 0) return { node, mode: 'dequantize', scale: 1, zeroPoint: 2, axis: 1, blockSize: 0 };
      if (k === 3) return { node, mode: 'dequantize', scale: 4, zeroPoint: 5, axis: 0, blockSize: 0 };
      return undefined;
    case 'QLinearMatMul':
      if (k === 0) return { node, mode: 'dequantize', scale: 1, zeroPoint: 2, axis: rank - 2, blockSize: 0 };
      if (k === 3) return { node, mode: 'dequantize', scale: 4, zeroPoint: 5, axis: rank - 1, blockSize: 0 };
      return undefined;
    case 'ConvInteger':
      if (k === 0) return { node, mode: 'zero-point', scale: -1, zeroPoint: 2, axis: 1, blockSize: 0 };
      if (k === 1) return { node, mode: 'zero-point', scale: -1, zeroPoint: 3, axis: 0, blockSize: 0 };
      return undefined;
    case 'MatMulInteger':
      if (k === 0) return { node, mode: 'zero-point', scale: -1, zeroPoint: 2, axis: rank - 2, blockSize: 0 };
      if (k === 1) return { node, mode: 'zero-point', scale: -1, zeroPoint: 3, axis: rank - 1, blockSize: 0 };
      return undefined;
    default:
      return undefined;
  }
}

/** The first node (in `scopes`, file order) that reads weight `name` as quantized data. */
export function findQuantUse(name: string, rank: number, scopes: readonly Scope[]): QuantUse | undefined {
  for (const scope of scopes) {
    for (const node of scope.consumers.get(name) ?? []) {
      for (let k = 0; k < node.inputs.length; k++) {
        if (node.inputs[k] !== name) continue;
        const use = quantUseAt(node, k, rank);
        if (use) return use;
      }
    }
  }
  return undefined;
}

/** Representable range of an integer type (saturation bounds of QuantizeLinear); infinite for float8 and unknown types. */
function integerRange(dtype: number): [number, number] {
  switch (dtype) {
    case DataType.INT8: return [-128, 127];
    case DataType.UINT8: return [0, 255];
    case DataType.INT16: return [-32768, 32767];
    case DataType.UINT16: return [0, 65535];
    case DataType.INT32: return [-2147483648, 2147483647];
    case DataType.INT4: return [-8, 7];
    case DataType.UINT4: return [0, 15];
    case DataType.INT2: return [-2, 1];
    case DataType.UINT2: return [0, 3];
    default: return [-Infinity, Infinity];
  }
}

/** Round half to even, as QuantizeLinear specifies. */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

function constantValues(scope: Scope, name: string | undefined, external?: ExternalFiles): { values: Float64Array; dtype: number } | undefined {
  if (!name) return undefined;
  const w = resolveWeightThroughIdentity(scope, name);
  if (!w?.tensor) return undefined;
  const values = tensorToNumbers(w.tensor, external);
  return values ? { values, dtype: w.dtype } : undefined;
}

function normAxis(axis: number, rank: number): number {
  return axis < 0 ? axis + rank : axis;
}

/**
 * QuantParams of `weight` under `use`. `stats` are the weight's own value statistics (min/max of the
 * stored integers, or of the float weight for QuantizeLinear), which settle the per-tensor range
 * without another pass; per-axis and blocked parameters need one pass over the values.
 */
export function quantParams(weight: Weight, use: QuantUse, stats: WeightStats, bytes: Uint8Array | undefined, external?: ExternalFiles): QuantParams {
  const scope = use.node.scope;
  const rank = weight.dims.length;
  const scaleRead = use.scale >= 0 ? constantValues(scope, use.node.inputs[use.scale], external) : undefined;
  const zpRead = constantValues(scope, use.node.inputs[use.zeroPoint], external);
  const scales = scaleRead?.values ?? new Float64Array(0);
  const zps = zpRead?.values ?? new Float64Array([0]);
  const count = scales.length > 0 ? scales.length : zps.length;
  const blocked = use.blockSize > 0 && count > 1;
  const perAxis = count > 1;
  const axis = perAxis ? normAxis(use.axis, rank) : null;
  const source = use.node.opType;
  const notes: string[] = [];
  if (use.mode === 'zero-point') notes.push(`${source} takes zero points only; the scale is applied after it, so the range is in integer steps relative to the zero point`);
  else if (!scaleRead) notes.push(`the scale of ${source} is computed at run time`);

  // Saturation bounds of QuantizeLinear: output_dtype (opset 21), else the zero point's type, else uint8.
  const outDtype = use.mode === 'quantize' ? attrInt(use.node.proto, 'output_dtype', 0) || zpRead?.dtype || DataType.UINT8 : 0;
  const [lo, hi] = integerRange(outDtype);
  const scaleAt = (c: number): number => (use.mode === 'zero-point' ? 1 : (scales[c] ?? scales[0] ?? NaN));
  const zpAt = (c: number): number => zps[c] ?? zps[0] ?? 0;
  const real = (v: number, c: number): number => {
    const s = scaleAt(c);
    const z = zpAt(c);
    if (use.mode !== 'quantize') return (v - z) * s;
    const q = Math.min(hi, Math.max(lo, roundHalfEven(v / s) + z));
    return (q - z) * s;
  };

  let dequantMin = NaN;
  let dequantMax = NaN;
  if (!perAxis) {
    // Per tensor, value → real value is monotone (scale > 0 per the spec): the ends map to the ends.
    const a = real(stats.min, 0);
    const b = real(stats.max, 0);
    dequantMin = Math.min(a, b);
    dequantMax = Math.max(a, b);
  } else if (bytes && axis !== null && axis >= 0 && axis < rank) {
    const range = perChannelRange(weight, bytes, axis, blocked ? use.blockSize : 0, real);
    if (range) [dequantMin, dequantMax] = range;
  } else if (perAxis) {
    notes.push('the axis does not fit the weight, so the dequantized range is unknown');
  }

  return {
    scale: Array.from(scales.subarray(0, LISTED)),
    zeroPoint: Array.from(zps.subarray(0, LISTED)),
    count,
    axis,
    dequantMin,
    dequantMax,
    source,
    ...(blocked ? { blockSize: use.blockSize } : {}),
    ...(notes.length > 0 ? { note: notes.join('; ') } : {}),
  };
}

/**
 * Min and max of real(v, c) over every element, c being the element's parameter index: its
 * coordinate along `axis` (per-axis), or its block's position in the scale tensor (blocked: scale has
 * the weight's shape with the axis dim replaced by ceil(dim / blockSize)). Counters advance with the
 * flat index instead of dividing per element.
 */
function perChannelRange(
  weight: Weight,
  bytes: Uint8Array,
  axis: number,
  blockSize: number,
  real: (v: number, c: number) => number,
): [number, number] | undefined {
  const dims = weight.dims;
  const dim = dims[axis] ?? 1;
  let inner = 1;
  for (let i = axis + 1; i < dims.length; i++) inner *= dims[i] as number;
  const blocks = blockSize > 0 ? Math.ceil(dim / blockSize) : 0;
  let innerIdx = 0;
  let axisIdx = 0;
  let outer = 0;
  let min = Infinity;
  let max = -Infinity;
  const ok = forEachChunk(weight.dtype, bytes, weight.elements, (values, n) => {
    for (let i = 0; i < n; i++) {
      const c = blockSize > 0 ? (outer * blocks + Math.floor(axisIdx / blockSize)) * inner + innerIdx : axisIdx;
      const r = real(values[i] as number, c);
      if (r < min) min = r;
      if (r > max) max = r;
      if (++innerIdx === inner) {
        innerIdx = 0;
        if (++axisIdx === dim) {
          axisIdx = 0;
          outer++;
        }
      }
    }
  });
  return ok && min <= max ? [min, max] : undefined;
}
