/**
 * ONNX TensorProto → onnxruntime-web Tensor. Decoding the proto (raw_data, typed fields, external data)
 * stays in core (src/core/onnx/tensor.ts); this file only picks the typed array ORT expects for each
 * element type (onnxruntime-common's Tensor.DataTypeMap): int64/uint64 as BigInt64Array/BigUint64Array,
 * bool as Uint8Array, float16 as its bit patterns in a Uint16Array (accepted even where a native
 * Float16Array exists), int4/uint4 as packed bytes.
 */
import { err, ok } from '../core/errors.js';
import type { Result } from '../core/errors.js';
import type { onnx } from '../core/onnx/codec.js';
import { dtypeName } from '../core/onnx/dtypes.js';
import { elementCount, tensorBytes, tensorDims, tensorStrings } from '../core/onnx/tensor.js';
import type { ExternalFiles } from '../core/onnx/tensor.js';
import { OrtTensor } from './ort.js';
import type { Tensor, TensorType } from './ort.js';
import { seededRandom } from '../core/util/seeded-random.js';

/** TensorProto.DataType code → ORT tensor type, for every type onnxruntime-web can take or return. */
const ORT_TYPES: ReadonlyMap<number, TensorType> = new Map<number, TensorType>([
  [1, 'float32'], [2, 'uint8'], [3, 'int8'], [4, 'uint16'], [5, 'int16'], [6, 'int32'], [7, 'int64'],
  [8, 'string'], [9, 'bool'], [10, 'float16'], [11, 'float64'], [12, 'uint32'], [13, 'uint64'],
  [21, 'uint4'], [22, 'int4'],
]);
const ONNX_CODES: ReadonlyMap<TensorType, number> = new Map([...ORT_TYPES].map(([code, name]) => [name, code]));

/** The ORT type for an ONNX element type, or undefined when onnxruntime-web cannot pass it (bfloat16, float8, complex, …). */
export function ortTypeOf(dataType: number): TensorType | undefined {
  return ORT_TYPES.get(dataType);
}

export function onnxTypeOf(type: TensorType): number {
  return ONNX_CODES.get(type) ?? 0;
}

type NumericArrayCtor =
  | Float32ArrayConstructor | Float64ArrayConstructor | Int8ArrayConstructor | Uint8ArrayConstructor
  | Int16ArrayConstructor | Uint16ArrayConstructor | Int32ArrayConstructor | Uint32ArrayConstructor
  | BigInt64ArrayConstructor | BigUint64ArrayConstructor;

function arrayCtor(type: TensorType): NumericArrayCtor | undefined {
  switch (type) {
    case 'float32': return Float32Array;
    case 'float64': return Float64Array;
    case 'int8': return Int8Array;
    case 'uint8': case 'bool': case 'uint4': case 'int4': return Uint8Array;
    case 'int16': return Int16Array;
    case 'uint16': case 'float16': return Uint16Array;
    case 'int32': return Int32Array;
    case 'uint32': return Uint32Array;
    case 'int64': return BigInt64Array;
    case 'uint64': return BigUint64Array;
    default: return undefined;
  }
}

/**
 * A typed array over little-endian `bytes`: a view when the offset is aligned for the element size
 * (raw_data of most tensors), a copy otherwise (typed arrays require aligned offsets).
 */
function typedView(ctor: NumericArrayCtor, bytes: Uint8Array, length: number): ArrayBufferView {
  const size = ctor.BYTES_PER_ELEMENT;
  if (bytes.byteOffset % size === 0) return new ctor(bytes.buffer as ArrayBuffer, bytes.byteOffset, length);
  const copy = new ctor(length);
  new Uint8Array(copy.buffer).set(bytes.subarray(0, length * size));
  return copy;
}

function makeTensor(type: TensorType, data: ArrayBufferView | string[], dims: readonly number[]): Tensor {
  // The constructor overloads are typed per element type; the runtime checks data/type agreement.
  const ctor = OrtTensor as unknown as new (t: TensorType, d: ArrayBufferView | string[], s: readonly number[]) => Tensor;
  return new ctor(type, data, dims);
}

/** An ORT tensor with the proto's contents. Views into the proto's bytes when alignment allows. */
export function tensorFromProto(t: onnx.ITensorProto, external?: ExternalFiles): Result<Tensor, string> {
  const code = t.dataType ?? 0;
  const type = ortTypeOf(code);
  const name = t.name ? `'${t.name}'` : 'tensor';
  if (!type) return err(`${name} has element type ${dtypeName(code)}, which onnxruntime-web cannot pass in or out`);
  const dims = tensorDims(t);
  const count = elementCount(dims);
  if (type === 'string') {
    const strings = tensorStrings(t);
    if (strings.length !== count) return err(`${name} holds ${strings.length} strings for shape [${dims.join(',')}]`);
    return ok(makeTensor(type, strings, dims));
  }
  const bytes = tensorBytes(t, external);
  if (!bytes) return err(`${name}: its data is missing (external file not supplied?)`);
  const ctor = arrayCtor(type);
  if (!ctor) return err(`${name}: no typed array for ${type}`);
  // int4/uint4: two elements per byte, packed low nibble first (ONNX spec), as ORT expects.
  const length = type === 'int4' || type === 'uint4' ? Math.ceil(count / 2) : count;
  if (bytes.byteLength < length * ctor.BYTES_PER_ELEMENT) {
    return err(`${name} has ${bytes.byteLength} bytes of data; shape [${dims.join(',')}] needs ${length * ctor.BYTES_PER_ELEMENT}`);
  }
  return ok(makeTensor(type, typedView(ctor, bytes, length), dims));
}

/** A tensor of zeros (empty strings, false) of the given type and shape. */
export function zeroTensor(type: TensorType, dims: readonly number[]): Tensor {
  const count = elementCount(dims);
  if (type === 'string') return makeTensor(type, new Array<string>(count).fill(''), dims);
  const ctor = arrayCtor(type) ?? Float32Array;
  const length = type === 'int4' || type === 'uint4' ? Math.ceil(count / 2) : count;
  return makeTensor(type, new ctor(length), dims);
}

/** Deterministic pseudo-random numbers, for test inputs (mulberry32; see core/util/seeded-random.ts). */
export { seededRandom };

/**
 * A tensor of fixed-seed random values: floats uniform in [0, 1), integers in [0, 4), bools 0/1. Small
 * integers keep index-like inputs (token ids, axes) in range for typical models.
 */
export function randomTensor(type: TensorType, dims: readonly number[], random: () => number): Tensor {
  const count = elementCount(dims);
  if (type === 'string') return makeTensor(type, Array.from({ length: count }, () => random().toString(36).slice(2, 6)), dims);
  const ctor = arrayCtor(type) ?? Float32Array;
  const length = type === 'int4' || type === 'uint4' ? Math.ceil(count / 2) : count;
  const data = new ctor(length);
  if (data instanceof BigInt64Array || data instanceof BigUint64Array) {
    for (let i = 0; i < length; i++) data[i] = BigInt(Math.floor(random() * 4));
  } else {
    const fill = (f: () => number): void => {
      for (let i = 0; i < length; i++) data[i] = f();
    };
    if (type === 'float32' || type === 'float64') fill(random);
    // float16 bit patterns of values in [0, 1): exponent field 0..14, random mantissa.
    else if (type === 'float16') fill(() => (Math.floor(random() * 15) << 10) | Math.floor(random() * 1024));
    else if (type === 'bool') fill(() => (random() < 0.5 ? 0 : 1));
    // int4/uint4: two small non-negative nibbles per byte.
    else if (type === 'int4' || type === 'uint4') fill(() => Math.floor(random() * 4) | (Math.floor(random() * 4) << 4));
    else fill(() => Math.floor(random() * 4));
  }
  return makeTensor(type, data, dims);
}
