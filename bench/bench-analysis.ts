/**
 * `npm run bench:analysis`: cost of the analysis the studio runs on every open — buildGraph,
 * validate, inferShapes, computeStats (= summarizeModel) — on generated transformer-like graphs of
 * 1,000 / 5,000 / 20,000 nodes and on the corpus models, as a ratio to decoding the same file's bytes
 * (the baseline, measured in the same run). Best of 5 warm runs each.
 */
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeModelProto, encodeModelProto } from '../src/core/onnx/codec';
import { syntheticTransformer } from '../src/core/graph/test-models';
import { summarizeModel } from '../src/core/model/summary';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const modelsDir = resolve(root, '../shared/corpus/models');

function best(runs: number, fn: () => void): number {
  let min = Infinity;
  for (let i = 0; i < runs + 1; i++) {
    const t0 = performance.now();
    fn();
    const dt = performance.now() - t0;
    if (i > 0) min = Math.min(min, dt); // the first run warms the JIT up
  }
  return min;
}

const cases: { name: string; bytes: Uint8Array }[] = [1_000, 5_000, 20_000].map((n) => ({
  name: `generated ${n.toLocaleString('en-US')} nodes`,
  bytes: encodeModelProto(syntheticTransformer(n)),
}));
if (existsSync(modelsDir)) {
  for (const f of readdirSync(modelsDir).filter((x) => x.endsWith('.onnx')).sort()) {
    cases.push({ name: f, bytes: new Uint8Array(readFileSync(resolve(modelsDir, f))) });
  }
} else {
  console.log(`(corpus not found at ${modelsDir}: generated graphs only)`);
}

console.log('model'.padEnd(36), 'nodes'.padStart(7), 'decode ms'.padStart(10), 'analyse ms'.padStart(11), 'analyse/decode'.padStart(15));
for (const c of cases) {
  const decode = best(5, () => decodeModelProto(c.bytes));
  const model = decodeModelProto(c.bytes);
  let nodes = 0;
  const analyse = best(5, () => {
    nodes = summarizeModel(model, { fileBytes: c.bytes.byteLength }).nodeCount;
  });
  console.log(c.name.padEnd(36), String(nodes).padStart(7), decode.toFixed(1).padStart(10), analyse.toFixed(1).padStart(11), `${(analyse / decode).toFixed(1)}×`.padStart(15));
}
