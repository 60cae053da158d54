/**
 * `npm run bench:core` — codec throughput and memory (node --expose-gc).
 *
 * For the corpus models and a generated model with ≥ 500 MB of fp32 weights: decode and encode time,
 * next to a plain copy of the same bytes (`buf.slice()`) measured in the same run, and peak memory
 * while loading (read + decode) and encoding. Memory is sampled from a worker thread (the codec blocks
 * the main thread); the big model's load is measured in a fresh child process so that earlier work
 * does not colour its numbers.
 *
 * Targets (ARCHITECTURE.md "zero copy"): decode ≥ 1 GB/s of weights, encode ≤ 3× copy time,
 * peak memory during load ≤ 1.3× file size.
 *
 * Options: --layers=N --width=N (synthetic model size; default 32 × 2048² fp32 = 537 MB)
 *          --skip-big   --protobufjs (also time protobufjs' own Writer on the big model, for reference)
 *          --load=<file> (internal: the child's job)
 */
import { fork } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeModelProto, encodeModelProto, onnx } from '../src/core/onnx/codec.js';
import { tensorStorageBytes } from '../src/core/onnx/tensor.js';
import { PeakSampler } from './lib/memory.js';
import { buildMatMulChain } from './lib/synthetic-model.js';

const SELF = fileURLToPath(import.meta.url);
const REPO = resolve(fileURLToPath(new URL('.', import.meta.url)), '..');
const CORPUS = resolve(REPO, '../shared/corpus');
const MB = 1e6;
const TARGET = { decodeGBs: 1, encodeOverCopy: 3, loadPeakOverFile: 1.3 };

function arg(name: string): string | undefined {
  const a = process.argv.find((x) => x.startsWith(`--${name}=`) || x === `--${name}`);
  return a?.includes('=') ? a.slice(a.indexOf('=') + 1) : a ? '' : undefined;
}

function weightBytes(model: onnx.IModelProto): number {
  let total = 0;
  for (const t of model.graph?.initializer ?? []) total += tensorStorageBytes(t);
  return total;
}

/** Median wall time of `fn` over enough repetitions to fill ~`budgetMs` (at least 3, at most 50). */
function median(fn: () => unknown, budgetMs = 300): number {
  const times: number[] = [];
  const start = performance.now();
  while (times.length < 3 || (times.length < 50 && performance.now() - start < budgetMs)) {
    const t0 = performance.now();
    fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)] as number;
}

const fmt = (v: number, digits = 1): string => v.toFixed(digits);
const col = (s: string | number, n: number): string => String(s).padStart(n);

function corpusTable(): void {
  const dirs = [join(CORPUS, 'models'), join(CORPUS, 'onnx-backend-tests', 'light')];
  const files = dirs.flatMap((d) => (existsSync(d) ? readdirSync(d).filter((f) => f.endsWith('.onnx')).map((f) => join(d, f)) : []));
  if (files.length === 0) {
    console.log(`(corpus not found at ${CORPUS}: corpus table skipped)`);
    return;
  }
  console.log('Corpus models (median of repeated runs; weights = initializer bytes)');
  console.log(`${'model'.padEnd(34)}${col('file MB', 9)}${col('wts MB', 8)}${col('decode ms', 11)}${col('dec GB/s', 10)}${col('encode ms', 11)}${col('copy ms', 9)}${col('enc/copy', 10)}`);
  for (const file of files.sort()) {
    const bytes = new Uint8Array(readFileSync(file));
    const model = decodeModelProto(bytes);
    const weights = weightBytes(model);
    const dec = median(() => decodeModelProto(bytes));
    const enc = median(() => encodeModelProto(model));
    const copy = median(() => bytes.slice());
    const name = file.split('/').pop() as string;
    console.log(`${name.padEnd(34)}${col(fmt(bytes.byteLength / MB, 2), 9)}${col(fmt(weights / MB, 2), 8)}${col(fmt(dec, 3), 11)}${col(fmt(weights / MB / 1000 / (dec / 1000), 2), 10)}${col(fmt(enc, 3), 11)}${col(fmt(copy, 3), 9)}${col(fmt(enc / copy, 2), 10)}`);
  }
}

interface LoadReport {
  readonly fileBytes: number;
  readonly weightBytes: number;
  readonly readMs: number;
  readonly decodeMs: number;
  readonly loadPeakRss: number;
  readonly loadHeapAb: number;
  readonly encodeMs: number;
  readonly encodePeakRss: number;
  readonly copyMs: number;
  /** protobufjs' own Writer on the same model (only with --protobufjs). */
  readonly protobufjs?: { readonly ms: number; readonly peakRss: number };
}

/** The child's job: load (read + decode) a big file from a clean process, then re-encode it. */
async function loadJob(file: string): Promise<LoadReport> {
  const sampler = new PeakSampler();
  const load = await sampler.measure(() => {
    const t0 = performance.now();
    // The Buffer itself: wrapping it in `new Uint8Array(buffer)` would copy the file.
    const bytes: Uint8Array = readFileSync(file);
    const t1 = performance.now();
    const model = decodeModelProto(bytes);
    return { bytes, model, readMs: t1 - t0, decodeMs: performance.now() - t1 };
  });
  const { bytes, model } = load.result;
  const enc = await sampler.measure(() => encodeModelProto(model));
  const encodeMs = enc.ms;
  // Same-run reference: a plain copy of the same number of bytes, median of three.
  const copyMs = median(() => Uint8Array.prototype.slice.call(bytes), 0);
  const decodeMs = Math.min(load.result.decodeMs, median(() => decodeModelProto(bytes), 0));
  let protobufjs: LoadReport['protobufjs'];
  if (arg('protobufjs') !== undefined) {
    const old = await sampler.measure(() => onnx.ModelProto.encode(model).finish());
    protobufjs = { ms: old.ms, peakRss: old.memory.rssPeak - old.memory.rssBefore };
  }
  await sampler.close();
  return {
    fileBytes: bytes.byteLength,
    weightBytes: weightBytes(model),
    readMs: load.result.readMs,
    decodeMs,
    loadPeakRss: load.memory.rssPeak - load.memory.rssBefore,
    loadHeapAb: load.memory.heapAbAfter - load.memory.heapAbBefore,
    encodeMs,
    encodePeakRss: enc.memory.rssPeak - enc.memory.rssBefore,
    copyMs,
    ...(protobufjs ? { protobufjs } : {}),
  };
}

function runChild(file: string): Promise<LoadReport> {
  return new Promise((resolvePromise, reject) => {
    const extra = arg('protobufjs') !== undefined ? ['--protobufjs'] : [];
    const child = fork(SELF, [`--load=${file}`, ...extra], { execArgv: ['--expose-gc', '--import', 'tsx'], cwd: REPO, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    child.once('message', (m) => resolvePromise(m as LoadReport));
    child.once('exit', (code) => (code === 0 ? undefined : reject(new Error(`load child exited with ${code}`))));
  });
}

const verdict = (ok: boolean): string => (ok ? 'OK ' : 'MISS');

async function bigModel(): Promise<void> {
  const layers = Number(arg('layers') ?? 32);
  const width = Number(arg('width') ?? 2048);
  console.log(`\nSynthetic model: ${layers} × MatMul+Add(+Relu), ${width}×${width} fp32 weights as raw_data`);
  const t0 = performance.now();
  const { model, weightBytes: weights } = buildMatMulChain(layers, width);
  console.log(`  built in ${fmt(performance.now() - t0, 0)} ms: ${fmt(weights / MB, 0)} MB of weights`);

  const sampler = new PeakSampler();
  const enc = await sampler.measure(() => encodeModelProto(model));
  const bytes = enc.result;
  // Uint8Array.prototype.slice copies (a Node Buffer's own slice() would return a view).
  const copy = await sampler.measure(() => Uint8Array.prototype.slice.call(bytes));
  await sampler.close();
  console.log(`  encode (fresh model): ${fmt(enc.ms, 0)} ms, copy of the same bytes: ${fmt(copy.ms, 0)} ms → encode/copy ${fmt(enc.ms / copy.ms, 2)}×`);
  console.log(`  peak RSS growth while encoding: ${fmt((enc.memory.rssPeak - enc.memory.rssBefore) / MB, 0)} MB for a ${fmt(bytes.byteLength / MB, 0)} MB output (${fmt((enc.memory.rssPeak - enc.memory.rssBefore) / bytes.byteLength, 2)}×)`);

  const dir = mkdtempSync(join(tmpdir(), 'bench-core-'));
  const file = join(dir, 'matmul_chain.onnx');
  try {
    writeFileSync(file, bytes);
    const r = await runChild(file);
    const decGBs = r.weightBytes / 1e9 / (r.decodeMs / 1000);
    const encOverCopy = r.encodeMs / r.copyMs;
    const loadOverFile = r.loadPeakRss / r.fileBytes;
    console.log(`\n  In a fresh process, file ${fmt(r.fileBytes / MB, 0)} MB:`);
    console.log(`  ${'measure'.padEnd(44)}${col('value', 14)}${col('target', 10)}   `);
    console.log(`  ${'read file (readFileSync)'.padEnd(44)}${col(`${fmt(r.readMs, 0)} ms`, 14)}`);
    console.log(`  ${'decode'.padEnd(44)}${col(`${fmt(r.decodeMs, 1)} ms`, 14)}`);
    console.log(`  ${'decode throughput (weights)'.padEnd(44)}${col(`${fmt(decGBs, 1)} GB/s`, 14)}${col(`≥ ${TARGET.decodeGBs}`, 10)}   ${verdict(decGBs >= TARGET.decodeGBs)}`);
    console.log(`  ${'encode'.padEnd(44)}${col(`${fmt(r.encodeMs, 0)} ms`, 14)}`);
    console.log(`  ${'copy (buf.slice())'.padEnd(44)}${col(`${fmt(r.copyMs, 0)} ms`, 14)}`);
    console.log(`  ${'encode time / copy time'.padEnd(44)}${col(`${fmt(encOverCopy, 2)}×`, 14)}${col(`≤ ${TARGET.encodeOverCopy}`, 10)}   ${verdict(encOverCopy <= TARGET.encodeOverCopy)}`);
    console.log(`  ${'peak RSS growth during load / file size'.padEnd(44)}${col(`${fmt(loadOverFile, 2)}×`, 14)}${col(`≤ ${TARGET.loadPeakOverFile}`, 10)}   ${verdict(loadOverFile <= TARGET.loadPeakOverFile)}`);
    console.log(`  ${'heap+arrayBuffers growth after load / file'.padEnd(44)}${col(`${fmt(r.loadHeapAb / r.fileBytes, 2)}×`, 14)}`);
    console.log(`  ${'peak RSS growth during encode / file size'.padEnd(44)}${col(`${fmt(r.encodePeakRss / r.fileBytes, 2)}×`, 14)}`);
    if (r.protobufjs) {
      console.log(`  ${"protobufjs' own Writer: encode / copy".padEnd(44)}${col(`${fmt(r.protobufjs.ms / r.copyMs, 2)}×`, 14)}   (${fmt(r.protobufjs.ms, 0)} ms)`);
      console.log(`  ${"protobufjs' own Writer: peak RSS / file".padEnd(44)}${col(`${fmt(r.protobufjs.peakRss / r.fileBytes, 2)}×`, 14)}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const load = arg('load');
  if (load) {
    const report = await loadJob(load);
    process.send?.(report);
    return;
  }
  if (!(globalThis as { gc?: unknown }).gc) console.log('(run with node --expose-gc for steadier memory figures: npm run bench:core)');
  console.log(`Node ${process.version}, ${process.arch}; times are wall-clock medians unless noted.\n`);
  corpusTable();
  if (arg('skip-big') === undefined) await bigModel();
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
