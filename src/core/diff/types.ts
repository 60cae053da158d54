/**
 * Comparing two versions of a model (issue #3: an original and an optimized one). Built in the model
 * worker by diffModels() (model-diff.ts). Node ids are IRNode ids of each model's main graph.
 */
export type DiffStatus = 'same' | 'changed' | 'added' | 'removed';

export interface DiffNode {
  readonly id: string;
  readonly opType: string;
  readonly name: string;
}

export interface ChangedNode {
  readonly base: DiffNode;
  readonly other: DiffNode;
  /** Human-readable differences: 'attribute group: 1 → 32', 'weight W: float32 → int8', 'input 0: x → x_dq'. */
  readonly changes: string[];
}

export interface ModelDiff {
  readonly baseName: string;
  readonly otherName: string;
  readonly added: DiffNode[];
  readonly removed: DiffNode[];
  readonly changed: ChangedNode[];
  readonly sameCount: number;
  /** Status of every node of each model, by node id, for painting both graphs. */
  readonly baseStatus: Record<string, DiffStatus>;
  readonly otherStatus: Record<string, DiffStatus>;
  /** Op type → count in other minus count in base (only non-zero entries), e.g. { QuantizeLinear: 12 }. */
  readonly opCountDelta: Record<string, number>;
  /** Nodes of `other` that gained QuantizeLinear/DequantizeLinear on their inputs or outputs (fp32 → int8 QDQ). */
  readonly quantizedNodes: DiffNode[];
  readonly parameterBytes: { readonly base: number; readonly other: number };
  /**
   * Matched nodes whose only difference is their name (status 'same'; a renamed node that also
   * changed otherwise is in `changed`, with a 'name: a → b' entry).
   */
  readonly renamed?: { readonly base: DiffNode; readonly other: DiffNode }[];
  /** Matched nodes, base id → other id (every scope): lets a view select a node's counterpart. */
  readonly matches?: Record<string, string>;
  /** How many nodes of each scope pair were matched by which evidence (name, outputs, inputs, neighbours, position). */
  readonly matchedBy?: Record<string, number>;
}
