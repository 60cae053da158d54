/**
 * layoutGraph on real graphs (the corpus' light/ structures and models, subgraphs included) and on
 * generated networks: every layout must satisfy layoutViolations() (no overlaps, edges downward and
 * anchored, no edge through a box, ≥ 2 points per edge), be deterministic, and handle cycles.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { decodeModelProto, encodeModelProto } from '../onnx/codec.js';
import type { onnx } from '../onnx/codec.js';
import { buildGraph } from '../graph/build-graph.js';
import { inferShapesIR } from '../shape/infer-shapes.js';
import { computeStatsIR } from '../stats/compute-stats.js';
import { buildViewGraph } from '../graph-view/build-view-graph.js';
import type { ViewGraph } from '../graph-view/types.js';
import { NodeKind } from '../graph-view/types.js';
import { generateNetwork } from './generate.js';
import { LayoutAbortedError, layoutGraph } from './layout-graph.js';
import { layoutViolations, upwardEdges } from './layout-invariants.js';

const CORPUS = fileURLToPath(new URL('../../../../shared/corpus/', import.meta.url));
const hasCorpus = existsSync(CORPUS);
const note = hasCorpus ? '' : ` — SKIPPED: the test corpus is not at ${CORPUS}`;

function views(model: onnx.IModelProto, allScopes: boolean): { scope: string; view: ViewGraph }[] {
  const ir = buildGraph(model);
  const shapes = inferShapesIR(ir);
  const stats = computeStatsIR(ir, shapes);
  const scopes = allScopes ? ir.scopes : ir.scopes.slice(0, 1);
  return scopes.map((s) => ({ scope: s.path, view: buildViewGraph(ir, shapes, stats, s.path) }));
}

function corpusFiles(): string[] {
  if (!hasCorpus) return ['(corpus missing)'];
  const light = readdirSync(`${CORPUS}onnx-backend-tests/light`).filter((f) => f.endsWith('.onnx')).map((f) => `onnx-backend-tests/light/${f}`);
  const models = readdirSync(`${CORPUS}models`).filter((f) => f.endsWith('.onnx')).map((f) => `models/${f}`);
  return [...light.sort(), ...models.sort()];
}

describe(`layoutGraph on the corpus${note}`, () => {
  it.skipIf(!hasCorpus).each(corpusFiles())('%s: every scope lays out validly and deterministically', (file) => {
    const model = decodeModelProto(new Uint8Array(readFileSync(`${CORPUS}${file}`)));
    for (const { scope, view } of views(model, true)) {
      const a = layoutGraph(view);
      expect(layoutViolations(view, a), `${file} scope '${scope}'`).toEqual([]);
      expect(upwardEdges(view, a)).toBe(0); // ONNX graphs are acyclic: nothing to reverse
      expect(a.stats.counts?.reversedEdges).toBe(0);
      const b = layoutGraph(view);
      expect(Array.from(b.x)).toEqual(Array.from(a.x));
      expect(Array.from(b.y)).toEqual(Array.from(a.y));
      expect(Array.from(b.edgePoints)).toEqual(Array.from(a.edgePoints));
    }
  });

  it.skipIf(!hasCorpus)('puts graph inputs just above their first consumer, not all in rank 0', () => {
    // silero's main graph: 'h' and 'c' are read only by the If, 'sr' only by Equal (which feeds the If).
    const model = decodeModelProto(new Uint8Array(readFileSync(`${CORPUS}models/silero_vad_legacy.onnx`)));
    const { view } = views(model, false)[0] as { view: ViewGraph };
    const l = layoutGraph(view);
    const rankOf = (id: string): number => l.ranks[view.ids.indexOf(id)] as number;
    expect(rankOf('input:h')).toBe(rankOf('1') - 1);
    expect(rankOf('input:sr')).toBe(rankOf('0') - 1);
    expect(rankOf('input:input')).toBe(rankOf('1') - 1);
  });

  it.skipIf(!hasCorpus)('keeps DenseNet121 compact: bundled long edges, no crossings', () => {
    const model = decodeModelProto(new Uint8Array(readFileSync(`${CORPUS}onnx-backend-tests/light/light_densenet121.onnx`)));
    const { view } = views(model, false)[0] as { view: ViewGraph };
    const l = layoutGraph(view);
    expect(view.nodeCount).toBe(912);
    expect(l.stats.counts?.crossings).toBe(0);
    // One dummy per rank crossed per *source* (not per edge): well under the node count here.
    expect(l.stats.counts?.dummies).toBeLessThan(view.nodeCount);
    expect(l.width).toBeLessThan(2000);
  });
});

describe('layoutGraph on generated networks', () => {
  it.each([1_000, 5_000])('%i nodes: valid, deterministic, round-trips as a model file', (n) => {
    const model = generateNetwork(n, 7);
    const bytes = encodeModelProto(model);
    const { view } = views(decodeModelProto(bytes), false)[0] as { view: ViewGraph };
    expect(view.nodeCount).toBe(n + 2); // + input + output
    const a = layoutGraph(view);
    expect(layoutViolations(view, a)).toEqual([]);
    const b = layoutGraph(view);
    expect(Array.from(b.x)).toEqual(Array.from(a.x));
    expect(Array.from(b.edgeOffsets)).toEqual(Array.from(a.edgeOffsets));
    // Long edges are bundled per source: dummies stay within a small multiple of the node count.
    expect(a.stats.counts?.dummies).toBeLessThan(4 * n);
  });

  it('20,000 nodes: valid', () => {
    const { view } = views(generateNetwork(20_000, 3), false)[0] as { view: ViewGraph };
    const l = layoutGraph(view);
    expect(layoutViolations(view, l)).toEqual([]);
    expect(Object.keys(l.stats.phases)).toEqual(['cycles', 'rank', 'dummies', 'order', 'position', 'route']);
  });
});

/** A bare ViewGraph from an edge list (unit boxes), for shapes no ONNX model has: cycles, self-loops. */
function plainGraph(n: number, edges: [number, number][]): ViewGraph {
  return {
    scopePath: '',
    breadcrumb: [],
    nodeCount: n,
    ids: Array.from({ length: n }, (_, i) => String(i)),
    kinds: new Uint8Array(n).fill(NodeKind.Op),
    titles: Array.from({ length: n }, (_, i) => `n${i}`),
    names: Array.from({ length: n }, () => ''),
    lines: Array.from({ length: n }, () => []),
    subgraphs: Array.from({ length: n }, () => []),
    widths: new Float32Array(n).fill(80),
    heights: new Float32Array(n).fill(24),
    edgeCount: edges.length,
    edgeFrom: Uint32Array.from(edges.map((e) => e[0])),
    edgeTo: Uint32Array.from(edges.map((e) => e[1])),
    edgeTensors: edges.map((_, i) => `t${i}`),
    edgeLabels: edges.map(() => ''),
    metrics: {},
  };
}

describe('layoutGraph on hand-made graphs', () => {
  it('breaks cycles by reversing back edges and draws self-loops', () => {
    // 0 → 1 → 2 → 0 (cycle), 2 → 3, 3 → 3 (self-loop), 1 → 3 (parallel path).
    const g = plainGraph(4, [[0, 1], [1, 2], [2, 0], [2, 3], [3, 3], [1, 3]]);
    const l = layoutGraph(g);
    expect(layoutViolations(g, l)).toEqual([]);
    expect(l.stats.counts?.reversedEdges).toBe(1);
    expect(upwardEdges(g, l)).toBe(1);
    // The reversed edge 2 → 0 runs from node 2's top to node 0's bottom.
    const start = l.edgeOffsets[2] as number;
    const end = l.edgeOffsets[3] as number;
    expect(l.edgePoints[2 * start + 1]).toBeCloseTo(l.y[2] as number);
    expect(l.edgePoints[2 * (end - 1) + 1]).toBeCloseTo((l.y[0] as number) + 24);
    // The self-loop has a route of its own.
    expect((l.edgeOffsets[5] as number) - (l.edgeOffsets[4] as number)).toBeGreaterThanOrEqual(2);
  });

  it('lays out empty graphs, single nodes and parallel edges', () => {
    for (const g of [plainGraph(0, []), plainGraph(1, []), plainGraph(2, [[0, 1], [0, 1]]), plainGraph(3, [[0, 2], [1, 2]])]) {
      const l = layoutGraph(g);
      expect(layoutViolations(g, l)).toEqual([]);
    }
  });

  it('routes a long edge straight down the middle of the ranks it crosses', () => {
    // 0 → 1 → 2 → 3 → 4 and 0 → 4: the long edge crosses ranks 1–3 beside the chain.
    const g = plainGraph(5, [[0, 1], [1, 2], [2, 3], [3, 4], [0, 4]]);
    const l = layoutGraph(g);
    expect(layoutViolations(g, l)).toEqual([]);
    expect(l.stats.counts?.dummies).toBe(3);
    const points = (l.edgeOffsets[5] as number) - (l.edgeOffsets[4] as number);
    expect(points).toBeGreaterThanOrEqual(3);
    expect(points).toBeLessThanOrEqual(4 + 2); // merged vertical run, not 2 points per rank
  });

  it('reports progress by phase and stops when aborted', () => {
    const g = plainGraph(3, [[0, 1], [1, 2]]);
    const phases: string[] = [];
    layoutGraph(g, { onProgress: (phase) => phases.push(phase) });
    expect(phases.filter((p, i) => phases.indexOf(p) === i)).toEqual(['cycles', 'rank', 'dummies', 'order', 'position', 'route', 'done']);
    const signal = { aborted: false };
    expect(() =>
      layoutGraph(g, {
        signal,
        onProgress: (phase) => {
          if (phase === 'order') signal.aborted = true;
        },
      }),
    ).toThrow(LayoutAbortedError);
  });
});

describe('layoutViolations', () => {
  it('catches overlapping boxes, detached or upward edges and edges through boxes', () => {
    // 0 → 1 → 2 → 3 and 0 → 3: a chain and a long edge beside it; 4 and 5 share a rank with 1 and 2.
    const g = plainGraph(6, [[0, 1], [1, 2], [2, 3], [0, 3], [0, 4], [4, 5], [5, 3]]);
    const good = layoutGraph(g);
    expect(layoutViolations(g, good)).toEqual([]);
    const broken = (edit: (x: Float32Array, y: Float32Array, points: Float32Array) => void): string[] => {
      const x = good.x.slice();
      const y = good.y.slice();
      const points = good.edgePoints.slice();
      edit(x, y, points);
      return layoutViolations(g, { ...good, x, y, edgePoints: points });
    };
    const sameRank = [1, 4].filter((v) => good.ranks[v] === good.ranks[1]);
    expect(sameRank).toEqual([1, 4]);
    expect(broken((x) => (x[4] = x[1] as number)).join()).toMatch(/overlap/);
    expect(broken((_, y) => (y[3] = 0)).join()).toMatch(/overlap|ends at/);
    // Move the first point of edge 0 → 1 off its source.
    expect(broken((_, __, p) => (p[2 * (good.edgeOffsets[0] as number)] = -50)).join()).toMatch(/starts at/);
    // Drag the long edge's vertical run over node 1.
    const long = 3;
    const s = good.edgeOffsets[long] as number;
    const e = good.edgeOffsets[long + 1] as number;
    expect(e - s).toBeGreaterThanOrEqual(4);
    const cx = (good.x[1] as number) + 40;
    expect(
      broken((_, __, p) => {
        for (let k = s + 1; k < e - 1; k++) p[2 * k] = cx;
      }).join(),
    ).toMatch(/runs through/);
  });
});
