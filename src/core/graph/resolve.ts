/**
 * Name resolution across scopes: ONNX subgraphs see every value of their enclosing graphs (IR spec,
 * "Names Within a Graph"), so lookups walk from the innermost scope outwards.
 */
import type { IRNode, Scope, ValueSource, Weight } from './ir.js';

export function resolveValue(scope: Scope, name: string): ValueSource | undefined {
  for (let s: Scope | undefined = scope; s; s = s.parent) {
    const node = s.producer.get(name);
    if (node) return { kind: 'node', scope: s, node, outputIndex: node.outputs.indexOf(name) };
    const t = s.initializers.get(name);
    if (t) return { kind: 'initializer', scope: s, tensor: t };
    const sp = s.sparseInitializers.get(name);
    if (sp) return { kind: 'sparse-initializer', scope: s, sparse: sp };
    if (s.inputSet.has(name)) return { kind: 'input', scope: s };
  }
  return undefined;
}

/** The node that writes `name`, as seen from `scope`, if a node does. */
export function producerOf(scope: Scope, name: string): IRNode | undefined {
  for (let s: Scope | undefined = scope; s; s = s.parent) {
    const node = s.producer.get(name);
    if (node) return node;
    if (s.initializers.has(name) || s.sparseInitializers.has(name) || s.inputSet.has(name)) return undefined;
  }
  return undefined;
}

/** The weight a name refers to, if it is an initializer or a tensor-valued Constant's output. */
export function resolveWeight(scope: Scope, name: string): Weight | undefined {
  // Same precedence as resolveValue, without allocating a ValueSource (this runs for every node input).
  // Weights are keyed by name (a Constant's by its output), so one lookup settles the common case.
  for (let s: Scope | undefined = scope; s; s = s.parent) {
    const w = s.weights.get(name);
    if (w) return w;
    if (s.producer.has(name) || s.inputSet.has(name)) return undefined;
  }
  return undefined;
}

/**
 * Like resolveWeight, but looks through Identity nodes: PyTorch exports share a weight between layers
 * by inserting `Identity(weight)` for each extra user, and the layer's parameters are still that weight.
 */
export function resolveWeightThroughIdentity(scope: Scope, name: string): Weight | undefined {
  let current = name;
  for (let hops = 0; hops < 8; hops++) {
    const w = resolveWeight(scope, current);
    if (w) return w;
    const node = producerOf(scope, current);
    if (!node || node.opType !== 'Identity' || node.domain !== '') return undefined;
    const next = node.inputs[0];
    if (!next) return undefined;
    current = next;
  }
  return undefined;
}
