export type { DuplicateWrite, GraphIR, IRNode, Scope, ValueSource, Weight, WeightKind } from './ir.js';
export { buildGraph } from './build-graph.js';
export { producerOf, resolveValue, resolveWeight, resolveWeightThroughIdentity } from './resolve.js';
export { validateModel, validateGraphIR, describeNode } from './validate.js';
export type { ValidationCode, ValidationIssue } from './validate.js';
export { constantPayload, constantStrings, isConstantOp } from './constant-node.js';
export type { ConstantPayload } from './constant-node.js';
export * from './attributes.js';
export * from './opsets.js';
