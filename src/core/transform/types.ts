/**
 * The contract every transformation follows (ARCHITECTURE.md: "a transformation is a pure function").
 * A pass is registered data: an id, a label, typed options with defaults and ranges (the page renders
 * them as sliders, toggles and pickers; the CLI parses the same names) and `apply`, which takes a
 * decoded model and returns a new one plus a report. A recipe is a list of { pass, options }.
 *
 * Option values are plain strings, numbers and booleans so that a recipe is plain JSON; lists of names
 * (op types, node names) are comma-separated strings.
 */
import type { Result } from '../errors.js';
import type { onnx } from '../onnx/codec.js';

export type PassOptionValue = string | number | boolean;
export type PassOptions = Readonly<Record<string, PassOptionValue>>;

interface OptionBase {
  readonly label: string;
  /** One or two sentences for a tooltip / --help: what it does and when to change it. */
  readonly description: string;
  /** Shown only when the user asks for advanced options. */
  readonly advanced?: boolean;
}

export interface NumberOption extends OptionBase {
  readonly kind: 'number';
  readonly default: number;
  readonly min: number;
  readonly max: number;
  readonly step: number;
  readonly unit?: string;
  /** Values a slider should snap to (e.g. block sizes 16, 32, 64, 128, 256). */
  readonly choices?: readonly number[];
}

export interface BooleanOption extends OptionBase {
  readonly kind: 'boolean';
  readonly default: boolean;
}

export interface ChoiceOption extends OptionBase {
  readonly kind: 'choice';
  readonly default: string;
  readonly choices: ReadonlyArray<{ readonly value: string; readonly label: string }>;
}

/** A comma-separated list of op types or node names ('' = none). */
export interface ListOption extends OptionBase {
  readonly kind: 'list';
  readonly default: string;
  /** What the items are, so the page can offer the model's op types or node names. */
  readonly items: 'op-types' | 'node-names';
}

export type OptionSpec = NumberOption | BooleanOption | ChoiceOption | ListOption;
export type OptionSpecs = Readonly<Record<string, OptionSpec>>;

export type PassCategory = 'precision' | 'quantize' | 'prune';

/** What happened to one node (or weight) of the model, and why: the report's rows. */
export interface NodeDecision {
  /** Node name (or `#index` in its graph when unnamed); subgraph nodes are prefixed `parent/attr/`. */
  readonly node: string;
  readonly op: string;
  readonly decision: 'changed' | 'kept' | 'skipped';
  /** Why, in words a user understands: "depthwise conv: int8 runs at 0.67× fp32 on WASM". */
  readonly reason: string;
}

export interface PassReport {
  readonly pass: string;
  /** One line: "42 MatMul/Gemm weights to int8 (per channel); 3 skipped". */
  readonly summary: string;
  /** Nodes the pass converted (quantized, cast, pruned). */
  readonly changedNodes: number;
  /** Candidate nodes the pass left alone (excluded, unsupported, slower, …). */
  readonly skippedNodes: number;
  readonly decisions: readonly NodeDecision[];
  /** Bytes of the weights the pass rewrote, before and after. */
  readonly weightBytesBefore: number;
  readonly weightBytesAfter: number;
  /** Things the user must know ("calibrated on random data", "MatMulNBits is slower than fp32 on WASM"). */
  readonly warnings: readonly string[];
}

export interface PassOutcome {
  readonly model: onnx.IModelProto;
  readonly report: PassReport;
}

/** Min/max of one activation as calibration decided it (after percentile/entropy clipping). */
export interface TensorRange {
  readonly min: number;
  readonly max: number;
}
export type CalibrationRanges = ReadonlyMap<string, TensorRange>;

export type CalibrationMethod = 'minmax' | 'percentile' | 'entropy';

/** What a pass needs measured before it can run: the ranges of these float tensors. */
export interface CalibrationRequest {
  readonly tensors: readonly string[];
  readonly method: CalibrationMethod;
  /** For 'percentile': the percentile of |x| (or of each tail) kept, e.g. 99.999. */
  readonly percentile: number;
  /** For 'entropy' and 'percentile': histogram bins. */
  readonly bins: number;
  /** Symmetric activations: the range is made [-a, a]. */
  readonly symmetric: boolean;
  /**
   * Optional (int8-static placement 'measure'): report names of layers whose int8 vs fp32 speed the
   * runtime should time on this machine (src/runtime/layer-timing.ts withLayerTiming fills
   * CalibrationInfo.layerSpeedups). Calibrators that cannot time layers ignore it.
   */
  readonly measureNodes?: readonly string[];
}

/**
 * Runs the model on the user's samples and returns the requested ranges. Provided by the runtime
 * layer (onnxruntime-web) to core's recipe runner: core itself never runs a model.
 */
export type Calibrator = (model: onnx.IModelProto, request: CalibrationRequest, progress: ProgressFn, signal?: AbortLike) => Promise<Result<CalibrationInfo, string>>;

export interface CalibrationInfo {
  readonly ranges: CalibrationRanges;
  readonly samples: number;
  /** "calibrated on 128 samples of digits_calib.npz"; "random data" warnings go here too. */
  readonly source: string;
  readonly warnings: readonly string[];
  /** Optional: for each timed layer of CalibrationRequest.measureNodes, fp32 time / int8 time (> 1: int8 faster). */
  readonly layerSpeedups?: ReadonlyMap<string, number>;
}

export type ProgressFn = (stage: string, done: number, total: number) => void;

/** AbortSignal's shape, without the DOM lib (core has none). */
export interface AbortLike {
  readonly aborted: boolean;
}

export interface PassContext {
  readonly progress: ProgressFn;
  readonly signal?: AbortLike;
  /** Present for passes with `calibration` once the calibrator has run. */
  readonly calibration?: CalibrationInfo;
}

/** Size estimate before running: the bytes of the weights the pass would touch, now and after. */
export interface SizeEstimate {
  readonly weightBytesBefore: number;
  /** Bytes the touched weights take in the file afterwards (the page adds these up into "Estimated size"). */
  readonly weightBytesAfter: number;
  readonly nodes: number;
  /** Sparsity passes: bytes of the weights left non-zero (what a sparse format or gzip could save; the file keeps its size). */
  readonly nonZeroBytesAfter?: number;
  /**
   * Pruning passes: parameters and MACs of the whole model before and after (the Optimize panel shows
   * what would be removed while the slider moves). Dense-storage passes leave these undefined.
   */
  readonly compute?: ComputeEstimate;
}

export interface ComputeEstimate {
  /** Weight elements of the whole model (every initializer and Constant tensor). */
  readonly paramsBefore: number;
  /** After the pass: fewer for structured pruning; the same for unstructured (zeros are stored). */
  readonly paramsAfter: number;
  /** Non-zero weight elements after the pass (unstructured pruning: what a sparse format would keep). */
  readonly nonZeroParamsAfter?: number;
  /** Multiply-accumulates of one inference at the model's shapes (symbolic dims taken as 1); undefined when unknown. */
  readonly macsBefore?: number;
  readonly macsAfter?: number;
}

export interface PassDefinition {
  readonly id: string;
  readonly label: string;
  readonly category: PassCategory;
  /** One line for the pass picker. */
  readonly summary: string;
  /** What a user must know before choosing it (e.g. "a size option: slower than fp32 on WASM"). */
  readonly note?: string;
  readonly options: OptionSpecs;
  /** Present when the pass needs activation ranges: which tensors, measured how. */
  readonly calibration?: (model: onnx.IModelProto, options: PassOptions) => CalibrationRequest;
  readonly estimate: (model: onnx.IModelProto, options: PassOptions) => SizeEstimate;
  /** Pure: never mutates `model` (untouched messages may be shared with the result). */
  readonly apply: (model: onnx.IModelProto, options: PassOptions, context: PassContext) => Result<PassOutcome, string>;
}

/** A pass as the page sees it (no functions: crosses the worker boundary). */
export interface PassDescriptor {
  readonly id: string;
  readonly label: string;
  readonly category: PassCategory;
  readonly summary: string;
  readonly note?: string;
  readonly options: OptionSpecs;
  readonly needsCalibration: boolean;
}

/** Thrown (the one exception to "errors are values") to unwind a pass when its signal is aborted. */
export class PassCancelled extends Error {
  constructor() {
    super('cancelled');
    this.name = 'PassCancelled';
  }
}

export function throwIfAborted(signal: AbortLike | undefined): void {
  if (signal?.aborted) throw new PassCancelled();
}
