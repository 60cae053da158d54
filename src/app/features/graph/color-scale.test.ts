/** Colour scales and overlay bookkeeping: table-driven. */
import { describe, expect, it } from 'vitest';
import { SCALE_STEPS, bareOpType, formatCompact, linearBucket, logBucket, logScaleOf, luminance, opFamily, scaleColour, textColourOn } from './color-scale';
import { computeNodePaint, overlayLabel, overlayOptions } from './node-paint';
import { NodeKind } from './graph-kinds';
import { fakeGraph } from './dev/fake-graph';

describe('colour scales', () => {
  it.each([
    ['Conv', 'conv'],
    ['com.microsoft.FusedConv', 'conv'],
    ['Relu', 'activation'],
    ['BatchNormalization', 'norm'],
    ['QuantizeLinear', 'quant'],
    ['If', 'control'],
    ['MatMul', 'matmul'],
    ['Reshape', 'shape'],
    ['SomethingCustom', 'other'],
  ])('%s is in family %s', (op, family) => {
    expect(opFamily(op).id).toBe(family);
  });

  it('bareOpType strips the domain', () => {
    expect(bareOpType('com.microsoft.QLinearConv')).toBe('QLinearConv');
    expect(bareOpType('Add')).toBe('Add');
  });

  it.each([
    [[1, 10, 100, 1000], 1, 1000, false, false],
    [[0, 0, 5, NaN], 5, 5, true, true],
    [[NaN, Infinity], NaN, NaN, false, true],
  ])('logScaleOf(%o) → min %d max %d zero %s missing %s', (values, min, max, zero, missing) => {
    const s = logScaleOf(values);
    expect(s.min).toBe(min);
    expect(s.max).toBe(max);
    expect(s.hasZero).toBe(zero);
    expect(s.hasMissing).toBe(missing);
  });

  it('logBucket is monotone, log-spaced and separates zero and NaN', () => {
    const s = logScaleOf([1, 1e6]);
    expect(logBucket(s, 1)).toBe(0);
    expect(logBucket(s, 1e6)).toBe(SCALE_STEPS - 1);
    expect(logBucket(s, 1e3)).toBe(SCALE_STEPS / 2); // the geometric middle
    expect(logBucket(s, 0)).toBe(-1);
    expect(logBucket(s, NaN)).toBe(-2);
    let last = -1;
    for (let v = 1; v <= 1e6; v *= 1.7) {
      const b = logBucket(s, v);
      expect(b).toBeGreaterThanOrEqual(last);
      last = b;
    }
    expect(logBucket(logScaleOf([7]), 7)).toBe(SCALE_STEPS - 1);
  });

  it('the sequential scale gets darker towards high values and text stays readable', () => {
    expect(luminance(scaleColour(0))).toBeGreaterThan(luminance(scaleColour(0.5)));
    expect(luminance(scaleColour(0.5))).toBeGreaterThan(luminance(scaleColour(1)));
    expect(textColourOn(scaleColour(0))).toBe('#1b2330');
    expect(textColourOn(scaleColour(1))).toBe('#ffffff');
    expect(textColourOn('#ffffff')).toBe('#1b2330');
    expect(textColourOn('#33609e')).toBe('#ffffff');
  });

  it.each([
    [0, '0'],
    [999, '999'],
    [1234, '1.23k'],
    [56_700_000, '56.7M'],
    [3.2e9, '3.20G'],
    [0.125, '0.13'],
    [NaN, '—'],
  ])('formatCompact(%d) = %s', (n, text) => {
    expect(formatCompact(n)).toBe(text);
  });

  it('overlays: op type, none, then one per metric, with readable labels', () => {
    const { view } = fakeGraph(50);
    expect(overlayOptions(view)).toEqual([
      { id: 'op', label: 'Op type' },
      { id: 'none', label: 'None' },
      { id: 'params', label: 'Parameters' },
      { id: 'macs', label: 'MACs' },
    ]);
    expect(overlayLabel('latency_ms')).toBe('latency_ms');
    expect(overlayOptions(null).map((o) => o.id)).toEqual(['op', 'none']);
  });

  it.each([
    [0, 1, 0.5, SCALE_STEPS / 2],
    [0, 1, 1, SCALE_STEPS - 1],
    [0, 1, 0.001, 0],
    [0, 1, 0, -1],
    [0, 10, NaN, -2],
    [0, 10, 5, SCALE_STEPS / 2],
    [0, NaN, 3, SCALE_STEPS - 1],
  ])('linearBucket(%d, %d, %d) = %d', (min, max, v, bucket) => {
    expect(linearBucket(min, max, v)).toBe(bucket);
  });

  it('weight sparsity and channels removed: linear scales with their own words; log for the rest', () => {
    const { view } = fakeGraph(50);
    const ops = [...view.kinds].map((k, i) => (k === NodeKind.Op ? i : -1)).filter((i) => i >= 0);
    const sparsity = new Float64Array(view.nodeCount).fill(NaN);
    const channels = new Float64Array(view.nodeCount).fill(NaN);
    ops.forEach((i, k) => {
      sparsity[i] = k % 3 === 0 ? 0 : k % 3 === 1 ? 0.5 : NaN;
      channels[i] = k % 2 === 0 ? 0 : 8;
    });
    const withMetrics = { ...view, metrics: { ...view.metrics, sparsity, channelsRemoved: channels } };
    expect(overlayOptions(withMetrics).slice(-2)).toEqual([
      { id: 'sparsity', label: 'Weight sparsity' },
      { id: 'channelsRemoved', label: 'Channels removed' },
    ]);
    const s = computeNodePaint(withMetrics, 'sparsity');
    if (s.legend.kind !== 'scale') throw new Error('not a scale legend');
    expect([s.legend.scale, s.legend.unit, s.legend.min, s.legend.max]).toEqual(['linear', 'percent', 0, 1]);
    expect(s.legend.counts.positive + s.legend.counts.zero + s.legend.counts.missing).toBe(ops.length);
    expect(s.legend.zeroLabel).toMatch(/0 %/);
    // 50 % sits in the middle of the 0–100 % scale, not where a log scale would put it.
    const half = ops.find((_, k) => k % 3 === 1) ?? -1;
    expect(s.palette[s.fill[half] ?? 0]).toBe(scaleColour((SCALE_STEPS / 2 + 0.5) / SCALE_STEPS));
    const c = computeNodePaint(withMetrics, 'channelsRemoved');
    if (c.legend.kind !== 'scale') throw new Error('not a scale legend');
    expect([c.legend.scale, c.legend.min, c.legend.max, c.legend.counts.positive]).toEqual(['linear', 0, 8, Math.floor(ops.length / 2)]);
    expect(c.legend.description).toMatch(/original/);
    const p = computeNodePaint(withMetrics, 'params');
    expect(p.legend.kind === 'scale' && p.legend.scale).toBe('log');
  });
});
