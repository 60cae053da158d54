/**
 * Top-level field layouts of the protobuf messages a dropped `.onnx` / `.pb` file can be. Field numbers
 * come from the .proto files; only what sniffing needs to tell them apart.
 */
import type { WireSchema } from './wire.js';
import { WIRE_FIXED32, WIRE_FIXED64, WIRE_LEN, WIRE_VARINT } from './wire.js';

const V = [WIRE_VARINT];
const L = [WIRE_LEN];
const VL = [WIRE_VARINT, WIRE_LEN]; // repeated scalars: unpacked (proto2 default) or packed

const schema = (entries: ReadonlyArray<readonly [number, readonly number[]]>): WireSchema => new Map(entries);

/** onnx.proto ModelProto (IR 13). */
export const MODEL_PROTO = schema([
  [1, V], // ir_version
  [2, L], // producer_name
  [3, L], // producer_version
  [4, L], // domain
  [5, V], // model_version
  [6, L], // doc_string
  [7, L], // graph
  [8, L], // opset_import
  [14, L], // metadata_props
  [20, L], // training_info
  [25, L], // functions
  [26, L], // configuration
]);
export const MODEL_IR_VERSION = 1;
export const MODEL_PRODUCER = 2;
export const MODEL_GRAPH = 7;
export const MODEL_OPSET_IMPORT = 8;

/** onnx.proto GraphProto: every field is length-delimited. */
export const GRAPH_PROTO = schema([1, 2, 5, 10, 11, 12, 13, 14, 15, 16].map((n) => [n, L] as const));

/** onnx.proto TensorProto — the serialized tensors of ONNX test data (input_0.pb, output_0.pb). */
export const TENSOR_PROTO = schema([
  [1, VL], // dims
  [2, V], // data_type
  [3, L], // segment
  [4, [WIRE_FIXED32, WIRE_LEN]], // float_data
  [5, VL], // int32_data
  [6, L], // string_data
  [7, VL], // int64_data
  [8, L], // name
  [9, L], // raw_data
  [10, [WIRE_FIXED64, WIRE_LEN]], // double_data
  [11, VL], // uint64_data
  [12, L], // doc_string
  [13, L], // external_data
  [14, V], // data_location
  [16, L], // metadata_props
]);
export const TENSOR_DATA_TYPE = 2;

/**
 * onnx.proto SequenceProto / OptionalProto / MapProto, the non-tensor values of ONNX test data: name (1),
 * elem_type or key_type (2, varint), then values (MapProto's keys, field 3, may be packed varints).
 */
export const ONNX_VALUE_PROTO = schema([
  [1, L],
  [2, V],
  [3, VL],
  [4, L],
  [5, L],
  [6, L],
  [7, L],
]);
export const ONNX_VALUE_NAME = 1;

/** tensorflow/core/framework/graph.proto GraphDef: node, library, version (deprecated), versions. */
export const TF_GRAPH_DEF = schema([
  [1, L],
  [2, L],
  [3, V],
  [4, L],
]);
export const TF_GRAPH_NODE = 1;

/** tensorflow/core/framework/node_def.proto NodeDef: name, op, input, device, attr, debug info, type. */
export const TF_NODE_DEF = schema([1, 2, 3, 4, 5, 6, 7].map((n) => [n, L] as const));
export const TF_NODE_OP = 2;

/** tensorflow/core/protobuf/saved_model.proto SavedModel: saved_model_schema_version, meta_graphs. */
export const TF_SAVED_MODEL = schema([
  [1, V],
  [2, L],
]);
export const TF_SAVED_MODEL_META_GRAPHS = 2;

/** tensorflow/core/protobuf/meta_graph.proto MetaGraphDef: all sub-messages and maps. */
export const TF_META_GRAPH_DEF = schema([1, 2, 3, 4, 5, 6, 7].map((n) => [n, L] as const));
