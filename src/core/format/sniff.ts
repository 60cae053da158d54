/**
 * What did the user drop? Recognises an ONNX model — or, as a first-class path, what else it is
 * (a PyTorch checkpoint, a TFLite or Keras file, a SavedModel, safetensors, a Git LFS pointer, …) so
 * that the error can say what the file is and how to get an ONNX model from it (see kind-errors.ts).
 *
 * Magic numbers are checked first (cheap and unambiguous), then text, then protobuf structure (ONNX has
 * no magic number: a ModelProto is recognised by its top-level fields), then raw tensor bytes.
 * Reads only the start of the file, the zip directory or the top-level protobuf fields: cheap on 1 GB.
 */
import { decodeTensorProto, toNumber } from '../onnx/codec.js';
import {
  GRAPH_PROTO,
  MODEL_GRAPH,
  MODEL_IR_VERSION,
  MODEL_OPSET_IMPORT,
  MODEL_PRODUCER,
  MODEL_PROTO,
  ONNX_VALUE_NAME,
  ONNX_VALUE_PROTO,
  TENSOR_DATA_TYPE,
  TENSOR_PROTO,
  TF_GRAPH_DEF,
  TF_GRAPH_NODE,
  TF_META_GRAPH_DEF,
  TF_NODE_DEF,
  TF_NODE_OP,
  TF_SAVED_MODEL,
  TF_SAVED_MODEL_META_GRAPHS,
} from './schemas.js';
import { classifyText, looksLikeText } from './text.js';
import type { WireField, WireSchema, WireWalk } from './wire.js';
import { decodeString, fitsSchema, isPrintableString, walkWire } from './wire.js';
import { isZip, listZip } from './zip.js';

/** Where an ONNX file was cut: it has `have` bytes; `need` is how far a field said it goes, if known. */
export interface Truncation {
  readonly have: number;
  readonly need?: number;
  /** The top-level field that runs past the end ('graph', 'opset_import', …), when known. */
  readonly field?: string;
}

export type FileKind =
  | { readonly kind: 'empty' }
  | { readonly kind: 'onnx'; readonly truncated?: Truncation }
  | { readonly kind: 'onnx-tensor'; readonly name: string; readonly dataType: number; readonly dims: readonly number[] }
  | { readonly kind: 'onnx-value'; readonly name: string }
  | { readonly kind: 'onnx-external-data' }
  | { readonly kind: 'ort-format' }
  | { readonly kind: 'pytorch-zip'; readonly torchscript: boolean; readonly entry: string }
  | { readonly kind: 'pytorch-legacy' }
  | { readonly kind: 'pickle'; readonly protocol: number }
  | { readonly kind: 'tflite' }
  | { readonly kind: 'hdf5' }
  | { readonly kind: 'keras-v3' }
  | { readonly kind: 'tf-savedmodel'; readonly text?: boolean }
  | { readonly kind: 'tf-graphdef'; readonly firstOp?: string }
  | { readonly kind: 'tfjs' }
  | { readonly kind: 'safetensors'; readonly tensors?: number }
  | { readonly kind: 'gguf'; readonly version: number }
  | { readonly kind: 'numpy'; readonly archive: boolean }
  | { readonly kind: 'zip'; readonly entries: readonly string[]; readonly total: number; readonly onnxEntries: readonly string[]; readonly savedModel: boolean }
  | { readonly kind: 'git-lfs-pointer'; readonly size?: number }
  | { readonly kind: 'html' }
  | { readonly kind: 'hf-config' }
  | { readonly kind: 'json' }
  | { readonly kind: 'text'; readonly preview: string }
  | { readonly kind: 'protobuf' }
  | { readonly kind: 'unknown'; readonly head: string };

export type FileKindId = FileKind['kind'];

const ascii = (bytes: Uint8Array, start: number, length: number): string => String.fromCharCode(...bytes.subarray(start, start + length));

const lowerName = (name: string): string => (name.split(/[\\/]/).pop() ?? name).toLowerCase();

export function sniffFile(name: string, bytes: Uint8Array): FileKind {
  const n = bytes.byteLength;
  const base = lowerName(name);
  if (n === 0) return { kind: 'empty' };

  const magic = sniffMagic(bytes, base);
  if (magic) return magic;

  if (looksLikeText(bytes)) {
    if (base === 'saved_model.pbtxt') return { kind: 'tf-savedmodel', text: true };
    return classifyText(bytes);
  }

  const proto = sniffProtobuf(bytes, base);
  if (proto) return proto;

  if (looksLikeExternalData(bytes, base)) return { kind: 'onnx-external-data' };
  return { kind: 'unknown', head: hexHead(bytes) };
}

function hexHead(bytes: Uint8Array): string {
  return [...bytes.subarray(0, 8)].map((b) => b.toString(16).padStart(2, '0')).join(' ');
}

// ---------------------------------------------------------------------------------------------
// Magic numbers

const HDF5_SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];
/**
 * torch.save's legacy (pre-1.6, non-zip) format starts with a pickled long, the magic number
 * 0x1950a86a20f9469cfc6c (torch/serialization.py MAGIC_NUMBER): protocol 2 header, LONG1 opcode
 * (0x8a) with 10 bytes, little-endian.
 */
const TORCH_LEGACY_MAGIC = [0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19];

/**
 * Opcodes that follow PROTO in real pickles (Lib/pickletools.py): FRAME, EMPTY_DICT/LIST/TUPLE, MARK,
 * GLOBAL, SHORT_BINUNICODE, BINUNICODE, LONG1, BININT*, NONE, NEWTRUE/NEWFALSE. Checking one keeps a
 * random 0x80 0x02 start from passing as a pickle.
 */
const PICKLE_OPENERS = new Set([0x95, 0x7d, 0x5d, 0x29, 0x28, 0x63, 0x8c, 0x58, 0x8a, 0x4b, 0x4d, 0x4a, 0x4e, 0x88, 0x89]);

function startsWith(bytes: Uint8Array, sig: readonly number[], at = 0): boolean {
  if (bytes.byteLength < at + sig.length) return false;
  return sig.every((b, i) => bytes[at + i] === b);
}

function sniffMagic(bytes: Uint8Array, base: string): FileKind | undefined {
  const n = bytes.byteLength;
  if (isZip(bytes)) return sniffZip(bytes);
  // Before the one-byte pickle check: a safetensors header length can start with 0x80 0x02…0x05.
  const st = sniffSafetensors(bytes);
  if (st) return st;
  // HDF5 may sit after a user block of 512, 1024, 2048… bytes (HDF5 file format spec, "Format Signature").
  for (let at = 0; at < n; at = at === 0 ? 512 : at * 2) {
    if (startsWith(bytes, HDF5_SIGNATURE, at)) return { kind: 'hdf5' };
    if (at > 1 << 20) break;
  }
  if (n >= 8) {
    // FlatBuffers: a 4-byte root offset, then the file identifier (schema.fbs: file_identifier "TFL3").
    const ident = ascii(bytes, 4, 4);
    if (ident === 'TFL3') return { kind: 'tflite' };
    if (ident === 'ORTM') return { kind: 'ort-format' };
  }
  if (ascii(bytes, 0, 4) === 'GGUF') {
    const version = n >= 8 ? new DataView(bytes.buffer, bytes.byteOffset, n).getUint32(4, true) : 0;
    return { kind: 'gguf', version };
  }
  if (bytes[0] === 0x93 && ascii(bytes, 1, 5) === 'NUMPY') return { kind: 'numpy', archive: false };
  if (bytes[0] === 0x80 && n >= 3 && (bytes[1] as number) >= 2 && (bytes[1] as number) <= 5 && PICKLE_OPENERS.has(bytes[2] as number)) {
    // Pickle protocol 2–5 opens with PROTO <n>. torch.save's legacy format pickles its magic first.
    // A pickle named like a checkpoint is one (torch.save(obj, f, _use_new_zipfile_serialization=False)).
    if (startsWith(bytes, TORCH_LEGACY_MAGIC, 2) || /\.(pt|pth|ckpt)$/.test(base)) return { kind: 'pytorch-legacy' };
    return { kind: 'pickle', protocol: bytes[1] as number };
  }
  return undefined;
}

/**
 * safetensors: an 8-byte little-endian header length N, then N bytes of JSON starting with '{'
 * (https://github.com/huggingface/safetensors, "Format").
 */
function sniffSafetensors(bytes: Uint8Array): FileKind | undefined {
  const n = bytes.byteLength;
  if (n < 10 || bytes[8] !== 0x7b) return undefined;
  const len = Number(new DataView(bytes.buffer, bytes.byteOffset, n).getBigUint64(0, true));
  if (len < 2 || len > 100 * 1024 * 1024) return undefined;
  if (len + 8 > n) return { kind: 'safetensors' }; // cut off inside the header; still recognisable
  try {
    const header: unknown = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + len)));
    if (header === null || typeof header !== 'object' || Array.isArray(header)) return undefined;
    return { kind: 'safetensors', tensors: Object.keys(header).filter((k) => k !== '__metadata__').length };
  } catch {
    return undefined;
  }
}

function sniffZip(bytes: Uint8Array): FileKind {
  const { names, total } = listZip(bytes);
  // torch.save (≥ 1.6) writes `<archive>/data.pkl`, `<archive>/data/0…`, `<archive>/version`;
  // torch.jit.save adds `<archive>/code/` and `constants.pkl` (torch/serialization.py, torch/jit).
  const pkl = names.find((e) => /(^|\/)(data|constants)\.pkl$/.test(e));
  if (pkl !== undefined) {
    const torchscript = names.some((e) => /(^|\/)code\//.test(e) || /(^|\/)constants\.pkl$/.test(e));
    return { kind: 'pytorch-zip', torchscript, entry: pkl };
  }
  // Keras 3 `.keras`: config.json + metadata.json + model.weights.h5 at the root (keras saving_lib).
  if (names.includes('config.json') && (names.includes('model.weights.h5') || names.includes('metadata.json'))) return { kind: 'keras-v3' };
  const onnxEntries = names.filter((e) => /\.onnx$/i.test(e));
  const savedModel = names.some((e) => /(^|\/)saved_model\.pbt?x?t?$/.test(e));
  if (onnxEntries.length === 0 && !savedModel && names.length > 0 && names.every((e) => e.endsWith('/') || /\.npy$/i.test(e))) {
    return { kind: 'numpy', archive: true };
  }
  return { kind: 'zip', entries: names.slice(0, 20), total, onnxEntries, savedModel };
}

// ---------------------------------------------------------------------------------------------
// Protobuf structure

const MODEL_FIELD_NAMES: Record<number, string> = {
  1: 'ir_version', 2: 'producer_name', 3: 'producer_version', 4: 'domain', 5: 'model_version', 6: 'doc_string',
  7: 'graph', 8: 'opset_import', 14: 'metadata_props', 20: 'training_info', 25: 'functions', 26: 'configuration',
};

/** Does the content of a length-delimited field walk as a message of this schema (a cut-off one counts)? */
function nestedFits(bytes: Uint8Array, f: WireField, schema: WireSchema, maxFields = 64): boolean {
  const walk = walkWire(bytes, f.valueStart, Math.min(f.valueEnd, bytes.byteLength), maxFields);
  if (walk.fields.length === 0) return f.valueEnd === f.valueStart; // an empty message is fine
  return fitsSchema(walk, schema);
}

function truncationOf(walk: WireWalk, n: number): Truncation {
  const last = walk.fields[walk.fields.length - 1];
  const cutField = last && last.valueEnd > n ? MODEL_FIELD_NAMES[last.field] : undefined;
  const t: { have: number; need?: number; field?: string } = { have: n };
  if (walk.need !== undefined) t.need = walk.need;
  if (cutField !== undefined) t.field = cutField;
  return t;
}

function sniffProtobuf(bytes: Uint8Array, base: string): FileKind | undefined {
  const n = bytes.byteLength;
  const walk = walkWire(bytes, 0, n, 100_000);
  const nameIsOnnx = base.endsWith('.onnx');
  // A .onnx cut within its first field (a few bytes): nothing to check but the first tag.
  if (walk.end === 'truncated' && walk.fields.length === 0 && nameIsOnnx && n < 16 && MODEL_PROTO.get((bytes[0] as number) >> 3)?.includes((bytes[0] as number) & 7)) {
    return { kind: 'onnx', truncated: { have: n } };
  }
  if (walk.end === 'invalid' || walk.fields.length === 0) return undefined;
  const named = (no: number): WireField[] => walk.fields.filter((f) => f.field === no);

  // ONNX ModelProto. Serializers write fields in number order, but nothing requires it, so the check
  // looks at which fields exist, not where.
  if (fitsSchema(walk, MODEL_PROTO)) {
    const graphs = named(MODEL_GRAPH);
    const graphOk = graphs.length > 0 && graphs.every((g) => nestedFits(bytes, g, GRAPH_PROTO));
    const ir = named(MODEL_IR_VERSION)[0]?.varint;
    // IR versions are 1…13 today (onnx.proto Version enum); leave room for growth, not for noise.
    const irOk = ir !== undefined && ir >= 1 && ir <= 64;
    const producerOk = named(MODEL_PRODUCER).some((f) => isPrintableString(bytes, f));
    const opsetOk = named(MODEL_OPSET_IMPORT).length > 0;
    const savedModelShaped = walk.fields.every((f) => f.field === 1 || f.field === 2) && named(2).length > 0 && named(2).every((f) => nestedFits(bytes, f, TF_META_GRAPH_DEF) && !isPrintableString(bytes, f));
    // A cut-off file named .onnx needs less evidence, but not so little that random bytes opening with
    // a valid tag and a huge length pass: two complete fields, or a cut inside a tiny header.
    const completeFields = walk.fields.filter((f) => f.valueEnd <= n).length;
    const cutHeader = nameIsOnnx && (n < 64 || completeFields >= 2);
    const confident =
      walk.end === 'complete'
        ? graphOk || (irOk && (producerOk || opsetOk || nameIsOnnx) && !savedModelShaped)
        : irOk && !savedModelShaped && (graphOk || producerOk || opsetOk || cutHeader);
    if (confident) return walk.end === 'complete' ? { kind: 'onnx' } : { kind: 'onnx', truncated: truncationOf(walk, n) };
  }

  // TensorFlow SavedModel (saved_model.pb): schema version, then MetaGraphDefs.
  if (fitsSchema(walk, TF_SAVED_MODEL)) {
    const metas = named(TF_SAVED_MODEL_META_GRAPHS);
    if (base === 'saved_model.pb' || (metas.length > 0 && metas.every((m) => nestedFits(bytes, m, TF_META_GRAPH_DEF) && !isPrintableString(bytes, m)))) {
      return { kind: 'tf-savedmodel' };
    }
  }

  // ONNX test data (input_0.pb / output_0.pb): a TensorProto, or a Sequence/Map/OptionalProto, whose
  // field 1 is a name string where a TensorProto has its dims.
  const valueName = named(ONNX_VALUE_NAME).find((f) => isPrintableString(bytes, f));
  if (walk.end === 'complete' && valueName && fitsSchema(walk, ONNX_VALUE_PROTO) && named(2).length === 1) {
    return { kind: 'onnx-value', name: decodeString(bytes, valueName) };
  }
  if (walk.end === 'complete' && fitsSchema(walk, TENSOR_PROTO) && named(TENSOR_DATA_TYPE).length === 1) {
    try {
      const t = decodeTensorProto(bytes);
      return { kind: 'onnx-tensor', name: t.name, dataType: t.dataType, dims: t.dims.map((d) => toNumber(d)) };
    } catch {
      // Fell apart deeper down: not a tensor after all.
    }
  }

  // TensorFlow GraphDef (a frozen graph .pb): NodeDefs whose `op` is a printable name.
  if (fitsSchema(walk, TF_GRAPH_DEF)) {
    const nodes = named(TF_GRAPH_NODE).slice(0, 8);
    const nodeWalks = nodes.map((f) => walkWire(bytes, f.valueStart, Math.min(f.valueEnd, n), 64));
    const opField = nodeWalks[0]?.fields.find((f) => f.field === TF_NODE_OP);
    if (nodes.length > 0 && nodeWalks.every((w) => fitsSchema(w, TF_NODE_DEF)) && opField && isPrintableString(bytes, opField)) {
      return { kind: 'tf-graphdef', firstOp: decodeString(bytes, opField) };
    }
  }

  // Some other complete protobuf message.
  if (walk.end === 'complete' && (base.endsWith('.pb') || base.endsWith('.onnx')) && walk.fields.length >= 2) return { kind: 'protobuf' };
  return undefined;
}

// ---------------------------------------------------------------------------------------------
// Raw tensor bytes

/** Names that ONNX tooling gives external data files: model.onnx.data, model.onnx_data, weights.bin, … */
const EXTERNAL_DATA_NAME = /(\.onnx[._-]?data|\.data|\.bin|\.weights?|\.ext|_data)$/;

/**
 * ONNX external data has no structure at all (onnx/external_data_helper.py writes raw tensor bytes
 * back to back), so the name is the best evidence. Otherwise: trained float32 weights are small
 * numbers, so their exponent bytes cluster (|x| within 2^-31…2^17 or exactly 0), while random bytes
 * spread over all 256 exponents (≈ 19 % land in that band).
 */
function looksLikeExternalData(bytes: Uint8Array, base: string): boolean {
  if (EXTERNAL_DATA_NAME.test(base)) return true;
  const count = Math.min(4096, Math.floor(bytes.byteLength / 4));
  if (count < 16) return false;
  const dv = new DataView(bytes.buffer, bytes.byteOffset, count * 4);
  let small = 0;
  for (let i = 0; i < count; i++) {
    const bits = dv.getUint32(i * 4, true);
    const exponent = (bits >>> 23) & 0xff;
    if ((bits & 0x7fffffff) === 0 || (exponent >= 96 && exponent <= 144)) small++;
  }
  return small / count >= 0.9;
}
