/**
 * The contract between the graph explorer's parts (issue #3):
 *
 *   model worker:  GraphIR + shapes + stats ──buildViewGraph()──► ViewGraph      (what to draw, no positions)
 *   layout worker: ViewGraph ──layoutGraph()──► GraphLayout                      (positions, edge routes)
 *   page:          ViewGraph + GraphLayout ──► canvas renderer, search, minimap, overlays, SVG/PNG export
 *
 * Columnar (arrays per attribute, typed arrays for numbers) so that 20,000 nodes cross a worker
 * boundary as a handful of transferable buffers instead of 20,000 cloned objects.
 * Node index i refers to the same node in every array. Units are CSS pixels at zoom 1.
 */

export const NodeKind = {
  /** An operator node. */
  Op: 0,
  /** A graph input (not an initializer). */
  Input: 1,
  /** A graph output. */
  Output: 2,
} as const;
export type NodeKind = (typeof NodeKind)[keyof typeof NodeKind];

export interface ViewGraph {
  /** '' for the main graph; the Scope.path of a subgraph otherwise (see graph/ir.ts). */
  readonly scopePath: string;
  /** Breadcrumb from the main graph to this scope: [{ path, label }], label like 'If_3 › then_branch'. */
  readonly breadcrumb: readonly { readonly path: string; readonly label: string }[];
  readonly nodeCount: number;
  /** IRNode.id for ops; 'input:<name>' / 'output:<name>' for graph inputs and outputs. */
  readonly ids: readonly string[];
  readonly kinds: Uint8Array;
  /** Op type ('Conv', 'com.microsoft.FusedConv') or, for inputs/outputs, the tensor name. */
  readonly titles: readonly string[];
  /** Node name ('' when unnamed); for inputs/outputs the dtype + shape text. */
  readonly names: readonly string[];
  /**
   * Extra lines drawn inside the node under the title, already formatted: key attributes
   * ('k=3×3 s=2 g=32') then one line per weight input ('W 64×32×3×3', 'B 64'), at most 4 lines.
   */
  readonly lines: readonly (readonly string[])[];
  /** Subgraph attribute names of If/Loop/Scan nodes ('then_branch', 'else_branch', 'body'); empty otherwise. */
  readonly subgraphs: readonly (readonly string[])[];
  /** Node box sizes, computed from the text with a fixed-width font estimate (see CHAR_WIDTH). */
  readonly widths: Float32Array;
  readonly heights: Float32Array;
  readonly edgeCount: number;
  /** Edge e goes from node edgeFrom[e] to node edgeTo[e]; one edge per (producer, consumer, tensor). */
  readonly edgeFrom: Uint32Array;
  readonly edgeTo: Uint32Array;
  /** Tensor name carried by the edge. */
  readonly edgeTensors: readonly string[];
  /** 'float32 [1,64,56,56]' where known, '' otherwise. */
  readonly edgeLabels: readonly string[];
  /**
   * Per-node numbers that overlays can paint (parameters, MACs now; latency, quantization error,
   * sensitivity later): overlay id → value per node (NaN = no value).
   */
  readonly metrics: Readonly<Record<string, Float64Array>>;
  /**
   * Tensor names of the inputs drawn as lines inside node i (weights, folded constants), in input
   * order, including any beyond the 4-line cap: lets search by tensor name find the consuming node.
   */
  readonly lineTensors?: readonly (readonly string[])[];
  /**
   * IR node ids drawn inside node i instead of as boxes (single-use Constant, ConstantOfShape of a
   * constant, Identity of a weight; see graph-view/fold-constants.ts): search and the inspector map them here.
   */
  readonly foldedIds?: readonly (readonly string[])[];
}

/**
 * What the layout needs of a ViewGraph: only numbers. The page sends just this to the layout worker,
 * so that 20,000 nodes' strings are not cloned there and back (measured: that clone was most of the
 * layout step's wall time in the browser).
 */
export type LayoutInput = Pick<ViewGraph, 'nodeCount' | 'kinds' | 'widths' | 'heights' | 'edgeCount' | 'edgeFrom' | 'edgeTo'>;

export interface GraphLayout {
  /** Top-left corner of node i's box. */
  readonly x: Float32Array;
  readonly y: Float32Array;
  /** Edge e's polyline is edgePoints[2*edgeOffsets[e] .. 2*edgeOffsets[e+1]) as x,y pairs. */
  readonly edgeOffsets: Uint32Array;
  readonly edgePoints: Float32Array;
  readonly width: number;
  readonly height: number;
  /** Layer (rank) of each node, top to bottom. */
  readonly ranks: Uint32Array;
  /** Which algorithm produced it and how long each phase took, for the benchmark table. */
  readonly stats: {
    readonly algorithm: string;
    readonly ms: number;
    readonly phases: Readonly<Record<string, number>>;
    /** Sizes behind the times: nodes, edges, ranks, dummies, crossings, sweeps, reversedEdges. */
    readonly counts?: Readonly<Record<string, number>>;
  };
}

/** Font used to draw node text; sizes in ViewGraph assume its average advance width. */
export const NODE_FONT_PX = 12;
export const CHAR_WIDTH = 7.2;
export const LINE_HEIGHT = 16;
