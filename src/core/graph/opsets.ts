/**
 * Operator-set bookkeeping: which version of each domain a model imports, and what this build knows.
 *
 * The ONNX IR spec says the default operator domain may be written as '' or 'ai.onnx'; both name
 * the same operator set, so every lookup here normalises to ''.
 */
import type { onnx } from '../onnx/codec.js';
import { toNumber } from '../onnx/codec.js';

export const DEFAULT_DOMAIN = '';

/**
 * Highest default-domain opset whose operators this build was written against (ONNX 1.18 ships 23).
 * Opsets up to MAX_TOLERATED_DEFAULT_OPSET come from newer ONNX releases; the conformance corpus already
 * holds models at 24–28, so they are treated as known rather than flagged.
 */
export const MAX_KNOWN_DEFAULT_OPSET = 23;
export const MAX_TOLERATED_DEFAULT_OPSET = 28;
/** Any domain at a version above this is more likely a corrupt or hand-edited file than a real opset. */
export const SUSPICIOUS_OPSET_VERSION = 30;

export function normalizeDomain(domain: string | null | undefined): string {
  return !domain || domain === 'ai.onnx' ? DEFAULT_DOMAIN : domain;
}

/** The name users know a domain by: 'ai.onnx' for the default domain. */
export function displayDomain(domain: string | null | undefined): string {
  const d = normalizeDomain(domain);
  return d === DEFAULT_DOMAIN ? 'ai.onnx' : d;
}

/** Domain → imported version. When a domain is imported twice the higher version wins (as ORT does). */
export function opsetMap(imports: readonly onnx.IOperatorSetIdProto[] | null | undefined): Map<string, number> {
  const map = new Map<string, number>();
  for (const o of imports ?? []) {
    const domain = normalizeDomain(o.domain);
    const version = toNumber(o.version);
    map.set(domain, Math.max(version, map.get(domain) ?? 0));
  }
  return map;
}

/** Key used for op histograms: 'Conv' for the default domain, 'com.microsoft.FusedConv' otherwise. */
export function opKey(domain: string | null | undefined, opType: string | null | undefined): string {
  const d = normalizeDomain(domain);
  return d === DEFAULT_DOMAIN ? (opType ?? '') : `${d}.${opType ?? ''}`;
}
