/**
 * Reads a model source (picked files or a URL of our own origin) into memory inside the worker, with
 * progress. Each file is read once into a buffer of its final size: no intermediate concatenation.
 */
import type { ModelSource } from './protocol';
import type { HandlerContext } from './host';
import { ModelFailure } from './host';
import { modelError } from '../core/errors';

export interface ReadFile {
  readonly name: string;
  readonly bytes: Uint8Array;
}

/** Allocation fails when the tab cannot reserve that much memory: say so instead of reporting a bug. */
function allocate(size: number, label: string): Uint8Array {
  try {
    return new Uint8Array(size);
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    const gb = (size / 2 ** 30).toFixed(2);
    throw new ModelFailure(
      modelError(
        'too-large',
        'The model is too big for this browser tab',
        `Reading ${label} needs ${gb} GB of memory at once, and the browser refused to reserve it.`,
        'close other tabs and try again, or inspect it with the command line (npm run studio -- inspect MODEL.onnx), which has no tab memory limit',
        label,
      ),
    );
  }
}

async function readStream(stream: ReadableStream<Uint8Array>, size: number, label: string, ctx: HandlerContext): Promise<Uint8Array> {
  const reader = stream.getReader();
  let out = allocate(size, label);
  let offset = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    if (offset + value.byteLength > out.byteLength) {
      // Size unknown or wrong (e.g. a compressed response): grow geometrically.
      const grown = allocate(Math.max(out.byteLength * 2, offset + value.byteLength), label);
      grown.set(out.subarray(0, offset));
      out = grown;
    }
    out.set(value, offset);
    offset += value.byteLength;
    ctx.progress(`Reading ${label}`, offset, size);
  }
  return offset === out.byteLength ? out : out.subarray(0, offset);
}

export async function readSource(source: ModelSource, ctx: HandlerContext): Promise<ReadFile[]> {
  if (source.kind === 'url') {
    const res = await fetch(source.url);
    if (!res.ok || !res.body) throw new Error(`Could not load ${source.url}: HTTP ${res.status}`);
    const size = Number(res.headers.get('content-length') ?? 0);
    return [{ name: source.fileName, bytes: await readStream(res.body, size, source.fileName, ctx) }];
  }
  const out: ReadFile[] = [];
  for (const file of source.files) {
    out.push({ name: file.name, bytes: await readStream(file.stream(), file.size, file.name, ctx) });
  }
  return out;
}
