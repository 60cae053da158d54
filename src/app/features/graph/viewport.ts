/**
 * Camera math for the graph canvas. A camera maps world coordinates (CSS pixels at zoom 1, as in
 * GraphLayout) to screen coordinates (CSS pixels of the canvas element):
 *
 *   screenX = worldX * k + tx,   screenY = worldY * k + ty
 *
 * Pure functions over plain numbers so the interaction code and the tests share one definition.
 */

export interface Camera {
  readonly k: number;
  readonly tx: number;
  readonly ty: number;
}

export interface Rect {
  readonly x0: number;
  readonly y0: number;
  readonly x1: number;
  readonly y1: number;
}

export interface ZoomLimits {
  readonly min: number;
  readonly max: number;
}

/** Nobody reads a node bigger than 4× its natural size; zooming further only loses context. */
export const MAX_ZOOM = 4;

export function screenToWorld(cam: Camera, sx: number, sy: number): { x: number; y: number } {
  return { x: (sx - cam.tx) / cam.k, y: (sy - cam.ty) / cam.k };
}

export function worldToScreen(cam: Camera, wx: number, wy: number): { x: number; y: number } {
  return { x: wx * cam.k + cam.tx, y: wy * cam.k + cam.ty };
}

/** The world rectangle a viewport of `width`×`height` CSS pixels shows. */
export function visibleRect(cam: Camera, width: number, height: number): Rect {
  return { x0: -cam.tx / cam.k, y0: -cam.ty / cam.k, x1: (width - cam.tx) / cam.k, y1: (height - cam.ty) / cam.k };
}

/** The zoom that fits `bounds` into the viewport with `pad` CSS pixels on every side. */
export function fitZoom(bounds: Rect, width: number, height: number, pad: number): number {
  const bw = Math.max(1, bounds.x1 - bounds.x0);
  const bh = Math.max(1, bounds.y1 - bounds.y0);
  const aw = Math.max(1, width - 2 * pad);
  const ah = Math.max(1, height - 2 * pad);
  return Math.min(aw / bw, ah / bh);
}

/**
 * Zoom limits for a graph: out to a little below "whole graph fits" (never above 0.5, so even a small
 * graph can be zoomed out a bit), in to MAX_ZOOM.
 */
export function zoomLimits(bounds: Rect, width: number, height: number): ZoomLimits {
  const fit = fitZoom(bounds, width, height, 16);
  return { min: Math.min(0.5, fit * 0.5), max: MAX_ZOOM };
}

export function clampZoom(k: number, limits: ZoomLimits): number {
  return Math.min(limits.max, Math.max(limits.min, k));
}

/** Centres `bounds` in the viewport at the fit zoom, never magnifying beyond `maxK`. */
export function fitCamera(bounds: Rect, width: number, height: number, pad = 24, maxK = 1): Camera {
  const k = Math.min(maxK, fitZoom(bounds, width, height, pad));
  const cx = (bounds.x0 + bounds.x1) / 2;
  const cy = (bounds.y0 + bounds.y1) / 2;
  return { k, tx: width / 2 - cx * k, ty: height / 2 - cy * k };
}

/**
 * The first view of a graph: the whole graph when it is legible that way (fit zoom ≥ `legibleK`),
 * otherwise the top of the graph (where its inputs are) at a zoom where node text can be read,
 * centred horizontally on `anchorX` — a 20,000-node network fitted whole is a grey smear.
 */
export function initialCamera(bounds: Rect, width: number, height: number, anchorX: number, legibleK = 0.9): Camera {
  const fit = fitCamera(bounds, width, height);
  if (fit.k >= legibleK) return fit;
  const k = legibleK;
  const halfW = width / 2 / k;
  // Keep the graph's side edges on screen when it is narrower than the viewport.
  const span = bounds.x1 - bounds.x0;
  const cx = span <= 2 * halfW ? (bounds.x0 + bounds.x1) / 2 : Math.min(bounds.x1 - halfW, Math.max(bounds.x0 + halfW, anchorX));
  return { k, tx: width / 2 - cx * k, ty: 24 - bounds.y0 * k };
}

/** Zooms by `factor` keeping the world point under screen point (sx, sy) fixed. */
export function zoomAround(cam: Camera, factor: number, sx: number, sy: number, limits: ZoomLimits): Camera {
  const k = clampZoom(cam.k * factor, limits);
  if (k === cam.k) return cam;
  const wx = (sx - cam.tx) / cam.k;
  const wy = (sy - cam.ty) / cam.k;
  return { k, tx: sx - wx * k, ty: sy - wy * k };
}

/** Puts world point (wx, wy) at the centre of the viewport, at zoom `k` (default: unchanged). */
export function centreOn(cam: Camera, wx: number, wy: number, width: number, height: number, k = cam.k): Camera {
  return { k, tx: width / 2 - wx * k, ty: height / 2 - wy * k };
}

/**
 * Pans as little as possible so that `box` is inside the viewport with `margin` CSS pixels to spare
 * (keyboard navigation: the selection never leaves the screen). A box bigger than the viewport is centred.
 */
export function ensureVisible(cam: Camera, box: Rect, width: number, height: number, margin = 40): Camera {
  const s0 = worldToScreen(cam, box.x0, box.y0);
  const s1 = worldToScreen(cam, box.x1, box.y1);
  const dx = shift(s0.x, s1.x, margin, width - margin);
  const dy = shift(s0.y, s1.y, margin, height - margin);
  if (dx === 0 && dy === 0) return cam;
  return { k: cam.k, tx: cam.tx + dx, ty: cam.ty + dy };
}

function shift(a0: number, a1: number, lo: number, hi: number): number {
  if (a1 - a0 > hi - lo) return (lo + hi) / 2 - (a0 + a1) / 2;
  if (a0 < lo) return lo - a0;
  if (a1 > hi) return hi - a1;
  return 0;
}

/** Linear interpolation between two cameras in "zoom space" (log k), for short animated moves. */
export function interpolateCamera(a: Camera, b: Camera, t: number, width: number, height: number): Camera {
  if (t >= 1) return b;
  if (t <= 0) return a;
  // Interpolate the world point at the viewport centre and log(k), so zooming feels uniform.
  const ca = screenToWorld(a, width / 2, height / 2);
  const cb = screenToWorld(b, width / 2, height / 2);
  const k = Math.exp(Math.log(a.k) + (Math.log(b.k) - Math.log(a.k)) * t);
  return centreOn(a, ca.x + (cb.x - ca.x) * t, ca.y + (cb.y - ca.y) * t, width, height, k);
}

/** Wheel delta → zoom factor. Pinch gestures arrive as wheel events with ctrlKey and small deltas. */
export function wheelZoomFactor(deltaY: number, deltaMode: number, pinch: boolean): number {
  // deltaMode 1 = lines, 2 = pages (Firefox); normalise to pixels.
  const px = deltaMode === 1 ? deltaY * 16 : deltaMode === 2 ? deltaY * 400 : deltaY;
  const rate = pinch ? 0.01 : 0.0015;
  return Math.exp(-Math.max(-600, Math.min(600, px)) * rate);
}

export function sameCamera(a: Camera, b: Camera): boolean {
  return a.k === b.k && a.tx === b.tx && a.ty === b.ty;
}
