/**
 * The one line of key attributes drawn under an op's title: what a reader needs to recognise the layer
 * without opening the inspector ('k=3×3 s=2 p=1 g=32'). Defaults are left out (ONNX operator
 * schemas: strides/dilations default to 1, pads to 0, group to 1), so a plain 1×1 conv reads 'k=1×1'.
 */
import type { onnx } from '../onnx/codec.js';
import { toNumber } from '../onnx/codec.js';
import { dtypeName } from '../onnx/dtypes.js';
import type { Weight } from '../graph/ir.js';
import { findAttr } from '../graph/attributes.js';
import { clip, shortNumber } from './format-text.js';

const utf8 = new TextDecoder();

function ints(node: onnx.INodeProto, name: string): number[] | undefined {
  const a = findAttr(node, name);
  return a ? (a.ints ?? []).map((v) => toNumber(v)) : undefined;
}

function int(node: onnx.INodeProto, name: string): number | undefined {
  const a = findAttr(node, name);
  return a ? toNumber(a.i) : undefined;
}

function float(node: onnx.INodeProto, name: string): number | undefined {
  const a = findAttr(node, name);
  return a ? (a.f ?? 0) : undefined;
}

function str(node: onnx.INodeProto, name: string): string | undefined {
  const a = findAttr(node, name);
  return a?.s ? utf8.decode(a.s) : undefined;
}

/** '3' when every entry is equal, else '2×1'. */
function compact(values: readonly number[], sep = '×'): string {
  return values.every((v) => v === values[0]) ? String(values[0]) : values.join(sep);
}

/** Window attributes shared by Conv, ConvTranspose, ConvInteger, QLinearConv and the pools. */
function windowLine(node: onnx.INodeProto, weight: Weight | undefined): string[] {
  const parts: string[] = [];
  // Conv may omit kernel_shape (it is then W's spatial dims, per the Conv schema).
  const kernel = ints(node, 'kernel_shape') ?? (weight && weight.dims.length > 2 ? weight.dims.slice(2) : undefined);
  if (kernel && kernel.length > 0) parts.push(`k=${kernel.join('×')}`);
  const strides = ints(node, 'strides');
  if (strides && strides.some((s) => s !== 1)) parts.push(`s=${compact(strides)}`);
  const autoPad = str(node, 'auto_pad');
  if (autoPad && autoPad !== 'NOTSET') parts.push(autoPad === 'VALID' ? 'valid' : autoPad.toLowerCase().replace('_', '-'));
  const pads = ints(node, 'pads');
  if (pads && pads.some((p) => p !== 0)) parts.push(`p=${compact(pads, ',')}`);
  const group = int(node, 'group');
  if (group !== undefined && group !== 1) parts.push(`g=${group}`);
  const dilations = ints(node, 'dilations');
  if (dilations && dilations.some((d) => d !== 1)) parts.push(`d=${compact(dilations)}`);
  if (int(node, 'ceil_mode') === 1) parts.push('ceil');
  return parts;
}

function axisPart(node: onnx.INodeProto, name = 'axis'): string[] {
  const v = int(node, name);
  return v === undefined ? [] : [`${name}=${v}`];
}

function listPart(node: onnx.INodeProto, name: string): string[] {
  const v = ints(node, name);
  return v === undefined ? [] : [`${name}=[${v.join(',')}]`];
}

/** Key attributes of one node, '' when it has none worth a line. `weight` is its input 1 (Conv's W), if a weight. */
export function attributeLine(opKey: string, node: onnx.INodeProto, weight: Weight | undefined): string {
  let parts: string[];
  switch (opKey) {
    case 'Conv':
    case 'ConvTranspose':
    case 'ConvInteger':
    case 'QLinearConv':
    case 'com.microsoft.FusedConv':
    case 'com.microsoft.NhwcConv':
    case 'MaxPool':
    case 'AveragePool':
    case 'LpPool':
    case 'MaxUnpool':
    case 'com.microsoft.QLinearAveragePool':
      parts = windowLine(node, weight);
      if (opKey === 'AveragePool' && int(node, 'count_include_pad') === 1) parts.push('incl-pad');
      break;
    case 'Gemm': {
      parts = [];
      if (int(node, 'transA') === 1) parts.push('transA');
      if (int(node, 'transB') === 1) parts.push('transB');
      const alpha = float(node, 'alpha');
      const beta = float(node, 'beta');
      if (alpha !== undefined && alpha !== 1) parts.push(`α=${shortNumber(alpha)}`);
      if (beta !== undefined && beta !== 1) parts.push(`β=${shortNumber(beta)}`);
      break;
    }
    case 'Transpose':
      parts = listPart(node, 'perm');
      break;
    case 'Reshape':
      parts = int(node, 'allowzero') === 1 ? ['allowzero'] : listPart(node, 'shape'); // 'shape' attribute: opset < 5
      break;
    case 'Concat':
    case 'Softmax':
    case 'LogSoftmax':
    case 'Hardmax':
    case 'Gather':
    case 'GatherElements':
    case 'Flatten':
    case 'CumSum':
    case 'LayerNormalization':
    case 'QuantizeLinear':
    case 'DequantizeLinear':
    case 'Compress':
    case 'ScatterElements':
      parts = axisPart(node);
      break;
    case 'Split':
      parts = [...axisPart(node), ...listPart(node, 'split')];
      break;
    case 'ArgMax':
    case 'ArgMin':
      parts = [...axisPart(node), ...(int(node, 'keepdims') === 0 ? ['keepdims=0'] : [])];
      break;
    case 'Squeeze':
    case 'Unsqueeze':
      parts = listPart(node, 'axes'); // attribute until opset 13, an input after
      break;
    case 'Cast': {
      const to = int(node, 'to');
      parts = to === undefined ? [] : [`to=${dtypeName(to)}`];
      break;
    }
    case 'LeakyRelu':
    case 'Elu':
    case 'Selu':
    case 'Celu':
    case 'ThresholdedRelu': {
      const alpha = float(node, 'alpha');
      parts = alpha === undefined ? [] : [`α=${shortNumber(alpha)}`];
      break;
    }
    case 'HardSigmoid': {
      const alpha = float(node, 'alpha');
      const beta = float(node, 'beta');
      parts = [...(alpha === undefined ? [] : [`α=${shortNumber(alpha)}`]), ...(beta === undefined ? [] : [`β=${shortNumber(beta)}`])];
      break;
    }
    case 'Clip': {
      // Attributes until opset 11, inputs after (then they show as weight lines).
      const min = float(node, 'min');
      const max = float(node, 'max');
      parts = min === undefined && max === undefined ? [] : [`[${shortNumber(min ?? -Infinity)}, ${shortNumber(max ?? Infinity)}]`];
      break;
    }
    case 'Resize':
    case 'Upsample': {
      const mode = str(node, 'mode');
      parts = mode ? [mode] : [];
      const ctm = str(node, 'coordinate_transformation_mode');
      if (ctm && ctm !== 'half_pixel') parts.push(ctm);
      break;
    }
    case 'Pad': {
      const mode = str(node, 'mode');
      parts = mode && mode !== 'constant' ? [mode] : [];
      parts.push(...listPart(node, 'pads'));
      break;
    }
    case 'LSTM':
    case 'GRU':
    case 'RNN': {
      parts = [];
      const hidden = int(node, 'hidden_size');
      if (hidden !== undefined) parts.push(`hidden=${hidden}`);
      const direction = str(node, 'direction');
      if (direction && direction !== 'forward') parts.push(direction);
      break;
    }
    case 'DepthToSpace':
    case 'SpaceToDepth':
      parts = int(node, 'blocksize') === undefined ? [] : [`block=${int(node, 'blocksize')}`];
      break;
    case 'Einsum':
      parts = str(node, 'equation') ? [str(node, 'equation') as string] : [];
      break;
    case 'Slice':
      parts = [...listPart(node, 'starts'), ...listPart(node, 'ends'), ...listPart(node, 'axes')]; // opset < 10
      break;
    case 'LRN': {
      const size = int(node, 'size');
      parts = size === undefined ? [] : [`size=${size}`];
      break;
    }
    case 'BatchNormalization':
    case 'InstanceNormalization':
      parts = [];
      break;
    default:
      parts = reduceParts(opKey, node);
  }
  return clip(parts.join(' '));
}

function reduceParts(opKey: string, node: onnx.INodeProto): string[] {
  if (!opKey.startsWith('Reduce')) return [];
  const parts = listPart(node, 'axes');
  if (int(node, 'keepdims') === 0) parts.push('keepdims=0');
  return parts;
}

