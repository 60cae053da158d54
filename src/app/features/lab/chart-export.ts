/**
 * "Export chart": the Accuracy vs latency chart as a standalone SVG file. Recharts draws plain SVG with
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
