/**
 * Lists the entry names of a ZIP archive without extracting anything — enough to tell a PyTorch
 * checkpoint (`archive/data.pkl`) from a Keras 3 `.keras` file (`config.json`) or a zipped `.onnx`.
 *
 * Layout per PKWARE APPNOTE.TXT: the central directory (read through the End Of Central Directory
 * record, or its ZIP64 variant that PyTorch writes for big checkpoints) is authoritative; when it is
 * missing (a cut-off download) we fall back to walking the local file headers from the start.
 */

const SIG_LOCAL = 0x04034b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_EOCD = 0x06054b50;
const SIG_ZIP64_LOCATOR = 0x07064b50;
const SIG_ZIP64_EOCD = 0x06064b50;

export interface ZipListing {
  /** Entry names, at most `limit` of them. */
  readonly names: string[];
  /** Total number of entries the archive declares (or that the local-header walk found). */
  readonly total: number;
  /** False when the central directory was missing and names came from the local headers. */
  readonly complete: boolean;
}

export function isZip(bytes: Uint8Array): boolean {
  // "PK\x03\x04" (a file entry first) or "PK\x05\x06" (an empty archive).
  return bytes.byteLength >= 4 && bytes[0] === 0x50 && bytes[1] === 0x4b && ((bytes[2] === 3 && bytes[3] === 4) || (bytes[2] === 5 && bytes[3] === 6));
}

function view(bytes: Uint8Array): DataView {
  return new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

const latin1 = (bytes: Uint8Array): string => {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return s;
};

function entryName(bytes: Uint8Array, start: number, length: number, utf8: boolean): string {
  const raw = bytes.subarray(start, Math.min(start + length, bytes.byteLength));
  // Bit 11 of the flags says UTF-8; older archivers write CP437, for which latin1 is close enough here.
  return utf8 ? new TextDecoder().decode(raw) : latin1(raw);
}

/** Offset and entry count of the central directory, or undefined if the EOCD record is absent. */
function findCentralDirectory(bytes: Uint8Array): { offset: number; count: number } | undefined {
  const dv = view(bytes);
  const n = bytes.byteLength;
  // The EOCD is 22 bytes plus a comment of up to 65,535 bytes, at the very end.
  for (let p = n - 22; p >= Math.max(0, n - 22 - 65_535); p--) {
    if (dv.getUint32(p, true) !== SIG_EOCD) continue;
    let count = dv.getUint16(p + 10, true);
    let offset = dv.getUint32(p + 16, true);
    if ((offset === 0xffffffff || count === 0xffff) && p >= 20 && dv.getUint32(p - 20, true) === SIG_ZIP64_LOCATOR) {
      const z = Number(dv.getBigUint64(p - 20 + 8, true));
      if (z + 56 <= n && dv.getUint32(z, true) === SIG_ZIP64_EOCD) {
        count = Number(dv.getBigUint64(z + 32, true));
        offset = Number(dv.getBigUint64(z + 48, true));
      }
    }
    if (offset < n) return { offset, count };
  }
  return undefined;
}

export function listZip(bytes: Uint8Array, limit = 2000): ZipListing {
  const dv = view(bytes);
  const n = bytes.byteLength;
  const names: string[] = [];
  const cd = findCentralDirectory(bytes);
  if (cd) {
    let p = cd.offset;
    for (let i = 0; i < cd.count && names.length < limit && p + 46 <= n; i++) {
      if (dv.getUint32(p, true) !== SIG_CENTRAL) break;
      const flags = dv.getUint16(p + 8, true);
      const nameLen = dv.getUint16(p + 28, true);
      const extraLen = dv.getUint16(p + 30, true);
      const commentLen = dv.getUint16(p + 32, true);
      names.push(entryName(bytes, p + 46, nameLen, (flags & 0x800) !== 0));
      p += 46 + nameLen + extraLen + commentLen;
    }
    return { names, total: cd.count, complete: true };
  }
  // No central directory: walk local headers. Entries written with a trailing data descriptor
  // (flag bit 3) do not say their size up front, so the walk has to stop there.
  let p = 0;
  let total = 0;
  while (p + 30 <= n && dv.getUint32(p, true) === SIG_LOCAL) {
    const flags = dv.getUint16(p + 6, true);
    const compressed = dv.getUint32(p + 18, true);
    const nameLen = dv.getUint16(p + 26, true);
    const extraLen = dv.getUint16(p + 28, true);
    if (names.length < limit) names.push(entryName(bytes, p + 30, nameLen, (flags & 0x800) !== 0));
    total++;
    if ((flags & 0x8) !== 0 || compressed === 0xffffffff) break;
    p += 30 + nameLen + extraLen + compressed;
  }
  return { names, total, complete: false };
}
