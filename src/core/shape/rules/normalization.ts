/** Normalisation and regularisation ops whose extra outputs have their own shapes. */
import { DataType } from '../../onnx/codec.js';
import type { ShapeRule } from '../context.js';
import { out } from '../context.js';
import { normAxis } from '../dims.js';
import type { Dim } from '../types.js';

/**
 * BatchNormalization: Y has X's shape. Training-mode outputs (running mean/var, and before opset 14
 * saved mean/var) are per-channel, shaped like `scale`.
 */
const batchNorm: ShapeRule = (ctx) => {
  const results = [out(ctx.dtype(0), ctx.shape(0))];
  for (let k = 1; k < ctx.outputCount; k++) results.push(out(ctx.dtype(3) || ctx.dtype(1), ctx.shape(1)));
  return results;
};

/** LayerNormalization (opset 17): Mean and InvStdDev keep X's leading dims up to `axis`, then ones. */
const layerNorm: ShapeRule = (ctx) => {
  const x = ctx.shape(0);
  const y = out(ctx.dtype(0), x);
  if (ctx.outputCount < 2) return [y];
  let stats: Dim[] | undefined;
  if (x) {
    const axis = normAxis(ctx.attrInt('axis', -1), x.length);
    if (axis !== undefined) stats = x.map((d, i) => (i < axis ? d : 1));
  }
  const stashType = ctx.attrInt('stash_type', DataType.FLOAT);
  return [y, out(stashType, stats), out(stashType, stats ? [...stats] : undefined)];
};

/** Dropout: output, then a mask of the same shape (bool since opset 10, the input's type before). */
const dropout: ShapeRule = (ctx) => {
  const maskType = ctx.opset >= 10 ? DataType.BOOL : ctx.dtype(0);
  return [out(ctx.dtype(0), ctx.shape(0), ctx.value(0)), out(maskType, ctx.shape(0))];
};

/** com.microsoft SkipLayerNormalization: output, mean, inv_std_var, input_skip_bias_sum. */
const skipLayerNorm: ShapeRule = (ctx) => {
  const x = ctx.shape(0);
  const stats = x ? x.map((d, i) => (i < x.length - 1 ? d : 1)) : undefined;
  return [out(ctx.dtype(0), x), out(DataType.FLOAT, stats), out(DataType.FLOAT, stats), out(ctx.dtype(0), x)];
};

export function normalizationRules(): Record<string, ShapeRule> {
  return {
    BatchNormalization: batchNorm,
    LayerNormalization: layerNorm,
    'com.microsoft.LayerNormalization': layerNorm,
    'com.microsoft.SimplifiedLayerNormalization': layerNorm,
    'com.microsoft.SkipLayerNormalization': skipLayerNorm,
    'com.microsoft.SkipSimplifiedLayerNormalization': skipLayerNorm,
    Dropout: dropout,
  };
}
