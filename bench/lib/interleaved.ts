/**
 * Paired latency measurement shared by the variant benchmarks (bench:quantize, bench:prune): a baseline
 * session and a variant session run alternately (A B A B …) in the same process after a warm-up, and
 * each side's median is kept. Interleaving makes slow machine drift (thermal, other processes, GC)
 * hit both sides alike, so the ratio of the medians is what gets reported — never a wall-clock bound.
 */
import { createSession } from '../../src/runtime/ort.js';
import type { RuntimeSession, Tensor } from '../../src/runtime/ort.js';

/** A session for the model bytes; throws with ORT's message (a benchmark row records it as a note). */
export async function session(bytes: Uint8Array): Promise<RuntimeSession> {
  const s = await createSession(bytes);
  if (!s.ok) throw new Error(s.error.message);
  return s.value;
}

/** One run; its wall time in ms (session.run, inputs and outputs copied in and out of WASM included). */
export async function runMs(s: RuntimeSession, feeds: Record<string, Tensor>): Promise<number> {
  const r = await s.run(feeds);
  if (!r.ok) throw new Error(r.error.message);
  return r.value.ms;
}

export const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
};

/**
 * `a` and `b` alternately, after `warmup` (default 3) unmeasured runs of each; medians of each. Stops
 * after `runs` pairs, or once `budgetMs` has passed with at least 5 pairs measured.
 */
export async function interleaved(a: RuntimeSession, b: RuntimeSession, feeds: Record<string, Tensor>, runs: number, budgetMs: number, warmup = 3): Promise<{ a: number; b: number; pairs: number }> {
  for (let i = 0; i < warmup; i++) {
    await runMs(a, feeds);
    await runMs(b, feeds);
  }
  const ta: number[] = [];
  const tb: number[] = [];
  const start = performance.now();
  while (ta.length < runs && (ta.length < 5 || performance.now() - start < budgetMs)) {
    ta.push(await runMs(a, feeds));
    tb.push(await runMs(b, feeds));
  }
  return { a: median(ta), b: median(tb), pairs: ta.length };
}

/** Every output of one run as float32, in the session's output order. */
export async function outputsOf(s: RuntimeSession, feeds: Record<string, Tensor>): Promise<Float32Array[]> {
  const r = await s.run(feeds);
  if (!r.ok) throw new Error(r.error.message);
  return s.outputs.map((o) => {
    const t = r.value.outputs[o.name];
    return t && t.data instanceof Float32Array ? t.data : Float32Array.from((t?.data ?? []) as ArrayLike<number>, Number);
  });
}
