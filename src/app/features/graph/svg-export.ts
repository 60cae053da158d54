/**
 * The whole laid-out graph as a standalone SVG document, built as one string (20,000 nodes make a
 * few MB, in tens of milliseconds): edges with arrowheads and shape labels, node boxes in the
 * overlay's colours, titles, detail lines and names. Pure — no DOM — so it is unit tested.
 */
import type { GraphLayout, ViewGraph } from '../../../core/graph-view/types';
import type { NodePaint } from './node-paint';
import { CHAR_WIDTH, LINE_HEIGHT, NODE_FONT_PX, NodeKind } from './graph-kinds';
import { INPUT_STROKE, OUTPUT_STROKE } from './color-scale';
import { fitText } from './lod';

const STYLE = {
  background: '#fbfcfd',
  edge: '#7f8894',
  outline: '#7b8492',
  body: '#ffffff',
  bodyText: '#3a4452',
  nameText: '#4f5a69',
  badge: '#6c2f8f',
};
const FONT = 'ui-monospace, SFMono-Regular, Menlo, Consolas, DejaVu Sans Mono, monospace';
const PAD = 20;

export function escapeXml(s: string): string {
  return s.replace(/[<>&"']/g, (c) => (c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '&' ? '&amp;' : c === '"' ? '&quot;' : '&apos;'));
}

/** Numbers with at most 1 decimal: keeps a 20,000-node file small. */
function n(v: number): string {
  return String(Math.round(v * 10) / 10);
}

export interface SvgOptions {
  /** Document title (the model's file name). */
  readonly title: string;
}

export function graphToSvg(view: ViewGraph, layout: GraphLayout, paint: NodePaint, options: SvgOptions): string {
  return [...svgChunks(view, layout, paint, options)].join('');
}

/** Items (edges or nodes) per yielded chunk: a caller can yield to the page between chunks. */
const CHUNK = 250;

/** The SVG document in pieces, so a 20,000-node export can be built across several tasks. */
export function* svgChunks(view: ViewGraph, layout: GraphLayout, paint: NodePaint, options: SvgOptions): Generator<string> {
  // Bounds of everything drawn, plus room for names above the top row.
  let x0 = Infinity;
  let y0 = Infinity;
  let x1 = -Infinity;
  let y1 = -Infinity;
  for (let i = 0; i < view.nodeCount; i++) {
    x0 = Math.min(x0, layout.x[i] ?? 0);
    y0 = Math.min(y0, layout.y[i] ?? 0);
    x1 = Math.max(x1, (layout.x[i] ?? 0) + (view.widths[i] ?? 0));
    y1 = Math.max(y1, (layout.y[i] ?? 0) + (view.heights[i] ?? 0));
  }
  for (let p = 0; p < layout.edgePoints.length; p += 2) {
    x0 = Math.min(x0, layout.edgePoints[p] ?? 0);
    x1 = Math.max(x1, layout.edgePoints[p] ?? 0);
    y0 = Math.min(y0, layout.edgePoints[p + 1] ?? 0);
    y1 = Math.max(y1, layout.edgePoints[p + 1] ?? 0);
  }
  if (x0 === Infinity) x0 = y0 = x1 = y1 = 0;
  const vx = x0 - PAD;
  const vy = y0 - PAD - 12;
  const vw = x1 - x0 + 2 * PAD + 160;
  const vh = y1 - y0 + 2 * PAD + 24;

  const out: string[] = [];
  out.push(
    `<?xml version="1.0" encoding="UTF-8"?>\n`,
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="${n(vx)} ${n(vy)} ${n(vw)} ${n(vh)}" width="${n(vw)}" height="${n(vh)}" font-family="${FONT}">\n`,
    `<title>${escapeXml(options.title)}</title>\n`,
    `<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">`,
    `<path d="M0,1 L10,5 L0,9 z" fill="${STYLE.edge}"/></marker></defs>\n`,
    `<rect x="${n(vx)}" y="${n(vy)}" width="${n(vw)}" height="${n(vh)}" fill="${STYLE.background}"/>\n`,
  );

  yield out.splice(0).join('');

  // Edges, then their labels.
  out.push(`<g class="edges" fill="none" stroke="${STYLE.edge}" stroke-width="1">\n`);
  const { edgeOffsets, edgePoints } = layout;
  for (let e = 0; e < view.edgeCount; e++) {
    const p0 = edgeOffsets[e] ?? 0;
    const p1 = edgeOffsets[e + 1] ?? 0;
    if (p1 - p0 < 2) continue;
    let d = `M${n(edgePoints[2 * p0] ?? 0)},${n(edgePoints[2 * p0 + 1] ?? 0)}`;
    for (let p = p0 + 1; p < p1; p++) d += `L${n(edgePoints[2 * p] ?? 0)},${n(edgePoints[2 * p + 1] ?? 0)}`;
    out.push(`<path d="${d}" marker-end="url(#arrow)"><title>${escapeXml(view.edgeTensors[e] ?? '')}</title></path>\n`);
    if (e % CHUNK === CHUNK - 1) yield out.splice(0).join('');
  }
  out.push(`</g>\n<g class="edge-labels" font-size="10" fill="${STYLE.nameText}">\n`);
  for (let e = 0; e < view.edgeCount; e++) {
    const label = view.edgeLabels[e];
    const p0 = edgeOffsets[e] ?? 0;
    const count = (edgeOffsets[e + 1] ?? 0) - p0;
    if (!label || count < 2) continue;
    const a = p0 + Math.floor((count - 1) / 2);
    const b = count % 2 === 1 ? a : a + 1;
    const mx = ((edgePoints[2 * a] ?? 0) + (edgePoints[2 * b] ?? 0)) / 2;
    const my = ((edgePoints[2 * a + 1] ?? 0) + (edgePoints[2 * b + 1] ?? 0)) / 2;
    out.push(`<text x="${n(mx + 5)}" y="${n(my + 3)}">${escapeXml(label)}</text>\n`);
    if (e % CHUNK === CHUNK - 1) yield out.splice(0).join('');
  }
  out.push(`</g>\n<g class="nodes" font-size="${NODE_FONT_PX}">\n`);

  for (let i = 0; i < view.nodeCount; i++) {
    const x = layout.x[i] ?? 0;
    const y = layout.y[i] ?? 0;
    const w = view.widths[i] ?? 0;
    const h = view.heights[i] ?? 0;
    const kind = view.kinds[i];
    const fill = paint.palette[(paint.fill[i] ?? 0)] ?? '#cccccc';
    const text = paint.textColours[(paint.fill[i] ?? 0)] ?? '#1b2330';
    const lines = kind === NodeKind.Op ? (view.lines[i] ?? []) : [];
    const top = Math.max(0, (h - (1 + lines.length) * LINE_HEIGHT) / 2);
    out.push(`<g id="n${i}"><title>${escapeXml(view.ids[i] ?? '')}</title>`);
    if (kind !== NodeKind.Op) {
      const stroke = kind === NodeKind.Input ? INPUT_STROKE : OUTPUT_STROKE;
      out.push(`<rect x="${n(x)}" y="${n(y)}" width="${n(w)}" height="${n(h)}" rx="${n(h / 2)}" fill="${fill}" stroke="${stroke}" stroke-width="1.5"/>`);
    } else if (lines.length > 0) {
      const header = Math.min(h, top + LINE_HEIGHT + 2);
      out.push(
        `<rect x="${n(x)}" y="${n(y)}" width="${n(w)}" height="${n(h)}" fill="${STYLE.body}"/>`,
        `<rect x="${n(x)}" y="${n(y)}" width="${n(w)}" height="${n(header)}" fill="${fill}"/>`,
        `<rect x="${n(x)}" y="${n(y)}" width="${n(w)}" height="${n(h)}" fill="none" stroke="${STYLE.outline}"/>`,
      );
    } else {
      out.push(`<rect x="${n(x)}" y="${n(y)}" width="${n(w)}" height="${n(h)}" fill="${fill}" stroke="${STYLE.outline}"/>`);
    }
    const title = fitText(view.titles[i] ?? '', w - 8, CHAR_WIDTH);
    out.push(`<text x="${n(x + w / 2)}" y="${n(y + top + LINE_HEIGHT / 2 + 4)}" text-anchor="middle" font-weight="600" fill="${text}">${escapeXml(title)}</text>`);
    for (let l = 0; l < lines.length; l++) {
      const t = fitText(lines[l] ?? '', w - 12, CHAR_WIDTH);
      out.push(`<text x="${n(x + 6)}" y="${n(y + top + LINE_HEIGHT * (l + 1.5) + 4)}" font-size="${NODE_FONT_PX - 1}" fill="${STYLE.bodyText}">${escapeXml(t)}</text>`);
    }
    const name = view.names[i];
    if (name) out.push(`<text x="${n(x)}" y="${n(y - 3)}" font-size="10" fill="${STYLE.nameText}">${escapeXml(name)}</text>`);
    const subs = view.subgraphs[i] ?? [];
    if (subs.length) out.push(`<text x="${n(x)}" y="${n(y + h + 11)}" font-size="10" fill="${STYLE.badge}">▸ ${escapeXml(subs.join(' · '))}</text>`);
    out.push('</g>\n');
    if (i % CHUNK === CHUNK - 1) yield out.splice(0).join('');
  }
  out.push('</g>\n</svg>\n');
  yield out.join('');
}
