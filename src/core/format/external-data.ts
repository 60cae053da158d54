/**
 * ONNX external data (https://onnx.ai/onnx/repo-docs/ExternalData.html): a tensor with
 * data_location = EXTERNAL keeps its bytes in another file, named by external_data["location"]
 * (relative to the model file's folder), at "offset" for "length" bytes. Models over 2 GB must be
 * saved this way (protobuf's 2 GB message limit), and many exporters do it for big models anyway.
 *
 * This module finds every such tensor — initializers, sparse initializers, Constant-node and other
 * tensor attributes, inside subgraphs (If/Loop/Scan), functions and training info — and matches their
 * locations against the files the user supplied. Zero copy: the map it returns holds the caller's
 * buffers; tensor bytes are read later as subarrays (tensor.ts tensorBytes).
 */
import type { ModelError, Result } from '../errors.js';
import { err, modelError, ok } from '../errors.js';
import type { onnx } from '../onnx/codec.js';
import { externalRef, isExternal, tensorStorageBytes } from '../onnx/tensor.js';
import type { ExternalRef } from '../onnx/tensor.js';
import { EXTERNAL_DATA_HINT, formatCount } from './kind-errors.js';

export interface ExternalTensor {
  /** Where it sits: 'initializer fc.weight', "attribute 'value' of node Constant_3", … */
  readonly where: string;
  readonly name: string;
  readonly ref: ExternalRef;
  /** Bytes the tensor's dims and data type call for. */
  readonly expectedBytes: number;
  readonly tensor: onnx.ITensorProto;
}

/** Calls `visit` for every TensorProto in the model, subgraphs included. */
export function forEachTensor(model: onnx.IModelProto, visit: (t: onnx.ITensorProto, where: string) => void): void {
  const inGraph = (g: onnx.IGraphProto | null | undefined, scope: string): void => {
    if (!g) return;
    for (const t of g.initializer ?? []) visit(t, `${scope}initializer`);
    for (const s of g.sparseInitializer ?? []) sparse(s, `${scope}sparse initializer`);
    for (const n of g.node ?? []) inNode(n, scope);
  };
  const sparse = (s: onnx.ISparseTensorProto, where: string): void => {
    if (s.values) visit(s.values, `${where} values`);
    if (s.indices) visit(s.indices, `${where} indices`);
  };
  const inNode = (n: onnx.INodeProto, scope: string): void => {
    const label = n.name ? `${n.opType ?? 'node'} '${n.name}'` : (n.opType ?? 'node');
    for (const a of n.attribute ?? []) {
      const where = `${scope}attribute '${a.name ?? ''}' of ${label}`;
      if (a.t) visit(a.t, where);
      for (const t of a.tensors ?? []) visit(t, where);
      if (a.sparseTensor) sparse(a.sparseTensor, where);
      for (const s of a.sparseTensors ?? []) sparse(s, where);
      const sub = `${scope}subgraph '${a.name ?? ''}' of ${label}: `;
      if (a.g) inGraph(a.g, sub);
      for (const g of a.graphs ?? []) inGraph(g, sub);
    }
  };
  inGraph(model.graph, '');
  for (const f of model.functions ?? []) for (const n of f.node ?? []) inNode(n, `function ${f.name ?? ''}: `);
  for (const ti of model.trainingInfo ?? []) {
    inGraph(ti.initialization, 'training initialization: ');
    inGraph(ti.algorithm, 'training algorithm: ');
  }
}

export function listExternalTensors(model: onnx.IModelProto): ExternalTensor[] {
  const out: ExternalTensor[] = [];
  forEachTensor(model, (t, where) => {
    const ref = externalRef(t);
    if (!ref) return;
    out.push({ where, name: t.name ?? '', ref, expectedBytes: tensorStorageBytes(t), tensor: t });
  });
  return out;
}

/** 'a/./b\\c.data' → 'a/b/c.data': the spec says locations are POSIX-style relative paths. */
export function normalizeLocation(location: string): string {
  const parts: string[] = [];
  for (const p of location.replace(/\\/g, '/').split('/')) {
    if (p === '' || p === '.') continue;
    parts.push(p);
  }
  return parts.join('/');
}

const baseName = (path: string): string => normalizeLocation(path).split('/').pop() ?? path;

export interface SuppliedFile {
  readonly name: string;
  readonly bytes: Uint8Array;
}

export interface ResolvedExternalData {
  /** Keyed by the `location` string exactly as the model writes it (what tensorBytes looks up). */
  readonly external: Map<string, Uint8Array>;
  /** Supplied files the model does not use. */
  readonly unused: string[];
}

export interface ResolveOptions {
  /** The file name the errors are about (the model). */
  readonly modelName: string;
  /** What to tell the user when files are missing (the browser and the CLI ask differently). */
  readonly missingHint?: string;
}

const listNames = (names: readonly string[], max = 3): string => {
  const shown = names.slice(0, max).map((n) => (n ? n : '(unnamed)')).join(', ');
  return names.length > max ? `${shown} and ${formatCount(names.length - max)} more` : shown;
};

/**
 * Matches each external location to a supplied file — by its full relative path first, then by base
 * name (a browser's file picker gives names without folders) — and checks that every tensor's bytes
 * lie inside its file.
 */
export function resolveExternalData(tensors: readonly ExternalTensor[], files: readonly SuppliedFile[], options: ResolveOptions): Result<ResolvedExternalData> {
  const byPath = new Map<string, SuppliedFile>();
  const byBase = new Map<string, SuppliedFile>();
  for (const f of files) {
    byPath.set(normalizeLocation(f.name), f);
    if (!byBase.has(baseName(f.name))) byBase.set(baseName(f.name), f);
  }

  const external = new Map<string, Uint8Array>();
  const used = new Set<SuppliedFile>();
  const missing = new Map<string, string[]>();
  const noLocation: string[] = [];
  for (const t of tensors) {
    const loc = t.ref.location;
    if (!loc) {
      noLocation.push(t.name);
      continue;
    }
    const file = byPath.get(normalizeLocation(loc)) ?? byBase.get(baseName(loc));
    if (!file) {
      const list = missing.get(loc) ?? [];
      list.push(t.name);
      missing.set(loc, list);
      continue;
    }
    external.set(loc, file.bytes);
    used.add(file);
  }

  if (noLocation.length > 0) {
    return err(modelError('bad-external-data', 'The model is damaged', `${noLocation.length === 1 ? 'Tensor' : 'Tensors'} ${listNames(noLocation)} ${noLocation.length === 1 ? 'is' : 'are'} marked as external data but name no file (no "location" entry).`, 'export or save the model again', options.modelName));
  }
  if (missing.size > 0) {
    const parts = [...missing].map(([loc, names]) => `${loc} (needed by ${names.length === 1 ? 'tensor' : `${formatCount(names.length)} tensors:`} ${listNames(names)})`);
    const title = missing.size === 1 ? "The model's weights are in a separate file that was not selected" : "The model's weights are in separate files that were not selected";
    return err(modelError('missing-external-data', title, `Missing ${parts.join('; ')}.`, options.missingHint ?? EXTERNAL_DATA_HINT, options.modelName));
  }

  const bad = checkExtents(tensors, external);
  if (bad) return err(bad);
  return ok({ external, unused: files.filter((f) => !used.has(f)).map((f) => f.name) });
}

/** Every tensor's [offset, offset + length) must lie inside its file and hold the tensor's bytes. */
function checkExtents(tensors: readonly ExternalTensor[], external: ReadonlyMap<string, Uint8Array>): ModelError | undefined {
  const short = new Map<string, { size: number; need: number; names: string[] }>();
  for (const t of tensors) {
    const file = external.get(t.ref.location);
    if (!file) continue;
    const { offset, length } = t.ref;
    if (!Number.isSafeInteger(offset) || offset < 0 || (length !== -1 && (!Number.isSafeInteger(length) || length < 0))) {
      return modelError('bad-external-data', 'The model is damaged', `Tensor ${t.name || '(unnamed)'} has an invalid external data offset or length (${String(offset)}, ${String(length)}).`, 'export or save the model again', t.ref.location);
    }
    // A stated length that cannot hold the tensor: onnxruntime refuses these, and so do we.
    if (length !== -1 && length < t.expectedBytes) {
      return modelError('bad-external-data', 'The external data does not match the model', `Tensor ${t.name || '(unnamed)'} needs ${formatCount(t.expectedBytes)} bytes but its entry in ${t.ref.location} is ${formatCount(length)} bytes long.`, 'export or save the model and its data again, together', t.ref.location);
    }
    const end = offset + (length !== -1 ? length : t.expectedBytes);
    if (end > file.byteLength) {
      const s = short.get(t.ref.location) ?? { size: file.byteLength, need: 0, names: [] };
      s.need = Math.max(s.need, end);
      s.names.push(t.name);
      short.set(t.ref.location, s);
    }
  }
  const first = [...short][0];
  if (!first) return undefined;
  const [loc, s] = first;
  const which = s.names.length === 1 ? `tensor ${listNames(s.names)}` : `${formatCount(s.names.length)} tensors: ${listNames(s.names)}`;
  return modelError('truncated', 'An external data file is truncated', `${loc} has ${formatCount(s.size)} bytes, but the model reads up to byte ${formatCount(s.need)} of it (${which}): the end is cut off.`, 'copy or download the data file again', loc);
}

/**
 * Moves external tensor bytes into raw_data (as views into the data files: no copy until encoding),
 * so that the model can be written as one self-contained .onnx. Mutates the given model — callers
 * own it (the CLI, after loading). Returns how many tensors were inlined.
 */
export function inlineExternalData(model: onnx.IModelProto, external: ReadonlyMap<string, Uint8Array>): number {
  let count = 0;
  forEachTensor(model, (t) => {
    if (!isExternal(t)) return;
    const ref = externalRef(t);
    const file = ref ? external.get(ref.location) : undefined;
    if (!ref || !file) return;
    const end = ref.length !== -1 ? ref.offset + ref.length : ref.offset + tensorStorageBytes(t);
    t.rawData = file.subarray(ref.offset, end);
    t.externalData = [];
    // Absent rather than DEFAULT: the output then reads exactly as if the tensor had always been inline.
    delete t.dataLocation;
    count++;
  });
  return count;
}
