/**
 * Sample data a user brings for calibration and accuracy (and the sample models ship): arrays with
 * the samples along the first axis, named after model inputs, optionally with integer labels.
 * Formats (.npz, .npy, ONNX test_data_set folders of input_*.pb, JSON, image folders) are read into
 * this one shape by src/core/data/read-*.ts; nothing downstream knows where the data came from.
 */

/** Element types sample data can have (what models take as inputs in practice). */
export type SampleDType = 'float32' | 'float64' | 'int64' | 'int32' | 'int8' | 'uint8' | 'bool';

export type SampleArray = Float32Array | Float64Array | BigInt64Array | Int32Array | Int8Array | Uint8Array;

export interface SampleTensor {
  readonly dtype: SampleDType;
  /** Full shape, samples first: [count, ...sampleDims]. */
  readonly dims: readonly number[];
  readonly data: SampleArray;
}

export interface Dataset {
  /** File or folder name, for reports: "digits_calib.npz". */
  readonly source: string;
  /** Arrays by name (model input names, or `x` / the only array for single-input models). */
  readonly arrays: ReadonlyMap<string, SampleTensor>;
  /** Integer class labels (`y` in .npz/JSON, subfolder index for image folders), one per sample. */
  readonly labels?: Int32Array;
  /** Class names for labels when the source has them (image subfolder names). */
  readonly classNames?: readonly string[];
  readonly warnings: readonly string[];
  /**
   * Array names in the order of the model's inputs, for sources that identify inputs by position
   * (ONNX test_data_set folders: input_N.pb feeds the model's N-th input, and its TensorProto
   * often has no name). The binder matches by name first and falls back to this order.
   */
  readonly inputOrder?: readonly string[];
  /**
   * ONNX test_data_set sources: the arrays stack this many folders along axis 0, each folder one
   * complete feed (every array holds dims[0] / sets rows per folder; the inputs' first axes need not
   * agree, e.g. Gather's data [5,4] and indices [3,2]). The binder feeds folder by folder, as the
   * data was written, instead of re-batching samples.
   */
  readonly sets?: number;
}

/** One input of the model as the binder needs it: name, element type, dims (-1 or a name when symbolic). */
export interface ModelInputSpec {
  readonly name: string;
  readonly dtype: SampleDType | string;
  readonly dims: ReadonlyArray<number | string>;
}

/** One feed: a tensor per model input, batch first. */
export type Feed = ReadonlyMap<string, SampleTensor>;

export interface BoundDataset {
  readonly source: string;
  readonly count: number;
  /** How many samples go into one run (1 when the model's batch axis is fixed at 1 or the count does not fit). */
  readonly batchSize: number;
  /** Feeds in order; each holds `batchSize` samples (the last may hold fewer when the batch axis is free). */
  feeds(): Iterable<Feed>;
  readonly labels?: Int32Array;
  readonly warnings: readonly string[];
}

/** Declared preprocessing of an image folder (resize, layout, scale, mean/std), applied per pixel. */
export interface ImagePreprocessing {
  readonly width: number;
  readonly height: number;
  readonly layout: 'NCHW' | 'NHWC';
  readonly channels: 1 | 3;
  /** Pixel values (0–255) are multiplied by this first (1/255 → [0,1]). */
  readonly scale: number;
  /** Per channel, after scaling: (x − mean) / std. */
  readonly mean: readonly number[];
  readonly std: readonly number[];
}
