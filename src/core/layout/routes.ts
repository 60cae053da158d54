/**
 * Edge polylines: from the bottom centre of the upper node, through the dummy chain (down the middle
 * of each rank band it crosses, vertical there so it never cuts a box in that rank), to the top centre
 * of the lower node. Runs of points on one vertical line are merged, so a long straight edge costs
 * four points however many ranks it spans. A reversed edge (one the cycle breaker turned round) is
 * drawn along the same route, listed from its real source, so it starts at the top of its source and
 * ends at the bottom of its target. A self-loop goes round the node's right side.
 */
import type { LayeredGraph } from './layered.js';
import type { RankBands } from './positions.js';

const LOOP_MARGIN = 12;

class PointBuffer {
  data: Float32Array;
  length = 0;
  constructor(capacity: number) {
    this.data = new Float32Array(Math.max(16, capacity));
  }
  push(x: number, y: number): void {
    if (this.length + 2 > this.data.length) {
      const bigger = new Float32Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = x;
    this.data[this.length++] = y;
  }
}

export interface RouteInput {
  readonly from: Uint32Array;
  readonly to: Uint32Array;
  readonly reversed: Uint8Array;
  readonly selfLoop: Uint8Array;
  readonly g: LayeredGraph;
  /** Centres of every layered node (dummies included). */
  readonly cx: Float64Array;
  /** Top-left corners and sizes of the real nodes. */
  readonly x: Float32Array;
  readonly y: Float32Array;
  readonly widths: Float32Array;
  readonly heights: Float32Array;
  readonly bands: RankBands;
}

export function routeEdges(r: RouteInput): { offsets: Uint32Array; points: Float32Array } {
  const m = r.from.length;
  const offsets = new Uint32Array(m + 1);
  const buf = new PointBuffer(m * 8);
  const { g, cx, x, y, widths, heights, bands } = r;
  for (let e = 0; e < m; e++) {
    const startAt = buf.length;
    if (r.selfLoop[e]) {
      const v = r.from[e] as number;
      const mid = (x[v] as number) + (widths[v] as number) / 2;
      const right = (x[v] as number) + (widths[v] as number) + LOOP_MARGIN;
      const bottom = (y[v] as number) + (heights[v] as number);
      const top = y[v] as number;
      buf.push(mid, bottom);
      buf.push(mid, bottom + LOOP_MARGIN);
      buf.push(right, bottom + LOOP_MARGIN);
      buf.push(right, top - LOOP_MARGIN);
      buf.push(mid, top - LOOP_MARGIN);
      buf.push(mid, top);
    } else {
      const rev = r.reversed[e] === 1;
      const a = (rev ? r.to[e] : r.from[e]) as number;
      const b = (rev ? r.from[e] : r.to[e]) as number;
      buf.push((x[a] as number) + (widths[a] as number) / 2, (y[a] as number) + (heights[a] as number));
      const hops = (g.rank[b] as number) - (g.rank[a] as number) - 1;
      const chain = g.chainStart[a] as number;
      for (let j = 0; j < hops; j++) {
        const d = chain + j;
        const rank = g.rank[d] as number;
        const top = bands.top[rank] as number;
        pushMerged(buf, startAt, cx[d] as number, top);
        pushMerged(buf, startAt, cx[d] as number, top + (bands.height[rank] as number));
      }
      pushMerged(buf, startAt, (x[b] as number) + (widths[b] as number) / 2, y[b] as number);
      if (rev) reversePoints(buf.data, startAt, buf.length);
    }
    offsets[e + 1] = buf.length / 2;
  }
  return { offsets, points: buf.data.slice(0, buf.length) };
}

/** Appends (px, py), first dropping the last point when it lies on the vertical line from the one before to this one. */
function pushMerged(buf: PointBuffer, startAt: number, px: number, py: number): void {
  const n = buf.length;
  if (n - startAt >= 4) {
    const x1 = buf.data[n - 4] as number;
    const x2 = buf.data[n - 2] as number;
    if (Math.abs(x1 - x2) < 0.05 && Math.abs(x2 - px) < 0.05) buf.length -= 2;
  }
  buf.push(px, py);
}

function reversePoints(data: Float32Array, start: number, end: number): void {
  for (let i = start, j = end - 2; i < j; i += 2, j -= 2) {
    const px = data[i] as number;
    const py = data[i + 1] as number;
    data[i] = data[j] as number;
    data[i + 1] = data[j + 1] as number;
    data[j] = px;
    data[j + 1] = py;
  }
}
