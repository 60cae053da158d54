/**
 * ONNX backend-test data folders: `test_data_set_N/input_K.pb`, each a serialized TensorProto that
 * feeds the model's K-th input (onnx/backend/test/runner: inputs are matched by position; the
 * proto's name is often empty). `output_K.pb` holds expected outputs, unused for calibration.
 *
 * One folder is one feed, batch axis included. Several folders are stacked along axis 0 when every
 * input has the same type and shape in each (Dataset.sets says how many; the binder feeds them one
 * folder at a time).
 */
import { decodeTensorProto, onnx } from '../onnx/codec.js';
import { dtypeName, storageBytes } from '../onnx/dtypes.js';
import { tensorBytes, tensorDims, tensorToNumbers } from '../onnx/tensor.js';
import type { Result } from '../errors.js';
import { err, ok } from '../errors.js';
import { allocate, concatSamples, elementCount, formatDims } from './sample-array.js';
import type { Dataset, SampleDType, SampleTensor } from './types.js';

const DT = onnx.TensorProto.DataType;

const DTYPES: ReadonlyMap<number, SampleDType> = new Map([
  [DT.FLOAT, 'float32'],
  [DT.DOUBLE, 'float64'],
  [DT.INT64, 'int64'],
  [DT.INT32, 'int32'],
  [DT.INT8, 'int8'],
  [DT.UINT8, 'uint8'],
  [DT.BOOL, 'bool'],
]);

export interface PbFile {
  readonly name: string;
  readonly bytes: Uint8Array;
}

export interface TestDataFolder {
  /** Folder path for messages and ordering, e.g. "test_conv/test_data_set_1". */
  readonly folder: string;
  readonly files: readonly PbFile[];
}

const INPUT_FILE = /^input_(\d+)\.pb$/;

/** input_K.pb → K, or undefined for other files (output_K.pb and anything else). */
export function inputIndex(fileName: string): number | undefined {
  const m = INPUT_FILE.exec(fileName);
  return m ? Number(m[1]) : undefined;
}

/** Natural order: test_data_set_2 before test_data_set_10. */
export function naturalCompare(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}

/** A TensorProto as sample data (bytes copied into an aligned typed array). */
export function tensorToSample(t: onnx.ITensorProto, where: string): Result<SampleTensor, string> {
  const code = t.dataType ?? 0;
  // Half floats widen to float32 (sample data has no half type; the runtime narrows them for a float16 input).
  const dtype = code === DT.FLOAT16 || code === DT.BFLOAT16 ? 'float32' : DTYPES.get(code);
  // A SequenceProto/OptionalProto read as a TensorProto lands its element tensors in field 3,
  // TensorProto's (unused in practice) `segment`: that, or no element type, means "not a tensor".
  if (code === 0 || t.segment) return err(`${where} is a SequenceProto or OptionalProto, not a TensorProto; only tensor inputs can be sample data`);
  if (!dtype) return err(`${where} holds ${dtypeName(code)} values; sample data can be float32, float64, float16, bfloat16, int64, int32, int8, uint8 or bool`);
  const dims = tensorDims(t);
  if (dims.length === 0) return err(`${where} is a scalar (shape []); sample data needs the samples along the first axis`);
  const bytes = tensorBytes(t);
  const count = elementCount(dims);
  const need = storageBytes(code, count);
  if (!bytes || bytes.byteLength < need) {
    return err(`${where} is truncated or stores its data in an external file: shape ${formatDims(dims)} needs ${need} bytes, ${bytes?.byteLength ?? 0} found`);
  }
  if (dtype === 'float32' && code !== DT.FLOAT) return ok({ dtype, dims, data: Float32Array.from(tensorToNumbers(t) ?? []) });
  const data = allocate(dtype, count);
  new Uint8Array(data.buffer).set(bytes.subarray(0, need));
  return ok({ dtype, dims, data });
}

export function readTestDataFolders(folders: readonly TestDataFolder[], source: string): Result<Dataset, string> {
  const ordered = [...folders].sort((a, b) => naturalCompare(a.folder, b.folder));
  const perFolder: { folder: string; names: string[]; tensors: SampleTensor[] }[] = [];
  for (const f of ordered) {
    const inputs = f.files
      .map((file) => ({ file, index: inputIndex(file.name) }))
      .filter((e): e is { file: PbFile; index: number } => e.index !== undefined)
      .sort((a, b) => a.index - b.index);
    if (inputs.length === 0) continue;
    const gap = inputs.findIndex((e, i) => e.index !== i);
    if (gap >= 0) return err(`${f.folder} has input files ${inputs.map((e) => e.file.name).join(', ')}: input_${gap}.pb is missing (input_K.pb feeds the model's K-th input)`);
    const names: string[] = [];
    const tensors: SampleTensor[] = [];
    for (const { file, index } of inputs) {
      const where = `${f.folder}/${file.name}`;
      let proto: onnx.TensorProto;
      try {
        proto = decodeTensorProto(file.bytes);
      } catch (e) {
        return err(`${where} is not a serialized TensorProto (${e instanceof Error ? e.message : String(e)}); write it with onnx.numpy_helper.from_array(a).SerializeToString()`);
      }
      const sample = tensorToSample(proto, where);
      if (!sample.ok) return sample;
      names.push(proto.name ? proto.name : `input_${index}`);
      tensors.push(sample.value);
    }
    perFolder.push({ folder: f.folder, names, tensors });
  }
  const first = perFolder[0];
  if (!first) return err(`${source} holds no input_*.pb files; an ONNX test data folder looks like test_data_set_0/input_0.pb`);
  for (const other of perFolder.slice(1)) {
    if (other.tensors.length !== first.tensors.length) {
      return err(`${other.folder} has ${other.tensors.length} inputs but ${first.folder} has ${first.tensors.length}; every folder must feed the same model`);
    }
    for (let k = 0; k < first.tensors.length; k++) {
      const a = first.tensors[k] as SampleTensor;
      const b = other.tensors[k] as SampleTensor;
      if (a.dtype !== b.dtype || a.dims.length !== b.dims.length || a.dims.some((d, i) => d !== b.dims[i])) {
        return err(`input_${k}.pb is ${b.dtype} ${formatDims(b.dims)} in ${other.folder} but ${a.dtype} ${formatDims(a.dims)} in ${first.folder}; folders can be used together only when their inputs have the same shapes — use one folder`);
      }
    }
  }
  const arrays = new Map<string, SampleTensor>();
  const inputOrder: string[] = [];
  for (let k = 0; k < first.tensors.length; k++) {
    const name = first.names[k] as string;
    if (arrays.has(name)) return err(`${first.folder}: two input files carry the tensor name '${name}'`);
    arrays.set(name, concatSamples(perFolder.map((p) => p.tensors[k] as SampleTensor)));
    inputOrder.push(name);
  }
  const warnings: string[] = [];
  return ok({ source, arrays, inputOrder, sets: perFolder.length, warnings });
}
