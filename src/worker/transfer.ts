/** Collects the buffers of typed arrays in a result so they move to the page instead of being cloned. */
export function typedArrayBuffers(value: object): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  const visit = (v: unknown, depth: number): void => {
    if (ArrayBuffer.isView(v)) {
      if (v.buffer instanceof ArrayBuffer && v.byteLength > 0) out.add(v.buffer);
      return;
    }
    if (depth > 1 || typeof v !== 'object' || v === null || Array.isArray(v)) return;
    for (const child of Object.values(v)) visit(child, depth + 1);
  };
  visit(value, 0);
  return [...out];
}
