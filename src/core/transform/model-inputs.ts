/**
 * The inputs a caller must feed, as data readers and runners need them: graph inputs that are not
 * initializers (IR < 4 models list every weight as an input too), with element type names and dims
 * (a string for a symbolic dimension, -1 when unknown).
 */
import type { onnx } from '../onnx/codec.js';
import { dtypeName } from '../onnx/dtypes.js';
import type { ModelInputSpec } from '../data/types.js';

export function modelInputSpecs(model: onnx.IModelProto): ModelInputSpec[] {
  const weights = new Set((model.graph?.initializer ?? []).map((t) => t.name ?? ''));
  const out: ModelInputSpec[] = [];
  for (const input of model.graph?.input ?? []) {
    const name = input.name ?? '';
    if (!name || weights.has(name)) continue;
    const tt = input.type?.tensorType;
    const dims = (tt?.shape?.dim ?? []).map((d): number | string => {
      if (d.dimValue !== undefined && d.dimValue !== null && Number(d.dimValue) > 0) return Number(d.dimValue);
      return d.dimParam ? d.dimParam : -1;
    });
    out.push({ name, dtype: dtypeName(tt?.elemType ?? 0), dims });
  }
  return out;
}
