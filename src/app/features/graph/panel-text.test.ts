/** Breadcrumb and layout-stage texts of the graph panel. */
import { describe, expect, it } from 'vitest';
import { crumbsFor, stageText } from './panel-text';
import { fakeGraph } from './dev/fake-graph';

describe('panel texts', () => {
  const { view } = fakeGraph(20);
  const sub = { ...view, scopePath: '3/body', breadcrumb: [{ path: '', label: 'torch_jit' }, { path: '3/body', label: 'Loop_3 › body' }] };

  it.each([
    ['main graph view', view, '', ['']],
    ['subgraph view', sub, '3/body', ['', '3/body']],
    ['no view yet, subgraph requested', null, '7/then_branch', ['', '7/then_branch']],
    ['no view, main graph', null, '', ['']],
  ] as const)('%s → crumbs start at the main graph', (_, v, scope, paths) => {
    const crumbs = crumbsFor(v, scope);
    expect(crumbs.map((c) => c.path)).toEqual(paths);
    expect(crumbs[0]?.label).toBeTruthy();
  });

  it.each([
    [{ status: 'building', progress: { stage: 'Building the graph', done: 0, total: 0 }, view: null }, 'Building the graph'],
    [{ status: 'building', progress: null, view: null }, 'Building the graph'],
    [{ status: 'laying-out', progress: { stage: 'Laying out 20 nodes', done: 0, total: 0 }, view }, 'Laying out 20 nodes'],
    [{ status: 'laying-out', progress: { stage: 'order', done: 3, total: 6 }, view }, `Laying out ${view.nodeCount} nodes · order`],
    [{ status: 'laying-out', progress: null, view: null }, 'Laying out the graph'],
  ] as const)('stage %#', (graph, text) => {
    expect(stageText(graph)).toBe(text);
  });
});
