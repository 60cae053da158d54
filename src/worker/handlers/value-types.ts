/**
 * Element types of every value, for the operator probe: what the model declares, completed by our
 * shape inference (exported models often declare only graph inputs and outputs).
 */
import type { onnx } from '../../core/onnx/codec';
import { inferShapes } from '../../core/shape';
import type { ValueTypes } from '../../core/compat/value-types';

export function valueTypesOf(model: onnx.IModelProto): ValueTypes {
  const types = new Map<string, number>();
  for (const [name, info] of inferShapes(model)) {
    if (info.dtype) types.set(name, info.dtype);
  }
  return types;
}
