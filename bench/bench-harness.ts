/**
 * `npm run bench:harness` — does the studio's benchmark distort? (issue 6: "the harness itself must not
 * distort"). In one process, on the same model, inputs and settings, it compares the median latency
 * reported by the studio's engine (src/runtime/benchmark.ts benchmarkModels, which runs through the
 * runtime's queue and session wrapper) with a bare onnxruntime-web loop: InferenceSession.create, then
 * `await session.run(feeds)` in a tight loop timed with performance.now(). Target: ratio within 3 %.
 *
 * Both sides use the one onnxruntime-web instance of the process (the same `onnxruntime-web/wasm`
 * module the runtime imports, so one wasm heap and one env: threads, log level) and the same session
 * options (wasm EP, graph optimization 'all', log severity 3). They alternate in rounds — studio then
 * bare, then bare then studio, … — each round creating its session afresh and warming it up, so drift
 * and session placement affect both alike. The headline ratio is the median over rounds of
 * (studio median / bare median) of the round: robust when another process steals the CPU during some
 * rounds (a shared 2-core machine). Also printed: the ratio of the medians over all runs and of the
 * fastest runs (min: the least disturbed run of each side).
 *
 * Options: --only=a,b (model names containing a or b)  --rounds=N (default 15 for the digits models, 7 for the ImageNet ones)  --threads=N (default 1)
 *          --runs-scale=X (multiply every model's runs per round)
 */
import { join } from 'node:path';
import * as ort from 'onnxruntime-web/wasm';
import type { Feed } from '../src/core/data/types.js';
import { median, summarizeLatency } from '../src/core/metrics/latency.js';
import { seededRandom } from '../src/core/util/seeded-random.js';
import { benchmarkModels } from '../src/runtime/benchmark.js';
import { configureRuntime } from '../src/runtime/ort.js';
import { corpusModel, digitsTestSet, hasCorpus, MODELS_DIR, REPO, sampleModel } from '../src/test-support/models.js';
import type { LoadedTestModel } from '../src/test-support/models.js';

function arg(name: string): string | undefined {
  const a = process.argv.find((x) => x.startsWith(`--${name}=`));
  return a ? a.slice(a.indexOf('=') + 1) : undefined;
}

interface HarnessModel {
  readonly name: string;
  readonly load: () => LoadedTestModel;
  readonly input: string;
  readonly dims: readonly number[];
  /** 'digits': the first digit of the test set; 'random': seeded uniform [0, 1). */
  readonly data: 'digits' | 'random';
  readonly warmup: number;
  readonly runs: number;
  /** Rounds per side; many short rounds, so that a burst of load from other processes spoils few. */
  readonly rounds: number;
}

const DIGITS = { input: 'input', dims: [1, 1, 8, 8], data: 'digits', warmup: 50, runs: 100, rounds: 15 } as const;
const IMAGENET = { input: 'input', dims: [1, 3, 224, 224], data: 'random', warmup: 3, runs: 10, rounds: 7 } as const;
const MODELS: readonly HarnessModel[] = [
  { name: 'digits_cnn', load: () => sampleModel('digits_cnn.onnx'), ...DIGITS },
  { name: 'digits_transformer', load: () => sampleModel('digits_transformer.onnx'), ...DIGITS },
  { name: 'digits_mlp', load: () => sampleModel('digits_mlp.onnx'), ...DIGITS },
  { name: 'digits_cnn_op13', load: () => corpusModel('digits_cnn_op13.onnx'), ...DIGITS },
  { name: 'digits_mlp_op13', load: () => corpusModel('digits_mlp_op13.onnx'), ...DIGITS },
  { name: 'digits_attn_op14', load: () => corpusModel('digits_attn_op14.onnx'), ...DIGITS },
  { name: 'mobilenet_v2', load: () => corpusModel('mobilenet_v2_random_op13.onnx'), ...IMAGENET },
  { name: 'squeezenet1_1', load: () => corpusModel('squeezenet1_1_random_op13.onnx'), ...IMAGENET },
];

function inputData(m: HarnessModel): Float32Array {
  if (m.data === 'digits') return digitsTestSet().x.slice(0, 64);
  const random = seededRandom(7);
  return Float32Array.from({ length: m.dims.reduce((a, b) => a * b, 1) }, () => random());
}

async function studioRound(m: HarnessModel, bytes: Uint8Array, feed: Feed, runs: number): Promise<number[]> {
  const r = await benchmarkModels([{ id: m.name, bytes }], { graphOptimizationLevel: 'all', warmup: m.warmup, runs, inputs: { kind: 'feed', feed } });
  if (!r.ok) throw new Error(r.error.kind === 'cancelled' ? 'cancelled' : r.error.message);
  return [...(r.value.models[0]?.runsMs ?? [])];
}

/** The bare loop: what a user of onnxruntime-web would write. */
async function bareRound(m: HarnessModel, bytes: Uint8Array, data: Float32Array, runs: number): Promise<number[]> {
  const session = await ort.InferenceSession.create(bytes, { executionProviders: ['wasm'], graphOptimizationLevel: 'all', logSeverityLevel: 3 });
  try {
    const feeds = { [m.input]: new ort.Tensor('float32', data, [...m.dims]) };
    await session.run(feeds); // the first run, as the studio does before warming up
    for (let i = 0; i < m.warmup; i++) await session.run(feeds);
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      await session.run(feeds);
      times.push(performance.now() - t0);
    }
    return times;
  } finally {
    await session.release();
  }
}

const f3 = (x: number): string => (x >= 10 ? x.toFixed(2) : x.toFixed(3));

async function main(): Promise<void> {
  const threads = Number(arg('threads') ?? 1);
  const roundsArg = arg('rounds');
  const scale = Number(arg('runs-scale') ?? 1);
  const only = arg('only')?.split(',').filter((s) => s !== '');
  configureRuntime({ numThreads: threads, logLevel: 'error', ...(threads > 1 ? { wasmPaths: `${join(REPO, 'node_modules/onnxruntime-web/dist')}/` } : {}) });
  if (!hasCorpus()) console.log(`note: the corpus is not at ${MODELS_DIR}; corpus models are skipped`);
  console.log(`onnxruntime-web ${ort.env.versions.web ?? '?'} in Node ${process.versions.node}, ${threads} thread${threads === 1 ? '' : 's'}, graph optimization all; rounds alternating studio/bare (after one uncounted round of each), each round a fresh session + first run + warm-up`);
  console.log('\n| model | runs × rounds | studio median ms | bare median ms | studio / bare: median of round ratios | all runs pooled | min / min | p90 / p90 | within 3 % |');
  console.log('|---|---|---|---|---|---|---|---|---|');
  const ratios: number[] = [];
  for (const m of MODELS) {
    if (only && !only.some((o) => m.name.includes(o))) continue;
    let loaded: LoadedTestModel;
    try {
      loaded = m.load();
    } catch (e) {
      console.log(`| ${m.name} | not loaded: ${e instanceof Error ? e.message.split('\n')[0] : String(e)} | | | | | | | |`);
      continue;
    }
    const runs = Math.max(5, Math.round(m.runs * scale));
    const rounds = Math.max(1, Number(roundsArg ?? m.rounds));
    const data = inputData(m);
    const feed: Feed = new Map([[m.input, { dtype: 'float32', dims: [...m.dims], data }]]);
    const studio: number[] = [];
    const bare: number[] = [];
    const perRound: number[] = [];
    // One short round of each side first, not counted: it warms the JIT for both code paths (the very
    // first round of the process otherwise pays it on whichever side runs first).
    await studioRound(m, loaded.bytes, feed, 5);
    await bareRound(m, loaded.bytes, data, 5);
    for (let r = 0; r < rounds; r++) {
      // Alternate who goes first, so that neither side always follows the other's session release.
      let s: number[];
      let b: number[];
      if (r % 2 === 0) {
        s = await studioRound(m, loaded.bytes, feed, runs);
        b = await bareRound(m, loaded.bytes, data, runs);
      } else {
        b = await bareRound(m, loaded.bytes, data, runs);
        s = await studioRound(m, loaded.bytes, feed, runs);
      }
      studio.push(...s);
      bare.push(...b);
      perRound.push(summarizeLatency(s).median / summarizeLatency(b).median);
    }
    const sm = summarizeLatency(studio);
    const bm = summarizeLatency(bare);
    const ratio = median([...perRound].sort((a, b) => a - b));
    ratios.push(ratio);
    const spread = `${Math.min(...perRound).toFixed(2)}–${Math.max(...perRound).toFixed(2)}`;
    console.log(`| ${m.name} | ${runs} × ${rounds} | ${f3(sm.median)} | ${f3(bm.median)} | **${ratio.toFixed(3)}** (rounds ${spread}) | ${(sm.median / bm.median).toFixed(3)} | ${(sm.min / bm.min).toFixed(3)} | ${(sm.p90 / bm.p90).toFixed(3)} | ${Math.abs(ratio - 1) <= 0.03 ? 'yes' : 'NO'} |`);
  }
  if (ratios.length > 0) {
    const worst = ratios.reduce((a, b) => (Math.abs(b - 1) > Math.abs(a - 1) ? b : a), 1);
    console.log(`\nmedian ratio over models ${median([...ratios].sort((a, b) => a - b)).toFixed(3)}, worst ${worst.toFixed(3)}; target |ratio − 1| ≤ 0.03`);
  }
}

await main();
process.exit(0);
