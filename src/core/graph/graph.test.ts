import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { onnx } from '../onnx/codec.js';
import { DataType, Long, decodeModelProto } from '../onnx/codec.js';
import { buildGraph } from './build-graph.js';
import type { GraphIR, Scope } from './ir.js';
import { resolveValue, resolveWeight, resolveWeightThroughIdentity } from './resolve.js';
import { floatTensor, graph, int64Tensor, model } from './test-models.js';

const CORPUS = fileURLToPath(new URL('../../../../shared/corpus/', import.meta.url));
const hasCorpus = existsSync(CORPUS);
const note = hasCorpus ? '' : ` — SKIPPED: the test corpus is not at ${CORPUS}`;
const MODELS = hasCorpus ? readdirSync(`${CORPUS}models`).filter((f) => f.endsWith('.onnx')).sort() : [];
const load = (rel: string): onnx.IModelProto => decodeModelProto(new Uint8Array(readFileSync(CORPUS + rel)));
const FLOAT = DataType.FLOAT;

/** Independent walk over the protos: node count, subgraph count and weight count. */
function protoCounts(g: onnx.IGraphProto): { nodes: number; graphs: number; weights: number } {
  let nodes = 0;
  let graphs = 1;
  let weights = (g.initializer ?? []).length + (g.sparseInitializer ?? []).length;
  for (const n of g.node ?? []) {
    nodes++;
    const names = new Set((n.attribute ?? []).map((a) => a.name));
    if (n.opType === 'Constant' && ['value', 'sparse_value', 'value_float', 'value_floats', 'value_int', 'value_ints'].some((k) => names.has(k))) weights++;
    for (const a of n.attribute ?? []) {
      for (const sub of [...(a.g ? [a.g] : []), ...(a.graphs ?? [])]) {
        const c = protoCounts(sub);
        nodes += c.nodes;
        graphs += c.graphs;
        weights += c.weights;
      }
    }
  }
  return { nodes, graphs, weights };
}

/** Problems with a scope's order and indexes, as readable strings (one expect per model keeps the suite fast). */
function scopeProblems(scope: Scope): string[] {
  const problems: string[] = [];
  if (scope.cyclic.length > 0) problems.push(`${scope.path}: cyclic ${scope.cyclic.length}`);
  if (scope.order.length !== scope.nodes.length) problems.push(`${scope.path}: order has ${scope.order.length} of ${scope.nodes.length}`);
  const position = new Map(scope.order.map((n, i) => [n, i]));
  for (const node of scope.order) {
    for (const name of [...node.inputs, ...node.implicitInputs]) {
      if (!name) continue;
      const p = scope.producer.get(name);
      // Every node comes after the local producers of what it reads (explicitly or via subgraphs).
      if (p && (position.get(p) as number) >= (position.get(node) as number)) problems.push(`${p.id} not before ${node.id}`);
      if (!scope.consumers.get(name)?.includes(node)) problems.push(`${node.id} missing from consumers of ${name}`);
      // Every input resolves somewhere (the corpus models are valid).
      if (!resolveValue(scope, name)) problems.push(`${node.id} reads unresolved ${name}`);
    }
  }
  return problems;
}

describe(`buildGraph over the corpus models${note}`, () => {
  it.skipIf(!hasCorpus).each(MODELS)('%s: counts, order, ids, consumers', (file) => {
    const m = load(`models/${file}`);
    const ir = buildGraph(m);
    const want = protoCounts(m.graph as onnx.IGraphProto);
    expect(ir.nodes.length).toBe(want.nodes);
    expect(ir.scopes.length).toBe(want.graphs);
    expect(ir.weights.length).toBe(want.weights);
    expect(ir.nodeById.size).toBe(ir.nodes.length);
    expect(ir.scopes.flatMap(scopeProblems)).toEqual([]);
  });
});

describe(`buildGraph facts${note}`, () => {
  it.skipIf(!hasCorpus)('mnist-8 has 12 nodes in one scope, with ids 0..11 in file order', () => {
    const ir = buildGraph(load('models/mnist-8_cntk.onnx'));
    expect(ir.nodes.length).toBe(12);
    expect(ir.scopes.length).toBe(1);
    expect(ir.nodes.map((n) => n.id)).toEqual(Array.from({ length: 12 }, (_, i) => String(i)));
    expect(ir.root?.order.map((n) => n.index)).toEqual(Array.from({ length: 12 }, (_, i) => i));
  });

  it.skipIf(!hasCorpus)('silero VAD: If subgraphs are scopes that read outer values', () => {
    const ir = buildGraph(load('models/silero_vad_legacy.onnx'));
    const root = ir.root as Scope;
    expect(root.nodes.length).toBe(2);
    expect(ir.scopes.length).toBe(19);
    const ifNode = root.nodes[1];
    expect(ifNode?.opType).toBe('If');
    expect(ifNode?.subgraphs.map((s) => s.attribute).sort()).toEqual(['else_branch', 'then_branch']);
    // The branches read the graph inputs: the If node depends on them implicitly.
    expect(ifNode?.implicitInputs).toEqual(expect.arrayContaining(['input', 'h', 'c']));
    expect(root.consumers.get('input')).toContain(ifNode);
    const inner = ifNode?.subgraphs[0] as Scope;
    expect(inner.path).toMatch(/^1\/(then|else)_branch$/);
    expect(inner.nodes[0]?.id).toBe(`${inner.path}/0`);
    const src = resolveValue(inner, 'input');
    expect(src?.kind).toBe('input');
    expect(src?.scope).toBe(root);
    // Subgraph initializers are weights of their scope.
    expect(ir.weights.some((w) => w.scope.depth > 0)).toBe(true);
  });

  it.skipIf(!hasCorpus)('mobilenet_v2: Identity-shared weights resolve to the initializer', () => {
    const ir = buildGraph(load('models/mobilenet_v2_random_op13.onnx'));
    const root = ir.root as Scope;
    const identity = root.nodes.find((n) => n.opType === 'Identity');
    const shared = identity?.outputs[0] as string;
    expect(resolveWeight(root, shared)).toBeUndefined();
    expect(resolveWeightThroughIdentity(root, shared)?.name).toBe(identity?.inputs[0]);
  });
});

describe('buildGraph on synthetic graphs', () => {
  const chain = (order: number[]): GraphIR =>
    buildGraph(
      model({
        inputs: [['x', FLOAT, [1]]],
        outputs: [['y3', FLOAT, [1]]],
        nodes: order.map((i) => ({ op: 'Relu', inputs: [i === 0 ? 'x' : `y${i - 1}`], outputs: [`y${i}`], name: `n${i}` })),
      }),
    );

  it('orders an unsorted file topologically and leaves a sorted one as is', () => {
    expect(chain([0, 1, 2, 3]).root?.order.map((n) => n.name)).toEqual(['n0', 'n1', 'n2', 'n3']);
    expect(chain([3, 1, 0, 2]).root?.order.map((n) => n.name)).toEqual(['n0', 'n1', 'n2', 'n3']);
  });

  it('is stable: independent nodes keep file order', () => {
    const ir = buildGraph(
      model({
        inputs: [['x', FLOAT, [1]]],
        nodes: [
          { op: 'Relu', inputs: ['a'], outputs: ['b'], name: 'late' },
          { op: 'Neg', inputs: ['x'], outputs: ['p'], name: 'p' },
          { op: 'Abs', inputs: ['x'], outputs: ['a'], name: 'a' },
          { op: 'Exp', inputs: ['x'], outputs: ['q'], name: 'q' },
        ],
      }),
    );
    expect(ir.root?.order.map((n) => n.name)).toEqual(['p', 'a', 'late', 'q']);
  });

  it('reports nodes on a cycle and still orders every node', () => {
    const ir = buildGraph(
      model({
        inputs: [['x', FLOAT, [1]]],
        nodes: [
          { op: 'Add', inputs: ['x', 'c'], outputs: ['a'] },
          { op: 'Relu', inputs: ['a'], outputs: ['b'] },
          { op: 'Relu', inputs: ['b'], outputs: ['c'] },
          { op: 'Relu', inputs: ['x'], outputs: ['free'] },
        ],
      }),
    );
    expect(ir.root?.cyclic.map((n) => n.index)).toEqual([0, 1, 2]);
    expect(ir.root?.order.map((n) => n.index)).toEqual([3, 0, 1, 2]);
  });

  it('makes Constant tensors weights, whatever attribute holds them, and indexes sparse initializers', () => {
    const sparse: onnx.ISparseTensorProto = {
      values: { name: 'sp', dataType: FLOAT, dims: [Long.fromNumber(3)], floatData: [1, 2, 3] },
      indices: int64Tensor('', [3], [0, 5, 9]),
      dims: [Long.fromNumber(10)],
    };
    const ir = buildGraph(
      model({
        nodes: [
          { op: 'Constant', inputs: [], outputs: ['t'], attrs: { value: { t: floatTensor('', [2, 3]) } } },
          { op: 'Constant', inputs: [], outputs: ['fs'], attrs: { value_floats: { floats: [1, 2, 3, 4] } } },
          { op: 'Constant', inputs: [], outputs: ['i'], attrs: { value_int: 7 } },
          { op: 'Constant', inputs: [], outputs: ['is'], attrs: { value_ints: [1, 2] } },
          { op: 'Constant', inputs: [], outputs: ['s'], attrs: { value_string: 'label' } },
          { op: 'Add', inputs: ['t', 'w'], outputs: ['y'] },
        ],
        initializers: [floatTensor('w', [2, 3])],
        sparseInitializers: [sparse],
      }),
    );
    const byName = new Map(ir.weights.map((w) => [w.name, w]));
    expect([...byName.keys()].sort()).toEqual(['fs', 'i', 'is', 'sp', 't', 'w']);
    expect(byName.get('t')).toMatchObject({ kind: 'constant', dims: [2, 3], elements: 6, dtype: FLOAT });
    expect(byName.get('fs')).toMatchObject({ kind: 'constant', dims: [4], elements: 4 });
    expect(byName.get('i')).toMatchObject({ dims: [], elements: 1, dtype: DataType.INT64 });
    expect(byName.get('is')?.tensor?.int64Data?.length).toBe(2);
    expect(byName.get('sp')).toMatchObject({ kind: 'sparse-initializer', dims: [10], elements: 3 });
    expect(resolveValue(ir.root as Scope, 'sp')?.kind).toBe('sparse-initializer');
    expect(resolveWeight(ir.root as Scope, 't')?.node?.index).toBe(0);
  });

  it('gives subgraph nodes scope-path ids and resolves outer names through scopes', () => {
    const body = graph({
      nodes: [{ op: 'Add', inputs: ['outer', 'inner'], outputs: ['r'] }],
      initializers: [floatTensor('inner', [1])],
      outputs: [['r', FLOAT, [1]]],
    });
    const ir = buildGraph(
      model({
        inputs: [['cond', DataType.BOOL, []]],
        nodes: [
          { op: 'Relu', inputs: ['cond'], outputs: ['outer'] },
          { op: 'If', inputs: ['cond'], outputs: ['y'], attrs: { then_branch: { g: body }, else_branch: { g: body } } },
        ],
      }),
    );
    const ifNode = ir.nodeById.get('1');
    expect(ifNode?.implicitInputs).toEqual(['outer']);
    expect(ir.nodeById.get('1/then_branch/0')?.opType).toBe('Add');
    expect(ir.nodeById.get('1/else_branch/0')).toBeDefined();
    const then = ifNode?.subgraphs[0] as Scope;
    expect(then.freeVariables).toEqual(['outer']);
    expect(resolveValue(then, 'outer')).toMatchObject({ kind: 'node', outputIndex: 0 });
    expect(resolveValue(then, 'inner')?.kind).toBe('initializer');
  });
});
