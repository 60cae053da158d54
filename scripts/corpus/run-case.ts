/**
 * One conformance case: decode → encode → decode must give the same model field by field; then the
 * ORIGINAL bytes run in onnxruntime-web (WASM, 1 thread). If the runtime cannot run them, or they do
 * not reproduce the expected outputs, the case counts as "runtime cannot run unmodified" (skipped,
 * with a reason category). Otherwise the RE-ENCODED bytes must run and reproduce them too.
 */
import { readFileSync } from 'node:fs';
import { decodeModelProto, decodeTensorProto, encodeModelProto, toNumber } from '../../src/core/onnx/codec.js';
import type { onnx } from '../../src/core/onnx/codec.js';
import { dtypeName } from '../../src/core/onnx/dtypes.js';
import { messageDiffs } from '../../src/core/onnx/roundtrip-equal.js';
import { bitIdentical, compareTensors, compareToExpected } from '../../src/runtime/compare.js';
import type { RuntimeFailure } from '../../src/runtime/errors.js';
import { createSession } from '../../src/runtime/ort.js';
import type { Tensor } from '../../src/runtime/ort.js';
import { ortTypeOf, randomTensor, seededRandom, tensorFromProto, zeroTensor } from '../../src/runtime/tensors.js';
import type { CorpusCase } from './cases.js';

export type Outcome = 'pass' | 'fail' | 'skip';
export type Phase = 'codec' | 'original' | 're-encoded';

export interface CaseResult {
  readonly suite: string;
  readonly name: string;
  readonly outcome: Outcome;
  /** Failure or skip category, e.g. "no kernel", "round trip differs". */
  readonly category: string;
  readonly detail: string;
  readonly ms: number;
  /** Re-encoded bytes equal the file's bytes (informative: field order or packing may legitimately differ). */
  readonly byteIdentical?: boolean;
  /** Re-encoded model's outputs are bit-identical to the original's (informative). */
  readonly identicalOutputs?: boolean;
}

/**
 * Inputs for models without stored test data: symbolic dims default to 1; these override dims and
 * integer values where 1 or 0 would not make a valid input (audio windows, sample rates).
 */
const INPUT_HINTS: Readonly<Record<string, { dims?: Record<string, number>; ints?: Record<string, number> }>> = {
  melspectrogram: { dims: { samples: 16000 } },
  silero_vad_legacy: { dims: { sequence: 512 }, ints: { sr: 16000 } },
};

const SKIP_CATEGORY: Readonly<Record<RuntimeFailure['kind'], string>> = {
  'no-kernel': 'no WASM kernel',
  'unknown-op': 'operator unknown to ORT',
  'unsupported-type': 'type onnxruntime-web cannot pass',
  'unsupported-version': 'IR/opset too new',
  'invalid-model': 'ORT rejects graph',
  'out-of-memory': 'out of WASM memory',
  'run-failed': 'run failed',
  other: 'other ORT error',
};

export class CaseStop extends Error {
  constructor(readonly outcome: Outcome, readonly category: string, detail: string) {
    super(detail);
  }
}

const stop = (outcome: Outcome, category: string, detail: string): never => {
  throw new CaseStop(outcome, category, detail);
};

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.byteLength !== b.byteLength) return false;
  for (let i = 0; i < a.byteLength; i++) if (a[i] !== b[i]) return false;
  return true;
}

function describeType(t: onnx.ITypeProto | null | undefined): string {
  if (!t) return 'no type';
  if (t.sequenceType) return 'sequence';
  if (t.optionalType) return 'optional';
  if (t.mapType) return 'map';
  if (t.sparseTensorType) return 'sparse tensor';
  return 'tensor';
}

/** Graph inputs that must be fed: declared inputs minus initializers (IR < 4 lists weights as inputs). */
function feedInputs(model: onnx.IModelProto): onnx.IValueInfoProto[] {
  const inits = new Set((model.graph?.initializer ?? []).map((t) => t.name));
  return (model.graph?.input ?? []).filter((i) => !inits.has(i.name ?? ''));
}

/** Inputs and outputs must be tensors of a type onnxruntime-web can pass; otherwise the runtime cannot run the test. */
function checkRunnable(model: onnx.IModelProto): void {
  for (const [kind, values] of [['input', feedInputs(model)], ['output', model.graph?.output ?? []]] as const) {
    for (const v of values) {
      const t = v.type;
      if (!t?.tensorType) stop('skip', `non-tensor graph ${kind}`, `${kind} '${v.name}' is a ${describeType(t)}; onnxruntime-web passes tensors only`);
      const elem = t?.tensorType?.elemType ?? 0;
      if (!ortTypeOf(elem)) stop('skip', 'type onnxruntime-web cannot pass', `${kind} '${v.name}' is ${dtypeName(elem)}`);
    }
  }
}

function storedFeeds(c: CorpusCase, inputs: readonly onnx.IValueInfoProto[]): Record<string, Tensor> {
  const feeds: Record<string, Tensor> = {};
  c.inputs.forEach((file, i) => {
    const name = inputs[i]?.name;
    if (!name) stop('fail', 'harness', `input file ${i} has no matching graph input`);
    const proto = decodeTensorProto(new Uint8Array(readFileSync(file)));
    const t = tensorFromProto(proto);
    if (!t.ok) stop('skip', 'type onnxruntime-web cannot pass', t.error);
    else feeds[name as string] = t.value;
  });
  return feeds;
}

function generatedFeeds(c: CorpusCase, inputs: readonly onnx.IValueInfoProto[]): Record<string, Tensor> {
  const hints = INPUT_HINTS[c.name] ?? {};
  const random = seededRandom(20240531);
  const feeds: Record<string, Tensor> = {};
  for (const v of inputs) {
    const name = v.name ?? '';
    const type = ortTypeOf(v.type?.tensorType?.elemType ?? 0) ?? 'float32';
    const dims = (v.type?.tensorType?.shape?.dim ?? []).map((d) => {
      if (d.dimValue !== undefined && d.dimValue !== null && toNumber(d.dimValue) > 0) return toNumber(d.dimValue);
      return hints.dims?.[d.dimParam ?? ''] ?? 1;
    });
    const int = hints.ints?.[name];
    if (int !== undefined) {
      const t = zeroTensor(type, dims);
      const data = t.data;
      if (data instanceof BigInt64Array) data.fill(BigInt(int));
      else if (data instanceof Int32Array || data instanceof Float32Array) data.fill(int);
      feeds[name] = t;
    } else if (c.suite === 'light' || type !== 'float32') {
      feeds[name] = zeroTensor(type, dims); // light/ has no stored inputs: zeros of the declared shapes
    } else {
      feeds[name] = randomTensor(type, dims, random);
    }
  }
  return feeds;
}

async function runBytes(bytes: Uint8Array, feeds: Record<string, Tensor>, which: 'original' | 're-encoded'): Promise<Record<string, Tensor>> {
  const created = await createSession(bytes, { logSeverityLevel: 4 });
  if (!created.ok) {
    const f = created.error;
    if (which === 'original') stop('skip', SKIP_CATEGORY[f.kind], f.message);
    stop('fail', 're-encoded model does not load', f.message);
  }
  const session = created.ok ? created.value : undefined;
  if (!session) return stop('fail', 'harness', 'no session');
  try {
    const run = await session.run(feeds);
    if (!run.ok) {
      if (which === 'original') stop('skip', SKIP_CATEGORY[run.error.kind], run.error.message);
      stop('fail', 're-encoded model fails to run', run.error.message);
    }
    return run.ok ? { ...run.value.outputs } : {};
  } finally {
    await session.release();
  }
}

function checkExpected(c: CorpusCase, model: onnx.IModelProto, outputs: Record<string, Tensor>, which: 'original' | 're-encoded'): void {
  c.outputs.forEach((file, i) => {
    const name = model.graph?.output?.[i]?.name ?? '';
    const actual = outputs[name];
    const expected = decodeTensorProto(new Uint8Array(readFileSync(file)));
    const cmp = actual ? compareToExpected(actual, expected) : { ok: false, message: 'missing from the outputs' };
    if (!cmp.ok) {
      if (which === 'original') stop('skip', 'ORT result differs from expected', `output '${name}': ${cmp.message}`);
      stop('fail', 're-encoded output differs from expected', `output '${name}': ${cmp.message}`);
    }
  });
}

export async function runCase(c: CorpusCase, onPhase: (p: Phase) => void = () => undefined): Promise<CaseResult> {
  const start = performance.now();
  let byteIdentical: boolean | undefined;
  let identicalOutputs: boolean | undefined;
  let phase: Phase = 'codec';
  const enter = (p: Phase): void => {
    phase = p;
    onPhase(p);
  };
  const result = (outcome: Outcome, category: string, detail: string): CaseResult => ({
    suite: c.suite, name: c.name, outcome, category, detail, ms: performance.now() - start,
    ...(byteIdentical !== undefined ? { byteIdentical } : {}),
    ...(identicalOutputs !== undefined ? { identicalOutputs } : {}),
  });
  try {
    enter('codec');
    const bytes = new Uint8Array(readFileSync(c.model));
    const model = decodeModelProto(bytes);
    const reencoded = encodeModelProto(model);
    const back = decodeModelProto(reencoded);
    const diffs = messageDiffs(model, back, 5);
    if (diffs.length > 0) stop('fail', 'round trip differs', diffs.map((d) => `${d.path}: ${d.message}`).join('; '));
    byteIdentical = sameBytes(bytes, reencoded);

    checkRunnable(model);
    const inputs = feedInputs(model);
    const feeds = c.mode === 'expected' ? storedFeeds(c, inputs) : generatedFeeds(c, inputs);

    enter('original');
    const original = await runBytes(bytes, feeds, 'original');
    if (c.mode === 'expected') checkExpected(c, model, original, 'original');

    enter('re-encoded');
    const again = await runBytes(reencoded, feeds, 're-encoded');
    if (c.mode === 'expected') checkExpected(c, back, again, 're-encoded');
    identicalOutputs = true;
    for (const [name, t] of Object.entries(original)) {
      const other = again[name];
      if (!other) stop('fail', 're-encoded output missing', `output '${name}' missing`);
      else {
        identicalOutputs &&= bitIdentical(t, other);
        if (c.mode === 'self') {
          const cmp = compareTensors(other, t);
          if (!cmp.ok) stop('fail', 're-encoded output differs from original', `output '${name}': ${cmp.message}`);
        }
      }
    }
    return result('pass', '', '');
  } catch (e) {
    if (e instanceof CaseStop) return result(e.outcome, e.category, e.message);
    const message = e instanceof Error ? e.message : String(e);
    return result('fail', phase === 'codec' ? 'codec error' : `harness error (${phase})`, message);
  }
}
