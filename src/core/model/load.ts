/**
 * From dropped files to a decoded model, or to an error a user can act on (ARCHITECTURE.md: errors are
 * values). Steps: pick the model among the files → sniff what it is → decode the ModelProto → check it
 * is a plausible model → resolve its external data files.
 *
 * Zero copy: the decoded proto's raw_data are views into the model file's buffer and `external` holds
 * the supplied data buffers themselves; nothing here copies tensor bytes.
 */
import type { ModelError, Result } from '../errors.js';
import { err, modelError, ok } from '../errors.js';
import { listExternalTensors, resolveExternalData } from '../format/external-data.js';
import type { ExternalTensor, SuppliedFile } from '../format/external-data.js';
import { fileKindError, formatCount, truncatedError } from '../format/kind-errors.js';
import { sniffFile } from '../format/sniff.js';
import { decodeModelProto, toNumber } from '../onnx/codec.js';
import type { onnx } from '../onnx/codec.js';

export type InputFile = SuppliedFile;

export interface LoadedModel {
  readonly proto: onnx.ModelProto;
  readonly fileName: string;
  readonly fileBytes: number;
  /** External data buffers keyed by the `location` the model uses (see tensor.ts tensorBytes). */
  readonly external: Map<string, Uint8Array>;
  /** Things the user should know that do not stop loading (size limits of the runtime, ignored files). */
  readonly warnings: string[];
}

export interface LoadOptions {
  /** Hint for missing external data; the CLI says how to pass files, the browser how to select them. */
  readonly missingDataHint?: string;
}

/** A decoded model before its external data is resolved (the CLI reads data files in between). */
export interface ParsedModel {
  readonly proto: onnx.ModelProto;
  readonly fileName: string;
  readonly fileBytes: number;
  readonly externalTensors: ExternalTensor[];
}

const isOnnxName = (name: string): boolean => /\.onnx$/i.test(name);

/**
 * Chooses the model file: the only .onnx, else the only file, else the one file that sniffs as ONNX
 * (a model renamed .pb, dropped with its data). Several models at once is an error.
 */
export function pickModelFile(files: readonly InputFile[]): Result<InputFile> {
  if (files.length === 0) return err(modelError('empty-file', 'No file was selected', 'There is nothing to open.', 'select a .onnx model file'));
  if (files.length === 1) return ok(files[0] as InputFile);
  const onnxFiles = files.filter((f) => isOnnxName(f.name));
  if (onnxFiles.length === 1) return ok(onnxFiles[0] as InputFile);
  if (onnxFiles.length > 1) {
    const names = onnxFiles.map((f) => f.name);
    return err(modelError('unsupported', 'Several ONNX models were selected', `${names.slice(0, 4).join(', ')}${names.length > 4 ? ', …' : ''}: the studio opens one model at a time.`, 'select one .onnx (together with its data files)'));
  }
  const sniffed = files.map((f) => ({ f, kind: sniffFile(f.name, f.bytes) }));
  const models = sniffed.filter((s) => s.kind.kind === 'onnx');
  if (models.length === 1) return ok((models[0] as (typeof models)[number]).f);
  if (models.length > 1) return err(modelError('unsupported', 'Several ONNX models were selected', `${models.map((m) => m.f.name).join(', ')}: the studio opens one model at a time.`, 'select one model (together with its data files)'));
  // No model among them: explain the first file that is something recognisable other than data.
  const explained = sniffed.find((s) => s.kind.kind !== 'onnx-external-data' && s.kind.kind !== 'unknown') ?? sniffed[0];
  const error = explained ? fileKindError(explained.kind, explained.f.name) : undefined;
  return err(error ?? modelError('not-onnx', 'No ONNX model among the selected files', `${files.map((f) => f.name).join(', ')}.`, 'select a .onnx file'));
}

/**
 * protobufjs reports a read past the end as "index out of range: POS + N > LEN" (protobufjs
 * src/reader.js indexOutOfRange); nested messages whose declared length runs past their parent say
 * just "index out of range".
 */
function decodeFailure(fileName: string, bytes: Uint8Array, e: unknown): ModelError {
  const text = e instanceof Error ? e.message : String(e);
  const n = bytes.byteLength;
  const range = /index out of range: (\d+) \+ (\d+) > (\d+)/.exec(text);
  if (range) {
    const need = Number(range[1]) + Number(range[2]);
    if (Number(range[3]) === n) return truncatedError(fileName, { have: n, need });
  }
  const wire = /invalid wire type (\d+) at offset (\d+)/.exec(text);
  if (wire && n - Number(wire[2]) <= 16) return truncatedError(fileName, { have: n });
  const where = wire ? ` near byte ${formatCount(Number(wire[2]))}` : '';
  return modelError('invalid-model', 'The ONNX file is damaged', `Its top-level structure is a model, but decoding failed${where} (${text}).`, 'export or download the model again', fileName);
}

const CUT_HINT = 'download or copy it again (or export it again, if it was exported like this)';

/** Sniff, decode and sanity-check one model file. */
export function parseModelFile(file: InputFile): Result<ParsedModel> {
  const { name, bytes } = file;
  const kind = sniffFile(name, bytes);
  const notModel = fileKindError(kind, name);
  if (notModel) return err(notModel);

  let proto: onnx.ModelProto;
  try {
    proto = decodeModelProto(bytes);
  } catch (e) {
    return err(decodeFailure(name, bytes, e));
  }

  // Bytes that happen to parse are not a model: ONNX requires a graph and an IR version (onnx.proto:
  // "ir_version ... must be set"; the checker rejects models without a graph).
  const ir = toNumber(proto.irVersion);
  if (!proto.graph && ir === 0) {
    return err(modelError('not-onnx', 'This is not an ONNX model', 'It parses as protobuf but has neither a graph nor an IR version.', 'select a .onnx file, or export one from your framework (torch.onnx.export, tf2onnx, skl2onnx)', name));
  }
  // A file cut exactly between two top-level fields decodes cleanly but lacks what came after the cut:
  // exporters write the header, then the graph, then opset_import (which IR >= 3 requires).
  if (!proto.graph) {
    return err(modelError('truncated', 'The ONNX file is truncated', `It ends after ${formatCount(bytes.byteLength)} bytes of header (IR version ${ir}); the graph is missing.`, CUT_HINT, name));
  }
  if (ir === 0) return err(modelError('invalid-model', 'The ONNX model has no IR version', 'ir_version is not set, so no runtime will load it.', 'export the model again with a current exporter', name));
  if (ir >= 3 && proto.opsetImport.length === 0) {
    return err(modelError('truncated', 'The ONNX file is truncated', 'It ends right after its graph; the operator sets (opset_import) that follow it are missing.', CUT_HINT, name));
  }
  return ok({ proto, fileName: name, fileBytes: bytes.byteLength, externalTensors: listExternalTensors(proto) });
}

/** onnxruntime-web refuses a single model buffer over 2 GB (RUNTIME-FACTS.md; protobuf's 2 GiB limit). */
export const MAX_SINGLE_BUFFER_BYTES = 2 ** 31 - 1;
/** Weights passed as externalData loaded up to ~1.9 GB in 32-bit WASM (RUNTIME-FACTS.md). */
export const MAX_WASM_WEIGHT_BYTES = 1.9e9;

const gb = (n: number): string => `${(n / 1e9).toFixed(2)} GB`;

export function sizeWarnings(modelBytes: number, externalBytes: number): string[] {
  const out: string[] = [];
  if (modelBytes > MAX_SINGLE_BUFFER_BYTES) {
    out.push(`The model is ${gb(modelBytes)} in one file; onnxruntime-web refuses single model buffers over 2 GB, so it can be inspected and optimized here but not run until its weights are saved as external data or made smaller (e.g. fp16).`);
  } else if (modelBytes + externalBytes > MAX_WASM_WEIGHT_BYTES) {
    out.push(`The model has ${gb(modelBytes + externalBytes)} of data; onnxruntime-web runs in 32-bit WebAssembly (4 GiB memory) and models over about 1.9 GB did not load there, so running it may fail.`);
  }
  return out;
}

/** Resolve a parsed model's external data against the supplied files (the model file itself excluded). */
export function attachExternalData(parsed: ParsedModel, dataFiles: readonly InputFile[], options?: LoadOptions): Result<LoadedModel> {
  const resolved = resolveExternalData(parsed.externalTensors, dataFiles, {
    modelName: parsed.fileName,
    ...(options?.missingDataHint !== undefined ? { missingHint: options.missingDataHint } : {}),
  });
  if (!resolved.ok) return resolved;
  const { external, unused } = resolved.value;
  let externalBytes = 0;
  for (const b of external.values()) externalBytes += b.byteLength;
  const warnings = sizeWarnings(parsed.fileBytes, externalBytes);
  if (unused.length > 0) warnings.push(`Ignored ${unused.join(', ')}: the model does not use ${unused.length === 1 ? 'it' : 'them'}.`);
  return ok({ proto: parsed.proto, fileName: parsed.fileName, fileBytes: parsed.fileBytes, external, warnings });
}

export function loadModel(files: ReadonlyArray<InputFile>, options?: LoadOptions): Result<LoadedModel> {
  const picked = pickModelFile(files);
  if (!picked.ok) return picked;
  const parsed = parseModelFile(picked.value);
  if (!parsed.ok) return parsed;
  return attachExternalData(
    parsed.value,
    files.filter((f) => f !== picked.value),
    options,
  );
}
