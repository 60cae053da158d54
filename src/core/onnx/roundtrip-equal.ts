/**
 * Field-by-field equality of two decoded protobuf messages (ModelProto, TensorProto, …), used to prove
 * that decode → encode → decode gives back the same model.
 *
 * Every field is compared, including presence: the ONNX schema is proto2, and protobufjs sets a field
 * as an own property only when it was on the wire (absent fields read their default from the
 * prototype), so "present with the default value" and "absent" differ here as they do on the wire.
 * int64 fields are Long (compared by bits and signedness), bytes fields byte by byte, floats with
 * Object.is (so -0 ≠ 0, NaN = NaN), nested and repeated messages recursively, and unknown fields
 * ($unknowns, kept by the decoder as raw bytes) too.
 */
import { Long } from './codec.js';

export interface MessageDiff {
  /** Field path, e.g. "graph.node[3].attribute[0].t.rawData". */
  readonly path: string;
  readonly message: string;
}

const describe = (v: unknown): string => {
  if (v === undefined) return 'absent';
  if (v === null) return 'null';
  if (Long.isLong(v)) return `${(v as Long).toString()}${(v as Long).unsigned ? 'u' : ''}`;
  if (v instanceof Uint8Array) return `${v.byteLength} bytes`;
  if (Array.isArray(v)) return `${v.length} items`;
  if (typeof v === 'object') return 'message';
  return JSON.stringify(v) ?? String(v);
};

function hasOwn(o: object, k: string): boolean {
  return Object.prototype.hasOwnProperty.call(o, k);
}

function diffValue(a: unknown, b: unknown, path: string, out: MessageDiff[], limit: number): void {
  if (out.length >= limit || a === b) return;
  const push = (message: string): void => {
    out.push({ path: path || '(root)', message });
  };
  if (Long.isLong(a) || Long.isLong(b)) {
    if (!Long.isLong(a) || !Long.isLong(b)) return push(`${describe(a)} vs ${describe(b)} (int64 kind differs)`);
    const x = a as Long;
    const y = b as Long;
    if (x.low !== y.low || x.high !== y.high || x.unsigned !== y.unsigned) push(`${describe(x)} vs ${describe(y)}`);
    return;
  }
  if (a instanceof Uint8Array || b instanceof Uint8Array) {
    if (!(a instanceof Uint8Array) || !(b instanceof Uint8Array)) return push(`${describe(a)} vs ${describe(b)}`);
    if (a.byteLength !== b.byteLength) return push(`${a.byteLength} bytes vs ${b.byteLength} bytes`);
    for (let i = 0; i < a.byteLength; i++) {
      if (a[i] !== b[i]) return push(`byte ${i} differs: ${a[i]} vs ${b[i]}`);
    }
    return;
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b)) return push(`${describe(a)} vs ${describe(b)}`);
    if (a.length !== b.length) return push(`${a.length} items vs ${b.length} items`);
    for (let i = 0; i < a.length && out.length < limit; i++) diffValue(a[i], b[i], `${path}[${i}]`, out, limit);
    return;
  }
  if (typeof a === 'number' && typeof b === 'number') {
    if (!Object.is(a, b)) push(`${describe(a)} vs ${describe(b)}`);
    return;
  }
  if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null) {
    if (Object.getPrototypeOf(a) !== Object.getPrototypeOf(b)) return push('message types differ');
    // getOwnPropertyNames also lists non-enumerable fields such as $unknowns.
    const keys = new Set([...Object.getOwnPropertyNames(a), ...Object.getOwnPropertyNames(b)]);
    for (const k of keys) {
      if (out.length >= limit) return;
      const sub = path ? `${path}.${k}` : k;
      const inA = hasOwn(a, k);
      const inB = hasOwn(b, k);
      const va = (a as Record<string, unknown>)[k];
      const vb = (b as Record<string, unknown>)[k];
      if (inA !== inB) {
        out.push({ path: sub, message: `present in ${inA ? 'first' : 'second'} only (${describe(inA ? va : vb)})` });
        continue;
      }
      diffValue(va, vb, sub, out, limit);
    }
    return;
  }
  push(`${describe(a)} vs ${describe(b)}`);
}

/** The differences between two decoded messages (at most `limit`); empty when they are equal. */
export function messageDiffs(a: unknown, b: unknown, limit = 20): MessageDiff[] {
  const out: MessageDiff[] = [];
  diffValue(a, b, '', out, limit);
  return out;
}

export function messagesEqual(a: unknown, b: unknown): boolean {
  return messageDiffs(a, b, 1).length === 0;
}
