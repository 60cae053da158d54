/** Types of the shape-inference results. */

/** A dimension: a known size, a symbolic name ('batch'), or null when nothing is known. */
export type Dim = number | string | null;

export interface TensorInfo {
  /** ONNX TensorProto.DataType code; 0 when unknown. */
  readonly dtype: number;
  /** undefined when even the rank is unknown. */
  readonly shape: Dim[] | undefined;
}

/** Value name → inferred type and shape, for every value of every scope (outer scopes win on a name clash). */
export type ShapeMap = Map<string, TensorInfo>;

/**
 * A small tensor whose contents are known while inferring: shapes computed by Shape → Gather → Concat
 * chains, Reshape targets, Resize scales. Elements are numbers, or a symbolic dim name (a Shape of a
 * symbolic input), or null (unknown element of a known-length vector).
 */
export interface KnownValue {
  readonly dims: number[];
  readonly data: Dim[];
}

export interface InferOptions {
  /** Fix symbolic dims to sizes, e.g. { batch: 1 } (applied to graph inputs before inference). */
  readonly symbols?: Readonly<Record<string, number>>;
  /** Replace the declared shape of graph inputs by name. */
  readonly inputShapes?: Readonly<Record<string, Dim[]>>;
  /** Largest tensor whose values are tracked for constant propagation (default 1024 elements). */
  readonly maxKnownElements?: number;
}
