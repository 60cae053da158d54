export { computeStats, computeStatsIR, weightBytes } from './compute-stats.js';
export type { DtypeTally, MacStatus, ModelStats, NodeStats } from './compute-stats.js';
export { isMacBearing, nodeMacs, DimReader } from './macs.js';
