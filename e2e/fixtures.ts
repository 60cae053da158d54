/**
 * Bad input made on the fly: each is the beginning of a real file of its kind, enough for a sniffer
 * that looks at structure (magic numbers, zip entry names, protobuf field layout).
 */
import { readFileSync } from 'node:fs';
import { corpusFile, payload, randomBytes } from './support';
import type { FilePayload } from './support';

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

/** A valid zip (stored entries) — the container of torch.save() since PyTorch 1.6 and of Keras 3 files. */
export function zipOf(entries: Record<string, Uint8Array>): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const [name, data] of Object.entries(entries)) {
    const nameBytes = Buffer.from(name, 'utf8');
    const crc = crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(data.length, 20);
    central.writeUInt32LE(data.length, 24);
    central.writeUInt16LE(nameBytes.length, 28);
    central.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, Buffer.from(data));
    centrals.push(central, nameBytes);
    offset += 30 + nameBytes.length + data.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(entries).length, 8);
  end.writeUInt16LE(Object.keys(entries).length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

/** A pickle of {'state_dict': {}} with protocol 2, as torch.save wrote before zip files. */
const PICKLE = Uint8Array.from([0x80, 0x02, 0x7d, 0x71, 0x00, 0x58, 0x0a, 0x00, 0x00, 0x00, ...Buffer.from('state_dict'), 0x7d, 0x71, 0x01, 0x73, 0x2e]);

export interface BadCase {
  readonly label: string;
  readonly file: FilePayload;
  /** Words the message must contain (case-insensitive): what the file is. */
  readonly expect: RegExp;
}

export function badCases(): BadCase[] {
  const mnist = readFileSync(corpusFile('models/mnist-8_cntk.onnx'));
  return [
    { label: 'an empty file', file: payload('model.onnx', new Uint8Array(0)), expect: /empty/i },
    { label: 'random bytes', file: payload('weights.onnx', randomBytes(4096)), expect: /not an ONNX model|not a valid ONNX|does not look like/i },
    { label: 'a truncated model', file: payload('mnist-cut.onnx', mnist.subarray(0, Math.floor(mnist.length * 0.6))), expect: /truncated|cut off|incomplete/i },
    {
      label: 'a PyTorch zip checkpoint (.pt)',
      file: payload('model.pt', zipOf({ 'model/data.pkl': PICKLE, 'model/version': Buffer.from('3\n') })),
      expect: /PyTorch/i,
    },
    { label: 'a legacy PyTorch pickle (.pth)', file: payload('weights.pth', PICKLE), expect: /PyTorch|pickle/i },
    { label: 'a TensorFlow Lite model', file: payload('hello_world_float.tflite', readFileSync(corpusFile('tflite/hello_world_float.tflite'))), expect: /TensorFlow Lite/i },
    { label: 'a Keras .h5 file', file: payload('model.h5', Buffer.concat([Buffer.from([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]), Buffer.alloc(512)])), expect: /Keras|HDF5/i },
    { label: 'a TensorFlow SavedModel', file: payload('saved_model.pb', Buffer.from([0x08, 0x01, 0x12, 0x04, 0x0a, 0x02, 0x08, 0x01])), expect: /SavedModel|TensorFlow/i },
  ];
}
