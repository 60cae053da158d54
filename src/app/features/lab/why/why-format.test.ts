/** The "Why" section's pure helpers: table-driven. */
import { describe, expect, it } from 'vitest';
import { kernelTimeColumn, mergeNames, mostSensitive, profileCounts, quantizationStep, sqnrColumn, worstRows } from './why-format';

const fid = (sqnrDb: number) => ({ cosine: 1, maxAbsError: 0, relativeL2: 0, sqnrDb, elements: 1 });

describe('why-format', () => {
  it.each([
    [[{ pass: 'fp16', options: {} }], undefined],
    [[{ pass: 'int8-static', options: { placement: 'all' } }], 'int8-static'],
    [[{ pass: 'prune-channels', options: {} }, { pass: 'int8-dynamic', options: {} }], 'int8-dynamic'],
    [[{ pass: 'weight-only', options: {} }, { pass: 'fp16-weights', options: {} }], 'weight-only'],
    [[], undefined],
  ])('quantizationStep(%j) → %s', (steps, pass) => {
    expect(quantizationStep({ steps })?.pass).toBe(pass);
  });

  it('profileCounts reads as a sentence', () => {
    expect(profileCounts({ ran: 8, fused: 19, folded: 2, quantizedFused: 1, quantizedButFloat: 0 })).toBe('8 ran, 19 fused into neighbours, 2 folded; 1 int8 kernel, 0 quantized layers still in float');
  });

  it('kernelTimeColumn: ran nodes their time, fused and folded 0', () => {
    const col = kernelTimeColumn({
      nodes: [
        { index: 0, label: 'conv1', op: 'Conv', status: 'ran', kernel: 'FusedConv', meanUs: 12.5, share: 0.5 },
        { index: 1, label: '#1', op: 'Relu', status: 'fused', fusedInto: { label: 'conv1', kernel: 'FusedConv' } },
        { index: 2, label: '#2', op: 'Constant', status: 'folded' },
      ],
    });
    expect([...col]).toEqual([['conv1', 12.5], ['#1', 0], ['#2', 0]]);
  });

  it('sqnrColumn keeps the worst tensor of a node; worstRows skips ∞', () => {
    const rows = [
      { producer: 'a', fidelity: fid(30) },
      { producer: 'a', fidelity: fid(20) },
      { producer: 'b', fidelity: fid(Infinity) },
      { producer: 'c', fidelity: fid(10) },
      { producer: 'd', fidelity: fid(40) },
    ];
    expect([...sqnrColumn(rows)]).toEqual([['a', 20], ['b', Infinity], ['c', 10], ['d', 40]]);
    expect([...worstRows(rows, 2)].sort()).toEqual([1, 3]);
    expect(worstRows(rows, 0).size).toBe(0);
  });

  it.each([
    [0, []],
    [1, ['x']],
    [2.7, ['x', 'y']],
    [9, ['x', 'y', 'z']],
  ])('mostSensitive(n = %d)', (n, nodes) => {
    expect(mostSensitive([{ node: 'x' }, { node: 'y' }, { node: 'z' }], n)).toEqual(nodes);
  });

  it('mergeNames adds only new names, once', () => {
    expect(mergeNames(['a', 'b'], ['b', 'c', 'c'])).toEqual(['a', 'b', 'c']);
  });
});
