/**
 * Makes intermediate tensors observable: adds them as extra outputs of the main graph, so that a
 * runtime returns them from a run (what ORT's calibrate.py does in augment_graph). Pure: the input
 * model is not modified.
 *
 * Each requested name falls in one of these cases:
 * - produced by a node of the main graph → added as a graph output (`exposed`);
 * - already a graph output → nothing to add, the runtime returns it anyway (`outputs`);
 * - a graph input → its values are the feeds themselves; the caller reads them there (`inputs`);
 * - an initializer / Constant → a weight, not an activation: no range to measure (`unavailable`);
 * - produced only inside a subgraph (If/Loop/Scan body) → cannot be exposed: ONNX graph outputs can
 *   only name values of the main graph, and a subgraph's values do not outlive its run (`unavailable`);
 * - not found anywhere, or not a float tensor → `unavailable`.
 *
 * The output's type comes from the model's value_info (with its shape) when declared, else from
 * shape inference (element type only; ORT accepts a float tensor output without a shape). A value
 * whose type cannot be determined is declared float32: calibration only asks for float tensors.
 */
import type { onnx } from '../onnx/codec.js';
import { DataType } from '../onnx/codec.js';
import { inferShapes } from '../shape/index.js';
import { isConstantOp } from '../graph/constant-node.js';
import { cloneModel, walkGraphs } from './graph-edit.js';

export interface UnavailableTensor {
  readonly name: string;
  readonly reason: string;
}

export interface ExposedModel {
  readonly model: onnx.IModelProto;
  /** Names added as new graph outputs. */
  readonly exposed: readonly string[];
  /** Requested names that were graph outputs already. */
  readonly outputs: readonly string[];
  /** Requested names that are graph inputs (measure them on the feeds). */
  readonly inputs: readonly string[];
  readonly unavailable: readonly UnavailableTensor[];
  /** One line per kind of unavailability, for CalibrationInfo.warnings. */
  readonly warnings: readonly string[];
}

const FLOAT_TYPES: ReadonlySet<number> = new Set([DataType.FLOAT, DataType.FLOAT16, DataType.DOUBLE, DataType.BFLOAT16]);

export function exposeTensors(model: onnx.IModelProto, names: readonly string[]): ExposedModel {
  const copy = cloneModel(model);
  const graph = copy.graph ?? {};
  const produced = new Set<string>();
  for (const n of graph.node ?? []) for (const o of n.output ?? []) if (o) produced.add(o);
  const constants = new Set<string>((graph.initializer ?? []).map((t) => t.name ?? ''));
  for (const n of graph.node ?? []) if (isConstantOp(n)) for (const o of n.output ?? []) constants.add(o);
  const inputNames = new Set((graph.input ?? []).map((v) => v.name ?? ''));
  const outputNames = new Set((graph.output ?? []).map((v) => v.name ?? ''));
  const declared = new Map<string, onnx.IValueInfoProto>();
  for (const v of graph.valueInfo ?? []) if (v.name) declared.set(v.name, v);

  // Values produced inside subgraphs (If branches, Loop/Scan bodies), for a precise reason.
  const inSubgraph = new Set<string>();
  walkGraphs(copy, (scope) => {
    if (scope.graph === graph) return;
    for (const n of scope.graph.node ?? []) for (const o of n.output ?? []) if (o) inSubgraph.add(o);
  });

  let inferred: ReturnType<typeof inferShapes> | undefined;
  const typeOf = (name: string): number => {
    const d = declared.get(name)?.type?.tensorType?.elemType;
    if (d) return d;
    inferred ??= inferShapes(copy);
    return inferred.get(name)?.dtype ?? 0;
  };

  const exposed: string[] = [];
  const outputs: string[] = [];
  const inputs: string[] = [];
  const unavailable: UnavailableTensor[] = [];
  const seen = new Set<string>();
  for (const name of names) {
    if (!name || seen.has(name)) continue;
    seen.add(name);
    if (constants.has(name)) unavailable.push({ name, reason: 'a weight (initializer or Constant), not an activation' });
    else if (outputNames.has(name)) outputs.push(name);
    else if (inputNames.has(name)) inputs.push(name);
    else if (produced.has(name)) {
      const dtype = typeOf(name);
      if (dtype !== 0 && !FLOAT_TYPES.has(dtype)) {
        unavailable.push({ name, reason: 'not a float tensor' });
        continue;
      }
      const info = declared.get(name);
      const output: onnx.IValueInfoProto = info?.type?.tensorType
        ? { ...info }
        : { name, type: { tensorType: { elemType: dtype || DataType.FLOAT } } };
      (graph.output ??= []).push(output);
      exposed.push(name);
    } else if (inSubgraph.has(name)) unavailable.push({ name, reason: 'inside a subgraph (If/Loop/Scan body): it cannot be made a graph output' });
    else unavailable.push({ name, reason: 'no such tensor in the model' });
  }
  return { model: copy, exposed, outputs, inputs, unavailable, warnings: summarize(unavailable) };
}

function summarize(unavailable: readonly UnavailableTensor[]): string[] {
  const byReason = new Map<string, string[]>();
  for (const u of unavailable) {
    const list = byReason.get(u.reason) ?? [];
    list.push(u.name);
    byReason.set(u.reason, list);
  }
  const out: string[] = [];
  for (const [reason, list] of byReason) {
    const shown = list.slice(0, 5).map((n) => `'${n}'`).join(', ');
    const more = list.length > 5 ? ` and ${list.length - 5} more` : '';
    out.push(`${list.length} tensor${list.length === 1 ? '' : 's'} not calibrated (${reason}): ${shown}${more}; they stay float`);
  }
  return out;
}
