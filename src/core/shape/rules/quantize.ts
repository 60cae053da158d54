/** Quantization ops: shapes pass through, element types follow the zero point / scale. */
import { DataType } from '../../onnx/codec.js';
import type { ShapeRule } from '../context.js';
import { out } from '../context.js';
import { broadcastShapes } from '../dims.js';

/** QuantizeLinear: y has y_zero_point's type; without it output_dtype (opset 21) or uint8. */
const quantize: ShapeRule = (ctx) => {
  const dtype = ctx.has(2) ? ctx.dtype(2) : ctx.attrInt('output_dtype', 0) || DataType.UINT8;
  return [out(dtype, ctx.shape(0))];
};

/** DequantizeLinear: float32 before opset 19, the scale's type after (or output_dtype, opset 23). */
const dequantize: ShapeRule = (ctx) => {
  const explicit = ctx.attrInt('output_dtype', 0);
  const dtype = explicit || (ctx.opset >= 19 ? ctx.dtype(1) || DataType.FLOAT : DataType.FLOAT);
  return [out(dtype, ctx.shape(0))];
};

const dynamicQuantize: ShapeRule = (ctx) => [out(DataType.UINT8, ctx.shape(0)), out(DataType.FLOAT, []), out(DataType.UINT8, [])];

/** com.microsoft QLinearAdd/QLinearMul(A, A_scale, A_zp, B, B_scale, B_zp, C_scale, C_zp). */
const qlinearBinary: ShapeRule = (ctx) => [out(ctx.dtype(0), broadcastShapes([ctx.shape(0), ctx.shape(3)]))];

export function quantizeRules(): Record<string, ShapeRule> {
  return {
    QuantizeLinear: quantize,
    DequantizeLinear: dequantize,
    DynamicQuantizeLinear: dynamicQuantize,
    'com.microsoft.QuantizeLinear': quantize,
    'com.microsoft.DequantizeLinear': (ctx) => [out(ctx.dtype(1) || DataType.FLOAT, ctx.shape(0))],
    'com.microsoft.QLinearAdd': qlinearBinary,
    'com.microsoft.QLinearMul': qlinearBinary,
    'com.microsoft.QLinearSigmoid': (ctx) => [out(ctx.dtype(0), ctx.shape(0))],
    'com.microsoft.QLinearLeakyRelu': (ctx) => [out(ctx.dtype(0), ctx.shape(0))],
  };
}
