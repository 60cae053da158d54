/**
 * A uniform grid over axis-aligned boxes, for "what is in this rectangle?" (culling) and "what is
 * under the pointer?" (hit testing) without touching every node each frame.
 *
 * Layered layouts are tall strips of ranks, so the grid rows are bands of y (a rank or two per row)
 * and a visible-rect query walks only the rows and columns on screen. Items are stored in every cell
 * their box overlaps (CSR arrays: cellStart/cellItems) and de-duplicated per query with a stamp
 * array; an item that would cover more than MAX_CELLS_PER_ITEM cells (a skip connection spanning
 * half the network) goes to a short overflow list that every query tests directly.
 */

export interface SpatialIndex {
  /** 4 floats per item: x0, y0, x1, y1. */
  readonly boxes: Float32Array;
  readonly count: number;
  /** Bounds of all items (empty index: 0,0 – 1,1). */
  readonly originX: number;
  readonly originY: number;
  readonly extentX: number;
  readonly extentY: number;
  readonly cellSize: number;
  readonly cols: number;
  readonly rows: number;
  readonly cellStart: Uint32Array;
  readonly cellItems: Uint32Array;
  readonly overflow: Uint32Array;
  /** Per-item query generation, so an item found in two cells is reported once. */
  readonly stamps: Uint32Array;
  generation: number;
}

export const MAX_CELLS_PER_ITEM = 64;

/**
 * Builds the grid. The cell size follows the density (about two items per cell on average), never
 * below `minCell` world pixels, and the grid never has more than ~4 cells per item.
 */
export function buildSpatialIndex(boxes: Float32Array, count: number, minCell = 64): SpatialIndex {
  // Written as flat loops with inline arithmetic: this runs once per new layout, usually before the
  // JIT has warmed up, where every call and bytecode counts (20,000 nodes + 27,000 edges).
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (let o = 0; o < count * 4; o += 4) {
    const x0 = boxes[o] ?? 0;
    const y0 = boxes[o + 1] ?? 0;
    const x1 = boxes[o + 2] ?? 0;
    const y1 = boxes[o + 3] ?? 0;
    if (x0 < minX) minX = x0;
    if (y0 < minY) minY = y0;
    if (x1 > maxX) maxX = x1;
    if (y1 > maxY) maxY = y1;
  }
  if (count === 0) {
    minX = minY = 0;
    maxX = maxY = 1;
  }
  const w = Math.max(1, maxX - minX);
  const h = Math.max(1, maxY - minY);
  let cellSize = Math.max(minCell, Math.sqrt((w * h) / Math.max(1, count)) * 1.5);
  // At most ~4 cells per item: grow the cell until the grid is that small.
  const maxCells = 4 * count + 16;
  const gridCells = Math.ceil(w / cellSize) * Math.ceil(h / cellSize);
  if (gridCells > maxCells) cellSize *= Math.sqrt(gridCells / maxCells) * 1.01;
  const cols = Math.max(1, Math.ceil(w / cellSize));
  const rows = Math.max(1, Math.ceil(h / cellSize));
  const inv = 1 / cellSize;

  // Pass 1: each item's cell range (kept for pass 2) and the count per cell. Items spanning too many
  // cells go to the overflow list (marked by c0 = -1).
  const range = new Int32Array(count * 4);
  const counts = new Uint32Array(cols * rows);
  const big: number[] = [];
  for (let i = 0, o = 0; i < count; i++, o += 4) {
    const c0 = Math.min(cols - 1, Math.max(0, Math.floor(((boxes[o] ?? 0) - minX) * inv)));
    const r0 = Math.min(rows - 1, Math.max(0, Math.floor(((boxes[o + 1] ?? 0) - minY) * inv)));
    const c1 = Math.min(cols - 1, Math.max(0, Math.floor(((boxes[o + 2] ?? 0) - minX) * inv)));
    const r1 = Math.min(rows - 1, Math.max(0, Math.floor(((boxes[o + 3] ?? 0) - minY) * inv)));
    if ((c1 - c0 + 1) * (r1 - r0 + 1) > MAX_CELLS_PER_ITEM) {
      big.push(i);
      range[o] = -1;
      continue;
    }
    range[o] = c0;
    range[o + 1] = r0;
    range[o + 2] = c1;
    range[o + 3] = r1;
    for (let r = r0; r <= r1; r++) {
      for (let c = c0; c <= c1; c++) counts[r * cols + c] = (counts[r * cols + c] ?? 0) + 1;
    }
  }
  const cellStart = new Uint32Array(cols * rows + 1);
  for (let c = 0; c < cols * rows; c++) cellStart[c + 1] = (cellStart[c] ?? 0) + (counts[c] ?? 0);
  const cellItems = new Uint32Array(cellStart[cols * rows] ?? 0);
  // Pass 2: fill, reusing `counts` as each cell's write cursor.
  counts.set(cellStart.subarray(0, cols * rows));
  for (let i = 0, o = 0; i < count; i++, o += 4) {
    const c0 = range[o] ?? -1;
    if (c0 < 0) continue;
    const r0 = range[o + 1] ?? 0;
    const c1 = range[o + 2] ?? 0;
    const r1 = range[o + 3] ?? 0;
    for (let r = r0; r <= r1; r++) {
      for (let c = c0; c <= c1; c++) {
        const at = counts[r * cols + c] ?? 0;
        cellItems[at] = i;
        counts[r * cols + c] = at + 1;
      }
    }
  }
  return {
    boxes,
    count,
    originX: minX,
    originY: minY,
    extentX: maxX,
    extentY: maxY,
    cellSize,
    cols,
    rows,
    cellStart,
    cellItems,
    overflow: Uint32Array.from(big),
    stamps: new Uint32Array(count),
    generation: 0,
  };
}

function nextGeneration(index: SpatialIndex): number {
  index.generation++;
  if (index.generation === 0xffffffff) {
    index.stamps.fill(0);
    index.generation = 1;
  }
  return index.generation;
}

/**
 * Writes the items whose box intersects [x0,x1]×[y0,y1] into `out` (capacity ≥ index.count) and
 * returns how many. Order: by cell, then overflow items; callers that need z-order sort themselves.
 */
export function queryRect(index: SpatialIndex, x0: number, y0: number, x1: number, y1: number, out: Uint32Array): number {
  const { boxes, cellSize, cols, rows, originX, originY, cellStart, cellItems, stamps } = index;
  const gen = nextGeneration(index);
  let n = 0;
  const c0 = Math.max(0, Math.floor((x0 - originX) / cellSize));
  const c1 = Math.min(cols - 1, Math.floor((x1 - originX) / cellSize));
  const r0 = Math.max(0, Math.floor((y0 - originY) / cellSize));
  const r1 = Math.min(rows - 1, Math.floor((y1 - originY) / cellSize));
  for (let r = r0; r <= r1; r++) {
    for (let c = c0; c <= c1; c++) {
      const cell = r * cols + c;
      for (let p = cellStart[cell] ?? 0, end = cellStart[cell + 1] ?? 0; p < end; p++) {
        const i = cellItems[p] ?? 0;
        if (stamps[i] === gen) continue;
        stamps[i] = gen;
        const o = i * 4;
        if ((boxes[o] ?? 0) <= x1 && (boxes[o + 2] ?? 0) >= x0 && (boxes[o + 1] ?? 0) <= y1 && (boxes[o + 3] ?? 0) >= y0) out[n++] = i;
      }
    }
  }
  for (const i of index.overflow) {
    const o = i * 4;
    if ((boxes[o] ?? 0) <= x1 && (boxes[o + 2] ?? 0) >= x0 && (boxes[o + 1] ?? 0) <= y1 && (boxes[o + 3] ?? 0) >= y0) out[n++] = i;
  }
  return n;
}

/**
 * The item whose box contains (x, y), growing boxes by `slop` world pixels; among several, the one
 * drawn last (highest index), as the user sees it on top. -1 when none.
 */
export function hitTest(index: SpatialIndex, x: number, y: number, slop = 0): number {
  const { boxes, cellSize, cols, rows, originX, originY, cellStart, cellItems } = index;
  let best = -1;
  const test = (i: number): void => {
    const o = i * 4;
    if (i > best && x >= (boxes[o] ?? 0) - slop && x <= (boxes[o + 2] ?? 0) + slop && y >= (boxes[o + 1] ?? 0) - slop && y <= (boxes[o + 3] ?? 0) + slop) best = i;
  };
  // The cells around the point cover boxes that reach it within `slop`.
  const c0 = Math.max(0, Math.floor((x - slop - originX) / cellSize));
  const c1 = Math.min(cols - 1, Math.floor((x + slop - originX) / cellSize));
  const r0 = Math.max(0, Math.floor((y - slop - originY) / cellSize));
  const r1 = Math.min(rows - 1, Math.floor((y + slop - originY) / cellSize));
  for (let r = r0; r <= r1; r++) {
    for (let c = c0; c <= c1; c++) {
      const cell = r * cols + c;
      for (let p = cellStart[cell] ?? 0, end = cellStart[cell + 1] ?? 0; p < end; p++) test(cellItems[p] ?? 0);
    }
  }
  for (const i of index.overflow) test(i);
  return best;
}
