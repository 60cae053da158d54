import { describe, expect, it } from 'vitest';
import { histogram, nearestRank, summarizeLatency } from './latency.js';

const range = (a: number, b: number): number[] => Array.from({ length: b - a + 1 }, (_, i) => a + i);

// Expected figures worked out by hand from the definitions in latency.ts.
const CASES: ReadonlyArray<{
  readonly name: string;
  readonly runs: readonly number[];
  readonly median: number;
  readonly p90: number;
  readonly p99: number;
  readonly min: number;
  readonly mean: number;
  readonly std: number;
  readonly throughput: number;
  readonly bins: readonly number[];
}> = [
  { name: 'one run', runs: [5], median: 5, p90: 5, p99: 5, min: 5, mean: 5, std: 0, throughput: 200, bins: [1] },
  { name: 'even count: median is the mean of the middle two', runs: [4, 1, 3, 2], median: 2.5, p90: 4, p99: 4, min: 1, mean: 2.5, std: Math.sqrt(5 / 3), throughput: 400, bins: [2, 2] },
  { name: '1..10 shuffled: p90 is rank 9, p99 rank 10', runs: [10, 1, 9, 2, 8, 3, 7, 4, 6, 5], median: 5.5, p90: 9, p99: 10, min: 1, mean: 5.5, std: Math.sqrt(82.5 / 9), throughput: 1000 / 5.5, bins: [5, 5] },
  { name: '1..100: Freedman–Diaconis gives 5 bins', runs: range(1, 100), median: 50.5, p90: 90, p99: 99, min: 1, mean: 50.5, std: Math.sqrt(((100 * 100 - 1) / 12) * (100 / 99)), throughput: 1000 / 50.5, bins: [20, 20, 20, 20, 20] },
  { name: 'IQR 0: Sturges bins over the range', runs: [2, 2, 10, 2, 2], median: 2, p90: 10, p99: 10, min: 2, mean: 3.6, std: Math.sqrt((4 * 1.6 * 1.6 + 6.4 * 6.4) / 4), throughput: 1000 / 3.6, bins: [4, 0, 0, 1] },
  { name: 'all equal', runs: [3, 3, 3], median: 3, p90: 3, p99: 3, min: 3, mean: 3, std: 0, throughput: 1000 / 3, bins: [3] },
];

describe('summarizeLatency', () => {
  it.each(CASES)('$name', (c) => {
    const s = summarizeLatency(c.runs);
    expect(s.count).toBe(c.runs.length);
    expect(s.median).toBeCloseTo(c.median, 12);
    expect(s.p90).toBe(c.p90);
    expect(s.p99).toBe(c.p99);
    expect(s.min).toBe(c.min);
    expect(s.max).toBe(Math.max(...c.runs));
    expect(s.mean).toBeCloseTo(c.mean, 12);
    expect(s.std).toBeCloseTo(c.std, 10);
    expect(s.throughput).toBeCloseTo(c.throughput, 9);
    expect(s.histogram.map((b) => b.count)).toEqual(c.bins);
    // Bins tile [min, max] without gaps.
    expect(s.histogram[0]?.lo).toBe(s.min);
    expect(s.histogram.at(-1)?.hi).toBe(s.max);
    for (let k = 1; k < s.histogram.length; k++) expect(s.histogram[k]?.lo).toBeCloseTo(s.histogram[k - 1]?.hi ?? NaN, 12);
  });

  it('an empty series gives NaN figures and no bins', () => {
    const s = summarizeLatency([]);
    expect(s.count).toBe(0);
    expect(s.median).toBeNaN();
    expect(s.p99).toBeNaN();
    expect(s.std).toBeNaN();
    expect(s.histogram).toEqual([]);
  });

  it('does not reorder the caller’s array', () => {
    const runs = [3, 1, 2];
    summarizeLatency(runs);
    expect(runs).toEqual([3, 1, 2]);
  });
});

describe('nearestRank', () => {
  it.each([
    { p: 0, want: 1 },
    { p: 1, want: 1 },
    { p: 25, want: 5 },
    { p: 50, want: 10 },
    { p: 90, want: 18 },
    { p: 95, want: 19 },
    { p: 99, want: 20 },
    { p: 100, want: 20 },
  ])('p$p of 1..20 is $want', ({ p, want }) => expect(nearestRank(range(1, 20), p)).toBe(want));
});

describe('histogram', () => {
  it('caps the number of bins', () => {
    // A long-tailed series: FD would ask for hundreds of bins over the outlier's range.
    const runs = [...range(1, 1000).map((i) => 1 + i / 1000), 1000];
    const bins = histogram(runs.sort((a, b) => a - b));
    expect(bins.length).toBeLessThanOrEqual(40);
    expect(bins.reduce((a, b) => a + b.count, 0)).toBe(runs.length);
  });

  it('puts far-out runs in one overflow bin and spreads the others over their own range', () => {
    // 200 runs around 0.12 ms and three preempted runs of 8 ms (the shape of a busy 2-core machine).
    const runs = [...range(1, 200).map((i) => 0.1 + (i % 20) / 1000), 8, 8.3, 9].sort((a, b) => a - b);
    const bins = histogram(runs);
    const last = bins.at(-1);
    expect(last).toMatchObject({ count: 3, overflow: true, hi: 9 });
    expect(bins.slice(0, -1).every((b) => !b.overflow && b.hi <= 0.12 + 1e-12)).toBe(true);
    expect(bins.length).toBeGreaterThan(3);
    expect(bins.reduce((a, b) => a + b.count, 0)).toBe(runs.length);
  });
});
