/**
 * `studio optimize` with real passes, in-process: the shortcut flags, --calib, --exclude, the JSON
 * report's fields (a contract for scripts), and --save-recipe → --recipe replaying to the same bytes.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeModelProto } from '../core/onnx/codec.js';
import { accuracy } from '../core/metrics/fidelity.js';
import { digitsLogits, digitsTestSet, SAMPLES_DIR } from '../test-support/models.js';
import type { CliIo } from './io.js';
import { runCli } from './run.js';

const tmp = mkdtempSync(join(tmpdir(), 'studio-optimize-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const sample = (f: string): string => join(SAMPLES_DIR, f);

async function studio(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { out: (t) => (stdout += `${t}\n`), err: (t) => (stderr += `${t}\n`), cwd: tmp };
  const code = await runCli(argv, io);
  return { code, stdout, stderr };
}

interface JsonReport {
  passes: Array<{ pass: string; report: string; changedNodes: number; skippedNodes: number; decisions: Array<{ node: string; decision: string }>; calibration?: { samples: number } }>;
  inputBytes: number;
  outputBytes: number;
  quantizedNodes: number;
  skippedNodes: number;
  seconds: number;
}

const digitsAccuracy = async (path: string): Promise<number> => accuracy(await digitsLogits(new Uint8Array(readFileSync(path))), 10, digitsTestSet().y).accuracy;

describe('studio optimize with passes', () => {
  it('--help lists every registered pass with its options and defaults', async () => {
    const r = await studio('optimize', '--help');
    expect(r.code).toBe(0);
    for (const id of ['fp16', 'fp16-weights', 'to-fp32', 'int8-static', 'int8-dynamic', 'weight-only', 'prune-channels', 'prune-magnitude', 'prune-nm']) expect(r.stdout).toMatch(new RegExp(`^  ${id} +\\S`, 'm'));
    expect(r.stdout).toMatch(/placement=speed \(speed\|all\|measure\)/);
  });

  it.each([
    ['--fp16', 'fp16', 0.55],
    ['--fp16-weights', 'fp16-weights', 0.6],
    ['--int8-dynamic', 'int8-dynamic', 0.35],
    ['--int4', 'weight-only', 0.3],
  ])('%s on the digits MLP: smaller, runs, accuracy kept (JSON report fields)', async (flag, pass, maxRatio) => {
    const out = join(tmp, `mlp${flag}.onnx`);
    const r = await studio('optimize', sample('digits_mlp.onnx'), '-o', out, flag, '--json');
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as JsonReport;
    expect(report.passes.map((p) => p.pass)).toEqual([pass]);
    expect(report.quantizedNodes).toBeGreaterThan(0);
    expect(report.outputBytes).toBe(readFileSync(out).byteLength);
    expect(report.outputBytes / report.inputBytes).toBeLessThan(maxRatio);
    expect(typeof report.seconds).toBe('number');
    expect(await digitsAccuracy(out)).toBeGreaterThan((await digitsAccuracy(sample('digits_mlp.onnx'))) - 0.02);
  });

  it('--int8-static --calib uses the shipped calibration set; --exclude and --save-recipe/--recipe replay', async () => {
    const out = join(tmp, 'cnn.int8.onnx');
    const recipe = join(tmp, 'cnn.recipe.json');
    const r = await studio('optimize', sample('digits_cnn.onnx'), '-o', out, '--int8-static', '--calib', sample('digits_calib.npz'), '--pass', 'fp16-weights', '--exclude', 'nothing-called-this', '--save-recipe', recipe, '--json');
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as JsonReport;
    expect(report.passes.map((p) => p.pass)).toEqual(['int8-static', 'fp16-weights']);
    expect(report.passes[0]?.calibration?.samples).toBe(128);
    expect(report.passes[0]?.decisions.length).toBeGreaterThan(0);
    const saved = JSON.parse(readFileSync(recipe, 'utf8')) as { format: string; steps: Array<{ pass: string; options: Record<string, unknown> }> };
    expect(saved.format).toBe('onnx-studio-recipe');
    expect(saved.steps[0]?.options.nodesToExclude).toBe('nothing-called-this');
    const again = join(tmp, 'cnn.replayed.onnx');
    const replay = await studio('optimize', sample('digits_cnn.onnx'), '-o', again, '--recipe', recipe, '--calib', sample('digits_calib.npz'));
    expect(replay.code, replay.stderr).toBe(0);
    expect(Buffer.compare(readFileSync(out), readFileSync(again))).toBe(0);
    expect(await digitsAccuracy(out)).toBeGreaterThan((await digitsAccuracy(sample('digits_cnn.onnx'))) - 0.01);
  });

  it('placement=all quantizes the digits CNN: a third of the size, accuracy within 1 point', async () => {
    const out = join(tmp, 'cnn.all.onnx');
    const r = await studio('optimize', sample('digits_cnn.onnx'), '-o', out, '--pass', 'int8-static:placement=all', '--calib', sample('digits_calib.npz'), '--json');
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as JsonReport;
    expect(report.quantizedNodes).toBeGreaterThan(0);
    expect(report.outputBytes / report.inputBytes).toBeLessThan(0.4);
    const ops = new Set((decodeModelProto(readFileSync(out)).graph?.node ?? []).map((n) => n.opType));
    expect(ops.has('QuantizeLinear') && ops.has('DequantizeLinear')).toBe(true);
    expect(await digitsAccuracy(out)).toBeGreaterThan((await digitsAccuracy(sample('digits_cnn.onnx'))) - 0.01);
  });

  it('--prune-magnitude then --int8-dynamic in one run: pruned first, the recipe keeps that order', async () => {
    const out = join(tmp, 'mlp.pruned.onnx');
    const r = await studio('optimize', sample('digits_mlp.onnx'), '-o', out, '--int8-dynamic', '--prune-magnitude', '0.3', '--json');
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as JsonReport & { passes: Array<{ warnings: string[] }> };
    expect(report.passes.map((p) => p.pass)).toEqual(['prune-magnitude', 'int8-dynamic']);
    expect(report.passes[0]?.warnings.join(' ')).toMatch(/not faster/i);
    expect(await digitsAccuracy(out)).toBeGreaterThan((await digitsAccuracy(sample('digits_mlp.onnx'))) - 0.03);
    const nm = await studio('optimize', sample('digits_mlp.onnx'), '-o', join(tmp, 'mlp.24.onnx'), '--prune-nm', '2:4');
    expect(nm.code, nm.stderr).toBe(0);
    expect((await studio('optimize', sample('digits_mlp.onnx'), '-o', join(tmp, 'x.onnx'), '--prune-nm', 'half')).stderr).toMatch(/--prune-nm wants N:M/);
  });

  it('--prune-channels 0.3 on the digits CNN: fewer parameters, smaller file, still runs; --importance checked', async () => {
    const out = join(tmp, 'cnn.channels.onnx');
    const r = await studio('optimize', sample('digits_cnn.onnx'), '-o', out, '--prune-channels', '0.3', '--importance', 'l2', '--json');
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout) as JsonReport;
    expect(report.passes[0]?.pass).toBe('prune-channels');
    expect(report.quantizedNodes).toBeGreaterThan(0);
    expect(report.outputBytes).toBeLessThan(report.inputBytes * 0.7);
    const logits = await digitsLogits(new Uint8Array(readFileSync(out)));
    expect(logits.length).toBe(360 * 10);
    expect(logits.every((x) => Number.isFinite(x))).toBe(true);
    expect((await studio('optimize', sample('digits_cnn.onnx'), '-o', join(tmp, 'x.onnx'), '--prune-channels', '0.3', '--importance', 'l3')).code).toBe(2);
  });

  it('--to-fp32 restores a float16 model to float32', async () => {
    const half = join(tmp, 'mlp.half.onnx');
    expect((await studio('optimize', sample('digits_mlp.onnx'), '-o', half, '--pass', 'fp16:keepIoTypes=false')).code).toBe(0);
    const back = join(tmp, 'mlp.back.onnx');
    const r = await studio('optimize', half, '-o', back, '--to-fp32');
    expect(r.code, r.stderr).toBe(0);
    const m = decodeModelProto(readFileSync(back));
    expect(m.graph?.input?.[0]?.type?.tensorType?.elemType).toBe(1);
    expect((m.graph?.initializer ?? []).every((t) => t.dataType !== 10)).toBe(true);
  });

  it.each([
    [['--int8-static', '--calib', 'missing.npz'], 1, /missing\.npz: Cannot use the calibration data/],
    [['--fp16', '--calib', 'x.npz'], 2, /--calib is only used by passes that calibrate/],
    [['--pass', 'int8-static:placement=fastest', '--calib', 'random'], 2, /option placement of pass int8-static must be one of/],
  ])('bad options %j → exit %i with one line', async (extra, code, says) => {
    const r = await studio('optimize', sample('digits_cnn.onnx'), '-o', join(tmp, 'x.onnx'), ...extra);
    expect(r.code).toBe(code);
    expect(r.stderr).toMatch(says);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});
