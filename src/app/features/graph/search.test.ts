/** Search details beyond the corpus comparison: the cap, the count text, tensor and weight matches. */
import { describe, expect, it } from 'vitest';
import { buildSearchIndex, matchCountText, searchNodes, MAX_SHOWN_RESULTS } from './search';
import { fakeGraph } from './dev/fake-graph';

describe('search', () => {
  const { view } = fakeGraph(5000, { chains: 4, seed: 5 });
  const index = buildSearchIndex(view);

  it('caps the list at 200 and counts every match', () => {
    const r = searchNodes(index, 'conv');
    const want = view.titles.filter((t, i) => t.toLowerCase().includes('conv') || (view.names[i] ?? '').toLowerCase().includes('conv')).length;
    expect(r.total).toBe(want);
    expect(r.total).toBeGreaterThan(MAX_SHOWN_RESULTS);
    expect(r.hits).toHaveLength(MAX_SHOWN_RESULTS);
    expect(r.hits.map((h) => h.index)).toEqual([...r.hits.map((h) => h.index)].sort((a, b) => a - b));
  });

  it('is case-insensitive and prefers the name, then the op type', () => {
    const name = view.names[10] ?? '';
    const r = searchNodes(index, name.toUpperCase());
    expect(r.hits[0]).toEqual({ index: 10, field: 'name', text: name });
    const op = searchNodes(index, 'fusedconv');
    expect(op.hits.every((h) => h.field === 'op' && h.text === 'com.microsoft.FusedConv')).toBe(true);
  });

  it('a tensor name leads to its producer', () => {
    const e = 123;
    const r = searchNodes(index, view.edgeTensors[e] ?? '');
    expect(r.hits.map((h) => h.index)).toContain(view.edgeFrom[e]);
    expect(r.hits.find((h) => h.index === view.edgeFrom[e])?.field).toBe('tensor');
  });

  it('a weight drawn inside a node (lineTensors) leads to that node', () => {
    const withWeights = { ...view, lineTensors: view.lines.map((_, i) => (i === 42 ? ['encoder.layer3.weight'] : [])) };
    const r = searchNodes(buildSearchIndex(withWeights), 'LAYER3.weight');
    expect(r.hits).toEqual([{ index: 42, field: withWeights.names[42]?.toLowerCase().includes('layer3.weight') ? 'name' : 'tensor', text: 'encoder.layer3.weight' }]);
  });

  it.each([
    [0, 'No matches'],
    [1, '1 match'],
    [3, '3 matches'],
    [200, '200 matches'],
    [1234, '1,234 matches (first 200 shown)'],
  ])('%d matches → "%s"', (total, text) => {
    expect(matchCountText({ total, hits: [] })).toBe(text);
  });
});
