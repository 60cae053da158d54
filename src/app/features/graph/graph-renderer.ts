/**
 * The imperative core of GraphCanvas: owns the <canvas>, the camera, hover/selection highlight and
 * the redraw loop. React passes data in (scene, paint, selection); pointer and keyboard code call
 * the camera methods. A frame is drawn with requestAnimationFrame only after something changed.
 *
 * Per frame the work is proportional to what is on screen (spatial-index queries), except when
 * zoomed far out, where the frame is a blit of the cached overview bitmap.
 */
import type { NodePaint } from './node-paint';
import type { Scene } from './scene';
import { nodeRect } from './scene';
import type { Camera, Rect, ZoomLimits } from './viewport';
import {
  centreOn,
  ensureVisible,
  fitCamera,
  initialCamera,
  interpolateCamera,
  sameCamera,
  screenToWorld,
  visibleRect,
  worldToScreen,
  zoomAround,
  zoomLimits,
} from './viewport';
import { hitTest, queryRect } from './spatial-index';
import { canBlitOverview, detailLevel, fitText } from './lod';
import type { DrawScratch } from './draw-graph';
import { GRAPH_STYLE, createScratch, drawEdges, drawGraphContent } from './draw-graph';
import { overviewPainter } from './overview-bitmap';
import type { SlicedGraphPainter } from './overview-bitmap';
import { Minimap } from './minimap';

/** Graphs above this size get the cached overview bitmap and the minimap. */
export const OVERVIEW_MIN_NODES = 200;
const ANIMATION_MS = 220;
/** World px added around the visible rect so labels and arrowheads at the edge are not cut. */
const CULL_MARGIN = 40;

export interface FrameStats {
  readonly ms: number;
  readonly nodes: number;
  readonly edges: number;
  readonly mode: 'blit' | 'vector';
  readonly level: number;
}

export class GraphRenderer {
  private readonly ctx: CanvasRenderingContext2D;
  private scene: Scene | null = null;
  private paint: NodePaint | null = null;
  private scratch: DrawScratch | null = null;
  private overview: SlicedGraphPainter | null = null;
  private readonly minimap: Minimap | null;
  private cam: Camera = { k: 1, tx: 0, ty: 0 };
  private width = 0;
  private height = 0;
  private dpr = 1;
  private selected = -1;
  private hover = -1;
  private frame = 0;
  private needsInitialCamera = false;
  private firstPaintPending = false;
  private animation: { from: Camera; to: Camera; start: number } | null = null;
  /** A node to centre once the canvas has a size (centerOn can arrive before the first layout pass). */
  private pendingCentre = -1;
  /** The overview bitmap and minimap picture are due (started after the next frame). */
  private pendingPictures = false;
  private picturesTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly incident = new Uint32Array(4096);
  /** Duration and size of the last frame drawn (for the dev page's measurements). */
  lastFrame: FrameStats | null = null;

  constructor(
    private readonly canvas: HTMLCanvasElement,
    minimapCanvas: HTMLCanvasElement | null,
  ) {
    const ctx = canvas.getContext('2d', { alpha: false });
    if (!ctx) throw new Error('This browser cannot draw on a 2D canvas.');
    this.ctx = ctx;
    this.minimap = minimapCanvas ? new Minimap(minimapCanvas, () => this.invalidate()) : null;
  }

  // ——— data ———

  /**
   * A new graph (null while the next one is being prepared: draws an empty canvas). A centreOnNode
   * requested while no scene was set is applied to the scene that arrives next.
   */
  setScene(scene: Scene | null): void {
    if (this.scene === scene) return;
    this.scene = scene;
    this.selected = -1;
    this.hover = -1;
    this.animation = null;
    this.needsInitialCamera = scene !== null;
    this.firstPaintPending = scene !== null;
    if (scene) this.minimap?.setBounds(scene.bounds, this.dpr);
    this.rebuildOverview();
    this.invalidate();
    if (scene && this.pendingCentre >= 0) {
      const i = this.pendingCentre;
      this.pendingCentre = -1;
      this.centreOnNode(i, false);
    }
  }

  setPaint(paint: NodePaint): void {
    if (this.paint === paint) return;
    this.paint = paint;
    this.rebuildOverview();
    this.invalidate();
  }

  setSelected(index: number | null): void {
    const i = index ?? -1;
    if (i === this.selected) return;
    this.selected = i;
    this.invalidate();
  }

  setHover(index: number): void {
    if (index === this.hover) return;
    this.hover = index;
    this.canvas.style.cursor = index >= 0 ? 'pointer' : '';
    this.invalidate();
  }

  /** Cached pictures (overview bitmap, minimap) depend on the graph and its colours: repaint both. */
  private rebuildOverview(): void {
    this.pendingPictures = false;
    clearTimeout(this.picturesTimer);
    this.overview?.cancel();
    this.overview = null;
    this.minimap?.cancel();
    const { scene, paint } = this;
    if (!scene || !paint || scene.view.nodeCount !== paint.fill.length) return;
    this.scratch = createScratch(scene.view.nodeCount, paint.palette.length);
    if (scene.view.nodeCount <= OVERVIEW_MIN_NODES) return;
    // Start after the first frame: the first paint of a new graph must not wait for these.
    this.pendingPictures = true;
  }

  private startPictures(): void {
    this.overview?.cancel();
    this.minimap?.cancel();
    const { scene, paint } = this;
    if (!scene || !paint) return;
    this.overview = overviewPainter(scene, paint, () => this.invalidate());
    this.overview.start();
    this.minimap?.paintPicture(scene, paint);
  }

  // ——— size and camera ———

  resize(width: number, height: number, dpr: number): void {
    if (width === this.width && height === this.height && dpr === this.dpr) return;
    const firstSize = this.width === 0 || this.height === 0;
    // Keep the world point at the centre of the view where it is (an inspector opening beside the
    // canvas must not push the selected node off-centre).
    if (!firstSize && !this.needsInitialCamera) {
      const dx = (width - this.width) / 2;
      const dy = (height - this.height) / 2;
      const shift = (c: Camera): Camera => ({ k: c.k, tx: c.tx + dx, ty: c.ty + dy });
      this.cam = shift(this.cam);
      if (this.animation) this.animation = { ...this.animation, from: shift(this.animation.from), to: shift(this.animation.to) };
    }
    this.width = width;
    this.height = height;
    const dprChanged = dpr !== this.dpr;
    this.dpr = dpr;
    if (dprChanged && this.scene) {
      this.minimap?.setBounds(this.scene.bounds, dpr);
      this.rebuildOverview();
    }
    this.canvas.width = Math.max(1, Math.round(width * dpr));
    this.canvas.height = Math.max(1, Math.round(height * dpr));
    if (firstSize && this.scene) this.needsInitialCamera = true;
    if (this.pendingCentre >= 0 && width > 0 && height > 0) {
      const i = this.pendingCentre;
      this.pendingCentre = -1;
      this.centreOnNode(i, false);
    }
    this.invalidate();
  }

  get camera(): Camera {
    return this.cam;
  }

  get viewportSize(): { width: number; height: number } {
    return { width: this.width, height: this.height };
  }

  private limits(): ZoomLimits {
    return this.scene ? zoomLimits(this.scene.bounds, this.width, this.height) : { min: 0.01, max: 4 };
  }

  setCamera(cam: Camera, animate = false): void {
    this.needsInitialCamera = false;
    if (animate && this.width > 0 && !prefersReducedMotion()) {
      this.animation = { from: this.cam, to: cam, start: performance.now() };
    } else {
      this.animation = null;
      if (sameCamera(cam, this.cam)) return;
      this.cam = cam;
    }
    this.invalidate();
  }

  panBy(dx: number, dy: number): void {
    this.setCamera({ k: this.cam.k, tx: this.cam.tx + dx, ty: this.cam.ty + dy });
  }

  /**
   * Where the camera is heading: the end of a running animation, else where it is. Animated moves
   * start from here, so pressing + five times quickly zooms five steps, not one.
   */
  private get target(): Camera {
    return this.animation?.to ?? this.cam;
  }

  zoomAt(factor: number, sx: number, sy: number, animate = false): void {
    this.setCamera(zoomAround(animate ? this.target : this.cam, factor, sx, sy, this.limits()), animate);
  }

  zoomBy(factor: number): void {
    this.zoomAt(factor, this.width / 2, this.height / 2, true);
  }

  fit(animate = true): void {
    if (!this.scene) return;
    this.setCamera(fitCamera(this.scene.bounds, this.width, this.height), animate);
  }

  centreOnWorld(x: number, y: number): void {
    this.setCamera(centreOn(this.cam, x, y, this.width, this.height));
  }

  /** Centres node i; zooms in to a readable scale first when the view is too far out to read it. */
  centreOnNode(i: number, animate = true): void {
    if (i < 0) return;
    if (!this.scene || this.width === 0 || this.height === 0) {
      this.pendingCentre = i;
      return;
    }
    if (i >= this.scene.view.nodeCount) return;
    if (this.needsInitialCamera) this.applyInitialCamera();
    const r = nodeRect(this.scene, i);
    const from = animate ? this.target : this.cam;
    const k = from.k < 0.6 ? Math.min(1, this.limits().max) : from.k;
    this.setCamera(centreOn(from, (r.x0 + r.x1) / 2, (r.y0 + r.y1) / 2, this.width, this.height, k), animate);
  }

  ensureNodeVisible(i: number): void {
    if (!this.scene || i < 0) return;
    this.setCamera(ensureVisible(this.target, nodeRect(this.scene, i), this.width, this.height), true);
  }

  /** The node under screen point (sx, sy), or -1. A few pixels of slop make small nodes clickable. */
  nodeAt(sx: number, sy: number): number {
    if (!this.scene) return -1;
    const w = screenToWorld(this.cam, sx, sy);
    return hitTest(this.scene.nodeIndex, w.x, w.y, 3 / this.cam.k);
  }

  /** The node nearest the centre of the viewport (for arrow keys with nothing selected). */
  nodeNearestCentre(): number {
    const scene = this.scene;
    if (!scene || scene.view.nodeCount === 0) return -1;
    const vr = visibleRect(this.cam, this.width, this.height);
    const cx = (vr.x0 + vr.x1) / 2;
    const cy = (vr.y0 + vr.y1) / 2;
    const count = queryRect(scene.nodeIndex, vr.x0, vr.y0, vr.x1, vr.y1, scene.visibleNodes);
    let best = count > 0 ? -1 : 0;
    let bestD = Infinity;
    for (let j = 0; j < count; j++) {
      const i = scene.visibleNodes[j] ?? 0;
      const r = nodeRect(scene, i);
      const d = Math.hypot((r.x0 + r.x1) / 2 - cx, (r.y0 + r.y1) / 2 - cy);
      if (d < bestD) {
        bestD = d;
        best = i;
      }
    }
    return best;
  }

  minimapToWorld(mx: number, my: number): { x: number; y: number } | null {
    return this.minimap?.toWorld(mx, my) ?? null;
  }

  private applyInitialCamera(): void {
    if (!this.scene || this.width === 0 || this.height === 0) return;
    this.cam = initialCamera(this.scene.bounds, this.width, this.height, this.scene.anchorX);
    this.needsInitialCamera = false;
  }

  // ——— drawing ———

  invalidate(): void {
    if (this.frame !== 0) return;
    this.frame = requestAnimationFrame(() => {
      this.frame = 0;
      this.draw();
    });
  }

  destroy(): void {
    if (this.frame !== 0) cancelAnimationFrame(this.frame);
    this.frame = 0;
    clearTimeout(this.picturesTimer);
    this.overview?.cancel();
    this.overview = null;
    this.minimap?.cancel();
  }

  /** Draws one frame now. Public so a measurement can time it; normal code calls invalidate(). */
  draw(): void {
    const t0 = performance.now();
    const { ctx, scene, paint, scratch } = this;
    if (this.needsInitialCamera) this.applyInitialCamera();
    if (this.animation) {
      const t = Math.min(1, (t0 - this.animation.start) / ANIMATION_MS);
      const eased = 1 - (1 - t) ** 3;
      this.cam = interpolateCamera(this.animation.from, this.animation.to, eased, this.width, this.height);
      if (t >= 1) this.animation = null;
      else this.invalidate();
    }
    const { dpr, cam } = this;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.fillStyle = GRAPH_STYLE.background;
    ctx.fillRect(0, 0, this.canvas.width, this.canvas.height);
    if (!scene || !paint || !scratch || this.width === 0 || paint.fill.length !== scene.view.nodeCount) return;

    const k = cam.k;
    const kd = k * dpr;
    const level = detailLevel(k);
    const vr = visibleRect(cam, this.width, this.height);
    let stats: FrameStats;
    if (this.overview?.ready && canBlitOverview(k, kd, this.overview.scale)) {
      this.blitOverview(this.overview, scene.bounds, vr);
      stats = { ms: 0, nodes: 0, edges: 0, mode: 'blit', level };
    } else {
      const m = CULL_MARGIN;
      const ne = queryRect(scene.edgeIndex, vr.x0 - m, vr.y0 - m, vr.x1 + m, vr.y1 + m, scene.visibleEdges);
      const nn = queryRect(scene.nodeIndex, vr.x0 - m, vr.y0 - m * 2, vr.x1 + m, vr.y1 + m, scene.visibleNodes);
      ctx.setTransform(kd, 0, 0, kd, cam.tx * dpr, cam.ty * dpr);
      drawGraphContent(ctx, scene, paint, scene.visibleNodes, nn, scene.visibleEdges, ne, level, k, scratch);
      stats = { ms: 0, nodes: nn, edges: ne, mode: 'vector', level };
    }
    ctx.setTransform(kd, 0, 0, kd, cam.tx * dpr, cam.ty * dpr);
    this.drawIncidentEdges(this.selected, GRAPH_STYLE.edgeHighlight, 2);
    if (this.hover !== this.selected) this.drawIncidentEdges(this.hover, GRAPH_STYLE.hover, 1.5);
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    this.drawRing(this.hover, GRAPH_STYLE.hover, 2);
    this.drawRing(this.selected, GRAPH_STYLE.selection, 3);
    const labelled = this.hover >= 0 ? this.hover : this.selected;
    if (labelled >= 0) this.drawLabel(labelled);
    this.minimap?.draw(vr);
    this.lastFrame = { ...stats, ms: performance.now() - t0 };
    if (this.firstPaintPending) {
      this.firstPaintPending = false;
      performance.mark('graph:first-paint');
    }
    if (this.pendingPictures) {
      this.pendingPictures = false;
      clearTimeout(this.picturesTimer);
      this.picturesTimer = setTimeout(() => this.startPictures(), 0);
    }
  }

  private blitOverview(bitmap: SlicedGraphPainter, b: Rect, vr: Rect): void {
    const { ctx, cam, dpr } = this;
    const s = bitmap.scale;
    // Intersect the visible world rect with the bitmap's coverage, then map both ways.
    const wx0 = Math.max(vr.x0, b.x0);
    const wy0 = Math.max(vr.y0, b.y0);
    const wx1 = Math.min(vr.x1, b.x1);
    const wy1 = Math.min(vr.y1, b.y1);
    if (wx1 <= wx0 || wy1 <= wy0) return;
    const d0 = worldToScreen(cam, wx0, wy0);
    ctx.imageSmoothingEnabled = true;
    ctx.imageSmoothingQuality = 'low';
    ctx.drawImage(
      bitmap.canvas,
      (wx0 - b.x0) * s,
      (wy0 - b.y0) * s,
      (wx1 - wx0) * s,
      (wy1 - wy0) * s,
      d0.x * dpr,
      d0.y * dpr,
      (wx1 - wx0) * cam.k * dpr,
      (wy1 - wy0) * cam.k * dpr,
    );
  }

  private drawIncidentEdges(i: number, colour: string, widthPx: number): void {
    const scene = this.scene;
    if (!scene || i < 0) return;
    const { nav } = scene;
    let n = 0;
    for (let p = nav.outStart[i] ?? 0, end = nav.outStart[i + 1] ?? 0; p < end && n < this.incident.length; p++) this.incident[n++] = nav.outEdges[p] ?? 0;
    for (let p = nav.inStart[i] ?? 0, end = nav.inStart[i + 1] ?? 0; p < end && n < this.incident.length; p++) this.incident[n++] = nav.inEdges[p] ?? 0;
    if (n > 0) drawEdges(this.ctx, scene.layout, this.incident, n, this.cam.k, colour, widthPx);
  }

  /** A ring around node i in screen space: visible at every zoom (at least 12 px across). */
  private drawRing(i: number, colour: string, widthPx: number): void {
    if (!this.scene || i < 0) return;
    const r = nodeRect(this.scene, i);
    const a = worldToScreen(this.cam, r.x0, r.y0);
    const b = worldToScreen(this.cam, r.x1, r.y1);
    const cx = (a.x + b.x) / 2;
    const cy = (a.y + b.y) / 2;
    const hw = Math.max(6, (b.x - a.x) / 2) + 3;
    const hh = Math.max(6, (b.y - a.y) / 2) + 3;
    const { ctx } = this;
    ctx.lineWidth = widthPx + 2;
    ctx.strokeStyle = '#ffffff';
    ctx.strokeRect(cx - hw, cy - hh, hw * 2, hh * 2);
    ctx.lineWidth = widthPx;
    ctx.strokeStyle = colour;
    ctx.strokeRect(cx - hw, cy - hh, hw * 2, hh * 2);
  }

  /** Op type and name of the hovered (or selected) node, as a label next to it — names on demand. */
  private drawLabel(i: number): void {
    const scene = this.scene;
    if (!scene) return;
    const view = scene.view;
    const title = view.titles[i] ?? '';
    const name = view.names[i] ?? '';
    const text = fitText(name ? `${title} · ${name}` : title, 420, 7);
    if (!text) return;
    const r = nodeRect(scene, i);
    const b = worldToScreen(this.cam, r.x1, r.y0);
    const { ctx } = this;
    ctx.font = '12px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
    ctx.textBaseline = 'middle';
    ctx.textAlign = 'left';
    const w = ctx.measureText(text).width + 12;
    const h = 22;
    const x = Math.min(this.width - w - 4, Math.max(4, b.x + 8));
    const y = Math.min(this.height - h - 4, Math.max(4, b.y - h - 4));
    ctx.fillStyle = 'rgba(255, 255, 255, 0.96)';
    ctx.strokeStyle = '#9aa4b2';
    ctx.lineWidth = 1;
    ctx.beginPath();
    ctx.roundRect(x, y, w, h, 4);
    ctx.fill();
    ctx.stroke();
    ctx.fillStyle = '#1b2330';
    ctx.fillText(text, x + 6, y + h / 2);
  }
}

function prefersReducedMotion(): boolean {
  return typeof matchMedia === 'function' && matchMedia('(prefers-reduced-motion: reduce)').matches;
}
