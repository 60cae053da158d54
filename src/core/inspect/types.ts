/**
 * What the Inspector shows for one node (issue #3). Plain JSON, built in the model worker by
 * nodeDetails() (node-details.ts) and sent to the page on selection.
 */
import type { Dim } from '../shape/types.js';

export interface WeightStats {
  readonly min: number;
  readonly max: number;
  readonly mean: number;
  readonly std: number;
  /** Fraction of elements exactly zero (0..1). */
  readonly sparsity: number;
  readonly nan: number;
  readonly inf: number;
}

export interface Histogram {
  /** bins + 1 edges, ascending. */
  readonly edges: number[];
  readonly counts: number[];
}

/** Scale and zero point of a quantized weight (QuantizeLinear/DequantizeLinear or QLinear* inputs). */
export interface QuantParams {
  /** Per-tensor: one value; per-axis: up to the first 64 values (count says how many there are). */
  readonly scale: number[];
  readonly zeroPoint: number[];
  readonly count: number;
  readonly axis: number | null;
  /** Range the stored integers map back to: (q - zero_point) * scale over min/max of q. */
  readonly dequantMin: number;
  readonly dequantMax: number;
  /** Which node supplied the parameters ('DequantizeLinear', 'QLinearConv', …). */
  readonly source?: string;
  /** Blocked quantization (DequantizeLinear opset 21 block_size); absent otherwise. */
  readonly blockSize?: number;
  /**
   * Caveats a reader needs, e.g. MatMulInteger/ConvInteger carry only zero points (the scale is applied
   * by a later Mul), so scale is empty and the range is in integer steps relative to the zero point.
   */
  readonly note?: string;
}

export interface WeightDetails {
  readonly name: string;
  readonly kind: 'initializer' | 'sparse-initializer' | 'constant';
  readonly dtype: string;
  readonly shape: number[];
  readonly elements: number;
  readonly bytes: number;
  /** null when the values cannot be read (strings, missing external data). */
  readonly stats: WeightStats | null;
  readonly histogram: Histogram | null;
  readonly quant: QuantParams | null;
  /**
   * How the port reaches the weight when it is not read directly: the ops looked through, in order
   * from the port, e.g. ['DequantizeLinear'] for a QDQ Conv's W, ['Identity'] for a shared PyTorch weight.
   */
  readonly via?: string[];
}

export interface PortDetails {
  /** ONNX schema name of the port where known ('X', 'W', 'B'), else 'input 2'. */
  readonly port: string;
  /** The tensor name ('' for an omitted optional input). */
  readonly name: string;
  readonly dtype: string;
  readonly shape: Dim[] | null;
  readonly weight: WeightDetails | null;
}

export interface AttributeDetails {
  readonly name: string;
  /** 'INT', 'INTS', 'FLOAT', 'STRING', 'TENSOR', 'GRAPH', … */
  readonly type: string;
  /** Formatted for display; tensors summarised; subgraphs as 'graph (N nodes)'. */
  readonly value: string;
}

export interface NodeDetails {
  readonly id: string;
  readonly opType: string;
  /** '' for the default domain. */
  readonly domain: string;
  readonly name: string;
  readonly docString: string;
  readonly attributes: AttributeDetails[];
  readonly inputs: PortDetails[];
  readonly outputs: PortDetails[];
  readonly params: number;
  /** null when unknown or not a MAC-bearing op. */
  readonly macs: number | null;
  /** Subgraphs this node carries: attribute name and the Scope.path to enter. */
  readonly subgraphs: { readonly attribute: string; readonly path: string; readonly nodes: number }[];
}
