/**
 * "Export chart": the Accuracy vs latency chart as a standalone SVG file (and, below, as a PNG). Recharts draws plain SVG with
 * presentation attributes (fill, stroke), so a clone of the drawn <svg> is the picture; what the page's
 * CSS adds (the font, the selection ring) is written in as attributes, and a white background and a
 * title (the figure's caption) are added so the file reads on its own.
 */
const SVG_NS = 'http://www.w3.org/2000/svg';

export function chartSvg(figure: HTMLElement): string | null {
  const drawn = figure.querySelector<SVGSVGElement>('svg.recharts-surface');
  if (!drawn) return null;
  const svg = drawn.cloneNode(true) as SVGSVGElement;
  const width = drawn.width.baseVal.value || drawn.clientWidth;
  const height = drawn.height.baseVal.value || drawn.clientHeight;
  svg.setAttribute('xmlns', SVG_NS);
  svg.setAttribute('width', String(width));
  svg.setAttribute('height', String(height));
  if (!svg.getAttribute('viewBox')) svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
  svg.setAttribute('font-family', getComputedStyle(figure).fontFamily || 'sans-serif');
  svg.setAttribute('font-size', '12');
  svg.removeAttribute('tabindex');
  svg.removeAttribute('style');
  const caption = figure.querySelector('figcaption')?.textContent?.trim();
  if (caption) {
    const title = document.createElementNS(SVG_NS, 'title');
    title.textContent = caption;
    svg.insertBefore(title, svg.firstChild);
  }
  const background = document.createElementNS(SVG_NS, 'rect');
  background.setAttribute('width', '100%');
  background.setAttribute('height', '100%');
  background.setAttribute('fill', '#ffffff');
  svg.insertBefore(background, caption ? (svg.firstChild?.nextSibling ?? null) : svg.firstChild);
  return `<?xml version="1.0" encoding="UTF-8"?>\n${new XMLSerializer().serializeToString(svg)}\n`;
}

/** Pixels per SVG unit of the PNG: 2 keeps the text sharp on high-density screens and in documents. */
const PNG_SCALE = 2;

/**
 * "Export chart (PNG)": the same standalone SVG (chartSvg), drawn on a canvas. The SVG goes in as a
 * blob: URL of our own origin, which does not taint the canvas (it holds no foreignObject or external
 * references), so toBlob may read it back.
 */
export async function chartPng(figure: HTMLElement): Promise<Blob | null> {
  const svg = chartSvg(figure);
  if (!svg) return null;
  const drawn = figure.querySelector<SVGSVGElement>('svg.recharts-surface');
  const width = drawn ? drawn.width.baseVal.value || drawn.clientWidth : 0;
  const height = drawn ? drawn.height.baseVal.value || drawn.clientHeight : 0;
  if (width <= 0 || height <= 0) return null;
  const url = URL.createObjectURL(new Blob([svg], { type: 'image/svg+xml' }));
  try {
    const image = new Image();
    image.decoding = 'sync';
    await new Promise<void>((resolve, reject) => {
      image.onload = () => resolve();
      image.onerror = () => reject(new Error('the chart could not be drawn as an image'));
      image.src = url;
    });
    const canvas = document.createElement('canvas');
    canvas.width = Math.round(width * PNG_SCALE);
    canvas.height = Math.round(height * PNG_SCALE);
    const ctx = canvas.getContext('2d');
    if (!ctx) return null;
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.drawImage(image, 0, 0, canvas.width, canvas.height);
    return await new Promise<Blob | null>((resolve) => canvas.toBlob(resolve, 'image/png'));
  } finally {
    URL.revokeObjectURL(url);
  }
}
