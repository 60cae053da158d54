import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { onnx } from '../onnx/codec.js';
import { DataType, decodeModelProto } from '../onnx/codec.js';
import { validateModel } from './validate.js';
import type { ValidationCode } from './validate.js';
import { floatTensor, graph, model } from './test-models.js';
import type { ModelSpec } from './test-models.js';

const CORPUS = fileURLToPath(new URL('../../../../shared/corpus/', import.meta.url));
const hasCorpus = existsSync(CORPUS);
const note = hasCorpus ? '' : ` — SKIPPED: the test corpus is not at ${CORPUS}`;
const FLOAT = DataType.FLOAT;

const base = (over: Partial<ModelSpec>): onnx.IModelProto =>
  model({
    inputs: [['x', FLOAT, [1, 4]]],
    outputs: [['y', FLOAT, [1, 4]]],
    nodes: [{ op: 'Relu', inputs: ['x'], outputs: ['y'], name: 'relu' }],
    ...over,
  });

interface Case {
  readonly label: string;
  readonly model: () => onnx.IModelProto;
  readonly code: ValidationCode;
  readonly severity: 'error' | 'warning';
  /** The message must name these (node and tensor). */
  readonly names: string[];
  readonly nodeId?: string;
}

const CASES: Case[] = [
  { label: 'no graph', model: () => ({ irVersion: model({ nodes: [] }).irVersion, opsetImport: [] }), code: 'missing-graph', severity: 'error', names: [] },
  {
    label: 'input nobody provides',
    model: () => base({ nodes: [{ op: 'Add', inputs: ['x', 'ghost'], outputs: ['y'], name: 'add' }] }),
    code: 'dangling-input',
    severity: 'error',
    names: ['add', 'ghost'],
    nodeId: '0',
  },
  {
    label: 'two producers of one name',
    model: () =>
      base({
        nodes: [
          { op: 'Relu', inputs: ['x'], outputs: ['y'], name: 'first' },
          { op: 'Neg', inputs: ['x'], outputs: ['y'], name: 'second' },
        ],
      }),
    code: 'duplicate-output',
    severity: 'error',
    names: ['second', 'first', 'y'],
    nodeId: '1',
  },
  {
    label: 'node overwriting an initializer',
    model: () => base({ initializers: [floatTensor('w', [4])], nodes: [{ op: 'Relu', inputs: ['x'], outputs: ['w'], name: 'clobber' }, { op: 'Relu', inputs: ['w'], outputs: ['y'] }] }),
    code: 'duplicate-output',
    severity: 'error',
    names: ['clobber', 'w', 'initializer'],
  },
  {
    label: 'cycle',
    model: () =>
      base({
        nodes: [
          { op: 'Add', inputs: ['x', 'b'], outputs: ['a'], name: 'A' },
          { op: 'Relu', inputs: ['a'], outputs: ['b'], name: 'B' },
          { op: 'Relu', inputs: ['b'], outputs: ['y'], name: 'C' },
        ],
      }),
    code: 'cycle',
    severity: 'error',
    names: ['A', 'B'],
    nodeId: '0',
  },
  {
    label: 'domain without opset_import',
    model: () => base({ nodes: [{ op: 'FusedGemm', domain: 'com.microsoft', inputs: ['x'], outputs: ['y'], name: 'fg' }] }),
    code: 'unknown-domain',
    severity: 'error',
    names: ['fg', 'com.microsoft'],
  },
  { label: 'ai.onnx opset newer than known', model: () => base({ opsets: { '': 29 } }), code: 'unknown-opset-version', severity: 'warning', names: ['29'] },
  { label: 'absurd opset', model: () => base({ opsets: { '': 17, 'com.microsoft': 99 } }), code: 'suspicious-opset-version', severity: 'warning', names: ['99', 'com.microsoft'] },
  {
    label: 'graph output nobody produces',
    model: () => base({ outputs: [['nowhere', FLOAT, [1]]] }),
    code: 'dangling-output',
    severity: 'error',
    names: ['nowhere'],
  },
  {
    label: 'nodes out of order',
    model: () =>
      base({
        nodes: [
          { op: 'Relu', inputs: ['a'], outputs: ['y'], name: 'second' },
          { op: 'Neg', inputs: ['x'], outputs: ['a'], name: 'first' },
        ],
      }),
    code: 'unsorted-nodes',
    severity: 'warning',
    names: [],
  },
  {
    label: 'dangling input inside a subgraph',
    model: () =>
      base({
        inputs: [['x', FLOAT, [1, 4]], ['c', DataType.BOOL, []]],
        nodes: [
          {
            op: 'If',
            inputs: ['c'],
            outputs: ['y'],
            name: 'branch',
            attrs: {
              then_branch: { g: graph({ nodes: [{ op: 'Relu', inputs: ['x'], outputs: ['t'] }], outputs: [['t', FLOAT, undefined]] }) },
              else_branch: { g: graph({ nodes: [{ op: 'Relu', inputs: ['missing'], outputs: ['e'], name: 'inner' }], outputs: [['e', FLOAT, undefined]] }) },
            },
          },
        ],
      }),
    code: 'dangling-input',
    severity: 'error',
    names: ['inner', 'missing', '0/else_branch'],
    nodeId: '0/else_branch/0',
  },
];

describe('validateModel finds each kind of problem', () => {
  it.each(CASES)('$label → $code', (c) => {
    const issues = validateModel(c.model());
    const hit = issues.find((i) => i.code === c.code);
    expect(hit, JSON.stringify(issues)).toBeDefined();
    expect(hit?.severity).toBe(c.severity);
    for (const n of c.names) expect(hit?.message).toContain(n);
    if (c.nodeId !== undefined) expect(hit?.nodeId).toBe(c.nodeId);
  });

  it('a correct model has no issues', () => {
    expect(validateModel(base({}))).toEqual([]);
  });

  it('accepts ai.onnx opsets up to 28 and the default domain spelled "ai.onnx"', () => {
    expect(validateModel(base({ opsets: { 'ai.onnx': 28 } }))).toEqual([]);
  });

  it('never throws, whatever the proto holds', () => {
    const odd: onnx.IModelProto[] = [
      {},
      { graph: {} },
      { graph: { node: [{}] } },
      { graph: { node: [{ opType: 'If', attribute: [{ name: 'then_branch', g: {} }] }] } },
      { graph: { node: [{ opType: 'Constant', output: ['c'], attribute: [{ name: 'value' }] }], output: [{}] } },
    ];
    for (const m of odd) expect(() => validateModel(m)).not.toThrow();
    expect(validateModel({}).map((i) => i.code)).toEqual(['missing-ir-version', 'missing-graph']);
  });

  it('summarises a flood of one kind of issue', () => {
    const nodes = Array.from({ length: 80 }, (_, i) => ({ op: 'Relu', inputs: [`ghost${i}`], outputs: [`o${i}`] }));
    const issues = validateModel(base({ nodes: [...nodes, { op: 'Relu', inputs: ['x'], outputs: ['y'] }] }));
    expect(issues.filter((i) => i.code === 'dangling-input').length).toBe(51);
    expect(issues.at(-1)?.message).toContain('30 more');
  });
});

describe(`validateModel on the corpus${note}`, () => {
  const files = hasCorpus ? readdirSync(`${CORPUS}models`).filter((f) => f.endsWith('.onnx')) : [];
  it.skipIf(!hasCorpus).each(files)('%s has no errors', (file) => {
    const issues = validateModel(decodeModelProto(new Uint8Array(readFileSync(`${CORPUS}models/${file}`))));
    expect(issues.filter((i) => i.severity === 'error')).toEqual([]);
  });
});
