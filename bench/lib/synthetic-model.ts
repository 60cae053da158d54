/**
 * A large synthetic model built with the codec: a chain of MatMul (+ bias Add, Relu) layers whose fp32
 * weights are raw_data initializers — the shape of a big dense model, sized on demand.
 */
import { Long, onnx } from '../../src/core/onnx/codec.js';

const FLOAT = onnx.TensorProto.DataType.FLOAT;

/** Fills with cheap pseudo-random floats in [-0.5, 0.5) (xorshift), so the bytes are not compressible zeros. */
function fillWeights(out: Float32Array, seed: number): void {
  let x = seed | 1;
  for (let i = 0; i < out.length; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = (x >>> 0) / 4294967296 - 0.5;
  }
}

function tensorType(dims: readonly (number | string)[]): onnx.ITypeProto {
  return {
    tensorType: {
      elemType: FLOAT,
      shape: { dim: dims.map((d) => (typeof d === 'number' ? { dimValue: Long.fromNumber(d) } : { dimParam: d })) },
    },
  };
}

export interface SyntheticModel {
  readonly model: onnx.ModelProto;
  /** Bytes of weights (raw_data) in the model. */
  readonly weightBytes: number;
}

/** `layers` MatMul layers of width × width fp32 weights (4·width² bytes each) plus biases. */
export function buildMatMulChain(layers: number, width: number): SyntheticModel {
  const nodes: onnx.INodeProto[] = [];
  const initializers: onnx.ITensorProto[] = [];
  let weightBytes = 0;
  let x = 'input';
  for (let l = 0; l < layers; l++) {
    const w = new Float32Array(width * width);
    fillWeights(w, l + 1);
    const b = new Float32Array(width);
    fillWeights(b, 1000 + l);
    initializers.push(
      { name: `w${l}`, dataType: FLOAT, dims: [Long.fromNumber(width), Long.fromNumber(width)], rawData: new Uint8Array(w.buffer) },
      { name: `b${l}`, dataType: FLOAT, dims: [Long.fromNumber(width)], rawData: new Uint8Array(b.buffer) },
    );
    weightBytes += w.byteLength + b.byteLength;
    const last = l === layers - 1;
    nodes.push(
      { name: `matmul${l}`, opType: 'MatMul', input: [x, `w${l}`], output: [`mm${l}`] },
      { name: `add${l}`, opType: 'Add', input: [`mm${l}`, `b${l}`], output: [last ? 'output' : `add${l}`] },
    );
    if (!last) {
      nodes.push({ name: `relu${l}`, opType: 'Relu', input: [`add${l}`], output: [`h${l}`] });
      x = `h${l}`;
    }
  }
  const model = onnx.ModelProto.create({
    irVersion: Long.fromNumber(8),
    producerName: 'bench-core synthetic',
    opsetImport: [{ domain: '', version: Long.fromNumber(17) }],
    graph: {
      name: 'matmul_chain',
      node: nodes,
      initializer: initializers,
      input: [{ name: 'input', type: tensorType(['batch', width]) }],
      output: [{ name: 'output', type: tensorType(['batch', width]) }],
    },
  });
  return { model, weightBytes };
}
