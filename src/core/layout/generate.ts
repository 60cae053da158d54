/**
 * generateNetwork: a CNN-like ONNX model of exactly `nodes` nodes, with the structures that make graph
 * layout hard in real networks: ResNet residual adds (an edge skipping a block), Inception 4-way
 * branches joined by a Concat, DenseNet blocks (every layer reads the concat of all earlier outputs:
 * many long edges) and squeeze-excite gates (a global pool branch rejoining by Mul). Deterministic for
 * a seed. The model is valid and consistent (shapes infer end to end, ORT can run it), with tiny
 * channel counts so a 20,000-node file stays around 10 MB: for layout tests, `npm run bench:layout`
 * and the app's graph benchmark, which opens it as a real file.
 */
import type { onnx } from '../onnx/codec.js';
import { DataType, onnx as codec } from '../onnx/codec.js';
import type { NodeSpec } from '../graph/test-models.js';
import { floatTensor, model } from '../graph/test-models.js';
import { seededRandom } from '../util/seeded-random.js';

/** Trunk channels, DenseNet growth rate, spatial size. Small on purpose: the weights are not the point. */
const C = 8;
const GROWTH = 4;
const SIZE = 16;
const CLASSES = 10;
const HEAD_NODES = 3; // GlobalAveragePool, Flatten, Gemm

/** The same seed gives the same network everywhere. */
const random = seededRandom;

class NetworkBuilder {
  readonly nodes: NodeSpec[] = [];
  readonly initializers: onnx.ITensorProto[] = [];
  private values = 0;

  private fresh(prefix: string): string {
    return `${prefix}_${this.values++}`;
  }

  op(op: string, inputs: string[], name: string, attrs?: NodeSpec['attrs']): string {
    const out = this.fresh('t');
    this.nodes.push({ op, inputs, outputs: [out], name, ...(attrs ? { attrs } : {}) });
    return out;
  }

  weight(name: string, dims: number[]): string {
    this.initializers.push(floatTensor(name, dims));
    return name;
  }

  conv(x: string, cin: number, cout: number, k: number, name: string): string {
    const w = this.weight(`${name}.weight`, [cout, cin, k, k]);
    const b = this.weight(`${name}.bias`, [cout]);
    const p = (k - 1) / 2;
    return this.op('Conv', [x, w, b], `${name}/Conv`, { kernel_shape: [k, k], pads: [p, p, p, p], strides: [1, 1] });
  }

  bn(x: string, c: number, name: string): string {
    const ins = ['weight', 'bias', 'running_mean', 'running_var'].map((s) => this.weight(`${name}.${s}`, [c]));
    return this.op('BatchNormalization', [x, ...ins], `${name}/BatchNormalization`, { epsilon: { f: 1e-5 } });
  }

  relu(x: string, name: string): string {
    return this.op('Relu', [x], `${name}/Relu`);
  }
}

type Block = (b: NetworkBuilder, x: string, name: string) => string;

/** Bottleneck with a residual add: 10 nodes. */
const residual: Block = (b, x, name) => {
  let y = b.relu(b.bn(b.conv(x, C, C, 1, `${name}.conv1`), C, `${name}.bn1`), `${name}.relu1`);
  y = b.relu(b.bn(b.conv(y, C, C, 3, `${name}.conv2`), C, `${name}.bn2`), `${name}.relu2`);
  y = b.bn(b.conv(y, C, C, 1, `${name}.conv3`), C, `${name}.bn3`);
  return b.relu(b.op('Add', [y, x], `${name}/Add`), `${name}.relu3`);
};

/** Four branches (1×1; 1×1→3×3; 1×1→5×5; pool→1×1) joined by Concat: 14 nodes. */
const inception: Block = (b, x, name) => {
  const q = C / 4;
  const b1 = b.relu(b.conv(x, C, q, 1, `${name}.b1`), `${name}.b1`);
  const b2 = b.relu(b.conv(b.relu(b.conv(x, C, q, 1, `${name}.b2a`), `${name}.b2a`), q, q, 3, `${name}.b2b`), `${name}.b2b`);
  const b3 = b.relu(b.conv(b.relu(b.conv(x, C, q, 1, `${name}.b3a`), `${name}.b3a`), q, q, 5, `${name}.b3b`), `${name}.b3b`);
  const pool = b.op('MaxPool', [x], `${name}.pool/MaxPool`, { kernel_shape: [3, 3], pads: [1, 1, 1, 1], strides: [1, 1] });
  const b4 = b.relu(b.conv(pool, C, q, 1, `${name}.b4`), `${name}.b4`);
  return b.op('Concat', [b1, b2, b3, b4], `${name}/Concat`, { axis: 1 });
};

/** Squeeze-excite gate: pool → 1×1 → Relu → 1×1 → Sigmoid → Mul with the input: 6 nodes. */
const squeezeExcite: Block = (b, x, name) => {
  const s = b.op('GlobalAveragePool', [x], `${name}/GlobalAveragePool`);
  const h = b.relu(b.conv(s, C, C / 2, 1, `${name}.fc1`), `${name}.fc1`);
  const g = b.op('Sigmoid', [b.conv(h, C / 2, C, 1, `${name}.fc2`)], `${name}/Sigmoid`);
  return b.op('Mul', [x, g], `${name}/Mul`);
};

/** DenseNet block of `layers` layers plus a transition back to C channels: 7·layers + 4 nodes. */
function denseBlock(layers: number): Block {
  return (b, x, name) => {
    const features = [x];
    for (let i = 0; i < layers; i++) {
      const cin = C + i * GROWTH;
      const input = i === 0 ? x : b.op('Concat', [...features], `${name}.layer${i}/Concat`, { axis: 1 });
      let y = b.relu(b.bn(input, cin, `${name}.layer${i}.norm1`), `${name}.layer${i}.relu1`);
      y = b.conv(y, cin, 4 * GROWTH, 1, `${name}.layer${i}.conv1`);
      y = b.relu(b.bn(y, 4 * GROWTH, `${name}.layer${i}.norm2`), `${name}.layer${i}.relu2`);
      features.push(b.conv(y, 4 * GROWTH, GROWTH, 3, `${name}.layer${i}.conv2`));
    }
    const all = b.op('Concat', features, `${name}/Concat`, { axis: 1 });
    const cout = C + layers * GROWTH;
    const t = b.conv(b.relu(b.bn(all, cout, `${name}.transition.norm`), `${name}.transition.relu`), cout, C, 1, `${name}.transition.conv`);
    return b.op('AveragePool', [t], `${name}.transition/AveragePool`, { kernel_shape: [3, 3], pads: [1, 1, 1, 1], strides: [1, 1] });
  };
}

/** Nodes each block adds (denseBlock(L): L layers of 6 nodes, L−1 inner concats, final concat, 4 transition nodes). */
const denseSize = (layers: number): number => 6 * layers + (layers - 1) + 1 + 4;

/**
 * A network of exactly `nodes` nodes (at least 6): stem, random blocks, Relu padding, classifier head.
 * Input 'input' [N,3,16,16] (N symbolic), output 'logits' [N,10].
 */
export function generateNetwork(nodes: number, seed = 1): onnx.ModelProto {
  const rnd = random(seed);
  const b = new NetworkBuilder();
  let x = b.relu(b.bn(b.conv('input', 3, C, 3, 'stem.conv'), C, 'stem.bn'), 'stem.relu');
  let index = 0;
  const budget = Math.max(nodes, 3 + HEAD_NODES) - HEAD_NODES;
  for (;;) {
    const left = budget - b.nodes.length;
    const pick = rnd();
    const layers = 3 + Math.floor(rnd() * 6);
    const [block, size] =
      pick < 0.35 ? [residual, 10] : pick < 0.6 ? [inception, 14] : pick < 0.85 ? [denseBlock(layers), denseSize(layers)] : [squeezeExcite, 6];
    if (size > left) {
      if (left < 6) break;
      continue; // try a smaller block
    }
    x = (block as Block)(b, x, `/block${index++}`);
  }
  for (let i = 0; b.nodes.length < budget; i++) x = b.relu(x, `/pad${i}`);
  const pooled = b.op('GlobalAveragePool', [x], '/head/GlobalAveragePool');
  const flat = b.op('Flatten', [pooled], '/head/Flatten', { axis: 1 });
  const w = b.weight('head.weight', [CLASSES, C]);
  const bias = b.weight('head.bias', [CLASSES]);
  b.nodes.push({ op: 'Gemm', inputs: [flat, w, bias], outputs: ['logits'], name: '/head/Gemm', attrs: { transB: 1 } });
  const spec = model({
    opsets: { '': 17 },
    name: `generated_${nodes}_${seed}`,
    nodes: b.nodes,
    inputs: [['input', DataType.FLOAT, ['N', 3, SIZE, SIZE]]],
    outputs: [['logits', DataType.FLOAT, ['N', CLASSES]]],
    initializers: b.initializers,
  });
  return codec.ModelProto.create(spec);
}
