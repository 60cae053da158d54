/**
 * Every transformation the studio offers, in the order the page lists them. The page (through the
 * model worker: the app may not import core values), the CLI and recipes all look passes up here.
 */
import type { PassDefinition, PassDescriptor } from './types.js';

const PASS_LIST: readonly PassDefinition[] = [];

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
