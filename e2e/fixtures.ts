/**
 * Bad input for the e2e tests, made on the fly with the same builders the sniffer's unit tests use
 * (src/core/format/test-fixtures.ts): each is the beginning of a real file of its kind.
 */
import { readFileSync } from 'node:fs';
import { corpusFile, payload } from './support';
import type { FilePayload } from './support';
import { HDF5_HEADER, PICKLE_V2, seededBytes, tfSavedModel, torchZip } from '../src/core/format/test-fixtures';

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
    { label: 'random bytes', file: payload('weights.onnx', seededBytes(4096, 12345)), expect: /not an ONNX model/i },
    { label: 'a truncated model', file: payload('mnist-cut.onnx', mnist.subarray(0, Math.floor(mnist.length * 0.6))), expect: /truncated/i },
    { label: 'a PyTorch zip checkpoint (.pt)', file: payload('model.pt', torchZip()), expect: /PyTorch/i },
    { label: 'a legacy PyTorch pickle (.pth)', file: payload('weights.pth', PICKLE_V2), expect: /PyTorch|pickle/i },
    { label: 'a TensorFlow Lite model', file: payload('hello_world_float.tflite', readFileSync(corpusFile('tflite/hello_world_float.tflite'))), expect: /TensorFlow Lite/i },
    { label: 'a Keras .h5 file', file: payload('model.h5', HDF5_HEADER), expect: /Keras|HDF5/i },
    { label: 'a TensorFlow SavedModel', file: payload('saved_model.pb', tfSavedModel()), expect: /SavedModel/i },
  ];
}
