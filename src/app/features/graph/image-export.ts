/**
 * Export of the whole graph as files: PNG (rendered offscreen, scaled to fit EXPORT_MAX_SIDE pixels
 * on the long side, drawn in time-sliced chunks so a 20,000-node export never blocks the page for
 * long) and SVG (see svg-export.ts), downloaded under the model's name.
 */
import type { NodePaint } from './node-paint';
import type { Scene } from './scene';
import { createScratch, drawGraphContent, GRAPH_STYLE } from './draw-graph';
import { detailLevel } from './lod';
import type { DetailLevel } from './lod';
import { svgChunks } from './svg-export';

export const EXPORT_MAX_SIDE = 8192;
/** Small graphs are exported at 2× for crisp text; large ones shrink to fit EXPORT_MAX_SIDE. */
const MAX_EXPORT_SCALE = 2;
const PAD = 24;
const CHUNK = 1000;

const yieldToPage = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

export function exportScale(width: number, height: number, maxSide = EXPORT_MAX_SIDE): number {
  return Math.min(MAX_EXPORT_SCALE, maxSide / Math.max(1, width + 2 * PAD, height + 2 * PAD));
}

export async function renderGraphPng(scene: Scene, paint: NodePaint): Promise<Blob> {
  const b = scene.bounds;
  // Leave room for names drawn above the top row.
  const bw = b.x1 - b.x0 + 2 * PAD;
  const bh = b.y1 - b.y0 + 2 * PAD + 12;
  const scale = exportScale(bw, bh);
  const canvas = document.createElement('canvas');
  canvas.width = Math.max(1, Math.ceil(bw * scale));
  canvas.height = Math.max(1, Math.ceil(bh * scale));
  // willReadFrequently: a CPU canvas, where the one-pixel reads below cheaply force each chunk to
  // rasterize in its own task (Chrome otherwise rasterizes the whole recording at toBlob, in one task).
  const ctx = canvas.getContext('2d', { alpha: false, willReadFrequently: true });
  if (!ctx) throw new Error('This browser cannot draw on a 2D canvas.');
  ctx.fillStyle = GRAPH_STYLE.background;
  ctx.fillRect(0, 0, canvas.width, canvas.height);
  ctx.setTransform(scale, 0, 0, scale, (PAD - b.x0) * scale, (PAD + 12 - b.y0) * scale);
  // Names everywhere in a file: the reader cannot hover. Level from the export's own scale.
  const level: DetailLevel = Math.max(detailLevel(scale), scale >= 0.5 ? 3 : 0) as DetailLevel;
  const scratch = createScratch(scene.view.nodeCount, paint.palette.length);
  const edges = new Uint32Array(CHUNK);
  const nodes = new Uint32Array(CHUNK);
  const none = new Uint32Array(0);
  for (let e = 0; e < scene.view.edgeCount; e += CHUNK) {
    const m = Math.min(CHUNK, scene.view.edgeCount - e);
    for (let j = 0; j < m; j++) edges[j] = e + j;
    drawGraphContent(ctx, scene, paint, none, 0, edges, m, level, scale, scratch);
    ctx.getImageData(0, 0, 1, 1);
    await yieldToPage();
  }
  for (let n = 0; n < scene.view.nodeCount; n += CHUNK) {
    const m = Math.min(CHUNK, scene.view.nodeCount - n);
    for (let j = 0; j < m; j++) nodes[j] = n + j;
    drawGraphContent(ctx, scene, paint, nodes, m, none, 0, level, scale, scratch);
    ctx.getImageData(0, 0, 1, 1);
    await yieldToPage();
  }
  return new Promise((resolve, reject) => canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('The browser could not encode the PNG.'))), 'image/png'));
}

/**
 * The SVG file, built in chunks with yields to the page so a large graph never blocks it for long.
 * Each slice's text becomes a Blob right away: encoding 18 MB of text to UTF-8 in one final
 * `new Blob(strings)` would itself be a long task.
 */
export async function svgBlob(scene: Scene, paint: NodePaint, title: string): Promise<Blob> {
  const blobs: Blob[] = [];
  let pending: string[] = [];
  let t0 = performance.now();
  for (const part of svgChunks(scene.view, scene.layout, paint, { title })) {
    pending.push(part);
    if (performance.now() - t0 > 25) {
      blobs.push(new Blob(pending));
      pending = [];
      await yieldToPage();
      t0 = performance.now();
    }
  }
  blobs.push(new Blob(pending));
  return new Blob(blobs, { type: 'image/svg+xml' });
}

export function downloadBlob(blob: Blob, fileName: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.rel = 'noopener';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** 'resnet50.onnx' + scope '12/body' → 'resnet50-12_body': the base of exported file names. */
export function exportBaseName(fileName: string, scopePath: string): string {
  const base = fileName.replace(/\.(onnx|ort|pb|tflite)$/i, '') || 'graph';
  return scopePath ? `${base}-${scopePath.replace(/[^\w.-]+/g, '_')}` : base;
}
