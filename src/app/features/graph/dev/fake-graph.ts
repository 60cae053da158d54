/**
 * A dev-only generator of a laid-out graph shaped like a real network: parallel chains of
 * Conv/BatchNorm/Relu with residual blocks (two branches + an Add fed by a skip connection) and,
 * when there are several chains, occasional cross links (Concat). Used by the dev page, the unit
 * tests and draw-time measurements while the real view builder and layout live in workers.
 * Pure and deterministic for a given seed.
 */
import type { GraphLayout, ViewGraph } from '../../../../core/graph-view/types';
import { CHAR_WIDTH, LINE_HEIGHT, NodeKind } from '../graph-kinds';

export interface FakeGraphOptions {
  /** Parallel chains side by side (1 = one deep network; 10 = a wide grid). */
  readonly chains?: number;
  readonly seed?: number;
  /** Give every Nth op a Loop-style subgraph attribute. 0 = none. */
  readonly subgraphEvery?: number;
}

interface FakeNode {
  title: string;
  name: string;
  lines: string[];
  kind: NodeKind;
  rank: number;
  lane: number;
  subgraphs: string[];
}

function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const LANE_WIDTH = 200;
const RANK_GAP = 40;
const PAD = 20;

export function fakeGraph(nodeCount: number, options: FakeGraphOptions = {}): { view: ViewGraph; layout: GraphLayout } {
  const chains = Math.max(1, options.chains ?? 1);
  const rand = mulberry32(options.seed ?? 1);
  const nodes: FakeNode[] = [];
  const edges: { from: number; to: number; tensor: string; label: string }[] = [];
  let channels = 16;
  const add = (n: Omit<FakeNode, 'subgraphs'>): number => {
    const every = options.subgraphEvery ?? 0;
    const opIndex = nodes.length;
    const subgraphs = every > 0 && n.kind === NodeKind.Op && opIndex % every === every - 1 ? ['body'] : [];
    nodes.push({ ...n, title: subgraphs.length ? 'Loop' : n.title, subgraphs });
    return nodes.length - 1;
  };
  const link = (from: number, to: number): void => {
    const t = `t${edges.length}`;
    edges.push({ from, to, tensor: t, label: `float32 [1,${channels},56,56]` });
  };
  const conv = (rank: number, lane: number, name: string): number => {
    const k = rand() < 0.5 ? 3 : 1;
    return add({ title: 'Conv', name, lines: [`k=${k}×${k} s=1`, `W ${channels}×${channels}×${k}×${k}`, `B ${channels}`], kind: NodeKind.Op, rank, lane });
  };
  const simple = (title: string, rank: number, lane: number, name: string): number => add({ title, name, lines: [], kind: NodeKind.Op, rank, lane });

  const perChain = Math.max(3, Math.floor(nodeCount / chains));
  const lastOfChain: number[][] = [];
  for (let c = 0; c < chains; c++) {
    const centre = c * 3 + 1;
    const byRank: number[] = [];
    let prev = add({ title: `input_${c}`, name: 'float32 [1,3,224,224]', lines: [], kind: NodeKind.Input, rank: 0, lane: centre });
    byRank[0] = prev;
    let rank = 1;
    const budget = nodes.length + perChain - 1;
    while (nodes.length < budget - 1) {
      const r = rand();
      const id = `c${c}/n${nodes.length}`;
      if (r < 0.25 && nodes.length + 4 < budget) {
        // Residual block: left branch Conv → Relu, right branch Conv, merged by Add with the skip input.
        const a = conv(rank, centre - 1, `${id}/branch_a`);
        const b = conv(rank, centre + 1, `${id}/branch_b`);
        const a2 = simple('Relu', rank + 1, centre - 1, `${id}/branch_a/relu`);
        const sum = simple('Add', rank + 2, centre, `${id}/add`);
        link(prev, a);
        link(prev, b);
        link(a, a2);
        link(a2, sum);
        link(b, sum);
        link(prev, sum);
        byRank[rank] = a;
        byRank[rank + 1] = a2;
        byRank[rank + 2] = sum;
        prev = sum;
        rank += 3;
      } else if (r < 0.3 && c > 0 && lastOfChain[c - 1]?.[rank - 1] !== undefined) {
        const cat = simple('Concat', rank, centre, `${id}/concat`);
        link(prev, cat);
        link(lastOfChain[c - 1]?.[rank - 1] ?? 0, cat);
        byRank[rank] = cat;
        prev = cat;
        rank += 1;
      } else {
        const pick = rand();
        const node =
          pick < 0.4
            ? conv(rank, centre, `${id}/conv`)
            : simple(pick < 0.6 ? 'BatchNormalization' : pick < 0.85 ? 'Relu' : pick < 0.95 ? 'MaxPool' : 'com.microsoft.FusedConv', rank, centre, `${id}/op`);
        link(prev, node);
        byRank[rank] = node;
        prev = node;
        rank += 1;
        if (rand() < 0.05) channels = Math.min(2048, channels * 2);
      }
    }
    const out = add({ title: `output_${c}`, name: 'float32 [1,1000]', lines: [], kind: NodeKind.Output, rank, lane: centre });
    link(prev, out);
    byRank[rank] = out;
    lastOfChain.push(byRank);
  }
  return { view: toView(nodes, edges, rand), layout: layOut(nodes, edges) };
}

function toView(nodes: FakeNode[], edges: { from: number; to: number; tensor: string; label: string }[], rand: () => number): ViewGraph {
  const n = nodes.length;
  const widths = new Float32Array(n);
  const heights = new Float32Array(n);
  const params = new Float64Array(n);
  const macs = new Float64Array(n);
  nodes.forEach((node, i) => {
    const longest = Math.max(node.title.length, ...node.lines.map((l) => l.length));
    widths[i] = Math.max(72, Math.ceil(longest * CHAR_WIDTH + 20));
    heights[i] = (1 + node.lines.length) * LINE_HEIGHT + 8;
    const isConv = node.title === 'Conv';
    params[i] = node.kind !== NodeKind.Op ? NaN : isConv ? Math.round(10 ** (2 + rand() * 4)) : node.title === 'BatchNormalization' ? 64 : 0;
    macs[i] = node.kind !== NodeKind.Op ? NaN : isConv ? Math.round(10 ** (5 + rand() * 4)) : node.title === 'MaxPool' ? NaN : Math.round(10 ** (3 + rand()));
  });
  return {
    scopePath: '',
    breadcrumb: [{ path: '', label: 'main graph' }],
    nodeCount: n,
    ids: nodes.map((node, i) => (node.kind === NodeKind.Input ? `input:${node.title}` : node.kind === NodeKind.Output ? `output:${node.title}` : String(i))),
    kinds: Uint8Array.from(nodes.map((node) => node.kind)),
    titles: nodes.map((node) => node.title),
    names: nodes.map((node) => node.name),
    lines: nodes.map((node) => node.lines),
    subgraphs: nodes.map((node) => node.subgraphs),
    widths,
    heights,
    edgeCount: edges.length,
    edgeFrom: Uint32Array.from(edges.map((e) => e.from)),
    edgeTo: Uint32Array.from(edges.map((e) => e.to)),
    edgeTensors: edges.map((e) => e.tensor),
    edgeLabels: edges.map((e) => e.label),
    metrics: { params, macs },
  };
}

function layOut(nodes: FakeNode[], edges: { from: number; to: number }[]): GraphLayout {
  const t0 = Date.now();
  const n = nodes.length;
  const maxRank = nodes.reduce((m, node) => Math.max(m, node.rank), 0);
  const rankHeight = new Float32Array(maxRank + 1);
  nodes.forEach((node) => {
    rankHeight[node.rank] = Math.max(rankHeight[node.rank] ?? 0, (1 + node.lines.length) * LINE_HEIGHT + 8);
  });
  const rankY = new Float32Array(maxRank + 2);
  for (let r = 0; r <= maxRank; r++) rankY[r + 1] = (rankY[r] ?? 0) + (rankHeight[r] ?? 0) + RANK_GAP;
  const x = new Float32Array(n);
  const y = new Float32Array(n);
  const w = new Float32Array(n);
  const h = new Float32Array(n);
  let maxLane = 0;
  nodes.forEach((node, i) => {
    const longest = Math.max(node.title.length, ...node.lines.map((l) => l.length));
    w[i] = Math.max(72, Math.ceil(longest * CHAR_WIDTH + 20));
    h[i] = (1 + node.lines.length) * LINE_HEIGHT + 8;
    x[i] = PAD + node.lane * LANE_WIDTH + (LANE_WIDTH - (w[i] ?? 0)) / 2;
    y[i] = PAD + (rankY[node.rank] ?? 0) + ((rankHeight[node.rank] ?? 0) - (h[i] ?? 0)) / 2;
    maxLane = Math.max(maxLane, node.lane);
  });
  const offsets = new Uint32Array(edges.length + 1);
  const points: number[] = [];
  edges.forEach((e, k) => {
    const sx = (x[e.from] ?? 0) + (w[e.from] ?? 0) / 2;
    const sy = (y[e.from] ?? 0) + (h[e.from] ?? 0);
    const ex = (x[e.to] ?? 0) + (w[e.to] ?? 0) / 2;
    const ey = y[e.to] ?? 0;
    const gap = (nodes[e.to]?.rank ?? 0) - (nodes[e.from]?.rank ?? 0);
    if (gap <= 1) {
      points.push(sx, sy, ex, ey);
    } else {
      // Skip connection: run down beside the nodes it jumps over.
      const side = Math.max(sx, ex) + LANE_WIDTH * 0.45;
      points.push(sx, sy, side, sy + RANK_GAP / 2, side, ey - RANK_GAP / 2, ex, ey);
    }
    offsets[k + 1] = points.length / 2;
  });
  return {
    x,
    y,
    edgeOffsets: offsets,
    edgePoints: Float32Array.from(points),
    width: PAD * 2 + (maxLane + 1) * LANE_WIDTH,
    height: PAD * 2 + (rankY[maxRank + 1] ?? 0),
    ranks: Uint32Array.from(nodes.map((node) => node.rank)),
    stats: { algorithm: 'fake-grid', ms: Date.now() - t0, phases: {} },
  };
}
