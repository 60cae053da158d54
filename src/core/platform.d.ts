/**
 * The few platform globals core may use. Both Node ≥ 18 and every worker/browser provide them; core's
 * tsconfig has no DOM or Node libs, so they are declared here, minimally.
 */
declare class TextDecoder {
  constructor(label?: string, options?: { fatal?: boolean });
  decode(input?: Uint8Array): string;
}
declare class TextEncoder {
  encode(input?: string): Uint8Array;
}
declare const performance: { now(): number };
