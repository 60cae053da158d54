import { describe, expect, it } from 'vitest';
import { parseTrace, summarizeTrace } from './profile.js';

const kernel = (name: string, op: string, ts: number, dur: number, type = 'float'): string =>
  `{"cat" : "Node","pid" :1,"tid" :2,"dur" :${dur},"ts" :${ts},"ph" : "X","name" :"${name}_kernel_time","args" : {"op_name" : "${op}","provider" : "CPUExecutionProvider","input_type_shape" : [{"${type}":[1,3]}]}},`;
const run = (ts: number, dur: number): string => `{"cat" : "Session","pid" :1,"tid" :2,"dur" :${dur},"ts" :${ts},"ph" : "X","name" :"model_run","args" : {}},`;

// Two runs of conv (FusedConv) + relu-less pool; the first run is warm-up.
const LINES = [
  '[',
  `{"cat" : "Session","pid" :1,"tid" :2,"dur" :500,"ts" :0,"ph" : "X","name" :"session_initialization","args" : {}},`,
  kernel('conv', 'FusedConv', 1000, 300),
  kernel('pool', 'MaxPool', 1300, 100),
  run(990, 420),
  kernel('conv', 'FusedConv', 2000, 200),
  kernel('pool', 'MaxPool', 2200, 50),
  run(1990, 270),
  'not json {',
  '{"broken": ',
  ']',
];

describe('parseTrace / summarizeTrace', () => {
  it('reads kernels, runs and session init; skips junk, counts bad event lines', () => {
    const t = parseTrace(LINES);
    expect(t.kernels).toHaveLength(4);
    expect(t.runs).toHaveLength(2);
    expect(t.sessionInitUs).toBe(500);
    expect(t.badLines).toBe(1);
    expect(t.kernels[0]).toMatchObject({ node: 'conv', kernel: 'FusedConv', durUs: 300, inputType: 'float' });
  });

  it.each([
    { skip: 0, runs: 2, conv: 250, pool: 75, total: 325 },
    { skip: 1, runs: 1, conv: 200, pool: 50, total: 250 },
  ])('averages over the runs after $skip warm-up runs', ({ skip, runs, conv, pool, total }) => {
    const s = summarizeTrace(parseTrace(LINES), skip);
    expect(s.runs).toBe(runs);
    expect(s.kernelUsPerRun).toBe(total);
    expect(s.nodes.map((n) => [n.node, n.meanUs])).toEqual([
      ['conv', conv],
      ['pool', pool],
    ]);
    expect(s.nodes.reduce((a, n) => a + n.share, 0)).toBeCloseTo(1, 9);
    expect(s.kernels[0]).toMatchObject({ kernel: 'FusedConv', nodes: 1 });
  });

  it('an empty trace gives an empty summary', () => {
    const s = summarizeTrace(parseTrace([]));
    expect(s.nodes).toEqual([]);
    expect(s.kernelUsPerRun).toBe(0);
  });
});
