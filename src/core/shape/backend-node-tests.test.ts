/**
 * Shape inference against ground truth nobody here wrote: the ONNX backend test data. For every test
 * model, declared output types and value_info are removed, shapes are inferred, and the result is
 * compared with the dims of the expected outputs (test_data_set_0/output_*.pb).
 *
 * Two modes: "declared inputs" sees only the graph inputs' declared types (as for a real model); "small
 * inputs known" also makes the test's small input tensors (≤ 64 elements: shape vectors, axes, scales)
 * initializers, as exported models hold them, so data-dependent rules (Reshape, Slice, Resize…) can
 * be checked too.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { onnx } from '../onnx/codec.js';
import { decodeModelProto, decodeTensorProto, toNumber } from '../onnx/codec.js';
import { opKey } from '../graph/opsets.js';
import { inferShapes } from './infer-shapes.js';
import { SHAPE_RULES } from './rules/index.js';

const BACKEND = fileURLToPath(new URL('../../../../shared/corpus/onnx-backend-tests/', import.meta.url));
const hasCorpus = existsSync(BACKEND);
const note = hasCorpus ? '' : ` — SKIPPED: the ONNX backend tests are not at ${BACKEND}`;

type Verdict = 'agree' | 'partial' | 'unknown' | 'wrong';

interface Case {
  readonly name: string;
  readonly model: () => onnx.IModelProto;
  readonly expected: (i: number) => string;
  readonly input: (i: number) => string | undefined;
}

function stripDeclarations(g: onnx.IGraphProto): void {
  g.valueInfo = [];
  for (const o of g.output ?? []) {
    if (o.type?.tensorType) o.type.tensorType = { elemType: 0, shape: null };
  }
  for (const n of g.node ?? []) for (const a of n.attribute ?? []) for (const sub of [...(a.g ? [a.g] : []), ...(a.graphs ?? [])]) stripDeclarations(sub);
}

function verdict(got: { dtype: number; shape: unknown[] | undefined } | undefined, dims: number[], dtype: number): Verdict {
  if (!got?.shape) return 'unknown';
  if (got.shape.length !== dims.length || got.shape.some((d, k) => typeof d === 'number' && d !== dims[k])) return 'wrong';
  if (got.dtype !== 0 && got.dtype !== dtype) return 'wrong';
  return got.shape.every((d) => typeof d === 'number') && got.dtype === dtype ? 'agree' : 'partial';
}

interface Tally {
  supportedModels: number;
  outputs: Record<Verdict, number>;
  wrong: string[];
  notAgreeing: string[];
}

function run(cases: Case[], knownInputs: boolean): Tally {
  const tally: Tally = { supportedModels: 0, outputs: { agree: 0, partial: 0, unknown: 0, wrong: 0 }, wrong: [], notAgreeing: [] };
  for (const c of cases) {
    const m = c.model();
    const g = m.graph as onnx.IGraphProto;
    const ops = new Set<string>();
    const walk = (gr: onnx.IGraphProto): void => {
      for (const n of gr.node ?? []) {
        ops.add(opKey(n.domain, n.opType));
        for (const a of n.attribute ?? []) for (const sub of [...(a.g ? [a.g] : []), ...(a.graphs ?? [])]) walk(sub);
      }
    };
    walk(g);
    // "Supported": every op of the model has a rule (the expected output is a tensor).
    if (![...ops].every((o) => SHAPE_RULES.has(o))) continue;
    const tensorOutputs = (g.output ?? []).map((o) => !!o.type?.tensorType);
    if (!tensorOutputs.some(Boolean)) continue;
    tally.supportedModels++;
    stripDeclarations(g);
    if (knownInputs) {
      (g.input ?? []).forEach((inp, i) => {
        const f = c.input(i);
        if (!f || !inp.type?.tensorType) return;
        const t = decodeTensorProto(new Uint8Array(readFileSync(f)));
        const count = (t.dims ?? []).reduce((a: number, d) => a * toNumber(d), 1);
        if (count <= 64) (g.initializer ??= []).push({ ...t, name: inp.name ?? '' });
      });
    }
    const shapes = inferShapes(m);
    (g.output ?? []).forEach((o, i) => {
      const f = c.expected(i);
      if (!tensorOutputs[i] || !existsSync(f)) return;
      const t = decodeTensorProto(new Uint8Array(readFileSync(f)));
      const dims = (t.dims ?? []).map(toNumber);
      const got = shapes.get(o.name ?? '');
      const v = verdict(got, dims, t.dataType ?? 0);
      tally.outputs[v]++;
      const line = `${c.name} output ${i}: got ${JSON.stringify(got)} expected ${JSON.stringify(dims)} dtype ${t.dataType}`;
      if (v === 'wrong') tally.wrong.push(line);
      if (v !== 'agree') tally.notAgreeing.push(line);
    });
  }
  return tally;
}

function dirCases(sub: string): Case[] {
  if (!hasCorpus) return [];
  return readdirSync(BACKEND + sub)
    .sort()
    .filter((d) => existsSync(`${BACKEND}${sub}/${d}/model.onnx`))
    .map((d) => {
      const dir = `${BACKEND}${sub}/${d}`;
      return {
        name: `${sub}/${d}`,
        model: () => decodeModelProto(new Uint8Array(readFileSync(`${dir}/model.onnx`))),
        expected: (i: number) => `${dir}/test_data_set_0/output_${i}.pb`,
        input: (i: number) => {
          const f = `${dir}/test_data_set_0/input_${i}.pb`;
          return existsSync(f) ? f : undefined;
        },
      };
    });
}

function lightCases(): Case[] {
  if (!hasCorpus) return [];
  return readdirSync(`${BACKEND}light`)
    .filter((f) => f.endsWith('.onnx'))
    .sort()
    .map((f) => ({
      name: `light/${f}`,
      model: () => decodeModelProto(new Uint8Array(readFileSync(`${BACKEND}light/${f}`))),
      expected: (i: number) => `${BACKEND}light/${f.replace('.onnx', `_output_${i}.pb`)}`,
      input: () => undefined,
    }));
}

const pct = (a: number, b: number): string => `${((100 * a) / Math.max(b, 1)).toFixed(1)}%`;
const report = (label: string, t: Tally): string => {
  const total = t.outputs.agree + t.outputs.partial + t.outputs.unknown + t.outputs.wrong;
  return `${label}: ${t.supportedModels} models with supported ops, ${total} outputs — agree ${t.outputs.agree} (${pct(t.outputs.agree, total)}), partial ${t.outputs.partial}, unknown ${t.outputs.unknown}, wrong ${t.outputs.wrong}`;
};

describe(`shape inference vs ONNX backend node tests${note}`, () => {
  const cases = dirCases('node');

  it.skipIf(!hasCorpus)('declared inputs only: never wrong, mostly exact', () => {
    const t = run(cases, false);
    console.log(report('node tests, declared inputs', t));
    expect(t.wrong).toEqual([]);
    expect(t.supportedModels).toBeGreaterThan(1500);
    expect(t.outputs.agree / (t.outputs.agree + t.outputs.partial + t.outputs.unknown)).toBeGreaterThan(0.8);
  });

  it.skipIf(!hasCorpus)('small inputs known: never wrong, exact except data-dependent outputs', () => {
    const t = run(cases, true);
    console.log(report('node tests, small inputs known', t));
    expect(t.wrong).toEqual([]);
    expect(t.outputs.agree / (t.outputs.agree + t.outputs.partial + t.outputs.unknown)).toBeGreaterThan(0.98);
    // What remains is data dependent (NonZero, NonMaxSuppression, Compress, Loop trip counts).
    const dataDependent = /nonzero|nonmaxsuppression|compress|loop|range_.*_expanded/;
    expect(t.notAgreeing.filter((l) => !dataDependent.test(l))).toEqual([]);
  });
});

describe(`shape inference vs other ONNX backend models${note}`, () => {
  it.skipIf(!hasCorpus)('light/* classic networks: every output exact', () => {
    const t = run(lightCases(), false);
    console.log(report('light models', t));
    expect(t.supportedModels).toBe(9);
    expect(t.outputs.agree).toBe(9);
  });

  it.skipIf(!hasCorpus)('simple/*, pytorch-converted/*, pytorch-operator/*: never wrong', () => {
    const t = run([...dirCases('simple'), ...dirCases('pytorch-converted'), ...dirCases('pytorch-operator')], false);
    console.log(report('simple + pytorch-*', t));
    expect(t.wrong).toEqual([]);
    expect(t.outputs.agree).toBeGreaterThan(100);
  });
});
