/**
 * Kahn's algorithm with a min-heap on file position, so the result is the lexicographically smallest
 * topological order: a file that is already sorted (as the ONNX IR spec requires) comes back in file
 * order, and an unsorted one is disturbed as little as possible.
 */

/** Min-heap of small non-negative integers. */
class IndexHeap {
  private readonly items: number[] = [];

  get size(): number {
    return this.items.length;
  }

  push(v: number): void {
    const a = this.items;
    a.push(v);
    let i = a.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      const p = a[parent] as number;
      if (p <= v) break;
      a[i] = p;
      i = parent;
    }
    a[i] = v;
  }

  pop(): number {
    const a = this.items;
    const top = a[0] as number;
    const last = a.pop() as number;
    if (a.length > 0) {
      let i = 0;
      const n = a.length;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        const c = r < n && (a[r] as number) < (a[l] as number) ? r : l;
        if ((a[c] as number) >= last) break;
        a[i] = a[c] as number;
        i = c;
      }
      a[i] = last;
    }
    return top;
  }
}

export interface TopoResult {
  /** Indices in topological order; the indices that could not be placed (cycles) follow in file order. */
  readonly order: number[];
  /** Indices on or downstream of a cycle. */
  readonly cyclic: number[];
}

/** Edges in compressed sparse rows: successors of node i are targets[offsets[i] .. offsets[i+1]). Repeats allowed. */
export interface EdgeList {
  readonly offsets: Int32Array;
  readonly targets: Int32Array;
}

/** @param count number of nodes */
export function topologicalOrder(count: number, edges: EdgeList): TopoResult {
  const { offsets, targets } = edges;
  const indegree = new Int32Array(count);
  for (let k = 0; k < targets.length; k++) {
    const s = targets[k] as number;
    indegree[s] = (indegree[s] as number) + 1;
  }
  const heap = new IndexHeap();
  for (let i = 0; i < count; i++) if (indegree[i] === 0) heap.push(i);
  const order: number[] = [];
  while (heap.size > 0) {
    const i = heap.pop();
    order.push(i);
    const end = offsets[i + 1] as number;
    for (let k = offsets[i] as number; k < end; k++) {
      const s = targets[k] as number;
      const d = (indegree[s] as number) - 1;
      indegree[s] = d;
      if (d === 0) heap.push(s);
    }
  }
  const cyclic: number[] = [];
  if (order.length < count) {
    for (let i = 0; i < count; i++) if ((indegree[i] as number) > 0) cyclic.push(i);
    order.push(...cyclic);
  }
  return { order, cyclic };
}
