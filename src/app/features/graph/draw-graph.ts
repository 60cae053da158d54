/**
 * Canvas 2D drawing of a laid-out graph, shared by the on-screen renderer, the cached overview
 * bitmap, the minimap and the PNG export. Every function draws a given list of node or edge
 * indices in world coordinates (the caller sets the transform), batching into as few paths as
 * possible: one stroke for all edges, one fill per palette colour for node boxes.
 */
import type { GraphLayout, ViewGraph } from '../../../core/graph-view/types';
import type { NodePaint } from './node-paint';
import { CHAR_WIDTH, LINE_HEIGHT, NODE_FONT_PX, NodeKind } from './graph-kinds';
import { INPUT_STROKE, OUTPUT_STROKE } from './color-scale';
import type { DetailLevel } from './lod';
import { LOD_OUTLINES, MAX_EDGE_LABELS, fitText } from './lod';
import { edgeMidpoint } from './scene';
import type { Scene } from './scene';

export type Ctx2D = CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D;

export const GRAPH_STYLE = {
  background: '#fbfcfd',
  edge: '#7f8894',
  edgeHighlight: '#d9730d',
  outline: 'rgba(27, 35, 48, 0.45)',
  body: '#ffffff',
  bodyText: '#3a4452',
  nameText: '#4f5a69',
  edgeLabel: '#4f5a69',
  badge: '#6c2f8f',
  selection: '#f59e0b',
  hover: '#1f4e79',
} as const;

/** The fonts the node sizes assume: ViewGraph widths use CHAR_WIDTH per character, a monospace advance at 12 px. */
export const MONO = 'ui-monospace, "SFMono-Regular", Menlo, Consolas, "DejaVu Sans Mono", monospace';
export const FONT_TITLE = `600 ${NODE_FONT_PX}px ${MONO}`;
export const FONT_LINE = `${NODE_FONT_PX - 1}px ${MONO}`;
export const FONT_SMALL = `10px ${MONO}`;
const SMALL_CHAR = (CHAR_WIDTH * 10) / NODE_FONT_PX;
const ARROW = 6;

/** Reusable per-(scene, paint) buffers so a frame allocates nothing for bucketing. */
export interface DrawScratch {
  readonly counts: Uint32Array;
  readonly order: Uint32Array;
}

export function createScratch(nodeCount: number, paletteSize: number): DrawScratch {
  return { counts: new Uint32Array(paletteSize + 1), order: new Uint32Array(nodeCount) };
}

/** Vertical placement of a node's text: the lines block is centred in the box, title first. */
export function textTop(view: ViewGraph, i: number): number {
  const h = view.heights[i] ?? 0;
  const lines = 1 + (view.lines[i]?.length ?? 0);
  return Math.max(0, (h - lines * LINE_HEIGHT) / 2);
}

/** Height of the coloured header band of a node with detail lines. */
function headerHeight(view: ViewGraph, i: number): number {
  return Math.min(view.heights[i] ?? 0, textTop(view, i) + LINE_HEIGHT + 2);
}

function hasLines(view: ViewGraph, i: number): boolean {
  return (view.lines[i]?.length ?? 0) > 0;
}

/** All edges of `list` as one polyline path, stroked once. */
export function drawEdges(ctx: Ctx2D, layout: GraphLayout, list: Uint32Array, count: number, k: number, colour: string = GRAPH_STYLE.edge, widthPx = 1): void {
  const { edgeOffsets, edgePoints } = layout;
  ctx.beginPath();
  for (let j = 0; j < count; j++) {
    const e = list[j] ?? 0;
    const p0 = edgeOffsets[e] ?? 0;
    const p1 = edgeOffsets[e + 1] ?? 0;
    if (p1 - p0 < 2) continue;
    ctx.moveTo(edgePoints[2 * p0] ?? 0, edgePoints[2 * p0 + 1] ?? 0);
    for (let p = p0 + 1; p < p1; p++) ctx.lineTo(edgePoints[2 * p] ?? 0, edgePoints[2 * p + 1] ?? 0);
  }
  ctx.lineWidth = widthPx / k;
  ctx.lineJoin = 'round';
  ctx.strokeStyle = colour;
  ctx.stroke();
}

/** Arrowheads at the consumer end of each edge, one filled path. */
export function drawArrowheads(ctx: Ctx2D, layout: GraphLayout, list: Uint32Array, count: number, colour: string = GRAPH_STYLE.edge): void {
  const { edgeOffsets, edgePoints } = layout;
  ctx.beginPath();
  for (let j = 0; j < count; j++) {
    const e = list[j] ?? 0;
    const p1 = (edgeOffsets[e + 1] ?? 0) - 1;
    if (p1 - (edgeOffsets[e] ?? 0) < 1) continue;
    const bx = edgePoints[2 * p1] ?? 0;
    const by = edgePoints[2 * p1 + 1] ?? 0;
    let dx = bx - (edgePoints[2 * p1 - 2] ?? 0);
    let dy = by - (edgePoints[2 * p1 - 1] ?? 0);
    const len = Math.hypot(dx, dy);
    if (len === 0) continue;
    dx /= len;
    dy /= len;
    ctx.moveTo(bx, by);
    ctx.lineTo(bx - dx * ARROW * 1.4 - dy * ARROW * 0.6, by - dy * ARROW * 1.4 + dx * ARROW * 0.6);
    ctx.lineTo(bx - dx * ARROW * 1.4 + dy * ARROW * 0.6, by - dy * ARROW * 1.4 - dx * ARROW * 0.6);
    ctx.closePath();
  }
  ctx.fillStyle = colour;
  ctx.fill();
}

/**
 * Groups `list` by palette colour (counting sort into scratch.order) and returns the start offset
 * of each colour in scratch.counts (counts[p] .. counts[p+1]).
 */
function bucketByColour(paint: NodePaint, list: Uint32Array, count: number, scratch: DrawScratch): void {
  const { counts, order } = scratch;
  const colours = paint.palette.length;
  counts.fill(0);
  for (let j = 0; j < count; j++) {
    const c = (paint.fill[list[j] ?? 0] ?? 0) + 1;
    counts[c] = (counts[c] ?? 0) + 1;
  }
  for (let p = 0; p < colours; p++) counts[p + 1] = (counts[p + 1] ?? 0) + (counts[p] ?? 0);
  // counts[p] is now the start of colour p; fill using a moving cursor, then restore starts.
  for (let j = 0; j < count; j++) {
    const i = list[j] ?? 0;
    const c = paint.fill[i] ?? 0;
    const at = counts[c] ?? 0;
    order[at] = i;
    counts[c] = at + 1;
  }
  for (let p = colours; p > 0; p--) counts[p] = counts[p - 1] ?? 0;
  counts[0] = 0;
}

function isTerminal(view: ViewGraph, i: number): boolean {
  return view.kinds[i] !== NodeKind.Op;
}

function nodePath(ctx: Ctx2D, scene: Scene, i: number, rounded: boolean, height?: number): void {
  const b = scene.nodeBoxes;
  const x = b[i * 4] ?? 0;
  const y = b[i * 4 + 1] ?? 0;
  const w = (b[i * 4 + 2] ?? 0) - x;
  const h = height ?? (b[i * 4 + 3] ?? 0) - y;
  if (rounded) {
    ctx.roundRect(x, y, w, h, h / 2);
  } else {
    ctx.rect(x, y, w, h);
  }
}

/**
 * Node boxes, batched per colour. Level 0: flat boxes. Level ≥ 1: graph inputs/outputs as pills
 * with a coloured border, outlines. Level ≥ 2: nodes with detail lines get a white body and a
 * coloured header band.
 */
export function drawNodeBoxes(ctx: Ctx2D, scene: Scene, paint: NodePaint, list: Uint32Array, count: number, level: DetailLevel, k: number, scratch: DrawScratch): void {
  const view = scene.view;
  bucketByColour(paint, list, count, scratch);
  const { counts, order } = scratch;
  // Graph inputs/outputs are pills (with a coloured border) as soon as their shape can be seen.
  const pills = level >= 1 || k >= LOD_OUTLINES;
  if (level >= 2) {
    ctx.beginPath();
    for (let j = 0; j < count; j++) {
      const i = list[j] ?? 0;
      if (!isTerminal(view, i) && hasLines(view, i)) nodePath(ctx, scene, i, false);
    }
    ctx.fillStyle = GRAPH_STYLE.body;
    ctx.fill();
  }
  for (let p = 0; p < paint.palette.length; p++) {
    const start = counts[p] ?? 0;
    const end = counts[p + 1] ?? 0;
    if (start === end) continue;
    ctx.beginPath();
    for (let q = start; q < end; q++) {
      const i = order[q] ?? 0;
      const terminal = isTerminal(view, i);
      nodePath(ctx, scene, i, pills && terminal, level >= 2 && !terminal && hasLines(view, i) ? headerHeight(view, i) : undefined);
    }
    ctx.fillStyle = paint.palette[p] ?? GRAPH_STYLE.outline;
    ctx.fill();
  }
  if (k < LOD_OUTLINES) return;
  ctx.lineWidth = 1 / k;
  ctx.beginPath();
  for (let j = 0; j < count; j++) {
    const i = list[j] ?? 0;
    if (!pills || !isTerminal(view, i)) nodePath(ctx, scene, i, false);
  }
  ctx.strokeStyle = GRAPH_STYLE.outline;
  ctx.stroke();
  if (!pills) return;
  for (const [kind, colour] of [[NodeKind.Input, INPUT_STROKE], [NodeKind.Output, OUTPUT_STROKE]] as const) {
    ctx.beginPath();
    for (let j = 0; j < count; j++) {
      const i = list[j] ?? 0;
      if (view.kinds[i] === kind) nodePath(ctx, scene, i, true);
    }
    ctx.lineWidth = 1.5 / k;
    ctx.strokeStyle = colour;
    ctx.stroke();
  }
}

/** Titles (level ≥ 1) and detail lines (level ≥ 2), grouped by text colour; call after drawNodeBoxes with the same list. */
export function drawNodeText(ctx: Ctx2D, scene: Scene, paint: NodePaint, count: number, level: DetailLevel, scratch: DrawScratch): void {
  if (level < 1) return;
  const view = scene.view;
  const b = scene.nodeBoxes;
  const { counts, order } = scratch;
  ctx.textBaseline = 'middle';
  ctx.textAlign = 'center';
  ctx.font = FONT_TITLE;
  for (let p = 0; p < paint.palette.length; p++) {
    const start = counts[p] ?? 0;
    const end = counts[p + 1] ?? 0;
    if (start === end) continue;
    ctx.fillStyle = paint.textColours[p] ?? GRAPH_STYLE.bodyText;
    for (let q = start; q < end; q++) {
      const i = order[q] ?? 0;
      const x = b[i * 4] ?? 0;
      const w = (b[i * 4 + 2] ?? 0) - x;
      const top = b[i * 4 + 1] ?? 0;
      const text = fitText(view.titles[i] ?? '', w - 8, CHAR_WIDTH);
      // Without its detail lines (level 1) a node shows its title centred in the box.
      const bottom = b[i * 4 + 3] ?? top;
      const y = level >= 2 || isTerminal(view, i) ? top + textTop(view, i) + LINE_HEIGHT / 2 : (top + bottom) / 2;
      if (text) ctx.fillText(text, x + w / 2, y);
    }
  }
  if (level < 2) return;
  ctx.textAlign = 'left';
  ctx.font = FONT_LINE;
  ctx.fillStyle = GRAPH_STYLE.bodyText;
  for (let j = 0; j < count; j++) {
    const i = order[j] ?? 0;
    const lines = view.lines[i];
    if (!lines || lines.length === 0 || isTerminal(view, i)) continue;
    const x = b[i * 4] ?? 0;
    const w = (b[i * 4 + 2] ?? 0) - x;
    const top = (b[i * 4 + 1] ?? 0) + textTop(view, i) + LINE_HEIGHT * 1.5;
    for (let l = 0; l < lines.length; l++) {
      const text = fitText(lines[l] ?? '', w - 12, CHAR_WIDTH);
      if (text) ctx.fillText(text, x + 6, top + l * LINE_HEIGHT);
    }
  }
}

/**
 * Names above nodes: every node at level 3; graph inputs/outputs (whose "name" is their dtype and
 * shape) from level 2. The hovered/selected node's name is drawn by the renderer as a label.
 */
export function drawNames(ctx: Ctx2D, scene: Scene, list: Uint32Array, count: number, level: DetailLevel): void {
  if (level < 2) return;
  const view = scene.view;
  const b = scene.nodeBoxes;
  ctx.font = FONT_SMALL;
  ctx.textAlign = 'left';
  ctx.textBaseline = 'bottom';
  ctx.fillStyle = GRAPH_STYLE.nameText;
  for (let j = 0; j < count; j++) {
    const i = list[j] ?? 0;
    if (level < 3 && !isTerminal(view, i)) continue;
    const name = view.names[i] ?? 0;
    if (!name) continue;
    const x = b[i * 4] ?? 0;
    const w = (b[i * 4 + 2] ?? 0) - x;
    ctx.fillText(fitText(name, Math.max(w * 1.5, 160), SMALL_CHAR), x, (b[i * 4 + 1] ?? 0) - 2);
  }
}

/** A badge on nodes that hold subgraphs (If/Loop/Scan); from level 2 also the attribute names under the node. */
export function drawSubgraphBadges(ctx: Ctx2D, scene: Scene, list: Uint32Array, count: number, level: DetailLevel): void {
  if (level < 1) return;
  const view = scene.view;
  const b = scene.nodeBoxes;
  ctx.font = FONT_SMALL;
  ctx.textBaseline = 'middle';
  for (let j = 0; j < count; j++) {
    const i = list[j] ?? 0;
    const subs = view.subgraphs[i];
    if (!subs || subs.length === 0) continue;
    const x1 = b[i * 4 + 2] ?? 0;
    const y0 = b[i * 4 + 1] ?? 0;
    ctx.beginPath();
    ctx.roundRect(x1 - 13, y0 - 6, 18, 14, 4);
    ctx.fillStyle = GRAPH_STYLE.badge;
    ctx.fill();
    ctx.strokeStyle = '#ffffff';
    ctx.lineWidth = 1;
    ctx.stroke();
    ctx.fillStyle = '#ffffff';
    ctx.textAlign = 'center';
    ctx.fillText(`⧉${subs.length > 1 ? subs.length : ''}`, x1 - 4, y0 + 1);
    if (level >= 2) {
      ctx.textAlign = 'left';
      ctx.fillStyle = GRAPH_STYLE.badge;
      ctx.fillText(`▸ ${subs.join(' · ')}`, b[i * 4] ?? 0, (b[i * 4 + 3] ?? 0) + 7);
    }
  }
}

/**
 * Tensor shape/dtype labels beside edge midpoints, with a halo so they read over other edges. Where
 * edges fan in or out their midpoints crowd together: a label that would overlap one already drawn
 * is skipped (the hovered edge's tensor is still in the inspector and the SVG export).
 */
export function drawEdgeLabels(ctx: Ctx2D, view: ViewGraph, layout: GraphLayout, list: Uint32Array, count: number, k: number, max = MAX_EDGE_LABELS): void {
  ctx.font = FONT_SMALL;
  ctx.textAlign = 'left';
  ctx.textBaseline = 'middle';
  ctx.lineWidth = 3 / Math.max(k, 0.5);
  ctx.strokeStyle = GRAPH_STYLE.background;
  ctx.fillStyle = GRAPH_STYLE.edgeLabel;
  ctx.lineJoin = 'round';
  const placed: number[] = [];
  for (let j = 0; j < count && placed.length < max * 4; j++) {
    const e = list[j] ?? 0;
    const label = view.edgeLabels[e];
    if (!label) continue;
    const m = edgeMidpoint(layout, e);
    const x0 = m.x + 5;
    const x1 = x0 + label.length * SMALL_CHAR;
    const y0 = m.y - 6;
    const y1 = m.y + 6;
    let free = true;
    for (let p = 0; p < placed.length && free; p += 4) {
      if (x0 < (placed[p + 2] ?? 0) && x1 > (placed[p] ?? 0) && y0 < (placed[p + 3] ?? 0) && y1 > (placed[p + 1] ?? 0)) free = false;
    }
    if (!free) continue;
    placed.push(x0, y0, x1, y1);
    ctx.strokeText(label, x0, m.y);
    ctx.fillText(label, x0, m.y);
  }
}

/** The whole drawing of a list of edges and nodes at one level of detail (world transform already set). */
export function drawGraphContent(
  ctx: Ctx2D,
  scene: Scene,
  paint: NodePaint,
  nodes: Uint32Array,
  nodeCount: number,
  edges: Uint32Array,
  edgeCount: number,
  level: DetailLevel,
  k: number,
  scratch: DrawScratch,
): void {
  drawEdges(ctx, scene.layout, edges, edgeCount, k, GRAPH_STYLE.edge, level === 0 ? 0.75 : 1);
  if (level >= 1) drawArrowheads(ctx, scene.layout, edges, edgeCount);
  if (level >= 2) drawEdgeLabels(ctx, scene.view, scene.layout, edges, edgeCount, k);
  drawNodeBoxes(ctx, scene, paint, nodes, nodeCount, level, k, scratch);
  drawNodeText(ctx, scene, paint, nodeCount, level, scratch);
  drawNames(ctx, scene, nodes, nodeCount, level);
  drawSubgraphBadges(ctx, scene, nodes, nodeCount, level);
}

let fontsWarm = false;

/**
 * Draws a few characters in each graph font on a scratch canvas. The first text drawn in a font pays
 * for font matching and glyph caches (tens of ms); the panel calls this while the layout is still
 * being computed, so a graph's first frame does not pay it.
 */
export function warmUpFonts(): void {
  if (fontsWarm || typeof OffscreenCanvas === 'undefined') return;
  fontsWarm = true;
  const ctx = new OffscreenCanvas(64, 16).getContext('2d');
  if (!ctx) return;
  for (const font of [FONT_TITLE, FONT_LINE, FONT_SMALL, '12px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif']) {
    ctx.font = font;
    ctx.fillText('Conv 0×9', 0, 12);
    ctx.measureText('Conv');
  }
}

/** Identity list 0..n-1, for drawing everything. */
export function allIndices(n: number): Uint32Array {
  const a = new Uint32Array(n);
  for (let i = 0; i < n; i++) a[i] = i;
  return a;
}
