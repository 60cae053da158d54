/**
 * weight-only (MatMulNBits): the block packing against a dequantized reference computed here (odd K,
 * both bit widths, symmetric and not), onnxruntime-web's MatMulNBits against that reference, and the
 * pass over the digits and corpus models: runs, accuracy (reported; 4-bit may drop more than int8),
 * touched weights ≤ 0.2× at 4 bits.
 */
import { describe, expect, it } from 'vitest';
import { model as buildModel } from '../../graph/test-models.js';
import type { onnx } from '../../onnx/codec.js';
import { encodeModelProto, encodeTensorProto } from '../../onnx/codec.js';
import { accuracy, fidelity } from '../../metrics/fidelity.js';
import { blockQuantBytes, dequantizeBlockwise, quantizeBlockwise } from '../../quant/block-quant.js';
import type { BlockBits } from '../../quant/block-quant.js';
import { seededRandom } from '../../util/seeded-random.js';
import { OrtTensor } from '../../../runtime/ort.js';
import type { Tensor } from '../../../runtime/ort.js';
import { corpusModel, DIGITS_MODELS, digitsLogits, digitsTestSet, hasCorpus, loadDigitsModel, randomFeeds, runOnce } from '../../../test-support/models.js';
import { floatTensor, node, walkGraphs } from '../graph-edit.js';
import { resolveOptions } from '../options.js';
import type { PassOptions, PassOutcome } from '../types.js';
import { weightOnlyPass } from './weight-only.js';

function applyPass(model: onnx.IModelProto, given: PassOptions = {}): PassOutcome {
  const options = resolveOptions(weightOnlyPass.id, weightOnlyPass.options, given);
  if (!options.ok) throw new Error(options.error);
  const out = weightOnlyPass.apply(model, options.value, { progress: () => undefined });
  if (!out.ok) throw new Error(out.error);
  return out.value;
}

const ops = (m: onnx.IModelProto): string[] => (m.graph?.node ?? []).map((n) => n.opType ?? '');
const corpusNote = hasCorpus() ? '' : ' (SKIPPED: ../shared/corpus is absent)';

function randomMatrix(count: number, seed: number, skew = 0): Float32Array {
  const r = seededRandom(seed);
  return Float32Array.from({ length: count }, () => (r() * 2 - 1) * 0.3 + skew);
}

/** y = x · w for x [M, K], w [K, N] (float64 accumulation). */
function matmul(x: Float32Array, w: Float32Array, M: number, K: number, N: number): Float32Array {
  const y = new Float32Array(M * N);
  for (let m = 0; m < M; m++) {
    for (let n = 0; n < N; n++) {
      let s = 0;
      for (let k = 0; k < K; k++) s += (x[m * K + k] as number) * (w[k * N + n] as number);
      y[m * N + n] = s;
    }
  }
  return y;
}

describe('block-quant packing (MatMulNBits layout)', () => {
  const table = [
    { K: 50, N: 7, bits: 4, blockSize: 16, symmetric: true, skew: 0 },
    { K: 50, N: 7, bits: 4, blockSize: 32, symmetric: false, skew: 0.2 },
    { K: 257, N: 5, bits: 8, blockSize: 32, symmetric: true, skew: 0 },
    { K: 33, N: 3, bits: 8, blockSize: 16, symmetric: false, skew: -0.1 },
    { K: 64, N: 4, bits: 4, blockSize: 64, symmetric: true, skew: 0.1 },
  ] as const;

  it.each(table)('K=$K N=$N $bits-bit block $blockSize symmetric=$symmetric: every weight within half a step', ({ K, N, bits, blockSize, symmetric, skew }) => {
    const w = randomMatrix(K * N, K + N, skew);
    const q = quantizeBlockwise(w, K, N, 'kn', { bits: bits as BlockBits, blockSize, symmetric });
    expect(q.kBlocks).toBe(Math.ceil(K / blockSize));
    expect(q.packed.byteLength).toBe(N * q.kBlocks * ((blockSize * bits) / 8));
    expect(q.zeroPoints === undefined).toBe(symmetric);
    if (q.zeroPoints) expect(q.zeroPoints.byteLength).toBe(N * Math.ceil((q.kBlocks * bits) / 8));
    expect(q.packed.byteLength + q.scales.byteLength + (q.zeroPoints?.byteLength ?? 0)).toBe(blockQuantBytes(K, N, { bits: bits as BlockBits, blockSize, symmetric }));
    const d = dequantizeBlockwise(q);
    for (let k = 0; k < K; k++) {
      for (let n = 0; n < N; n++) {
        const step = Math.abs(q.scales[n * q.kBlocks + Math.floor(k / blockSize)] as number);
        // Half a step from rounding, one full step at most where the symmetric rule clamps +2^(b-1).
        expect(Math.abs((d[k * N + n] as number) - (w[k * N + n] as number))).toBeLessThanOrEqual(step * (symmetric ? 1.0001 : 0.5001));
      }
    }
    // Transposed input ([N, K], Gemm transB=1) packs to the same bytes.
    const t = new Float32Array(K * N);
    for (let k = 0; k < K; k++) for (let n = 0; n < N; n++) t[n * K + k] = w[k * N + n] as number;
    expect(quantizeBlockwise(t, K, N, 'nk', { bits: bits as BlockBits, blockSize, symmetric }).packed).toEqual(q.packed);
  });

  it('packs low nibble first and pads a short last block with the zero point', () => {
    // K=3 in one block of 16: column 0 = [-1, 0, 1] symmetric → scale = 1/8 (sign flipped: extreme is −1 → +1/8).
    const q = quantizeBlockwise(Float32Array.of(-1, 0, 1), 3, 1, 'kn', { bits: 4, blockSize: 16, symmetric: true });
    expect(q.scales[0]).toBeCloseTo(0.125);
    // codes: −1/0.125+8 = 0, 8, min(16, 15) = 15 → bytes 0x80, 0x0f? low nibble first: [0 | 8<<4], [15 | 8<<4], then padding 8|8<<4.
    expect([...q.packed.subarray(0, 3)]).toEqual([0x80, 0x8f, 0x88]);
    expect([...dequantizeBlockwise(q)]).toEqual([-1, 0, 0.875]);
  });

  it.each([
    { bits: 4, symmetric: true, K: 50 },
    { bits: 4, symmetric: false, K: 50 },
    { bits: 8, symmetric: false, K: 72 },
  ] as const)('onnxruntime-web MatMulNBits $bits-bit symmetric=$symmetric K=$K equals x · dequantized W', async ({ bits, symmetric, K }) => {
    const [M, N] = [3, 6];
    const w = randomMatrix(K * N, 11, 0.05);
    const m = buildModel({
      nodes: [{ op: 'MatMul', inputs: ['x', 'W'], outputs: ['y'], name: 'mm' }],
      inputs: [['x', 1, [M, K]]],
      outputs: [['y', 1, [M, N]]],
      initializers: [floatTensor('W', [K, N], w)],
    });
    const { model } = applyPass(m, { bits, symmetric, blockSize: 16 });
    expect(ops(model)).toEqual(['MatMulNBits']);
    const x = randomMatrix(M * K, 5);
    const y = (await runOnce(model, { x: new OrtTensor('float32', x, [M, K]) })).y ?? new Float32Array();
    const expected = matmul(x, dequantizeBlockwise(quantizeBlockwise(w, K, N, 'kn', { bits, blockSize: 16, symmetric })), M, K, N);
    for (let i = 0; i < expected.length; i++) expect(Math.abs((y[i] as number) - (expected[i] as number))).toBeLessThan(1e-4);
  });
});

/** Stored bytes of the weights the pass added over those it removed (as encoded in the file). */
function storedRatio(before: onnx.IModelProto, after: onnx.IModelProto): number {
  const sizes = (m: onnx.IModelProto): Map<string, number> => {
    const out = new Map<string, number>();
    walkGraphs(m, (scope) => {
      for (const t of scope.graph.initializer ?? []) out.set(t.name ?? '', encodeTensorProto(t).byteLength);
    });
    return out;
  };
  const a = sizes(before);
  const b = sizes(after);
  let removed = 0;
  let added = 0;
  for (const [name, bytes] of a) if (!b.has(name)) removed += bytes;
  for (const [name, bytes] of b) if (!a.has(name)) added += bytes;
  return added / removed;
}

describe('weight-only over the digits models', () => {
  const labels = digitsTestSet().y;
  const table = DIGITS_MODELS.flatMap((entry) => [
    { entry, options: { bits: 4 }, mode: '4-bit b32', limit: 0.2, maxDrop: 0.03 },
    { entry, options: { bits: 8 }, mode: '8-bit b32', limit: 0.3, maxDrop: 0.01 },
  ]);
  it.each(table)('$entry.file $mode: runs, accuracy reported, weights shrink', async ({ entry, options, mode, limit, maxDrop }) => {
    if (entry.dir === 'corpus' && !hasCorpus()) return;
    const loaded = loadDigitsModel(entry);
    const { model, report } = applyPass(loaded.model, options);
    expect(report.changedNodes).toBeGreaterThan(0);
    expect(ops(model)).toContain('MatMulNBits');
    expect(model.opsetImport?.some((o) => o.domain === 'com.microsoft')).toBe(true);
    expect(report.warnings.join(' ')).toMatch(/slower than fp32/);
    const ref = await digitsLogits(loaded.bytes);
    const got = await digitsLogits(model);
    const a0 = accuracy(ref, 10, labels).accuracy;
    const a1 = accuracy(got, 10, labels).accuracy;
    expect(a0 - a1).toBeLessThanOrEqual(maxDrop);
    const ratio = report.weightBytesAfter / report.weightBytesBefore;
    expect(ratio).toBeLessThanOrEqual(limit);
    const stored = storedRatio(loaded.model, model);
    expect(stored).toBeLessThanOrEqual(limit + 0.02); // + tensor headers and names on 1–4 KB weights
    const est = weightOnlyPass.estimate(loaded.model, options);
    expect(est.weightBytesAfter).toBe(report.weightBytesAfter);
    const fileDelta = (encodeModelProto(model).byteLength - (loaded.bytes.byteLength - report.weightBytesBefore)) / report.weightBytesBefore;
    console.log(`| ${entry.file} | weight-only ${mode} | ${(a0 * 100).toFixed(1)} → ${(a1 * 100).toFixed(1)} % | cos ${fidelity(ref, got).cosine.toFixed(5)} | weights ${ratio.toFixed(3)}× | stored ${stored.toFixed(3)}× | file ${fileDelta.toFixed(3)}× |`);
  });
});

describe(`weight-only over corpus models${corpusNote}`, () => {
  interface Case {
    readonly file: string;
    readonly options: PassOptions;
    readonly changed: number;
    readonly minCosine: number;
    readonly shapes: Readonly<Record<string, number[]>>;
  }
  const cases: Case[] = [
    { file: 'mnist-8_cntk.onnx', options: {}, changed: 0, minCosine: 1, shapes: {} },
    // K = 257: not a multiple of any block size.
    { file: 'melspectrogram.onnx', options: { blockSize: 64, symmetric: false }, changed: 1, minCosine: 0.99, shapes: { input: [1, 1760] } },
    { file: 'mobilenet_v2_random_op13.onnx', options: { accuracyLevel: 4 }, changed: 1, minCosine: 0.97, shapes: {} },
  ];
  it.skipIf(!hasCorpus()).each(cases)('$file runs and stays close', async ({ file, options, changed, minCosine, shapes }) => {
    const loaded = corpusModel(file);
    const { model, report } = applyPass(loaded.model, options);
    expect(report.changedNodes).toBe(changed);
    expect(report.decisions.length).toBe(report.changedNodes + report.skippedNodes);
    const feeds: Record<string, Tensor> = randomFeeds(loaded.model, 4);
    const r = seededRandom(9);
    for (const [name, shape] of Object.entries(shapes)) feeds[name] = new OrtTensor('float32', Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => r() * 2 - 1), shape);
    const ref = await runOnce(loaded.bytes, feeds);
    const got = await runOnce(model, feeds);
    for (const [name, v] of Object.entries(ref)) expect(fidelity(v, got[name] ?? new Float32Array()).cosine, `${file} ${name}`).toBeGreaterThanOrEqual(minCosine);
    if (changed > 0) expect(report.weightBytesAfter / report.weightBytesBefore).toBeLessThanOrEqual(options.symmetric === false ? 0.22 : 0.2);
  });
});

describe('weight-only edge cases', () => {
  /** x [2, 32] → MatMul(W) twice (shared W) → Gemm(transB, alpha, beta, C), weights optionally Constant nodes. */
  function handmade(constants: boolean): onnx.IModelProto {
    const weights = [floatTensor('W', [32, 32], randomMatrix(1024, 1)), floatTensor('G', [4, 32], randomMatrix(128, 2)), floatTensor('C', [4], Float32Array.of(1, -1, 0.5, 2))];
    const m = buildModel({
      nodes: [
        { op: 'MatMul', inputs: ['x', 'W'], outputs: ['h1'], name: 'first' },
        { op: 'MatMul', inputs: ['h1', 'W'], outputs: ['h2'], name: 'second' },
        { op: 'Gemm', inputs: ['h2', 'G', 'C'], outputs: ['y'], name: 'head', attrs: { transB: 1, alpha: { f: 0.5 }, beta: { f: 2 } } },
      ],
      inputs: [['x', 1, [2, 32]]],
      outputs: [['y', 1, [2, 4]]],
      initializers: constants ? [] : weights,
    });
    if (constants && m.graph) m.graph.node = [...weights.map((t) => node('Constant', [], [t.name ?? ''], `c_${t.name ?? ''}`, [{ name: 'value', type: 4, t: { ...t, name: '' } }])), ...(m.graph.node ?? [])];
    return m;
  }
  const x = new OrtTensor('float32', randomMatrix(64, 3), [2, 32]);

  it.each([{ constants: false }, { constants: true }])('shared weight packed once, Gemm folded, Constant nodes dropped (constants=$constants)', async ({ constants }) => {
    const m = handmade(constants);
    const { model, report } = applyPass(m, { bits: 8 });
    expect(report.changedNodes).toBe(3);
    expect(ops(model)).toEqual(['MatMulNBits', 'MatMulNBits', 'MatMulNBits']);
    const names = (model.graph?.initializer ?? []).map((t) => t.name ?? '');
    expect(names.filter((n) => n.startsWith('W_Q8'))).toHaveLength(1);
    expect(names).not.toContain('W');
    expect(names).not.toContain('C');
    const ref = (await runOnce(m, { x })).y ?? new Float32Array();
    const got = (await runOnce(model, { x })).y ?? new Float32Array();
    expect(fidelity(ref, got).cosine).toBeGreaterThan(0.999);
  });

  it('respects nodesToExclude and minElements; leaves the input model alone', () => {
    const m = handmade(false);
    const before = encodeModelProto(m);
    const { model, report } = applyPass(m, { nodesToExclude: 'first', minElements: 200 });
    expect(report.changedNodes).toBe(1);
    expect(report.decisions.find((d) => d.node === 'first')?.reason).toBe('excluded by nodesToExclude');
    expect(report.decisions.find((d) => d.node === 'head')?.reason).toMatch(/minElements/);
    expect((model.graph?.initializer ?? []).map((t) => t.name)).toContain('W'); // still read by 'first'
    expect(encodeModelProto(m)).toEqual(before);
  });

  it('rejects a block size MatMulNBits cannot take', () => {
    const bad = weightOnlyPass.apply(handmade(false), { bits: 4, blockSize: 48 }, { progress: () => undefined });
    expect(bad.ok).toBe(false);
  });
});
