export type { Dim, InferOptions, KnownValue, ShapeMap, TensorInfo } from './types.js';
export { inferShapes, inferShapesIR, declaredTensorInfo } from './infer-shapes.js';
export { supportedOps } from './rules/index.js';
export { matmulShape } from './rules/linear.js';
