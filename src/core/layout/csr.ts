/**
 * Compressed sparse rows: the adjacency of `count` nodes as one offsets array and one flat list, so
 * walking a node's neighbours touches two typed arrays instead of thousands of small JS arrays.
 */
export interface Csr {
  /** Neighbours of v are list[offsets[v] .. offsets[v + 1]). */
  readonly offsets: Int32Array;
  readonly list: Int32Array;
}

/** Adjacency from[k] → to[k] for k < pairs, neighbours of a node in input order (stable, deterministic). */
export function buildCsr(count: number, from: ArrayLike<number>, to: ArrayLike<number>, pairs: number): Csr {
  const offsets = new Int32Array(count + 1);
  for (let k = 0; k < pairs; k++) offsets[(from[k] as number) + 1] = (offsets[(from[k] as number) + 1] as number) + 1;
  for (let v = 0; v < count; v++) offsets[v + 1] = (offsets[v + 1] as number) + (offsets[v] as number);
  const fill = offsets.slice(0, count);
  const list = new Int32Array(pairs);
  for (let k = 0; k < pairs; k++) {
    const f = from[k] as number;
    list[fill[f] as number] = to[k] as number;
    fill[f] = (fill[f] as number) + 1;
  }
  return { offsets, list };
}
