/** A real model rewritten to keep its weights in a side file (data_location = EXTERNAL), built with our codec. */
import { readFileSync } from 'node:fs';
import { decodeModelProto, encodeModelProto, onnx } from '../src/core/onnx/codec';
import { corpusFile, payload } from './support';
import type { FilePayload } from './support';

export function externalDataModel(): { model: FilePayload; data: FilePayload } {
  const proto = decodeModelProto(readFileSync(corpusFile('models/digits_cnn_op13.onnx')));
  const dataName = 'digits_cnn.weights.bin';
  const chunks: Uint8Array[] = [];
  let offset = 0;
  for (const t of proto.graph?.initializer ?? []) {
    const raw = t.rawData;
    if (!raw || raw.byteLength < 64) continue;
    chunks.push(raw);
    t.externalData = [
      new onnx.StringStringEntryProto({ key: 'location', value: dataName }),
      new onnx.StringStringEntryProto({ key: 'offset', value: String(offset) }),
      new onnx.StringStringEntryProto({ key: 'length', value: String(raw.byteLength) }),
    ];
    t.dataLocation = onnx.TensorProto.DataLocation.EXTERNAL;
    offset += raw.byteLength;
    t.rawData = new Uint8Array(0);
  }
  if (chunks.length === 0) throw new Error('fixture: the model has no raw_data weights to move out');
  const data = new Uint8Array(offset);
  let at = 0;
  for (const c of chunks) {
    data.set(c, at);
    at += c.byteLength;
  }
  return { model: payload('digits_cnn_external.onnx', encodeModelProto(proto)), data: payload(dataName, data) };
}
