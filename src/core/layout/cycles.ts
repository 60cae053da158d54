/**
 * Cycle breaking: a depth-first search in node order reverses every back edge (an edge into a node
 * still on the DFS stack), which leaves a DAG (Sugiyama et al. 1981; the DFS variant as in Gansner et
 * al., "A Technique for Drawing Directed Graphs", 1993). ONNX graphs are acyclic when valid, so on real
 * models nothing is reversed; invalid or hand-edited files still get a drawing.
 */
import { buildCsr } from './csr.js';

/**
 * Returns 1 for each edge to reverse. Self-loops are neither reversed nor ranked (`selfLoop` marks them;
 * they are drawn as small loops beside their node).
 */
export function findBackEdges(n: number, from: Uint32Array, to: Uint32Array): { reversed: Uint8Array; selfLoop: Uint8Array } {
  const m = from.length;
  const reversed = new Uint8Array(m);
  const selfLoop = new Uint8Array(m);
  const edgeIds = new Int32Array(m);
  for (let e = 0; e < m; e++) edgeIds[e] = e;
  const out = buildCsr(n, from, edgeIds, m); // node → its out-edge ids
  // 0 = unvisited, 1 = on the stack, 2 = done.
  const state = new Uint8Array(n);
  const stackNode = new Int32Array(n);
  const stackNext = new Int32Array(n);
  for (let root = 0; root < n; root++) {
    if (state[root] !== 0) continue;
    let sp = 0;
    stackNode[0] = root;
    stackNext[0] = out.offsets[root] as number;
    state[root] = 1;
    while (sp >= 0) {
      const v = stackNode[sp] as number;
      const k = stackNext[sp] as number;
      if (k === out.offsets[v + 1]) {
        state[v] = 2;
        sp--;
        continue;
      }
      stackNext[sp] = k + 1;
      const e = out.list[k] as number;
      const w = to[e] as number;
      if (w === v) selfLoop[e] = 1;
      else if (state[w] === 1) reversed[e] = 1;
      else if (state[w] === 0) {
        state[w] = 1;
        sp++;
        stackNode[sp] = w;
        stackNext[sp] = out.offsets[w] as number;
      }
    }
  }
  return { reversed, selfLoop };
}
