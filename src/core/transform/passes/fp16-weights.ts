/**
 * Float16 weights, float32 compute: each float32 weight (initializer or Constant) of at least
 * `minElements` elements is stored as float16 and followed by a Cast to float32. The file halves;
 * onnxruntime folds `Cast(constant)` into a float32 initializer at session creation (constant
 * folding), so inference runs the original float32 kernels at the original speed (RUNTIME-FACTS:
 * "fp16 weight + Cast → fp32 MatMul: folded at load; same speed as fp32, half the file").
 *
 * Values keep their names and float32 types: only the stored weight gets a new name (`W_fp16`), so
 * every reader, shared or inside an If/Loop body, still reads a float32 `W`.
 */
import type { onnx } from '../../onnx/codec.js';
import { DataType } from '../../onnx/codec.js';
import { elementCount, isExternal, tensorDims } from '../../onnx/tensor.js';
import { err, ok } from '../../errors.js';
import type { Result } from '../../errors.js';
import { cloneModel, NameAllocator } from '../graph-edit.js';
import { defaultOptions, numberOption } from '../options.js';
import type { NodeDecision, OptionSpecs, PassContext, PassDefinition, PassOptions, PassOutcome } from '../types.js';
import { throwIfAborted } from '../types.js';
import type { WeightUse } from './precision-graph.js';
import { blockLists, castNode, setElemType, userBlockReason, weightUses } from './precision-graph.js';
import { convertTensorToFloat16, FP16_MAX, newClampStats } from './precision-tensors.js';

const OPTIONS: OptionSpecs = {
  minElements: {
    kind: 'number',
    default: 16,
    min: 1,
    max: 1048576,
    step: 1,
    label: 'Smallest weight converted',
    description: 'Weights with fewer elements stay float32: a Cast costs more bytes than it saves on a tiny tensor.',
    advanced: true,
  },
  opBlockList: {
    kind: 'list',
    items: 'op-types',
    default: '',
    label: 'Ops whose weights stay float32',
    description: 'Weights read by these op types keep full precision.',
  },
  nodeBlockList: {
    kind: 'list',
    items: 'node-names',
    default: '',
    label: 'Nodes whose weights stay float32',
    description: 'Weights read by these nodes keep full precision.',
  },
};

interface Choice {
  readonly use: WeightUse;
  /** undefined = convert. */
  readonly keep?: string;
}

function choose(model: onnx.IModelProto, options: PassOptions): Map<onnx.ITensorProto, Choice> {
  const minElements = numberOption(options, 'minElements', 16);
  const lists = blockLists(options);
  const out = new Map<onnx.ITensorProto, Choice>();
  for (const [t, use] of weightUses(model)) {
    if (t.dataType !== DataType.FLOAT) continue;
    const count = elementCount(tensorDims(t));
    let keep: string | undefined;
    if (isExternal(t)) keep = 'stored as external data, which this pass does not load';
    else if (count < minElements) keep = `${count} elements, below minElements (${minElements})`;
    else if (use.isGraphOutput) keep = 'it is a graph output';
    else {
      // A weight shared with a blocked reader stays float32 for every reader: converting it for some
      // readers only would store it twice.
      for (const r of use.readers) {
        const why = userBlockReason(r.node, r.scope, lists);
        if (why) {
          keep = `read by ${r.scope.nodeLabel(r.node)} (${why})`;
          break;
        }
      }
    }
    out.set(t, keep ? { use, keep } : { use });
  }
  return out;
}

function apply(model: onnx.IModelProto, given: PassOptions, ctx: PassContext): Result<PassOutcome, string> {
  const options = { ...defaultOptions(OPTIONS), ...given };
  const out = cloneModel(model);
  if (!out.graph) return err('the model has no graph');
  const choices = choose(out, options);
  const names = new NameAllocator(out);
  const stats = newClampStats();
  // Casts to insert: at the top of the graph owning an initializer, right after a Constant node.
  const castsAtTop = new Map<onnx.IGraphProto, onnx.INodeProto[]>();
  const castsAfter = new Map<onnx.INodeProto, onnx.INodeProto>();
  const converted = new Set<onnx.ITensorProto>();
  let before = 0;
  let after = 0;
  let done = 0;
  for (const [t, choice] of choices) {
    throwIfAborted(ctx.signal);
    ctx.progress('storing weights as float16', ++done, choices.size);
    if (choice.keep) continue;
    const { ref } = choice.use;
    const count = elementCount(tensorDims(t));
    if (!convertTensorToFloat16(t, true, stats)) continue;
    converted.add(t);
    before += count * 4;
    after += count * 2;
    const stored = names.fresh(`${ref.name}_fp16`);
    const cast = castNode(stored, ref.name, DataType.FLOAT, names.fresh(`Cast_${ref.name}`));
    if (ref.kind === 'initializer') {
      t.name = stored;
      // IR < 4 models list initializers as graph inputs too: the listed name follows the stored tensor.
      for (const vi of ref.graph.input ?? []) {
        if (vi.name !== ref.name) continue;
        vi.name = stored;
        setElemType(vi, DataType.FLOAT16);
      }
      const list = castsAtTop.get(ref.graph) ?? [];
      list.push(cast);
      castsAtTop.set(ref.graph, list);
    } else if (ref.node) {
      ref.node.output = [stored, ...(ref.node.output ?? []).slice(1)];
      castsAfter.set(ref.node, cast);
    }
  }
  const place = (g: onnx.IGraphProto): void => {
    const nodes: onnx.INodeProto[] = [...(castsAtTop.get(g) ?? [])];
    for (const n of g.node ?? []) {
      nodes.push(n);
      const c = castsAfter.get(n);
      if (c) nodes.push(c);
      for (const a of n.attribute ?? []) for (const sg of [...(a.g ? [a.g] : []), ...(a.graphs ?? [])]) place(sg);
    }
    g.node = nodes;
  };
  place(out.graph);

  // One report row per node that reads float32 weights.
  const decisions: NodeDecision[] = [];
  const rows = new Map<onnx.INodeProto, { label: string; op: string; changed: string[]; kept: string[] }>();
  for (const [t, choice] of choices) {
    for (const r of choice.use.readers) {
      let row = rows.get(r.node);
      if (!row) rows.set(r.node, (row = { label: r.scope.nodeLabel(r.node), op: r.node.opType ?? '', changed: [], kept: [] }));
      if (converted.has(t)) row.changed.push(choice.use.ref.name);
      else row.kept.push(`${choice.use.ref.name}: ${choice.keep ?? 'not convertible'}`);
    }
  }
  let changed = 0;
  let skipped = 0;
  for (const row of rows.values()) {
    if (row.changed.length > 0) {
      changed++;
      const rest = row.kept.length > 0 ? `; kept float32: ${row.kept.join('; ')}` : '';
      decisions.push({ node: row.label, op: row.op, decision: 'changed', reason: `weights ${row.changed.join(', ')} stored as float16, cast to float32 at load${rest}` });
    } else {
      skipped++;
      decisions.push({ node: row.label, op: row.op, decision: 'kept', reason: `weights kept float32: ${row.kept.join('; ')}` });
    }
  }
  const warnings: string[] = [];
  if (stats.overflow > 0) warnings.push(`${stats.overflow} weight values beyond ±${FP16_MAX} were clamped to ±${FP16_MAX}`);
  if (stats.underflow > 0) warnings.push(`${stats.underflow} nonzero weight values below 5.96e-8 were raised to ±5.96e-8 (float16's smallest)`);
  const mb = (b: number): string => `${(b / 1048576).toFixed(2)} MB`;
  const summary = `${converted.size} weights stored as float16 (${mb(before)} → ${mb(after)}), computed in float32; ${changed} nodes affected, ${skipped} kept`;
  return ok({ model: out, report: { pass: 'fp16-weights', summary, changedNodes: changed, skippedNodes: skipped, decisions, weightBytesBefore: before, weightBytesAfter: after, warnings } });
}

export const fp16WeightsPass: PassDefinition = {
  id: 'fp16-weights',
  label: 'Float16 weights (fp32 compute)',
  category: 'precision',
  summary: 'Store weights as float16 with a Cast to float32: half the file, float32 speed and activations.',
  note: 'onnxruntime folds the Casts when it loads the model, so it runs exactly as fast as float32 (measured on WASM). Weight precision drops to float16\'s ~3 significant digits.',
  options: OPTIONS,
  estimate: (model, options) => {
    let before = 0;
    let after = 0;
    const nodes = new Set<onnx.INodeProto>();
    for (const [t, choice] of choose(model, { ...defaultOptions(OPTIONS), ...options })) {
      if (choice.keep) continue;
      const count = elementCount(tensorDims(t));
      before += count * 4;
      after += count * 2;
      for (const r of choice.use.readers) nodes.add(r.node);
    }
    return { weightBytesBefore: before, weightBytesAfter: after, nodes: nodes.size };
  },
  apply,
};
