/**
 * Level of detail by zoom (k = screen CSS px per world px; node text is 12 px at k = 1):
 *   0  boxes only, edges as one thin batched path           (text would be under ~6 px)
 *   1  + op titles, arrowheads, node outlines
 *   2  + detail lines (attributes, weight shapes), subgraph badge labels, edge labels (shape/dtype)
 *   3  + node names above every node (otherwise only for the hovered/selected node)
 */
export type DetailLevel = 0 | 1 | 2 | 3;

export const LOD_TITLES = 0.5;
export const LOD_DETAILS = 0.85;
export const LOD_NAMES = 1.5;
/** Below this zoom node outlines are not stroked (they would be a fraction of a pixel apart). */
export const LOD_OUTLINES = 0.2;

export function detailLevel(k: number): DetailLevel {
  if (k >= LOD_NAMES) return 3;
  if (k >= LOD_DETAILS) return 2;
  if (k >= LOD_TITLES) return 1;
  return 0;
}

/** Labels cost a fillText each; past this many on screen they are unreadable clutter anyway. */
export const MAX_EDGE_LABELS = 400;

/**
 * Scale of the cached whole-graph bitmap (device px per world px): as large as fits `maxSide`
 * pixels on the long side and `maxPixels` in area, never above 1.
 */
export function overviewScale(width: number, height: number, maxSide = 4096, maxPixels = 8e6): number {
  const w = Math.max(1, width);
  const h = Math.max(1, height);
  return Math.min(1, maxSide / Math.max(w, h), Math.sqrt(maxPixels / (w * h)));
}

/**
 * Whether a frame at device zoom `kDevice` may blit the cached overview bitmap of scale
 * `bitmapScale`: only while boxes-only detail is drawn, and while the bitmap has at least ~80% of the
 * device pixels the frame needs (slight upscaling is invisible at that level of detail).
 */
export function canBlitOverview(k: number, kDevice: number, bitmapScale: number): boolean {
  return detailLevel(k) === 0 && kDevice <= bitmapScale * 1.25;
}

/** Text cut to fit `maxWidth` world px at CHAR_WIDTH per character, with an ellipsis. */
export function fitText(text: string, maxWidth: number, charWidth: number): string {
  const max = Math.floor(maxWidth / charWidth);
  if (text.length <= max) return text;
  if (max <= 1) return '';
  return text.slice(0, max - 1) + '…';
}
