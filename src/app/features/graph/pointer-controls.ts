/**
 * Mouse, pen and touch on the graph canvas: drag to pan, wheel or pinch to zoom around the pointer,
 * click to select (hit test through the spatial index), double-click to enter a subgraph, hover
 * highlight. Also click/drag on the minimap to move the view.
 */
import type { GraphRenderer } from './graph-renderer';
import { wheelZoomFactor } from './viewport';

export interface PointerHandlers {
  onSelect(index: number | null): void;
  onActivate(index: number): void;
}

/** Movement (CSS px) under which a press-release counts as a click, not a drag. */
const CLICK_SLOP = 4;

export function attachPointerControls(canvas: HTMLCanvasElement, renderer: GraphRenderer, handlers: PointerHandlers): () => void {
  const pointers = new Map<number, { x: number; y: number }>();
  let moved = 0;
  let pinch: { dist: number; midX: number; midY: number } | null = null;

  const local = (e: PointerEvent | MouseEvent | WheelEvent): { x: number; y: number } => {
    const r = canvas.getBoundingClientRect();
    return { x: e.clientX - r.left, y: e.clientY - r.top };
  };
  const pinchState = (): { dist: number; midX: number; midY: number } | null => {
    const [a, b] = [...pointers.values()];
    if (!a || !b) return null;
    return { dist: Math.hypot(a.x - b.x, a.y - b.y), midX: (a.x + b.x) / 2, midY: (a.y + b.y) / 2 };
  };

  const down = (e: PointerEvent): void => {
    if (e.pointerType === 'mouse' && e.button !== 0) return;
    canvas.setPointerCapture(e.pointerId);
    pointers.set(e.pointerId, local(e));
    if (pointers.size === 1) moved = 0;
    pinch = pointers.size === 2 ? pinchState() : null;
    canvas.style.cursor = 'grabbing';
  };

  const move = (e: PointerEvent): void => {
    const p = local(e);
    const prev = pointers.get(e.pointerId);
    if (!prev) {
      // Plain hover.
      if (e.pointerType === 'mouse' && e.buttons === 0) renderer.setHover(renderer.nodeAt(p.x, p.y));
      return;
    }
    pointers.set(e.pointerId, p);
    if (pointers.size >= 2 && pinch) {
      const next = pinchState();
      if (!next || pinch.dist === 0) return;
      renderer.panBy(next.midX - pinch.midX, next.midY - pinch.midY);
      renderer.zoomAt(next.dist / pinch.dist, next.midX, next.midY);
      moved += CLICK_SLOP;
      pinch = next;
      return;
    }
    const dx = p.x - prev.x;
    const dy = p.y - prev.y;
    moved += Math.abs(dx) + Math.abs(dy);
    if (moved > CLICK_SLOP) renderer.panBy(dx, dy);
  };

  const up = (e: PointerEvent): void => {
    if (!pointers.has(e.pointerId)) return;
    pointers.delete(e.pointerId);
    if (canvas.hasPointerCapture(e.pointerId)) canvas.releasePointerCapture(e.pointerId);
    pinch = pointers.size === 2 ? pinchState() : null;
    if (pointers.size > 0) return;
    canvas.style.cursor = '';
    if (e.type === 'pointerup' && moved <= CLICK_SLOP) {
      const p = local(e);
      const hit = renderer.nodeAt(p.x, p.y);
      handlers.onSelect(hit >= 0 ? hit : null);
    }
  };

  const leave = (): void => {
    if (pointers.size === 0) renderer.setHover(-1);
  };

  const wheel = (e: WheelEvent): void => {
    e.preventDefault();
    const p = local(e);
    renderer.zoomAt(wheelZoomFactor(e.deltaY, e.deltaMode, e.ctrlKey), p.x, p.y);
  };

  const dblclick = (e: MouseEvent): void => {
    const p = local(e);
    const hit = renderer.nodeAt(p.x, p.y);
    if (hit >= 0) handlers.onActivate(hit);
  };

  canvas.addEventListener('pointerdown', down);
  canvas.addEventListener('pointermove', move);
  canvas.addEventListener('pointerup', up);
  canvas.addEventListener('pointercancel', up);
  canvas.addEventListener('pointerleave', leave);
  canvas.addEventListener('wheel', wheel, { passive: false });
  canvas.addEventListener('dblclick', dblclick);
  return () => {
    canvas.removeEventListener('pointerdown', down);
    canvas.removeEventListener('pointermove', move);
    canvas.removeEventListener('pointerup', up);
    canvas.removeEventListener('pointercancel', up);
    canvas.removeEventListener('pointerleave', leave);
    canvas.removeEventListener('wheel', wheel);
    canvas.removeEventListener('dblclick', dblclick);
  };
}

/** Click or drag on the minimap centres the main view on that point. */
export function attachMinimapControls(minimap: HTMLCanvasElement, renderer: GraphRenderer): () => void {
  let active = -1;
  const go = (e: PointerEvent): void => {
    const r = minimap.getBoundingClientRect();
    const w = renderer.minimapToWorld(e.clientX - r.left, e.clientY - r.top);
    if (w) renderer.centreOnWorld(w.x, w.y);
  };
  const down = (e: PointerEvent): void => {
    e.stopPropagation();
    active = e.pointerId;
    minimap.setPointerCapture(e.pointerId);
    go(e);
  };
  const move = (e: PointerEvent): void => {
    if (e.pointerId === active) go(e);
  };
  const up = (e: PointerEvent): void => {
    if (e.pointerId !== active) return;
    active = -1;
    if (minimap.hasPointerCapture(e.pointerId)) minimap.releasePointerCapture(e.pointerId);
  };
  const wheel = (e: WheelEvent): void => e.preventDefault();
  minimap.addEventListener('pointerdown', down);
  minimap.addEventListener('pointermove', move);
  minimap.addEventListener('pointerup', up);
  minimap.addEventListener('pointercancel', up);
  minimap.addEventListener('wheel', wheel, { passive: false });
  return () => {
    minimap.removeEventListener('pointerdown', down);
    minimap.removeEventListener('pointermove', move);
    minimap.removeEventListener('pointerup', up);
    minimap.removeEventListener('pointercancel', up);
    minimap.removeEventListener('wheel', wheel);
  };
}
