/**
 * Every transformation the studio offers, in the order the page lists them. The page (through the
 * model worker: the app may not import core values), the CLI and recipes all look passes up here.
 */
import type { PassDefinition, PassDescriptor } from './types.js';
import { float16Pass } from './passes/float16.js';
import { fp16WeightsPass } from './passes/fp16-weights.js';
import { toFloat32Pass } from './passes/to-float32.js';
import { int8StaticPass } from './passes/int8-static.js';
import { int8DynamicPass } from './passes/int8-dynamic.js';
import { weightOnlyPass } from './passes/weight-only.js';
import { pruneMagnitudePass } from './passes/prune-magnitude.js';
import { pruneNMPass } from './passes/prune-nm.js';
import { pruneChannelsPass } from './passes/prune-channels.js';

const PASS_LIST: readonly PassDefinition[] = [float16Pass, fp16WeightsPass, toFloat32Pass, int8StaticPass, int8DynamicPass, weightOnlyPass, pruneChannelsPass, pruneMagnitudePass, pruneNMPass];

export const PASSES: ReadonlyMap<string, PassDefinition> = new Map(PASS_LIST.map((p) => [p.id, p]));

export function describePasses(registry: ReadonlyMap<string, PassDefinition> = PASSES): PassDescriptor[] {
  return [...registry.values()].map((p) => ({
    id: p.id,
    label: p.label,
    category: p.category,
    summary: p.summary,
    ...(p.note ? { note: p.note } : {}),
    options: p.options,
    needsCalibration: p.calibration !== undefined,
  }));
}
