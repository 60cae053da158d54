/**
 * The graph view's pure parts on real graphs: each corpus model (light/ structures and models/,
 * subgraph scopes included) goes through the core exactly as the workers do it (buildGraph → shapes
 * → stats → buildViewGraph → layoutGraph), then the spatial index, search, keyboard navigation,
 * colouring, SVG export and scene bounds are checked against brute-force references.
 */
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { decodeModelProto } from '../../../core/onnx/codec.js';
import { buildGraph } from '../../../core/graph/build-graph.js';
import { inferShapesIR } from '../../../core/shape/infer-shapes.js';
import { computeStatsIR } from '../../../core/stats/compute-stats.js';
import { buildViewGraph } from '../../../core/graph-view/build-view-graph.js';
import { layoutGraph } from '../../../core/layout/layout-graph.js';
import type { GraphLayout, ViewGraph } from '../../../core/graph-view/types.js';
import { buildScene, edgeMidpoint } from './scene';
import type { Scene } from './scene';
import { hitTest, queryRect } from './spatial-index';
import { buildSearchIndex, searchNodes, MAX_SHOWN_RESULTS } from './search';
import { navigate } from './graph-nav';
import { computeNodePaint, SLOT_INPUT, SLOT_OUTPUT } from './node-paint';
import { NAN_FILL, ZERO_FILL } from './color-scale';
import { graphToSvg } from './svg-export';
import { NodeKind } from './graph-kinds';

const CORPUS = fileURLToPath(new URL('../../../../../shared/corpus/', import.meta.url));
const hasCorpus = existsSync(CORPUS);
const note = hasCorpus ? '' : ` — SKIPPED: the test corpus is not at ${CORPUS}`;

interface Case {
  readonly name: string;
  readonly view: ViewGraph;
  readonly layout: GraphLayout;
  readonly scene: Scene;
  readonly scopes: readonly string[];
}

function corpusFiles(): string[] {
  if (!hasCorpus) return [];
  const light = readdirSync(`${CORPUS}onnx-backend-tests/light`).filter((f) => f.endsWith('.onnx')).map((f) => `onnx-backend-tests/light/${f}`);
  const models = readdirSync(`${CORPUS}models`).filter((f) => f.endsWith('.onnx')).map((f) => `models/${f}`);
  return [...light.sort(), ...models.sort()];
}

/** Every scope of every corpus model, laid out. Built once (a second or two for the whole corpus). */
const CASES: Case[] = (() => {
  const out: Case[] = [];
  for (const file of corpusFiles()) {
    const ir = buildGraph(decodeModelProto(new Uint8Array(readFileSync(`${CORPUS}${file}`))));
    const shapes = inferShapesIR(ir);
    const stats = computeStatsIR(ir, shapes);
    const scopes = ir.scopes.map((s) => s.path);
    for (const scope of scopes) {
      const view = buildViewGraph(ir, shapes, stats, scope);
      if (view.nodeCount === 0) continue;
      const layout = layoutGraph(view);
      out.push({ name: `${file.split('/').pop()}${scope ? ` [${scope}]` : ''}`, view, layout, scene: buildScene(view, layout), scopes });
    }
  }
  return out;
})();
const caseNames = CASES.map((c) => c.name);
const byName = (name: string): Case => {
  const c = CASES.find((x) => x.name === name);
  if (!c) throw new Error(`no case ${name}`);
  return c;
};

/** Deterministic pseudo-random numbers for query rectangles and points. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (Math.imul(a ^ (a >>> 15), 2246822507) + 0x9e3779b9) >>> 0;
    return ((a ^ (a >>> 13)) >>> 0) / 4294967296;
  };
}

describe(`graph view on the corpus${note}`, () => {
  it('has real graphs to test', () => {
    if (!hasCorpus) return;
    expect(CASES.length).toBeGreaterThan(15);
    expect(Math.max(...CASES.map((c) => c.view.nodeCount)), CASES.map((c) => `${c.name}:${c.view.nodeCount}`).join(' ')).toBeGreaterThan(500);
    expect(CASES.some((c) => c.view.subgraphs.some((s) => s.length > 0))).toBe(true);
  });

  describe.each(caseNames)('%s', (name) => {
    it('spatial index: rectangle queries and hit tests equal brute force', () => {
      const { scene, view } = byName(name);
      const b = scene.bounds;
      const rand = rng(view.nodeCount * 31 + view.edgeCount);
      const out = new Uint32Array(Math.max(view.nodeCount, view.edgeCount));
      for (let q = 0; q < 40; q++) {
        const w = (b.x1 - b.x0) * rand() * 0.6;
        const h = (b.y1 - b.y0) * rand() * 0.3;
        const x0 = b.x0 - 50 + rand() * (b.x1 - b.x0);
        const y0 = b.y0 - 50 + rand() * (b.y1 - b.y0);
        for (const [index, boxes, count] of [
          [scene.nodeIndex, scene.nodeBoxes, view.nodeCount],
          [scene.edgeIndex, scene.edgeBoxes, view.edgeCount],
        ] as const) {
          const n = queryRect(index, x0, y0, x0 + w, y0 + h, out);
          const got = Array.from(out.subarray(0, n)).sort((a, c) => a - c);
          const want: number[] = [];
          for (let i = 0; i < count; i++) {
            if ((boxes[i * 4] as number) <= x0 + w && (boxes[i * 4 + 2] as number) >= x0 && (boxes[i * 4 + 1] as number) <= y0 + h && (boxes[i * 4 + 3] as number) >= y0) want.push(i);
          }
          expect(got).toEqual(want);
        }
      }
      // Every node's centre hits that node (layouts do not overlap boxes); empty space hits nothing.
      for (let i = 0; i < view.nodeCount; i++) {
        const cx = ((scene.nodeBoxes[i * 4] as number) + (scene.nodeBoxes[i * 4 + 2] as number)) / 2;
        const cy = ((scene.nodeBoxes[i * 4 + 1] as number) + (scene.nodeBoxes[i * 4 + 3] as number)) / 2;
        expect(hitTest(scene.nodeIndex, cx, cy)).toBe(i);
      }
      expect(hitTest(scene.nodeIndex, b.x0 - 500, b.y0 - 500)).toBe(-1);
    });

    it('scene bounds hold every node box and edge point; midpoints lie on the edge box', () => {
      const { scene, view, layout } = byName(name);
      const b = scene.bounds;
      for (let i = 0; i < view.nodeCount; i++) {
        expect(layout.x[i]).toBeGreaterThanOrEqual(b.x0);
        expect((layout.x[i] as number) + (view.widths[i] as number)).toBeLessThanOrEqual(b.x1 + 1e-3);
        expect((layout.y[i] as number) + (view.heights[i] as number)).toBeLessThanOrEqual(b.y1 + 1e-3);
      }
      for (let e = 0; e < view.edgeCount; e++) {
        const m = edgeMidpoint(layout, e);
        expect(m.x).toBeGreaterThanOrEqual((scene.edgeBoxes[e * 4] as number) - 1e-3);
        expect(m.x).toBeLessThanOrEqual((scene.edgeBoxes[e * 4 + 2] as number) + 1e-3);
        expect(m.y).toBeGreaterThanOrEqual((scene.edgeBoxes[e * 4 + 1] as number) - 1e-3);
        expect(m.y).toBeLessThanOrEqual((scene.edgeBoxes[e * 4 + 3] as number) + 1e-3);
      }
    });

    it('search finds names, op types and tensors like a brute-force scan', () => {
      const { view } = byName(name);
      const index = buildSearchIndex(view);
      const named = view.names.find((n, i) => n.length > 3 && view.kinds[i] === NodeKind.Op);
      const queries = [view.titles[Math.floor(view.nodeCount / 2)] ?? 'x', 'CONV', 'relu', named?.slice(1, -1) ?? 'a', view.edgeTensors[0] ?? 'b', '_', 'no-such-node-anywhere'];
      for (const query of queries) {
        const q = query.toLowerCase();
        // Reference: a node matches by name, op type, a tensor it produces, or a weight drawn inside it.
        const want = new Set<number>();
        for (let i = 0; i < view.nodeCount; i++) {
          if ((view.names[i] ?? '').toLowerCase().includes(q) || (view.titles[i] ?? '').toLowerCase().includes(q)) want.add(i);
          if ((view.lineTensors?.[i] ?? []).some((t) => t.toLowerCase().includes(q))) want.add(i);
        }
        for (let e = 0; e < view.edgeCount; e++) if ((view.edgeTensors[e] ?? '').toLowerCase().includes(q)) want.add(view.edgeFrom[e] as number);
        const result = searchNodes(index, query);
        expect(result.total, `query '${query}'`).toBe(want.size);
        expect(result.hits.length).toBe(Math.min(want.size, MAX_SHOWN_RESULTS));
        for (const hit of result.hits) {
          expect(want.has(hit.index)).toBe(true);
          expect(hit.text.toLowerCase()).toContain(q);
        }
      }
      expect(searchNodes(index, '   ').total).toBe(0);
    });

    it('arrow keys: Down reaches a consumer on the nearest layer, Up a producer, Left/Right the layer neighbours', () => {
      const { scene, view, layout } = byName(name);
      const consumers = new Map<number, Set<number>>();
      const producers = new Map<number, Set<number>>();
      for (let e = 0; e < view.edgeCount; e++) {
        const f = view.edgeFrom[e] as number;
        const t = view.edgeTo[e] as number;
        if (!consumers.has(f)) consumers.set(f, new Set());
        if (!producers.has(t)) producers.set(t, new Set());
        consumers.get(f)?.add(t);
        producers.get(t)?.add(f);
      }
      const rank = (i: number): number => layout.ranks[i] as number;
      for (let i = 0; i < view.nodeCount; i++) {
        const down = navigate(scene.nav, i, 'down');
        const outs = [...(consumers.get(i) ?? [])].filter((j) => j !== i);
        if (outs.length === 0) expect(down).toBeNull();
        else {
          expect(outs).toContain(down);
          expect(Math.abs(rank(down as number) - rank(i))).toBe(Math.min(...outs.map((j) => Math.abs(rank(j) - rank(i)))));
        }
        const up = navigate(scene.nav, i, 'up');
        const ins = [...(producers.get(i) ?? [])].filter((j) => j !== i);
        if (ins.length === 0) expect(up).toBeNull();
        else expect(ins).toContain(up);
        const right = navigate(scene.nav, i, 'right');
        if (right !== null) {
          expect(rank(right)).toBe(rank(i));
          expect(layout.x[right]).toBeGreaterThan(layout.x[i] as number);
          expect(navigate(scene.nav, right, 'left')).toBe(i);
        }
      }
    });

    it('colouring: op families, log-scaled metrics, inputs/outputs keep their own fills', () => {
      const { view } = byName(name);
      const op = computeNodePaint(view, 'op');
      const opCount = Array.from(view.kinds).filter((k) => k === NodeKind.Op).length;
      expect(op.legend.kind).toBe('op');
      if (op.legend.kind === 'op') expect(op.legend.entries.reduce((s, e) => s + e.count, 0)).toBe(opCount);
      for (const overlay of ['op', 'none', ...Object.keys(view.metrics)]) {
        const paint = computeNodePaint(view, overlay);
        for (let i = 0; i < view.nodeCount; i++) {
          const kind = view.kinds[i];
          if (kind === NodeKind.Input) expect(paint.fill[i]).toBe(SLOT_INPUT);
          else if (kind === NodeKind.Output) expect(paint.fill[i]).toBe(SLOT_OUTPUT);
          else expect(paint.fill[i]).toBeGreaterThan(SLOT_OUTPUT);
        }
      }
      const params = view.metrics.params;
      if (params) {
        const paint = computeNodePaint(view, 'params');
        // Bigger parameter counts never get a lighter bucket: palette order follows the scale.
        const ops = [...Array(view.nodeCount).keys()].filter((i) => view.kinds[i] === NodeKind.Op && (params[i] as number) > 0);
        ops.sort((a, b) => (params[a] as number) - (params[b] as number));
        for (let j = 1; j < ops.length; j++) expect(paint.fill[ops[j] as number]).toBeGreaterThanOrEqual(paint.fill[ops[j - 1] as number] as number);
        for (let i = 0; i < view.nodeCount; i++) {
          if (view.kinds[i] !== NodeKind.Op) continue;
          const v = params[i] as number;
          const fill = paint.palette[paint.fill[i] as number];
          if (Number.isNaN(v)) expect(fill).toBe(NAN_FILL);
          else if (v === 0) expect(fill).toBe(ZERO_FILL);
        }
      }
      const custom = computeNodePaint(view, 'op', (i) => (i === 0 ? '#ff0000' : undefined));
      expect(custom.palette[custom.fill[0] as number]).toBe('#ff0000');
    });

    it('SVG export: one group per node, one path per edge, escaped text, balanced tags', () => {
      const { view, layout } = byName(name);
      const svg = graphToSvg(view, layout, computeNodePaint(view, 'op'), { title: `${name} <&>` });
      expect(svg.match(/<g id="n\d+">/g)?.length ?? 0).toBe(view.nodeCount);
      let drawable = 0;
      for (let e = 0; e < view.edgeCount; e++) if ((layout.edgeOffsets[e + 1] as number) - (layout.edgeOffsets[e] as number) >= 2) drawable++;
      expect(svg.match(/<path d="M[^"]*" marker-end="url\(#arrow\)"><title>/g)?.length ?? 0).toBe(drawable);
      expect(svg).toContain('&lt;&amp;&gt;');
      // Well-formed enough for any viewer: every opened element is closed, in order.
      const stack: string[] = [];
      for (const m of svg.matchAll(/<(\/?)([a-zA-Z]+)[^>]*?(\/?)>/g)) {
        if (m[3] === '/') continue;
        if (m[1] === '/') expect(stack.pop()).toBe(m[2]);
        else stack.push(m[2] as string);
      }
      expect(stack).toEqual([]);
      expect(svg).not.toMatch(/NaN|undefined/);
    });

    it('subgraph badges lead to real scopes', () => {
      const { view, scopes } = byName(name);
      view.subgraphs.forEach((subs, i) => {
        for (const attribute of subs) expect(scopes).toContain(`${view.ids[i]}/${attribute}`);
      });
    });
  });
});
