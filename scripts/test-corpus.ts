/**
 * `npm run test:corpus` — the codec and runtime against ONNX's backend conformance data and the
 * corpus models (shared/corpus/README.md). For each model: decode → encode → decode equals the
 * original field by field; the original bytes run in onnxruntime-web (WASM, 1 thread) and, where they
 * reproduce the expected outputs, the re-encoded bytes must too. Cases the runtime cannot run
 * unmodified are counted apart ("skipped") with a reason.
 *
 * Cases run one at a time in child processes: a per-case timeout can kill a hung WASM run (which
 * blocks its own event loop), a WASM abort only takes the child with it, and children are recycled
 * because WASM memory never shrinks. Big models get a fresh child each.
 *
 * Options: --suite=node,light  --filter=<substring>  --jobs=N (parallel children; default 1)
 *          --verbose (list every skipped case)  --per-child=N (cases before recycling; default 400)
 */
import { fork } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { corpusMissing, listCases, REPO_ROOT, SUITES } from './corpus/cases.js';
import type { CorpusCase, Suite } from './corpus/cases.js';
import type { FromChild, ToChild } from './corpus/child.js';
import type { CaseResult, Phase } from './corpus/run-case.js';

const CHILD = fileURLToPath(new URL('./corpus/child.ts', import.meta.url));
/** ORT-web 1.30, Node, 1 thread, measured while planning (the brief's calibration figures). */
const CALIBRATION: Readonly<Record<string, number>> = { node: 1468, simple: 21, light: 9, 'pytorch-converted': 59, 'pytorch-operator': 24 };
const TIMEOUT_MS = { light: 240_000, heavy: 240_000, normal: 60_000 };
const RSS_LIMIT = 3 * 1024 ** 3;

interface Options {
  suites: Suite[];
  filter: string;
  jobs: number;
  verbose: boolean;
  perChild: number;
}

function parseArgs(argv: readonly string[]): Options {
  const o: Options = { suites: [...SUITES], filter: '', jobs: 1, verbose: false, perChild: 400 };
  for (const a of argv) {
    const [k, v = ''] = a.replace(/^--/, '').split('=');
    if (k === 'suite') o.suites = v.split(',').filter((s): s is Suite => (SUITES as readonly string[]).includes(s));
    else if (k === 'filter') o.filter = v;
    else if (k === 'jobs') o.jobs = Math.max(1, Number(v) || 1);
    else if (k === 'verbose') o.verbose = true;
    else if (k === 'per-child') o.perChild = Math.max(1, Number(v) || 400);
  }
  return o;
}

/** A child process running cases one at a time. */
class Child {
  readonly proc: ChildProcess;
  private readonly ready: Promise<void>;
  private listener: ((m: FromChild) => void) | undefined;
  private exitListener: ((code: number | null, signal: NodeJS.Signals | null) => void) | undefined;
  private stderrTail = '';
  exited = false;
  cases = 0;
  rss = 0;

  constructor() {
    this.proc = fork(CHILD, [], {
      cwd: REPO_ROOT,
      execArgv: ['--import', 'tsx'],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      serialization: 'advanced',
    });
    // ORT writes some diagnostics straight to stdout/stderr; keep the tail for crash reports.
    const keep = (chunk: Buffer): void => {
      this.stderrTail = (this.stderrTail + chunk.toString()).slice(-2000);
    };
    this.proc.stdout?.on('data', keep);
    this.proc.stderr?.on('data', keep);
    this.ready = new Promise((resolve, reject) => {
      this.proc.once('error', reject);
      this.proc.on('message', (m: FromChild) => {
        if (m.type === 'ready') resolve();
        else this.listener?.(m);
      });
      this.proc.once('exit', (code, signal) => {
        this.exited = true;
        reject(new Error(`child exited before it was ready (${code ?? signal})`));
        this.exitListener?.(code, signal);
      });
    });
  }

  /** Runs one case; resolves with its result, or a classified timeout/crash result. */
  async run(c: CorpusCase, timeoutMs: number): Promise<CaseResult> {
    await this.ready;
    const start = performance.now();
    let phase: Phase = 'codec';
    return new Promise<CaseResult>((resolve) => {
      const finish = (r: CaseResult): void => {
        clearTimeout(timer);
        this.listener = undefined;
        this.exitListener = undefined;
        resolve(r);
      };
      const abnormal = (what: string): CaseResult => {
        const ms = performance.now() - start;
        // Only the original model failing is the runtime's limitation; anything else is ours.
        const outcome = phase === 'original' ? 'skip' : 'fail';
        const tail = this.stderrTail.trim().split('\n').slice(-3).join(' | ');
        return { suite: c.suite, name: c.name, outcome, category: `${what} (${phase})`, detail: tail, ms };
      };
      const timer = setTimeout(() => {
        this.kill();
        finish(abnormal(`timeout after ${timeoutMs / 1000}s`));
      }, timeoutMs);
      this.listener = (m) => {
        if (m.type === 'phase') phase = m.phase;
        else if (m.type === 'result') {
          this.cases++;
          this.rss = m.rss;
          finish(m.result);
        }
      };
      this.exitListener = (code, signal) => finish(abnormal(`child crashed: ${code ?? signal}`));
      this.proc.send({ type: 'case', case: c } satisfies ToChild);
    });
  }

  kill(): void {
    if (!this.exited) this.proc.kill('SIGKILL');
  }

  async close(): Promise<void> {
    if (this.exited) return;
    const gone = new Promise<void>((resolve) => this.proc.once('exit', () => resolve()));
    this.proc.send({ type: 'exit' } satisfies ToChild);
    const timer = setTimeout(() => this.kill(), 5000);
    await gone;
    clearTimeout(timer);
  }
}

function timeoutFor(c: CorpusCase): number {
  if (c.suite === 'light') return TIMEOUT_MS.light;
  return c.heavy ? TIMEOUT_MS.heavy : TIMEOUT_MS.normal;
}

async function runAll(cases: readonly CorpusCase[], o: Options, onResult: (r: CaseResult) => void): Promise<void> {
  let next = 0;
  const slot = async (): Promise<void> => {
    let child: Child | undefined;
    while (next < cases.length) {
      const c = cases[next++] as CorpusCase;
      const recycle = !child || child.exited || c.heavy || child.cases >= o.perChild || child.rss > RSS_LIMIT;
      if (recycle) {
        await child?.close();
        child = new Child();
      }
      const current = child as Child;
      onResult(await current.run(c, timeoutFor(c)));
      if (c.heavy) {
        await current.close();
        child = undefined;
      }
    }
    await child?.close();
  };
  await Promise.all(Array.from({ length: Math.min(o.jobs, cases.length) }, () => slot()));
}

function pad(s: string | number, n: number): string {
  return String(s).padStart(n);
}

async function main(): Promise<number> {
  const missing = corpusMissing();
  if (missing) {
    console.error(`test:corpus cannot run: ${missing}`);
    return 2;
  }
  const o = parseArgs(process.argv.slice(2));
  const cases = listCases(o.suites).filter((c) => !o.filter || `${c.suite}/${c.name}`.includes(o.filter));
  // Heavy cases last, so the quick bulk reports early.
  const ordered = [...cases.filter((c) => !c.heavy), ...cases.filter((c) => c.heavy)];
  console.log(`Conformance corpus: ${cases.length} cases from ${o.suites.join(', ')} (onnxruntime-web WASM, 1 thread, ${o.jobs} child process${o.jobs > 1 ? 'es' : ''})`);

  const start = performance.now();
  const results: CaseResult[] = [];
  await runAll(ordered, o, (r) => {
    results.push(r);
    if (r.outcome === 'fail') console.log(`FAIL ${r.suite}/${r.name}: ${r.category}: ${r.detail}`);
    else if (r.outcome === 'skip' && o.verbose) console.log(`skip ${r.suite}/${r.name}: ${r.category}: ${r.detail}`);
    if (results.length % 250 === 0) console.log(`  … ${results.length}/${cases.length} (${((performance.now() - start) / 1000).toFixed(0)} s)`);
  });

  const seconds = (performance.now() - start) / 1000;
  console.log('');
  console.log(`${'suite'.padEnd(18)}${pad('cases', 7)}${pad('passed', 8)}${pad('failed', 8)}${pad('skipped', 9)}${pad('ran unmodified', 16)}${pad('calibration', 13)}${pad('byte-identical', 16)}`);
  for (const suite of o.suites) {
    const rs = results.filter((r) => r.suite === suite);
    if (rs.length === 0) continue;
    const n = (k: CaseResult['outcome']): number => rs.filter((r) => r.outcome === k).length;
    // "Ran unmodified": the original bytes ran and matched (everything that was not skipped, bar codec failures).
    const ran = rs.filter((r) => r.outcome === 'pass' || r.category.startsWith('re-encoded')).length;
    const same = rs.filter((r) => r.byteIdentical).length;
    console.log(`${suite.padEnd(18)}${pad(rs.length, 7)}${pad(n('pass'), 8)}${pad(n('fail'), 8)}${pad(n('skip'), 9)}${pad(ran, 16)}${pad(CALIBRATION[suite] ?? '-', 13)}${pad(same, 16)}`);
  }
  const skipReasons = new Map<string, number>();
  for (const r of results) if (r.outcome === 'skip') skipReasons.set(r.category, (skipReasons.get(r.category) ?? 0) + 1);
  if (skipReasons.size > 0) {
    console.log('\nRuntime cannot run unmodified (skipped), by reason:');
    for (const [reason, count] of [...skipReasons].sort((a, b) => b[1] - a[1])) console.log(`${pad(count, 7)}  ${reason}`);
  }
  const passed = results.filter((r) => r.outcome === 'pass');
  const sameOutputs = passed.filter((r) => r.identicalOutputs).length;
  console.log(`\nRe-encoded outputs bit-identical to the original's: ${sameOutputs} of ${passed.length} passing cases`);
  const failed = results.filter((r) => r.outcome === 'fail').length;
  const skipped = results.filter((r) => r.outcome === 'skip').length;
  console.log(`Time: ${seconds.toFixed(1)} s`);
  console.log(`${passed.length} passed, ${failed} failed, ${skipped} skipped`);
  return failed > 0 ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  },
);
