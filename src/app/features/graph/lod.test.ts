/** Level of detail, bitmap scales, export sizing and text fitting. */
import { describe, expect, it } from 'vitest';
import { canBlitOverview, detailLevel, fitText, overviewScale } from './lod';
import { EXPORT_MAX_SIDE, exportBaseName, exportScale } from './image-export';
import { CHAR_WIDTH } from './graph-kinds';

describe('level of detail', () => {
  it.each([
    [0.01, 0],
    [0.49, 0],
    [0.5, 1],
    [0.84, 1],
    [0.85, 2],
    [1.49, 2],
    [1.5, 3],
    [4, 3],
  ])('zoom %d → level %d', (k, level) => {
    expect(detailLevel(k)).toBe(level);
  });

  it.each([
    [1000, 800, 1],
    [4096 * 4, 1000, 0.25],
    [2000, 200000, 4096 / 200000],
    [20000, 20000, Math.sqrt(8e6 / 4e8)],
  ])('overview bitmap of a %d×%d graph has scale %d, within 4096 px and 8 Mpx', (w, h, scale) => {
    const s = overviewScale(w, h);
    expect(s).toBeCloseTo(scale, 6);
    expect(Math.max(w, h) * s).toBeLessThanOrEqual(4096 + 1e-6);
    expect(w * h * s * s).toBeLessThanOrEqual(8e6 + 1);
  });

  it('blits the overview only while boxes-only and while the bitmap has enough pixels', () => {
    expect(canBlitOverview(0.01, 0.01, 0.02)).toBe(true);
    expect(canBlitOverview(0.01, 0.02, 0.01)).toBe(false);
    expect(canBlitOverview(0.6, 0.6, 1)).toBe(false);
  });

  it.each([
    ['Conv', 80, 'Conv'],
    ['BatchNormalization', 60, 'BatchNo…'],
    ['x', 5, ''],
  ])('fitText(%s, %d px)', (text, width, want) => {
    expect(fitText(text, width, CHAR_WIDTH)).toBe(want);
  });
});

describe('export sizing and names', () => {
  it.each([
    [300, 200, 2],
    [2000, 200000, EXPORT_MAX_SIDE / (200000 + 48)],
    [60000, 900, EXPORT_MAX_SIDE / (60000 + 48)],
  ])('a %d×%d graph exports at scale %d (long side ≤ 8192 px)', (w, h, scale) => {
    const s = exportScale(w, h);
    expect(s).toBeCloseTo(scale, 9);
    expect(Math.max(w + 48, h + 48) * s).toBeLessThanOrEqual(EXPORT_MAX_SIDE + 1e-6);
  });

  it.each([
    ['resnet50.onnx', '', 'resnet50'],
    ['model.ONNX', '1/else_branch', 'model-1_else_branch'],
    ['weird name.onnx', '12/body/3/then_branch', 'weird name-12_body_3_then_branch'],
    ['', '', 'graph'],
  ])('%s scope %s → %s', (file, scope, base) => {
    expect(exportBaseName(file, scope)).toBe(base);
  });
});
