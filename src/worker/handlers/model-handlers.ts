/**
 * Handlers of the model worker: open (read → load → summarise), close, export, and a debug sleep.
 * Models stay here, keyed by id; the page holds only ids and summaries (ARCHITECTURE.md: "The store
 * holds ids and results, not big buffers").
 */
import { loadModel } from '../../core/model/load';
import type { LoadedModel } from '../../core/model/load';
import { summarizeModel } from '../../core/model/summary';
import { encodeModelProto } from '../../core/onnx/codec';
import { inlineExternalData } from '../../core/format/external-data';
import { ModelFailure } from '../host';
import type { Handlers } from '../host';
import { readSource } from '../read-source';

const models = new Map<string, LoadedModel>();
let counter = 0;

/** A copy that owns its buffer exactly (encode may return a view into a larger pool). */
function ownedBuffer(bytes: Uint8Array): ArrayBuffer {
  if (bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength && bytes.buffer instanceof ArrayBuffer) return bytes.buffer;
  return bytes.slice().buffer;
}

export const modelHandlers: Handlers = {
  async 'model/open'({ source }, ctx) {
    const files = await readSource(source, ctx);
    ctx.progress('Decoding', 0, 0);
    const loaded = loadModel(files);
    if (!loaded.ok) throw new ModelFailure(loaded.error);
    ctx.progress('Analysing', 0, 0);
    const summary = summarizeModel(loaded.value.proto, { fileBytes: loaded.value.fileBytes });
    const modelId = `m${++counter}`;
    models.set(modelId, loaded.value);
    return { result: { modelId, fileName: loaded.value.fileName, summary, warnings: loaded.value.warnings } };
  },

  async 'model/close'({ modelId }) {
    models.delete(modelId);
    return { result: null };
  },

  async 'model/export'({ modelId }, ctx) {
    const model = models.get(modelId);
    if (!model) throw new Error(`No model ${modelId} in this worker.`);
    ctx.progress('Encoding', 0, 0);
    // One self-contained file: weights from side files move into raw_data (as views; encoding copies once).
    inlineExternalData(model.proto, model.external);
    const buffer = ownedBuffer(encodeModelProto(model.proto));
    return { result: { bytes: buffer, fileName: model.fileName }, transfer: [buffer] };
  },

  async 'debug/sleep'({ ms, crash }, ctx) {
    const start = performance.now();
    while (performance.now() - start < ms) {
      ctx.progress('Sleeping', performance.now() - start, ms);
      await new Promise((r) => setTimeout(r, Math.min(20, ms)));
    }
    if (crash) {
      // An error thrown outside any request's promise chain: the worker's global error handler fires.
      setTimeout(() => {
        throw new Error('deliberate crash');
      });
      await new Promise(() => undefined);
    }
    return { result: { slept: performance.now() - start } };
  },
};
