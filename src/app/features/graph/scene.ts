/**
 * Everything derived from a (ViewGraph, GraphLayout) pair that drawing and interaction need, computed
 * once per layout: node and edge bounding boxes, their spatial indexes, the navigation adjacency and
 * the graph's bounds. Linear in nodes + edge points with small constants (a few ms at 20,000 nodes).
 */
import type { GraphLayout, ViewGraph } from '../../../core/graph-view/types';
import { buildSpatialIndex } from './spatial-index';
import type { SpatialIndex } from './spatial-index';
import { buildNavigation } from './graph-nav';
import type { GraphNavigation } from './graph-nav';
import type { Rect } from './viewport';

export interface Scene {
  readonly view: ViewGraph;
  readonly layout: GraphLayout;
  /** 4 floats per node / edge: x0, y0, x1, y1. */
  readonly nodeBoxes: Float32Array;
  readonly edgeBoxes: Float32Array;
  readonly nodeIndex: SpatialIndex;
  readonly edgeIndex: SpatialIndex;
  readonly nav: GraphNavigation;
  readonly bounds: Rect;
  /** x the first view centres on: the middle of the top layer (where the graph inputs are). */
  readonly anchorX: number;
  /** Scratch buffers for visible-set queries, sized once. */
  readonly visibleNodes: Uint32Array;
  readonly visibleEdges: Uint32Array;
}

export function nodeBoxesOf(view: ViewGraph, layout: GraphLayout): Float32Array {
  const n = view.nodeCount;
  const boxes = new Float32Array(n * 4);
  for (let i = 0; i < n; i++) {
    const x = layout.x[i] ?? 0;
    const y = layout.y[i] ?? 0;
    boxes[i * 4] = x;
    boxes[i * 4 + 1] = y;
    boxes[i * 4 + 2] = x + (view.widths[i] ?? 0);
    boxes[i * 4 + 3] = y + (view.heights[i] ?? 0);
  }
  return boxes;
}

export function edgeBoxesOf(edgeCount: number, layout: GraphLayout): Float32Array {
  const boxes = new Float32Array(edgeCount * 4);
  const { edgeOffsets, edgePoints } = layout;
  for (let e = 0; e < edgeCount; e++) {
    let x0 = Infinity;
    let y0 = Infinity;
    let x1 = -Infinity;
    let y1 = -Infinity;
    for (let p = edgeOffsets[e] ?? 0, end = edgeOffsets[e + 1] ?? 0; p < end; p++) {
      const x = edgePoints[2 * p] ?? 0;
      const y = edgePoints[2 * p + 1] ?? 0;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
    }
    if (x0 === Infinity) x0 = y0 = x1 = y1 = 0;
    boxes[e * 4] = x0;
    boxes[e * 4 + 1] = y0;
    boxes[e * 4 + 2] = x1;
    boxes[e * 4 + 3] = y1;
  }
  return boxes;
}

export function buildScene(view: ViewGraph, layout: GraphLayout): Scene {
  const steps = sceneSteps(view, layout);
  for (;;) {
    const r = steps.next();
    if (r.done) return r.value;
  }
}

/**
 * buildScene in steps (nodes, then edges, then the rest), so the page can yield between them: on a
 * 20,000-node graph each step is a few ms warm, but the first run of this code is not JIT-compiled yet.
 */
export function* sceneSteps(view: ViewGraph, layout: GraphLayout): Generator<void, Scene> {
  const nodeBoxes = nodeBoxesOf(view, layout);
  yield;
  const nodeIndex = buildSpatialIndex(nodeBoxes, view.nodeCount);
  yield;
  const edgeBoxes = edgeBoxesOf(view.edgeCount, layout);
  yield;
  const edgeIndex = buildSpatialIndex(edgeBoxes, view.edgeCount);
  yield;
  const bounds: Rect =
    view.nodeCount === 0
      ? { x0: 0, y0: 0, x1: layout.width, y1: layout.height }
      : view.edgeCount === 0
        ? { x0: nodeIndex.originX, y0: nodeIndex.originY, x1: nodeIndex.extentX, y1: nodeIndex.extentY }
        : {
            x0: Math.min(nodeIndex.originX, edgeIndex.originX),
            y0: Math.min(nodeIndex.originY, edgeIndex.originY),
            x1: Math.max(nodeIndex.extentX, edgeIndex.extentX),
            y1: Math.max(nodeIndex.extentY, edgeIndex.extentY),
          };
  // Anchor: centre of the nodes in the top rank.
  let minRank = Infinity;
  for (let i = 0; i < view.nodeCount; i++) {
    const r = layout.ranks[i] ?? 0;
    if (r < minRank) minRank = r;
  }
  let ax0 = Infinity;
  let ax1 = -Infinity;
  for (let i = 0; i < view.nodeCount; i++) {
    if (layout.ranks[i] !== minRank) continue;
    ax0 = Math.min(ax0, nodeBoxes[i * 4] ?? 0);
    ax1 = Math.max(ax1, nodeBoxes[i * 4 + 2] ?? 0);
  }
  // Navigation adjacency is needed only once the user selects something: built on first use, so a
  // new graph's first frame does not wait for it.
  let nav: GraphNavigation | null = null;
  return {
    view,
    layout,
    nodeBoxes,
    edgeBoxes,
    nodeIndex,
    edgeIndex,
    get nav(): GraphNavigation {
      nav ??= buildNavigation(view, layout);
      return nav;
    },
    bounds,
    anchorX: ax0 === Infinity ? (bounds.x0 + bounds.x1) / 2 : (ax0 + ax1) / 2,
    visibleNodes: new Uint32Array(view.nodeCount),
    visibleEdges: new Uint32Array(view.edgeCount),
  };
}

export function nodeRect(scene: Scene, i: number): Rect {
  const b = scene.nodeBoxes;
  return { x0: (b[i * 4] ?? 0), y0: (b[i * 4 + 1] ?? 0), x1: (b[i * 4 + 2] ?? 0), y1: (b[i * 4 + 3] ?? 0) };
}

/** A point halfway along edge e's polyline (by vertex count, good enough for a label). */
export function edgeMidpoint(layout: GraphLayout, e: number): { x: number; y: number } {
  const p0 = layout.edgeOffsets[e] ?? 0;
  const count = (layout.edgeOffsets[e + 1] ?? 0) - p0;
  const pts = layout.edgePoints;
  if (count === 0) return { x: 0, y: 0 };
  if (count % 2 === 1) {
    const m = p0 + (count - 1) / 2;
    return { x: (pts[2 * m] ?? 0), y: (pts[2 * m + 1] ?? 0) };
  }
  const a = p0 + count / 2 - 1;
  return { x: ((pts[2 * a] ?? 0) + (pts[2 * a + 2] ?? 0)) / 2, y: ((pts[2 * a + 1] ?? 0) + (pts[2 * a + 3] ?? 0)) / 2 };
}
