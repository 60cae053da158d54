/**
 * nodeDetails: everything the Inspector shows for one node (issue #3) — formatted attributes, inputs
 * and outputs under their ONNX port names with dtype and shape, a WeightDetails for every input that
 * is (or dequantizes / casts / forwards) a weight, parameters and MACs, and the subgraphs to enter.
 * Runs in the model worker on selection; the result is plain JSON.
 */
import { dtypeName } from '../onnx/dtypes.js';
import type { ExternalFiles } from '../onnx/tensor.js';
import type { GraphIR, IRNode, Scope } from '../graph/ir.js';
import { resolveWeight } from '../graph/resolve.js';
import { declaredTensorInfo } from '../shape/infer-shapes.js';
import type { ShapeMap, TensorInfo } from '../shape/types.js';
import type { ModelStats } from '../stats/compute-stats.js';
import { attributeDetails } from './format-attribute.js';
import { inputPortName, outputPortName } from './port-names.js';
import type { NodeDetails, PortDetails, WeightDetails } from './types.js';
import { resolvePortWeight, weightDetails } from './weight-details.js';

/** Declared type of a value as seen from `scope` (inner declarations shadow outer ones). */
function declared(scope: Scope, name: string): TensorInfo | undefined {
  for (let s: Scope | undefined = scope; s; s = s.parent) {
    const vi = s.valueInfo.get(name);
    if (vi) return declaredTensorInfo(vi);
  }
  return undefined;
}

function typeOf(scope: Scope, shapes: ShapeMap, name: string): { dtype: string; shape: PortDetails['shape'] } {
  // Inferred facts are seeded from the declarations and usually refine them; fall back to what the
  // file declares for values inference did not reach.
  const info = shapes.get(name);
  const decl = info?.dtype && info.shape ? undefined : declared(scope, name);
  const dtype = info?.dtype || decl?.dtype || 0;
  const shape = info?.shape ?? decl?.shape ?? null;
  return { dtype: dtype ? dtypeName(dtype) : '', shape: shape ? [...shape] : null };
}

/**
 * Details of node `nodeId` (an IRNode id: '12', '12/then_branch/3'). Throws when the id is unknown:
 * ids come from the same model's view, so a miss is a bug (or a stale selection the caller drops).
 */
export function nodeDetails(ir: GraphIR, shapes: ShapeMap, stats: ModelStats, nodeId: string, external?: ExternalFiles): NodeDetails {
  const node = ir.nodeById.get(nodeId);
  if (!node) throw new Error(`No node with id '${nodeId}' in this model`);
  const scope = node.scope;
  // Several ports may read the same weight (Add(x, x), a shared zero point): summarise it once.
  const computed = new Map<string, WeightDetails>();

  const inputs: PortDetails[] = node.inputs.map((name, k) => {
    const port = inputPortName(node.domain, node.opType, k);
    if (!name) return { port, name: '', dtype: '', shape: null, weight: null };
    const pw = resolvePortWeight(scope, name);
    let weight: WeightDetails | null = null;
    let type = typeOf(scope, shapes, name);
    if (pw) {
      const key = `${pw.weight.scope.path}\u0000${pw.weight.name}\u0000${pw.via.join('>')}`;
      weight = computed.get(key) ?? weightDetails(pw.weight, { external, use: pw.use, via: pw.via, scopes: [scope] });
      computed.set(key, weight);
      // A weight read directly has exactly its own type, whatever inference or value_info say.
      if (pw.via.every((op) => op === 'Identity')) type = { dtype: weight.dtype, shape: [...weight.shape] };
    }
    return { port, name, ...type, weight };
  });

  const outputs: PortDetails[] = node.outputs.map((name, k) => {
    const port = outputPortName(node.domain, node.opType, k);
    if (!name) return { port, name: '', dtype: '', shape: null, weight: null };
    // A Constant's output is a weight: show its values like an initializer's.
    const w = resolveWeight(scope, name);
    const weight = w && w.node === node ? weightDetails(w, { external, scopes: [scope] }) : null;
    const type = weight ? { dtype: weight.dtype, shape: [...weight.shape] } : typeOf(scope, shapes, name);
    return { port, name, ...type, weight };
  });

  const st = nodeStats(ir, stats, node);
  return {
    id: node.id,
    opType: node.opType,
    domain: node.domain,
    name: node.name,
    docString: node.proto.docString ?? '',
    attributes: (node.proto.attribute ?? []).map((a) => attributeDetails(a, external)),
    inputs,
    outputs,
    params: st?.params ?? 0,
    macs: st && st.macStatus === 'known' ? st.macs : null,
    subgraphs: node.subgraphs.map((s) => ({
      attribute: s.path.startsWith(`${node.id}/`) ? s.path.slice(node.id.length + 1) : (s.attribute ?? ''),
      path: s.path,
      nodes: s.nodes.length,
    })),
  };
}

function nodeStats(ir: GraphIR, stats: ModelStats, node: IRNode): ModelStats['nodes'][number] | undefined {
  // stats.nodes follows ir.nodes order; check the id in case the stats came from another build.
  const i = ir.nodes.indexOf(node);
  const at = stats.nodes[i];
  return at && at.id === node.id ? at : stats.nodes.find((n) => n.id === node.id);
}
