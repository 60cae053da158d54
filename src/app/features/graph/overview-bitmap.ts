/**
 * The whole graph rendered once, boxes-only, into an offscreen bitmap. While zoomed far out a frame
 * is then a single drawImage of the visible part instead of re-stroking tens of thousands of edges;
 * the minimap's picture is painted the same way at its own small scale.
 *
 * Painting 20,000 nodes at once would be one long main-thread task, so the work is time-sliced:
 * edges, then nodes, in chunks between setTimeout yields, each slice stopping after ~SLICE_MS. Chrome
 * records 2D canvas commands and rasterizes them lazily (at the first drawImage from the canvas),
 * which would bring the whole cost back in one task; a one-pixel getImageData after each chunk makes
 * each slice rasterize its own chunk.
 */
import type { NodePaint } from './node-paint';
import type { Scene } from './scene';
import { createScratch, drawEdges, drawNodeBoxes, GRAPH_STYLE } from './draw-graph';
import type { Ctx2D } from './draw-graph';
import { overviewScale } from './lod';

const SLICE_MS = 10;
const CHUNK = 500;

export type BitmapCanvas = OffscreenCanvas | HTMLCanvasElement;

export function createBitmapCanvas(width: number, height: number): BitmapCanvas {
  if (typeof OffscreenCanvas !== 'undefined') return new OffscreenCanvas(width, height);
  const c = document.createElement('canvas');
  c.width = width;
  c.height = height;
  return c;
}

export function context2d(canvas: BitmapCanvas, willReadFrequently = false): Ctx2D {
  const ctx = canvas.getContext('2d', { willReadFrequently }) as Ctx2D | null;
  if (!ctx) throw new Error('This browser cannot draw on a 2D canvas.');
  return ctx;
}

/**
 * Paints the whole graph (boxes only) into `canvas` at `scale` device px per world px, with world
 * point (originX, originY) at the canvas's top-left, in time slices. `ready` turns true at the end.
 */
export class SlicedGraphPainter {
  ready = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private cancelled = false;

  constructor(
    readonly canvas: BitmapCanvas,
    readonly scale: number,
    private readonly originX: number,
    private readonly originY: number,
    private readonly scene: Scene,
    private readonly paint: NodePaint,
    private readonly onReady: () => void,
  ) {}

  start(): void {
    // willReadFrequently keeps the canvas in CPU memory, where the one-pixel reads are cheap.
    const ctx = context2d(this.canvas, true);
    const { scene, paint, scale } = this;
    // Transparent background (no multi-megapixel fill): the frame behind it is already cleared.
    ctx.setTransform(scale, 0, 0, scale, -this.originX * scale, -this.originY * scale);
    const edges = scene.view.edgeCount;
    const nodes = scene.view.nodeCount;
    const scratch = createScratch(nodes, paint.palette.length);
    const list = new Uint32Array(CHUNK);
    let e = 0;
    let n = 0;
    const step = (): void => {
      if (this.cancelled) return;
      const t0 = performance.now();
      while (performance.now() - t0 < SLICE_MS) {
        if (e < edges) {
          const m = Math.min(CHUNK, edges - e);
          for (let j = 0; j < m; j++) list[j] = e + j;
          drawEdges(ctx, scene.layout, list, m, scale, GRAPH_STYLE.edge, 0.75);
          e += m;
        } else if (n < nodes) {
          const m = Math.min(CHUNK, nodes - n);
          for (let j = 0; j < m; j++) list[j] = n + j;
          drawNodeBoxes(ctx, scene, paint, list, m, 0, scale, scratch);
          n += m;
        } else {
          this.ready = true;
          this.onReady();
          return;
        }
        ctx.getImageData(0, 0, 1, 1);
      }
      this.timer = setTimeout(step, 0);
    };
    this.timer = setTimeout(step, 0);
  }

  cancel(): void {
    this.cancelled = true;
    if (this.timer !== undefined) clearTimeout(this.timer);
  }
}

/** The cached whole-graph bitmap for far zoom levels (see overviewScale for its size). */
export function overviewPainter(scene: Scene, paint: NodePaint, onReady: () => void): SlicedGraphPainter {
  const { bounds } = scene;
  const w = bounds.x1 - bounds.x0;
  const h = bounds.y1 - bounds.y0;
  const scale = overviewScale(w, h);
  const canvas = createBitmapCanvas(Math.max(1, Math.ceil(w * scale)), Math.max(1, Math.ceil(h * scale)));
  return new SlicedGraphPainter(canvas, scale, bounds.x0, bounds.y0, scene, paint, onReady);
}
