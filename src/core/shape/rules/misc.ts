/** Less common ops with simple shape rules: losses, window functions, AffineGrid, Col2Im. */
import { DataType } from '../../onnx/codec.js';
import type { ShapeRule } from '../context.js';
import { out } from '../context.js';
import { dimDiv, dimProduct, isNum } from '../dims.js';
import type { Dim } from '../types.js';

/** NegativeLogLikelihoodLoss / SoftmaxCrossEntropyLoss: per-element loss for reduction 'none', else a scalar. */
const loss: ShapeRule = (ctx) => {
  const reduction = ctx.attrString('reduction', 'mean');
  const y = out(ctx.dtype(0), reduction === 'none' ? ctx.shape(1) : []);
  return ctx.outputCount > 1 ? [y, out(ctx.dtype(0), ctx.shape(0))] : [y];
};

/** HannWindow / HammingWindow / BlackmanWindow(size): [size] of output_datatype (default float). */
const window: ShapeRule = (ctx) => {
  const size = ctx.value(0)?.data[0];
  return [out(ctx.attrInt('output_datatype', DataType.FLOAT), [isNum(size) ? size : null])];
};

/** AffineGrid(theta, size=[N, C, H, W] or [N, C, D, H, W]) → [N, H, W, 2] or [N, D, H, W, 3]. */
const affineGrid: ShapeRule = (ctx) => {
  const size = ctx.value(1);
  if (!size) {
    // Without the sizes, the rank still follows from their count: N from theta, the rest unknown.
    const k = ctx.shape(1)?.[0];
    if (!isNum(k) || k < 3) return [out(ctx.dtype(0), undefined)];
    return [out(ctx.dtype(0), [ctx.shape(0)?.[0] ?? null, ...new Array<Dim>(k - 2).fill(null), k - 2])];
  }
  const spatial = size.data.slice(2);
  return [out(ctx.dtype(0), [size.data[0] ?? null, ...spatial, spatial.length])];
};

/** Col2Im(input [N, C·∏block, L], image_shape, block_shape) → [N, C, ...image_shape]. */
const col2im: ShapeRule = (ctx) => {
  const x = ctx.shape(0);
  const image = ctx.value(1);
  const block = ctx.value(2);
  const channels = x && block ? dimDiv(x[1] ?? null, dimProduct(block.data)) : null;
  const n = ctx.shape(1)?.[0];
  const spatial: Dim[] = image ? image.data : new Array<Dim>(isNum(n) ? n : 0).fill(null);
  return [out(ctx.dtype(0), [x?.[0] ?? null, channels, ...spatial])];
};

export function miscRules(): Record<string, ShapeRule> {
  return {
    NegativeLogLikelihoodLoss: loss,
    SoftmaxCrossEntropyLoss: loss,
    HannWindow: window,
    HammingWindow: window,
    BlackmanWindow: window,
    AffineGrid: affineGrid,
    Col2Im: col2im,
  };
}
