/**
 * A model read and decoded for a transformation in a worker (optimize, auto-tune): the passes read
 * weights from raw_data, so external-data side files become views in the proto (no copy until encoding).
 */
import type { onnx } from '../../core/onnx/codec';
import { inlineExternalData } from '../../core/format/external-data';
import { loadModel } from '../../core/model/load';
import { ModelFailure } from '../host';
import type { HandlerContext } from '../host';
import type { ModelSource } from '../protocol';
import { readSource } from '../read-source';

export interface ModelForTransform {
  readonly proto: onnx.IModelProto;
  readonly fileName: string;
  /** File plus external data, as stored. */
  readonly inputBytes: number;
}

export async function loadForTransform(source: ModelSource, ctx: HandlerContext): Promise<ModelForTransform> {
  const files = await readSource(source, ctx);
  ctx.progress('Decoding', 0, 0);
  const loaded = loadModel(files);
  if (!loaded.ok) throw new ModelFailure(loaded.error);
  const { proto, external, fileName } = loaded.value;
  let inputBytes = loaded.value.fileBytes;
  for (const b of external.values()) inputBytes += b.byteLength;
  inlineExternalData(proto, external);
  return { proto, fileName, inputBytes };
}
