/**
 * The corpus `light/` structures (ResNet50, SqueezeNet, VGG19 …) produce their weights at run time with
 * ConstantOfShape nodes: realistic graphs, but no initializers for a weight pass to touch. This turns
 * each ConstantOfShape whose shape input is constant into a float32 initializer of seeded random values
 * with sensible scales, so the graph becomes an ordinary model with real weights (for tests and benches):
 *   - weights (rank ≥ 2): He initialisation, normal with std = sqrt(2 / fan_in), fan_in = ∏ dims[1..];
 *   - BatchNormalization scale ≈ 1, bias/mean ≈ 0 (small noise), variance ≈ 1 (positive);
 *   - other vectors (Conv / Gemm biases): small noise around 0.
 * Node only (test support), deterministic for a seed.
 */
import type { onnx } from '../core/onnx/codec.js';
import { cloneModel, floatTensor, GraphScope } from '../core/transform/graph-edit.js';
import { tensorToNumbers } from '../core/onnx/tensor.js';
import { seededRandom } from '../core/util/seeded-random.js';

export interface MaterializeStats {
  readonly replaced: number;
  readonly parameters: number;
}

/** Standard normal from two uniforms (Box–Muller). */
function normal(random: () => number): () => number {
  return () => {
    const u = Math.max(random(), 1e-12);
    const v = random();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
}

/** A copy of `model` where ConstantOfShape weights are float32 initializers of seeded random values. */
export function materializeConstantOfShape(model: onnx.IModelProto, seed = 1, stats?: { replaced: number; parameters: number }): onnx.IModelProto {
  const copy = cloneModel(model);
  const graph = copy.graph;
  if (!graph) return copy;
  const scope = new GraphScope(graph);
  const gauss = normal(seededRandom(seed));
  const readers = new Map<string, Array<{ op: string; index: number }>>();
  for (const n of graph.node ?? []) (n.input ?? []).forEach((name, index) => readers.set(name, [...(readers.get(name) ?? []), { op: n.opType ?? '', index }]));
  const kept: onnx.INodeProto[] = [];
  const inits = graph.initializer ?? (graph.initializer = []);
  let replaced = 0;
  let parameters = 0;
  for (const n of graph.node ?? []) {
    const out = n.output?.[0] ?? '';
    const shapeRef = n.opType === 'ConstantOfShape' ? scope.weight(n.input?.[0] ?? '') : undefined;
    const shape = shapeRef ? tensorToNumbers(shapeRef.tensor) : undefined;
    if (!shape || !out) {
      kept.push(n);
      continue;
    }
    const dims = Array.from(shape, Number);
    const count = dims.reduce((a, b) => a * b, 1);
    const values = new Float32Array(count);
    const use = readers.get(out)?.[0];
    if (dims.length >= 2) {
      const fanIn = Math.max(1, dims.slice(1).reduce((a, b) => a * b, 1));
      const std = Math.sqrt(2 / fanIn);
      for (let i = 0; i < count; i++) values[i] = gauss() * std;
    } else if (use?.op === 'BatchNormalization' && (use.index === 1 || use.index === 4)) {
      for (let i = 0; i < count; i++) values[i] = 1 + 0.1 * Math.abs(gauss()) * (use.index === 4 ? 1 : Math.sign(gauss()));
    } else {
      for (let i = 0; i < count; i++) values[i] = 0.05 * gauss();
    }
    inits.push(floatTensor(out, dims, values));
    replaced++;
    parameters += count;
  }
  graph.node = kept;
  if (stats) {
    stats.replaced = replaced;
    stats.parameters = parameters;
  }
  return copy;
}
