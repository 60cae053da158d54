/** Camera math: table-driven checks of the invariants the interaction code relies on. */
import { describe, expect, it } from 'vitest';
import {
  centreOn,
  ensureVisible,
  fitCamera,
  initialCamera,
  interpolateCamera,
  screenToWorld,
  visibleRect,
  wheelZoomFactor,
  worldToScreen,
  zoomAround,
  zoomLimits,
} from './viewport';
import type { Camera, Rect } from './viewport';

const W = 1200;
const H = 800;
const CAMERAS: Camera[] = [
  { k: 1, tx: 0, ty: 0 },
  { k: 0.05, tx: 300, ty: -2000 },
  { k: 3.7, tx: -5000, ty: 120 },
];
const BOUNDS: Rect[] = [
  { x0: 0, y0: 0, x1: 300, y1: 200 }, // small: fits at zoom 1
  { x0: 20, y0: 20, x1: 2200, y1: 180000 }, // a deep network
  { x0: -500, y0: 10, x1: 40000, y1: 900 }, // a very wide graph
];

describe('viewport', () => {
  it.each(CAMERAS)('screen ↔ world round-trips and visibleRect maps the corners (%o)', (cam) => {
    for (const [sx, sy] of [[0, 0], [W, H], [123.5, 456.25]] as const) {
      const w = screenToWorld(cam, sx, sy);
      const s = worldToScreen(cam, w.x, w.y);
      expect(s.x).toBeCloseTo(sx, 6);
      expect(s.y).toBeCloseTo(sy, 6);
    }
    const r = visibleRect(cam, W, H);
    expect(worldToScreen(cam, r.x0, r.y0).x).toBeCloseTo(0, 6);
    expect(worldToScreen(cam, r.x1, r.y1).y).toBeCloseTo(H, 6);
  });

  it.each(CAMERAS)('zoomAround keeps the world point under the cursor fixed (%o)', (cam) => {
    const limits = { min: 0.001, max: 4 };
    for (const factor of [0.5, 1.1, 2, 10]) {
      const before = screenToWorld(cam, 321, 654);
      const next = zoomAround(cam, factor, 321, 654, limits);
      const after = screenToWorld(next, 321, 654);
      expect(after.x).toBeCloseTo(before.x, 4);
      expect(after.y).toBeCloseTo(before.y, 4);
      expect(next.k).toBeLessThanOrEqual(4);
    }
  });

  it.each(BOUNDS)('fitCamera shows the whole graph, centred, never above zoom 1 (%o)', (b) => {
    const cam = fitCamera(b, W, H);
    const r = visibleRect(cam, W, H);
    expect(r.x0).toBeLessThanOrEqual(b.x0 + 1e-6);
    expect(r.y0).toBeLessThanOrEqual(b.y0 + 1e-6);
    expect(r.x1).toBeGreaterThanOrEqual(b.x1 - 1e-6);
    expect(r.y1).toBeGreaterThanOrEqual(b.y1 - 1e-6);
    expect(cam.k).toBeLessThanOrEqual(1);
    expect((r.x0 + r.x1) / 2).toBeCloseTo((b.x0 + b.x1) / 2, 3);
    expect(zoomLimits(b, W, H).min).toBeLessThanOrEqual(cam.k);
  });

  it.each(BOUNDS)('initialCamera: whole graph when legible, else the top at a readable zoom (%o)', (b) => {
    const cam = initialCamera(b, W, H, (b.x0 + b.x1) / 2);
    const fit = fitCamera(b, W, H);
    if (fit.k >= 0.9) expect(cam).toEqual(fit);
    else {
      expect(cam.k).toBe(0.9);
      const r = visibleRect(cam, W, H);
      expect(r.y0).toBeLessThan(b.y0); // the top of the graph is on screen
      expect(r.y0).toBeGreaterThan(b.y0 - 100);
    }
  });

  it('ensureVisible pans minimally and centres what cannot fit', () => {
    const cam: Camera = { k: 1, tx: 0, ty: 0 };
    expect(ensureVisible(cam, { x0: 100, y0: 100, x1: 200, y1: 150 }, W, H)).toBe(cam);
    const right = ensureVisible(cam, { x0: 1300, y0: 100, x1: 1400, y1: 150 }, W, H, 40);
    expect(worldToScreen(right, 1400, 0).x).toBeCloseTo(W - 40);
    expect(right.ty).toBe(0);
    const huge = ensureVisible(cam, { x0: 0, y0: 0, x1: 5000, y1: 10 }, W, H);
    expect(worldToScreen(huge, 2500, 0).x).toBeCloseTo(W / 2);
  });

  it('centreOn and interpolateCamera', () => {
    const a = centreOn({ k: 1, tx: 0, ty: 0 }, 500, 500, W, H, 0.5);
    expect(worldToScreen(a, 500, 500)).toEqual({ x: W / 2, y: H / 2 });
    const b = centreOn(a, 9000, 100, W, H, 2);
    expect(interpolateCamera(a, b, 0, W, H)).toBe(a);
    expect(interpolateCamera(a, b, 1, W, H)).toBe(b);
    const mid = interpolateCamera(a, b, 0.5, W, H);
    expect(mid.k).toBeCloseTo(1, 6); // geometric mean of 0.5 and 2
  });

  it.each([
    [100, 0, false, 'out'],
    [-100, 0, false, 'in'],
    [3, 1, false, 'out'],
    [-2, 0, true, 'in'],
  ] as const)('wheel delta %d (mode %d, pinch %s) zooms %s', (delta, mode, pinch, dir) => {
    const f = wheelZoomFactor(delta, mode, pinch);
    if (dir === 'in') expect(f).toBeGreaterThan(1);
    else expect(f).toBeLessThan(1);
    expect(f).toBeGreaterThan(0.3);
    expect(f).toBeLessThan(3.5);
  });
});
