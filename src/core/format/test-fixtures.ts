/**
 * Files made on the fly for tests of sniffing and loading: the beginnings of real files of each kind
 * (magic numbers, zip entry names, protobuf field layouts), seeded random bytes, and a real ONNX model
 * rewritten to keep its weights as external data. Pure, so tests in any layer can use it.
 */
import { onnx } from '../onnx/codec.js';
import { isExternal, tensorBytes } from '../onnx/tensor.js';
import { forEachTensor } from './external-data.js';

const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s);

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((s, p) => s + p.byteLength, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}

/** Deterministic bytes (mulberry32), so a failing case can be reproduced from its seed. */
export function seededBytes(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n);
  let a = seed >>> 0;
  for (let i = 0; i < n; i++) {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = ((t ^ (t >>> 14)) >>> 0) & 0xff;
  }
  return out;
}

// --- protobuf wire writing (for TensorFlow-shaped messages we have no codec for) ---

function varint(v: number): Uint8Array {
  const out: number[] = [];
  let x = v;
  while (x >= 0x80) {
    out.push((x % 128) | 0x80);
    x = Math.floor(x / 128);
  }
  out.push(x);
  return Uint8Array.from(out);
}

/** One field: a number is a varint, a string or bytes is length-delimited. */
export function pbField(field: number, value: number | string | Uint8Array): Uint8Array {
  if (typeof value === 'number') return concat(varint(field * 8), varint(value));
  const bytes = typeof value === 'string' ? utf8(value) : value;
  return concat(varint(field * 8 + 2), varint(bytes.byteLength), bytes);
}

/** tensorflow GraphDef: Placeholder → Identity, with `versions { producer: 27 }`. */
export function tfGraphDef(): Uint8Array {
  const node = (name: string, op: string, input?: string): Uint8Array =>
    concat(pbField(1, name), pbField(2, op), ...(input ? [pbField(3, input)] : []), pbField(5, concat(pbField(1, 'T'), pbField(2, pbField(6, 1)))));
  return concat(pbField(1, node('x', 'Placeholder')), pbField(1, node('y', 'Identity', 'x')), pbField(4, pbField(1, 27)));
}

/** tensorflow SavedModel: schema version 1 and one MetaGraphDef (tags "serve") holding a GraphDef. */
export function tfSavedModel(): Uint8Array {
  const metaInfo = pbField(1, concat(pbField(4, 'serve'), pbField(5, '2.15.0')));
  return concat(pbField(1, 1), pbField(2, concat(metaInfo, pbField(2, tfGraphDef()))));
}

// --- zip ---

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) c = (CRC_TABLE[(c ^ b) & 0xff] as number) ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** A zip with stored (uncompressed) entries, as torch.save writes them. */
export function zipOf(entries: Record<string, Uint8Array | string>): Uint8Array {
  const locals: Uint8Array[] = [];
  const centrals: Uint8Array[] = [];
  let offset = 0;
  const names = Object.keys(entries);
  for (const name of names) {
    const raw = entries[name] as Uint8Array | string;
    const data = typeof raw === 'string' ? utf8(raw) : raw;
    const nameBytes = utf8(name);
    const crc = crc32(data);
    const local = new Uint8Array(30);
    const lv = new DataView(local.buffer);
    lv.setUint32(0, 0x04034b50, true);
    lv.setUint16(4, 20, true);
    lv.setUint16(6, 0x800, true);
    lv.setUint32(14, crc, true);
    lv.setUint32(18, data.byteLength, true);
    lv.setUint32(22, data.byteLength, true);
    lv.setUint16(26, nameBytes.byteLength, true);
    const central = new Uint8Array(46);
    const cv = new DataView(central.buffer);
    cv.setUint32(0, 0x02014b50, true);
    cv.setUint16(4, 20, true);
    cv.setUint16(6, 20, true);
    cv.setUint16(8, 0x800, true);
    cv.setUint32(16, crc, true);
    cv.setUint32(20, data.byteLength, true);
    cv.setUint32(24, data.byteLength, true);
    cv.setUint16(28, nameBytes.byteLength, true);
    cv.setUint32(42, offset, true);
    locals.push(local, nameBytes, data);
    centrals.push(central, nameBytes);
    offset += 30 + nameBytes.byteLength + data.byteLength;
  }
  const cd = concat(...centrals);
  const end = new Uint8Array(22);
  const ev = new DataView(end.buffer);
  ev.setUint32(0, 0x06054b50, true);
  ev.setUint16(8, names.length, true);
  ev.setUint16(10, names.length, true);
  ev.setUint32(12, cd.byteLength, true);
  ev.setUint32(16, offset, true);
  return concat(...locals, cd, end);
}

// --- pickles and other magic numbers ---

/** pickle.dumps({'state_dict': {}}, protocol=2). */
export const PICKLE_V2 = concat(Uint8Array.from([0x80, 0x02, 0x7d, 0x71, 0x00, 0x58, 0x0a, 0x00, 0x00, 0x00]), utf8('state_dict'), Uint8Array.from([0x7d, 0x71, 0x01, 0x73, 0x2e]));

/** The first bytes of a legacy (pre-zip) torch.save file: protocol 2, then the pickled magic number. */
export const TORCH_LEGACY = Uint8Array.from([0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19, 0x2e, 0x80, 0x02, 0x4d, 0xe9, 0x03, 0x2e]);

/** A PyTorch ≥ 1.6 checkpoint: torch.save(model.state_dict(), 'model.pt'). */
export function torchZip(torchscript = false): Uint8Array {
  return zipOf({
    'archive/data.pkl': PICKLE_V2,
    'archive/byteorder': 'little',
    'archive/data/0': new Uint8Array(64),
    'archive/version': '3\n',
    ...(torchscript ? { 'archive/code/__torch__.py': 'class Model: pass\n', 'archive/constants.pkl': PICKLE_V2 } : {}),
  });
}

export const HDF5_HEADER = concat(Uint8Array.from([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x00]), new Uint8Array(500));

/** A safetensors file; `headerBytes` pads the JSON header with spaces (the format allows it). */
export function safetensorsFile(headerBytes = 0): Uint8Array {
  const json = JSON.stringify({ __metadata__: { format: 'pt' }, 'fc.weight': { dtype: 'F32', shape: [2], data_offsets: [0, 8] }, 'fc.bias': { dtype: 'F32', shape: [1], data_offsets: [8, 12] } });
  const header = utf8(json.padEnd(headerBytes, ' '));
  const len = new Uint8Array(8);
  new DataView(len.buffer).setBigUint64(0, BigInt(header.byteLength), true);
  return concat(len, header, new Uint8Array(12));
}

export function ggufFile(): Uint8Array {
  const head = new Uint8Array(24);
  head.set(utf8('GGUF'));
  new DataView(head.buffer).setUint32(4, 3, true);
  return head;
}

export const NPY = concat(Uint8Array.from([0x93]), utf8("NUMPY\x01\x00v\x00{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }"), new Uint8Array(12));

/** An ONNX Runtime .ort file: FlatBuffer root offset, then identifier ORTM. */
export const ORT_FORMAT = concat(Uint8Array.from([0x10, 0, 0, 0]), utf8('ORTM'), new Uint8Array(24));

export const LFS_POINTER = utf8('version https://git-lfs.github.com/spec/v1\noid sha256:4c1d1f4c1d1f4c1d1f4c1d1f4c1d1f4c1d1f4c1d1f4c1d1f4c1d1f4c1d1f4c1d\nsize 26454\n');
export const HTML_PAGE = utf8('<!DOCTYPE html>\n<html lang="en"><head><title>model.onnx · Hugging Face</title></head><body></body></html>\n');
export const HF_CONFIG = utf8(JSON.stringify({ architectures: ['BertModel'], model_type: 'bert', hidden_size: 768 }, null, 2));
export const TFJS_MODEL = utf8(JSON.stringify({ format: 'graph-model', modelTopology: { node: [] }, weightsManifest: [{ paths: ['group1-shard1of1.bin'], weights: [] }] }));
export const ONNX_TEXT = utf8('<\n  ir_version: 8,\n  opset_import: ["" : 17]\n>\nagraph (float[N] X) => (float[N] Y) {\n  Y = Relu(X)\n}\n');

/** float32 values like trained weights: small, mostly within ±1. */
export function floatWeights(count: number, seed: number): Uint8Array {
  const raw = seededBytes(count * 2, seed);
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) out[i] = (((raw[2 * i] as number) * 256 + (raw[2 * i + 1] as number)) / 65536 - 0.5) * 0.2;
  return new Uint8Array(out.buffer);
}

// --- external data ---

export interface ExternalizeOptions {
  /** The `location` written into the model. */
  readonly location: string;
  /** Tensors with fewer bytes stay inline (the onnx helper's size_threshold works the same way). */
  readonly minBytes?: number;
  /** Align each tensor's offset (onnx's save_as_external_data aligns to 4096 for mmap when asked). */
  readonly align?: number;
}

export interface ExternalizedModel {
  readonly proto: onnx.ModelProto;
  readonly data: Uint8Array;
  /** Names of the tensors moved out, where they were. */
  readonly moved: Array<{ name: string; where: string; bytes: Uint8Array }>;
}

/**
 * Moves tensor bytes out of the model into one side buffer and marks them EXTERNAL — what
 * onnx.save_model(..., save_as_external_data=True) does — including Constant attributes and subgraphs.
 * Mutates `proto` (decode a fresh one per call).
 */
export function externalize(proto: onnx.ModelProto, options: ExternalizeOptions): ExternalizedModel {
  const chunks: Uint8Array[] = [];
  const moved: ExternalizedModel['moved'] = [];
  let offset = 0;
  forEachTensor(proto, (t, where) => {
    if (isExternal(t) || t.dataType === onnx.TensorProto.DataType.STRING) return;
    const bytes = tensorBytes(t);
    if (!bytes || bytes.byteLength === 0 || bytes.byteLength < (options.minBytes ?? 1)) return;
    const align = options.align ?? 1;
    const pad = (align - (offset % align)) % align;
    if (pad > 0) chunks.push(new Uint8Array(pad));
    offset += pad;
    chunks.push(bytes);
    t.externalData = [
      new onnx.StringStringEntryProto({ key: 'location', value: options.location }),
      new onnx.StringStringEntryProto({ key: 'offset', value: String(offset) }),
      new onnx.StringStringEntryProto({ key: 'length', value: String(bytes.byteLength) }),
    ];
    t.dataLocation = onnx.TensorProto.DataLocation.EXTERNAL;
    t.rawData = new Uint8Array(0);
    t.floatData = [];
    t.int32Data = [];
    t.int64Data = [];
    t.doubleData = [];
    t.uint64Data = [];
    moved.push({ name: t.name ?? '', where, bytes });
    offset += bytes.byteLength;
  });
  return { proto, data: concat(...chunks), moved };
}
