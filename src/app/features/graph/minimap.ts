/**
 * The minimap: the whole graph as a cached bitmap (painted once per graph and colouring, in time
 * slices) plus the viewport rectangle, redrawn per frame with one drawImage and one strokeRect.
 */
import type { Rect } from './viewport';
import { GRAPH_STYLE } from './draw-graph';
import { SlicedGraphPainter, createBitmapCanvas } from './overview-bitmap';
import type { NodePaint } from './node-paint';
import type { Scene } from './scene';

/** Largest minimap side in CSS px; the other side follows the graph's aspect (at least MIN_SIDE). */
export const MINIMAP_MAX = 180;
const MIN_SIDE = 36;

export interface MinimapGeometry {
  readonly width: number;
  readonly height: number;
  /** Minimap CSS px per world px, and the world point at the minimap's top-left. */
  readonly scale: number;
  readonly originX: number;
  readonly originY: number;
}

/** Size and mapping of the minimap for graph `bounds`: the graph fitted inside, centred on the short side. */
export function minimapGeometry(bounds: Rect): MinimapGeometry {
  const bw = Math.max(1, bounds.x1 - bounds.x0);
  const bh = Math.max(1, bounds.y1 - bounds.y0);
  const scale = MINIMAP_MAX / Math.max(bw, bh);
  const width = Math.max(MIN_SIDE, Math.round(bw * scale));
  const height = Math.max(MIN_SIDE, Math.round(bh * scale));
  return { width, height, scale, originX: bounds.x0 - (width / scale - bw) / 2, originY: bounds.y0 - (height / scale - bh) / 2 };
}

export class Minimap {
  private geometry: MinimapGeometry | null = null;
  private picture: SlicedGraphPainter | null = null;
  private dpr = 1;

  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly onPictureReady: () => void,
  ) {}

  /** New graph (or device pixel ratio): size the element; the picture follows with paintPicture. */
  setBounds(bounds: Rect, dpr: number): void {
    this.picture?.cancel();
    this.picture = null;
    this.geometry = minimapGeometry(bounds);
    this.dpr = dpr;
    const { width, height } = this.geometry;
    this.canvas.style.width = `${width}px`;
    this.canvas.style.height = `${height}px`;
    this.canvas.width = Math.round(width * dpr);
    this.canvas.height = Math.round(height * dpr);
  }

  /** Paints the whole graph into the minimap's cache, in the background (time-sliced). */
  paintPicture(scene: Scene, paint: NodePaint): void {
    this.picture?.cancel();
    const g = this.geometry;
    if (!g) return;
    const cache = createBitmapCanvas(this.canvas.width, this.canvas.height);
    this.picture = new SlicedGraphPainter(cache, g.scale * this.dpr, g.originX, g.originY, scene, paint, this.onPictureReady);
    this.picture.start();
  }

  cancel(): void {
    this.picture?.cancel();
  }

  draw(view: Rect): void {
    const g = this.geometry;
    if (!g) return;
    const ctx = this.canvas.getContext('2d');
    if (!ctx) return;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.fillStyle = GRAPH_STYLE.background;
    ctx.fillRect(0, 0, this.canvas.width, this.canvas.height);
    if (this.picture?.ready) ctx.drawImage(this.picture.canvas, 0, 0);
    const s = g.scale * this.dpr;
    const x0 = Math.max(0, (view.x0 - g.originX) * s);
    const y0 = Math.max(0, (view.y0 - g.originY) * s);
    const x1 = Math.min(this.canvas.width, (view.x1 - g.originX) * s);
    const y1 = Math.min(this.canvas.height, (view.y1 - g.originY) * s);
    ctx.fillStyle = 'rgba(31, 78, 121, 0.12)';
    ctx.strokeStyle = GRAPH_STYLE.hover;
    ctx.lineWidth = Math.max(1, this.dpr * 1.5);
    // A viewport smaller than a pixel still shows as a visible marker.
    const w = Math.max(4 * this.dpr, x1 - x0);
    const h = Math.max(4 * this.dpr, y1 - y0);
    ctx.fillRect(x0, y0, w, h);
    ctx.strokeRect(x0, y0, w, h);
  }

  /** The world point under minimap CSS coordinates (mx, my). */
  toWorld(mx: number, my: number): { x: number; y: number } | null {
    const g = this.geometry;
    if (!g) return null;
    return { x: g.originX + mx / g.scale, y: g.originY + my / g.scale };
  }
}
