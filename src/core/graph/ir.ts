/**
 * The graph IR: an index over a decoded ModelProto. It never copies tensors or nodes; every object
 * points back into the protobuf messages, so building it is cheap and the protos stay the source of
 * truth (transformations edit protos and rebuild the IR).
 */
import type { onnx } from '../onnx/codec.js';

export interface IRNode {
  /**
   * Stable id for the UI: `<scope path>/<index in that graph's node list>`; the main graph's scope
   * path is empty, so its nodes are '0', '1', …; a node in an If's then-branch is '12/then_branch/0',
   * and one in the k-th graph of a GRAPHS attribute is '12/attr.k/0'.
   */
  readonly id: string;
  /** Position in its graph's node list (file order). */
  readonly index: number;
  readonly scope: Scope;
  readonly proto: onnx.INodeProto;
  readonly opType: string;
  /** Normalised: '' for the default domain (also when the file says 'ai.onnx'). */
  readonly domain: string;
  readonly name: string;
  /** Input names as written; '' marks an omitted optional input. */
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  /** Subgraph scopes carried by this node's GRAPH/GRAPHS attributes (If, Loop, Scan). */
  readonly subgraphs: Scope[];
  /**
   * Names that this node's subgraphs read from enclosing scopes (ONNX lets a subgraph reference any
   * value visible where its node is). They are real data dependencies of the node.
   */
  readonly implicitInputs: string[];
}

export interface Scope {
  /** '' for the main graph, `<owner node id>/<attribute>` (or `…/<attribute>.<k>`) for a subgraph. */
  readonly path: string;
  readonly graph: onnx.IGraphProto;
  readonly parent: Scope | undefined;
  /** The If/Loop/Scan node whose attribute holds this graph. */
  readonly owner: IRNode | undefined;
  readonly attribute: string | undefined;
  readonly depth: number;
  /** File order. */
  readonly nodes: IRNode[];
  /** Topological order (Kahn, stable w.r.t. file order); nodes in a cycle are appended in file order. */
  order: IRNode[];
  /** Nodes that could not be ordered because they are on or behind a cycle. */
  cyclic: IRNode[];
  /** Names of every declared graph input, initializers included (IR < 4 lists weights as inputs). */
  readonly inputs: string[];
  readonly inputSet: ReadonlySet<string>;
  readonly outputs: string[];
  readonly initializers: Map<string, onnx.ITensorProto>;
  readonly sparseInitializers: Map<string, onnx.ISparseTensorProto>;
  /** Declared types: graph inputs, outputs and value_info, by name (first declaration wins). */
  readonly valueInfo: Map<string, onnx.IValueInfoProto>;
  /** First node of this scope that writes each name. */
  readonly producer: Map<string, IRNode>;
  /** Further writers of a name already written (by a node, an input or an initializer). */
  readonly duplicates: DuplicateWrite[];
  /** Nodes of this scope that read each name, explicitly or through their subgraphs. */
  readonly consumers: Map<string, IRNode[]>;
  /** Names read in this scope (or its subgraphs) that it does not define: resolved further out. */
  readonly freeVariables: string[];
  readonly children: Scope[];
  /** Weights (initializers, sparse initializers, tensor-valued Constant nodes) defined in this scope. */
  readonly weights: Map<string, Weight>;
}

export interface DuplicateWrite {
  readonly name: string;
  readonly node: IRNode;
  /** What wrote the name first. */
  readonly first: { readonly kind: 'node'; readonly node: IRNode } | { readonly kind: 'input' | 'initializer' };
}

export type WeightKind = 'initializer' | 'sparse-initializer' | 'constant';

export interface Weight {
  readonly name: string;
  readonly kind: WeightKind;
  readonly scope: Scope;
  /** The Constant node, for kind 'constant'. */
  readonly node: IRNode | undefined;
  readonly dtype: number;
  /** Logical shape (for sparse tensors: the dense shape). */
  readonly dims: number[];
  /** Stored elements: the product of dims, or the number of stored values of a sparse tensor. */
  readonly elements: number;
  /** Dense tensor holding the data (the initializer, the Constant's value). For sparse: undefined. */
  readonly tensor: onnx.ITensorProto | undefined;
  readonly sparse: onnx.ISparseTensorProto | undefined;
}

export type ValueSource =
  | { readonly kind: 'node'; readonly scope: Scope; readonly node: IRNode; readonly outputIndex: number }
  | { readonly kind: 'initializer'; readonly scope: Scope; readonly tensor: onnx.ITensorProto }
  | { readonly kind: 'sparse-initializer'; readonly scope: Scope; readonly sparse: onnx.ISparseTensorProto }
  | { readonly kind: 'input'; readonly scope: Scope };

export interface GraphIR {
  readonly model: onnx.IModelProto;
  /** undefined when the model has no graph (validation reports it). */
  readonly root: Scope | undefined;
  /** Every scope, depth first, main graph first. */
  readonly scopes: Scope[];
  /** Every node of every scope, scope by scope in `scopes` order, file order within a scope. */
  readonly nodes: IRNode[];
  readonly nodeById: Map<string, IRNode>;
  /** All weights of all scopes, in scope order. */
  readonly weights: Weight[];
  /** Imported opset versions, domain ('' = default) → version. */
  readonly opsets: Map<string, number>;
}
