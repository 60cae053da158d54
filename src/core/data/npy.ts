/**
 * NumPy's .npy format (numpy.lib.format, "NEP 1"): magic "\x93NUMPY", major/minor version, a
 * little-endian header length (uint16 in v1.0, uint32 in v2.0 and v3.0), then an ASCII (v3: UTF-8)
 * Python dict literal `{'descr': '<f4', 'fortran_order': False, 'shape': (128, 1, 8, 8), }`,
 * padded with spaces to a multiple of 64 bytes, then the raw array data.
 *
 * Read: dtypes f4 f8 i8 i4 i1 u1 b1 (either byte order), and f2 widened to float32 (sample data
 * has no half type; the runtime narrows it again for a float16 input), C order. Fortran order is
 * refused with a fix, rather than transposed silently. Write (encodeNpy): v1.0, little-endian, C order — what
 * np.save writes for these dtypes.
 *
 * Typed arrays use the host's byte order; every platform the studio runs on (x86, ARM as browsers
 * and Node run them) is little-endian, like .npy files written on those machines.
 */
import type { Result } from '../errors.js';
import { err, ok } from '../errors.js';
import { float16ToNumber } from '../onnx/float-formats.js';
import { allocate, elementCount, formatDims } from './sample-array.js';
import type { SampleDType, SampleTensor } from './types.js';

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

export function isNpy(bytes: Uint8Array): boolean {
  return MAGIC.every((b, i) => bytes[i] === b);
}

/** numpy type code (kind + size, byte order stripped) → our dtype and element size. */
const DESCR: Readonly<Record<string, { dtype: SampleDType; size: number }>> = {
  f2: { dtype: 'float32', size: 2 },
  f4: { dtype: 'float32', size: 4 },
  f8: { dtype: 'float64', size: 8 },
  i8: { dtype: 'int64', size: 8 },
  i4: { dtype: 'int32', size: 4 },
  i1: { dtype: 'int8', size: 1 },
  u1: { dtype: 'uint8', size: 1 },
  b1: { dtype: 'bool', size: 1 },
};

const FIX = 'save it from numpy as a C-ordered array of float32/float64/int64/int32/int8/uint8/bool, e.g. np.save(path, np.ascontiguousarray(a, dtype=np.float32))';

interface NpyHeader {
  readonly descr: string;
  readonly fortranOrder: boolean;
  readonly shape: number[];
}

/** The header dict as numpy writes it (it is a Python literal, not JSON: quotes, True/False, tuples). */
function parseHeader(text: string): NpyHeader | string {
  const descr = /['"]descr['"]\s*:\s*['"]([^'"]*)['"]/.exec(text);
  const fortran = /['"]fortran_order['"]\s*:\s*(True|False)/.exec(text);
  const shape = /['"]shape['"]\s*:\s*\(([^)]*)\)/.exec(text);
  if (!descr?.[1] && /['"]descr['"]\s*:\s*\[/.test(text)) return 'it holds a structured (record) array, which has no single element type';
  if (!descr?.[1] || !fortran || !shape) return `its header is not a NumPy array header: ${text.trim().slice(0, 120)}`;
  const dims: number[] = [];
  for (const part of (shape[1] ?? '').split(',')) {
    const p = part.trim().replace(/L$/, '');
    if (!p) continue;
    if (!/^\d+$/.test(p)) return `its shape (${shape[1] ?? ''}) is not a tuple of sizes`;
    dims.push(Number(p));
  }
  return { descr: descr[1], fortranOrder: fortran[1] === 'True', shape: dims };
}

/** One .npy file → a tensor (a view into `bytes` when the data is little-endian and aligned). */
export function parseNpy(bytes: Uint8Array, name: string): Result<SampleTensor, string> {
  if (!isNpy(bytes)) return err(`${name} is not a .npy file (it does not start with \\x93NUMPY); ${FIX}`);
  if (bytes.byteLength < 10) return err(`${name} is truncated: it ends inside the .npy header; write it again with np.save`);
  const major = bytes[6] ?? 0;
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let headerLen: number;
  let headerStart: number;
  if (major === 1) {
    headerLen = dv.getUint16(8, true);
    headerStart = 10;
  } else if (major === 2 || major === 3) {
    if (bytes.byteLength < 12) return err(`${name} is truncated: it ends inside the .npy header; write it again with np.save`);
    headerLen = dv.getUint32(8, true);
    headerStart = 12;
  } else {
    return err(`${name} uses .npy format version ${major}.${bytes[7] ?? 0}, which this reader does not know (it reads 1.0, 2.0 and 3.0); ${FIX}`);
  }
  const dataStart = headerStart + headerLen;
  if (dataStart > bytes.byteLength) return err(`${name} is truncated: its header says ${headerLen} bytes but the file ends first; write it again with np.save`);
  // v1/v2 headers are latin-1 (ASCII in practice); v3 is UTF-8 (for field names). Our fields are ASCII.
  const header = parseHeader(new TextDecoder().decode(bytes.subarray(headerStart, dataStart)));
  if (typeof header === 'string') return err(`${name}: ${header}; ${FIX}`);
  if (header.fortranOrder) {
    return err(`${name} is stored in Fortran (column-major) order, which would scramble samples; save a C-ordered copy: np.save(path, np.ascontiguousarray(a))`);
  }
  const order = header.descr[0];
  const code = header.descr.slice(1);
  const kind = DESCR[code];
  if (!kind || !(order === '<' || order === '>' || order === '|' || order === '=')) {
    return err(`${name} holds elements of numpy type '${header.descr}', which sample data cannot use; ${FIX}`);
  }
  if (header.shape.length === 0) {
    return err(`${name} holds a single scalar; sample data needs the samples along the first axis, e.g. shape (N, ...)`);
  }
  const count = elementCount(header.shape);
  const need = count * kind.size;
  const have = bytes.byteLength - dataStart;
  if (have < need) {
    return err(`${name} is truncated: its header says ${kind.dtype} ${formatDims(header.shape)} = ${need} bytes of data, but the file holds ${have}; copy or save it again`);
  }
  const bigEndian = order === '>' && kind.size > 1;
  const data = allocate(kind.dtype, count);
  const src = bytes.subarray(dataStart, dataStart + need);
  if (!bigEndian && code !== 'f2' && (bytes.byteOffset + dataStart) % kind.size === 0) {
    // Aligned little-endian data: view the bytes, no copy (ARCHITECTURE.md: zero copy).
    const View = data.constructor as new (b: ArrayBufferLike, offset: number, length: number) => typeof data;
    return ok({ dtype: kind.dtype, dims: header.shape, data: new View(bytes.buffer, bytes.byteOffset + dataStart, count) });
  }
  const sv = new DataView(src.buffer, src.byteOffset, src.byteLength);
  const le = !bigEndian;
  for (let i = 0; i < count; i++) {
    const at = i * kind.size;
    if (code === 'f2') {
      data[i] = float16ToNumber(sv.getUint16(at, le));
      continue;
    }
    switch (kind.dtype) {
      case 'float32': data[i] = sv.getFloat32(at, le); break;
      case 'float64': data[i] = sv.getFloat64(at, le); break;
      case 'int64': data[i] = sv.getBigInt64(at, le); break;
      case 'int32': data[i] = sv.getInt32(at, le); break;
      case 'int8': data[i] = sv.getInt8(at); break;
      case 'uint8':
      case 'bool': data[i] = sv.getUint8(at); break;
    }
  }
  return ok({ dtype: kind.dtype, dims: header.shape, data });
}

const NPY_CODE: Readonly<Record<SampleDType, string>> = {
  float32: '<f4', float64: '<f8', int64: '<i8', int32: '<i4', int8: '|i1', uint8: '|u1', bool: '|b1',
};

/** A tensor as .npy v1.0 bytes (little-endian, C order), as np.save writes it. */
export function encodeNpy(t: SampleTensor): Uint8Array {
  const shape = t.dims.length === 1 ? `(${t.dims[0] ?? 0},)` : `(${t.dims.join(', ')})`;
  let header = `{'descr': '${NPY_CODE[t.dtype]}', 'fortran_order': False, 'shape': ${shape}, }`;
  // Pad with spaces so that magic + version + length + header + '\n' is a multiple of 64 (numpy aligns data).
  const unpadded = 10 + header.length + 1;
  header += ' '.repeat((64 - (unpadded % 64)) % 64) + '\n';
  const head = new TextEncoder().encode(header);
  const body = new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength);
  const out = new Uint8Array(10 + head.length + body.length);
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  new DataView(out.buffer).setUint16(8, head.length, true);
  out.set(head, 10);
  out.set(body, 10 + head.length);
  return out;
}
