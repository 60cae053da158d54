export { layoutGraph, LayoutAbortedError, LAYOUT_ALGORITHM, LAYOUT_PHASES } from './layout-graph.js';
export type { LayoutOptions } from './layout-graph.js';
export { layoutViolations, upwardEdges } from './layout-invariants.js';
export { generateNetwork } from './generate.js';
export { NODE_GAP, RANK_GAP } from './positions.js';
