/**
 * buildViewGraph over every corpus model and every subgraph scope: structural checks that hold for any
 * model (each IR node drawn once or folded into exactly one consumer, no input lost, edge labels from
 * the shape map, metrics from the statistics, sizes from the text), then facts checked by hand on
 * specific models, then the folding rules on hand-made graphs.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { onnx } from '../onnx/codec.js';
import { DataType, Long, decodeModelProto } from '../onnx/codec.js';
import { buildGraph } from '../graph/build-graph.js';
import type { GraphIR } from '../graph/ir.js';
import { floatTensor, int64Tensor, model } from '../graph/test-models.js';
import type { ModelSpec } from '../graph/test-models.js';
import { inferShapesIR } from '../shape/infer-shapes.js';
import type { ShapeMap } from '../shape/types.js';
import { computeStatsIR } from '../stats/compute-stats.js';
import type { ModelStats } from '../stats/compute-stats.js';
import { generateNetwork } from '../layout/generate.js';
import { MAX_NODE_LINES, buildViewGraph } from './build-view-graph.js';
import { tensorTypeText } from './format-text.js';
import { MIN_NODE_WIDTH, nodeHeight } from './node-size.js';
import type { ViewGraph } from './types.js';
import { CHAR_WIDTH, NodeKind } from './types.js';

const CORPUS = fileURLToPath(new URL('../../../../shared/corpus/', import.meta.url));
const hasCorpus = existsSync(CORPUS);
const note = hasCorpus ? '' : ` — SKIPPED: the test corpus is not at ${CORPUS}`;

interface Analysed {
  ir: GraphIR;
  shapes: ShapeMap;
  stats: ModelStats;
}

function analyse(m: onnx.IModelProto): Analysed {
  const ir = buildGraph(m);
  const shapes = inferShapesIR(ir);
  return { ir, shapes, stats: computeStatsIR(ir, shapes) };
}

const cache = new Map<string, Analysed>();
function corpus(file: string): Analysed {
  let hit = cache.get(file);
  if (!hit) cache.set(file, (hit = analyse(decodeModelProto(new Uint8Array(readFileSync(`${CORPUS}${file}`))))));
  return hit;
}

function corpusFiles(): string[] {
  if (!hasCorpus) return ['(corpus missing)'];
  const light = readdirSync(`${CORPUS}onnx-backend-tests/light`).filter((f) => f.endsWith('.onnx')).map((f) => `onnx-backend-tests/light/${f}`);
  const models = readdirSync(`${CORPUS}models`).filter((f) => f.endsWith('.onnx')).map((f) => `models/${f}`);
  return [...light.sort(), ...models.sort()];
}

/** Everything that must hold for any scope of any model. Returns the problems found. */
function viewProblems(a: Analysed, path: string, v: ViewGraph): string[] {
  const problems: string[] = [];
  const scope = a.ir.scopes.find((s) => s.path === path);
  if (!scope) return [`no scope ${path}`];
  const n = v.nodeCount;
  for (const arr of [v.ids, v.kinds, v.titles, v.names, v.lines, v.subgraphs, v.widths, v.heights, v.metrics.params, v.metrics.macs, v.lineTensors, v.foldedIds]) {
    if (arr?.length !== n) problems.push(`an array has ${arr?.length} entries for ${n} nodes`);
  }
  const index = new Map(v.ids.map((id, i) => [id, i]));
  if (index.size !== n) problems.push('duplicate ids');

  // Each IR node of the scope: a box, or folded into exactly one box — and only constant producers fold.
  const foldedInto = new Map<string, number>();
  for (const ids of v.foldedIds ?? []) for (const id of ids) foldedInto.set(id, (foldedInto.get(id) ?? 0) + 1);
  for (const node of scope.nodes) {
    const boxed = index.has(node.id);
    const folds = foldedInto.get(node.id) ?? 0;
    if (boxed === (folds === 1) || folds > 1) problems.push(`node ${node.id} (${node.opType}) boxed=${boxed} folded ${folds}×`);
    if (folds > 0 && !['Constant', 'ConstantOfShape', 'Identity'].includes(node.opType)) problems.push(`${node.opType} ${node.id} folded`);
  }

  // Inputs and outputs.
  const inputs = scope.inputs.filter((x) => x && !scope.initializers.has(x) && !scope.sparseInitializers.has(x));
  for (const x of inputs) if (v.kinds[index.get(`input:${x}`) ?? -1] !== NodeKind.Input) problems.push(`input ${x} missing`);
  for (const x of scope.outputs) if (v.kinds[index.get(`output:${x}`) ?? -1] !== NodeKind.Output) problems.push(`output ${x} missing`);

  // Edges: carry a tensor the target reads and the source writes, labelled from the shape map.
  for (let e = 0; e < v.edgeCount; e++) {
    const s = v.edgeFrom[e] as number;
    const t = v.edgeTo[e] as number;
    const tensor = v.edgeTensors[e] as string;
    const source = a.ir.nodeById.get(v.ids[s] as string);
    const target = a.ir.nodeById.get(v.ids[t] as string);
    const writes = source ? source.outputs.includes(tensor) : v.ids[s] === `input:${tensor}`;
    const reads = target ? target.inputs.includes(tensor) || target.implicitInputs.includes(tensor) : v.ids[t] === `output:${tensor}`;
    if (!writes || !reads) problems.push(`edge ${e} ${v.ids[s]} → ${v.ids[t]} carries ${tensor}`);
    if (v.edgeLabels[e] !== tensorTypeText(a.shapes.get(tensor))) problems.push(`edge ${e} label ${v.edgeLabels[e]}`);
  }
  // No input lost: every input of a box is an edge into it or a line inside it (or comes from a non-box).
  const into = new Map<number, Set<string>>();
  for (let e = 0; e < v.edgeCount; e++) {
    const set = into.get(v.edgeTo[e] as number) ?? new Set<string>();
    set.add(v.edgeTensors[e] as string);
    into.set(v.edgeTo[e] as number, set);
  }
  for (let i = 0; i < n; i++) {
    const node = a.ir.nodeById.get(v.ids[i] as string);
    if (!node) continue;
    for (const x of node.inputs) {
      if (x && !into.get(i)?.has(x) && !v.lineTensors?.[i]?.includes(x)) problems.push(`${node.id} input ${x} neither edge nor line`);
    }
  }

  // Sizes and metrics.
  const statsById = new Map(a.stats.nodes.map((s) => [s.id, s]));
  for (let i = 0; i < n; i++) {
    const lines = v.lines[i] as readonly string[];
    if (lines.length > MAX_NODE_LINES) problems.push(`${v.ids[i]} has ${lines.length} lines`);
    const longest = Math.min(48, Math.max((v.titles[i] as string).length, ...lines.map((l) => l.length)));
    if ((v.widths[i] as number) < Math.max(MIN_NODE_WIDTH, longest * CHAR_WIDTH)) problems.push(`${v.ids[i]} too narrow`);
    if (v.heights[i] !== nodeHeight(lines.length)) problems.push(`${v.ids[i]} height ${v.heights[i]}`);
    const st = statsById.get(v.ids[i] as string);
    const params = v.metrics.params?.[i] as number;
    const macs = v.metrics.macs?.[i] as number;
    if (v.kinds[i] !== NodeKind.Op) {
      if (!Number.isNaN(params) || !Number.isNaN(macs)) problems.push(`${v.ids[i]} has metrics`);
    } else if (!st || params !== st.params || (st.macStatus === 'unknown' ? !Number.isNaN(macs) : macs !== st.macs)) {
      problems.push(`${v.ids[i]} metrics ${params}/${macs}`);
    }
  }
  return problems;
}

describe(`buildViewGraph on the corpus${note}`, () => {
  it.skipIf(!hasCorpus).each(corpusFiles())('%s: every scope is drawn completely and consistently', (file) => {
    const a = corpus(file);
    for (const scope of a.ir.scopes) {
      const v = buildViewGraph(a.ir, a.shapes, a.stats, scope.path);
      expect(viewProblems(a, scope.path, v).slice(0, 10), `${file} scope '${scope.path}'`).toEqual([]);
      expect(v.breadcrumb.at(-1)?.path).toBe(scope.path);
      expect(v.breadcrumb).toHaveLength(scope.depth + 1);
    }
  });

  /** Facts read off the models by hand (Netron, the ONNX files' own attributes). */
  const facts: Array<{ file: string; scope?: string; nodes?: number; node: string; title: string; lines: string[]; edge?: [string, string] }> = [
    { file: 'models/mnist-8_cntk.onnx', nodes: 14, node: 'Convolution28', title: 'Conv', lines: ['k=5×5 same-upper', 'W 8×1×5×5'], edge: ['Input3', 'float32 [1,1,28,28]'] },
    { file: 'models/digits_mlp_op13.onnx', nodes: 8, node: '/1/Gemm', title: 'Gemm', lines: ['transB', 'B 128×64', 'C 128'], edge: ['input', 'float32 [batch,1,8,8]'] },
    { file: 'models/mobilenet_v2_random_op13.onnx', node: '/features/features.0/features.0.0/Conv', title: 'Conv', lines: ['k=3×3 s=2 p=1', 'W 32×3×3×3', 'B 32'] },
    // Depthwise conv; its bias is an Identity of a shared initializer (PyTorch export), folded in.
    { file: 'models/mobilenet_v2_random_op13.onnx', node: '/features/features.1/conv/conv.0/conv.0.0/Conv', title: 'Conv', lines: ['k=3×3 p=1 g=32', 'W 32×1×3×3', 'B 32'] },
    // Clip's min/max are single-use Constant nodes: drawn as values.
    { file: 'models/mobilenet_v2_random_op13.onnx', node: '/features/features.0/features.0.2/Clip', title: 'Clip', lines: ['min = 0', 'max = 6'] },
    // ConstantOfShape weights of the light/ models fold into their consumer: 1,746 IR nodes, 836 of them ConstantOfShape.
    { file: 'onnx-backend-tests/light/light_densenet121.onnx', nodes: 912, node: 'n0', title: 'Conv', lines: ['k=7×7 s=2 p=3', 'W 64×3×7×7'], edge: ['data_0', 'float32 [1,3,224,224]'] },
    { file: 'onnx-backend-tests/light/light_densenet121.onnx', node: 'n1', title: 'BatchNormalization', lines: ['scale 64', 'B 64', 'mean 64', 'var 64'] },
    { file: 'models/digits_attn_op14.onnx', node: '/blocks/blocks.0/Constant_3', title: 'Constant', lines: ['value = [-1]'] },
    { file: 'models/digits_attn_op14.onnx', node: '/blocks/blocks.0/Cast', title: 'Cast', lines: ['to=int64'] },
    { file: 'models/melspectrogram.onnx', node: 'Transpose_6', title: 'Transpose', lines: ['perm=[0,1,3,2]'] },
    { file: 'models/melspectrogram.onnx', node: 'Clip_16', title: 'Clip', lines: ['min = 1e-10', 'max = ∞'] },
    { file: 'models/silero_vad_legacy.onnx', nodes: 9, node: 'If_25', title: 'If', lines: [], edge: ['h', 'float32 [2,batch,64]'] },
    { file: 'models/silero_vad_legacy.onnx', scope: '1/else_branch', node: 'Conv_611', title: 'Conv', lines: ['k=5 p=2 g=258', 'W 258×1×5', 'B 258'] },
    { file: 'models/silero_vad_legacy.onnx', scope: '1/else_branch', node: 'Slice_558', title: 'Slice', lines: ['starts = [129]', 'ends = [∞]', 'axes = [1]', 'steps = [1]'] },
  ];
  it.skipIf(!hasCorpus).each(facts)('$file $scope $node: $title $lines', ({ file, scope, nodes, node, title, lines, edge }) => {
    const a = corpus(file);
    const v = buildViewGraph(a.ir, a.shapes, a.stats, scope ?? '');
    if (nodes !== undefined) expect(v.nodeCount).toBe(nodes);
    const i = v.names.indexOf(node);
    expect(i, `node named ${node}`).toBeGreaterThanOrEqual(0);
    expect(v.titles[i]).toBe(title);
    expect(v.lines[i]).toEqual(lines);
    if (edge) expect(v.edgeLabels[v.edgeTensors.indexOf(edge[0])]).toBe(edge[1]);
  });

  it.skipIf(!hasCorpus)('silero: subgraph breadcrumb, outer values as inputs, If lists its branches', () => {
    const a = corpus('models/silero_vad_legacy.onnx');
    const main = buildViewGraph(a.ir, a.shapes, a.stats, '');
    expect(main.subgraphs[main.titles.indexOf('If')]).toEqual(['else_branch', 'then_branch']);
    const inner = buildViewGraph(a.ir, a.shapes, a.stats, '1/else_branch/12/then_branch');
    expect(inner.breadcrumb.map((c) => c.label)).toEqual(['torch_jit', 'If_25 › else_branch', 'If_543 › then_branch']);
    expect(inner.titles).toEqual(['outer: input_data1.3', 'Squeeze', '665']);
    expect(Array.from(inner.kinds)).toEqual([NodeKind.Input, NodeKind.Op, NodeKind.Output]);
    expect(inner.edgeLabels[0]).toBe('float32 [batch,1,1,?]');
    const branch = buildViewGraph(a.ir, a.shapes, a.stats, '1/else_branch');
    expect(branch.titles.filter((t) => t.startsWith('outer: ')).sort()).toEqual(['outer: c', 'outer: h', 'outer: input']);
  });
});

describe('buildViewGraph folding rules', () => {
  const F = DataType.FLOAT;
  const spec: ModelSpec = {
    irVersion: 3, // IR < 4: initializers are listed as graph inputs too
    nodes: [
      { op: 'Constant', inputs: [], outputs: ['one'], attrs: { value: { t: floatTensor('', [], [1]) } }, name: 'shared' },
      { op: 'Constant', inputs: [], outputs: ['axes'], attrs: { value: { t: int64Tensor('', [1], [0]) } }, name: 'single' },
      { op: 'ConstantOfShape', inputs: ['wshape'], outputs: ['w'], name: 'cos' },
      { op: 'Identity', inputs: ['bias'], outputs: ['b'], name: 'alias' },
      { op: 'Conv', inputs: ['x', 'w', 'b'], outputs: ['y'], attrs: { kernel_shape: [3, 3], pads: [1, 1, 1, 1], group: 1 }, name: 'conv' },
      { op: 'Add', inputs: ['y', 'one'], outputs: ['z'], name: 'add' },
      { op: 'Mul', inputs: ['z', 'one'], outputs: ['m'], name: 'mul' },
      { op: 'Unsqueeze', inputs: ['m', 'axes'], outputs: ['u'], name: 'unsq' },
      { op: 'DequantizeLinear', inputs: ['q', 'scale'], outputs: ['dq'], name: 'dq' },
      { op: 'Mul', inputs: ['u', 'u'], outputs: ['sq'], name: 'square' },
      { op: 'Constant', inputs: [], outputs: ['k'], attrs: { value: { t: floatTensor('', [2], [1, 2]) } }, name: 'returned' },
    ],
    inputs: [['x', F, ['N', 4, 8, 8]], ['wshape', DataType.INT64, [4]], ['bias', F, [8]]],
    outputs: [['sq', F, undefined], ['dq', F, undefined], ['k', F, undefined]],
    initializers: [
      int64Tensor('wshape', [4], [8, 4, 3, 3]),
      floatTensor('bias', [8]),
      { name: 'q', dataType: DataType.INT8, dims: [Long.fromNumber(16)], rawData: new Uint8Array(16) },
      floatTensor('scale', [], [0.5]),
    ],
  };
  const a = analyse(model(spec));
  const v = buildViewGraph(a.ir, a.shapes, a.stats, '');
  const byName = (name: string): number => v.names.indexOf(name);

  it('draws weights and single-use constants as lines, keeps shared and returned constants as boxes', () => {
    expect(viewProblems(a, '', v)).toEqual([]);
    expect(v.titles.filter((_, i) => v.kinds[i] === NodeKind.Input)).toEqual(['x']); // wshape and bias are initializers
    expect(byName('single')).toBe(-1);
    expect(byName('cos')).toBe(-1);
    expect(byName('alias')).toBe(-1);
    expect(v.lines[byName('conv')]).toEqual(['k=3×3 p=1', 'W 8×4×3×3', 'B 8']);
    expect(v.foldedIds?.[byName('conv')]).toEqual(['2', '3']);
    expect(v.lineTensors?.[byName('conv')]).toEqual(['w', 'b']);
    expect(v.lines[byName('unsq')]).toEqual(['axes = [0]']);
    expect(v.lines[byName('shared')]).toEqual(['value = 1']);
    expect(v.lines[byName('returned')]).toEqual(['value 2']); // float32 is the default: not spelled out
    // Quantized weights stay visible, with their element type.
    expect(v.lines[byName('dq')]).toEqual(['x int8 16', 'x_scale = 0.5']);
  });

  it('labels edges with dtype and shape, symbols by name; one edge for Mul(u, u)', () => {
    expect(v.edgeLabels[v.edgeTensors.indexOf('x')]).toBe('float32 [N,4,8,8]');
    expect(v.edgeTensors.filter((t) => t === 'u')).toHaveLength(1);
    expect(v.edgeTensors.filter((t) => t === 'one')).toHaveLength(2);
  });

  it('rejects a scope the model does not have', () => {
    expect(() => buildViewGraph(a.ir, a.shapes, a.stats, '7/body')).toThrow(RangeError);
  });

  it('builds a generated 5,000-node network completely (20,000: layout tests and bench:layout)', () => {
    const g = analyse(generateNetwork(5_000, 1));
    const big = buildViewGraph(g.ir, g.shapes, g.stats, '');
    expect(big.nodeCount).toBe(5_002);
    expect(viewProblems(g, '', big)).toEqual([]);
    expect(big.edgeLabels.every((l) => l.startsWith('float32 [N,'))).toBe(true);
  });
});
