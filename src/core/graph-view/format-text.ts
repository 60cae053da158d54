/**
 * Text drawn on the graph: tensor types on edges ('float32 [1,64,56,56]'), weight lines inside nodes
 * ('W 64×32×3×3', 'axes = [0]'). Everything is cut to MAX_LINE_CHARS so one long name cannot make a
 * node as wide as the screen.
 */
import { dtypeInfo, dtypeName } from '../onnx/dtypes.js';
import type { Dim, TensorInfo } from '../shape/types.js';

export const MAX_LINE_CHARS = 40;

export function clip(text: string, max = MAX_LINE_CHARS): string {
  return text.length <= max ? text : `${text.slice(0, max - 1)}…`;
}

function dimText(d: Dim): string {
  return d === null ? '?' : String(d);
}

/** 'float32 [1,64,56,56]', 'int64 []' (a scalar), 'float32' (rank unknown), '' (nothing known). */
export function tensorTypeText(info: TensorInfo | undefined): string {
  if (!info) return '';
  const dtype = info.dtype ? dtypeName(info.dtype) : '?';
  if (!info.shape) return info.dtype ? dtype : '';
  return `${dtype} [${info.shape.map(dimText).join(',')}]`;
}

/** '64×32×3×3'; 'scalar' for rank 0. */
// join() rather than += : it yields one flat string, where repeated += leaves a chain of V8 cons-strings
// per label, which a 20,000-node graph then keeps, garbage-collects and flattens when sent to the page.
export function dimsText(dims: readonly Dim[]): string {
  return dims.length === 0 ? 'scalar' : dims.map(dimText).join('×');
}

/** A number short enough for a node line: at most 4 significant digits for non-integers. */
export function shortNumber(v: number): string {
  // int64 extremes mean "to the end" (Slice ends) or "no limit"; 2^62 is safely above any real size.
  if (v >= 2 ** 62) return '∞';
  if (v <= -(2 ** 62)) return '-∞';
  if (Number.isInteger(v)) return String(v);
  if (!Number.isFinite(v)) return String(v);
  return String(Number(v.toPrecision(4)));
}

/**
 * One weight line: the schema's input name, then the values when the tensor is tiny (Reshape targets,
 * Unsqueeze axes, a scale factor — the values say more than the shape), else the dtype when it is not
 * float32 (int8 weights of a quantized model must stand out) and the dims.
 */
export function weightLine(label: string, dtype: number, dims: readonly Dim[] | undefined, values: Float64Array | undefined): string {
  if (dims === undefined) return clip(`${label} ?`);
  if (values) {
    const list = Array.from(values, shortNumber).join(',');
    return clip(dims.length === 0 ? `${label} = ${list}` : `${label} = [${list}]`);
  }
  const info = dtypeInfo(dtype);
  const type = dtype === 0 || info?.name === 'float32' ? '' : `${dtypeName(dtype)} `;
  return clip(`${label} ${type}${dimsText(dims)}`);
}
