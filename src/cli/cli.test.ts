import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { forEachTensor } from '../core/format/external-data.js';
import { externalize, HDF5_HEADER, LFS_POINTER, PICKLE_V2, safetensorsFile, seededBytes, tfGraphDef, tfSavedModel, torchZip } from '../core/format/test-fixtures.js';
import { decodeModelProto, encodeModelProto, toNumber } from '../core/onnx/codec.js';
import type { onnx } from '../core/onnx/codec.js';
import { messageDiffs } from '../core/onnx/roundtrip-equal.js';
import { tensorBytes } from '../core/onnx/tensor.js';
import type { PassRegistry } from './passes.js';
import type { PassDefinition } from '../core/transform/types.js';
import { parsePassArg, parseRecipe, resolveSteps } from './passes.js';
import { runOptimize } from './commands/optimize.js';
import type { CliIo } from './io.js';
import { runCli, studioVersion } from './run.js';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const CORPUS = join(REPO, '../shared/corpus/');
const hasCorpus = existsSync(CORPUS);
const corpusNote = hasCorpus ? '' : ` — SKIPPED: the test corpus is not at ${CORPUS}`;
const model = (name: string): string => join(CORPUS, 'models', name);

const tmp = mkdtempSync(join(tmpdir(), 'studio-cli-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const tmpFile = (name: string, bytes: Uint8Array | string): string => {
  const path = join(tmp, name);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, bytes);
  return path;
};

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CLI in-process with captured streams. */
async function studio(...argv: string[]): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const io: CliIo = { out: (t) => (stdout += `${t}\n`), err: (t) => (stderr += `${t}\n`), cwd: REPO };
  const code = await runCli(argv, io);
  return { code, stdout, stderr };
}

function must<T>(v: T | null | undefined, what = 'a value'): T {
  if (v === null || v === undefined) throw new Error(`expected ${what}`);
  return v;
}

const sameBytes = (a: Uint8Array, b: Uint8Array): boolean => Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));

function allTensorBytes(p: onnx.IModelProto, external?: ReadonlyMap<string, Uint8Array>): Uint8Array[] {
  const out: Uint8Array[] = [];
  forEachTensor(p, (t) => out.push(tensorBytes(t, external) ?? new Uint8Array(0)));
  return out;
}

describe('command line', () => {
  it('--help and --version go to stdout with exit 0', async () => {
    const help = await studio('--help');
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: npm run studio -- <command>/);
    expect((await studio('inspect', '--help')).stdout).toMatch(/^Usage: npm run studio -- inspect MODEL\.onnx/);
    expect((await studio('optimize', '-h')).stdout).toMatch(/--pass ID\[:k=v,\.\.\.\]/);
    const version = await studio('--version');
    expect(version).toEqual({ code: 0, stdout: `${JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')).version}\n`, stderr: '' });
    expect(studioVersion()).toMatch(/^\d+\.\d+\.\d+/);
  });

  it.each([
    [[], /^Usage:/],
    [['frob'], /^studio: unknown command 'frob'\n\nUsage:/],
    [['inspect'], /^studio: inspect needs a MODEL\.onnx \(see: npm run studio -- inspect --help\)\n$/],
    [['inspect', 'a.onnx', 'b.onnx'], /^studio: inspect takes one model, got 2/],
    [['inspect', '--frob', 'a.onnx'], /^studio inspect: Unknown option '--frob'\. \(see: npm run studio -- inspect --help\)\n$/],
    [['optimize', 'a.onnx'], /^studio: optimize needs -o OUT\.onnx/],
    [['optimize', 'a.onnx', '-o', 'b.onnx', '--pass', 'frobnicate:keepIo=true'], /^studio: unknown pass 'frobnicate' \(available: /],
    [['optimize', 'a.onnx', '-o', 'b.onnx', '--int8-static'], /^studio: int8-static needs calibration data: --calib FILE/],
    [['optimize', 'a.onnx', '-o', 'b.onnx', '--block-size', '32'], /^studio: --block-size goes with --int4/],
    [['optimize', 'a.onnx', '-o', 'b.onnx', '--pass', 'fp16:keepIo'], /option 'keepIo' of --pass fp16 is not key=value/],
  ])('usage error %j → exit 2, stderr only', async (argv, says) => {
    const r = await studio(...argv);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(says);
  });
});

describe('passes and recipes', () => {
  const fake: PassDefinition = {
    id: 'rename-graph',
    label: 'Rename the graph',
    category: 'precision',
    summary: 'renames the graph (a test pass)',
    options: {
      name: { kind: 'list', items: 'node-names', label: 'Name', description: 'new name', default: 'renamed' },
      upper: { kind: 'boolean', label: 'Upper case', description: 'upper-case it', default: false },
    },
    estimate: () => ({ weightBytesBefore: 0, weightBytesAfter: 0, nodes: 0 }),
    apply: (m, o) => {
      const name = o.upper ? String(o.name).toUpperCase() : String(o.name);
      const model = { ...m, graph: { ...m.graph, name } };
      const summary = `graph named ${name}`;
      return { ok: true, value: { model, report: { pass: 'rename-graph', summary, changedNodes: 0, skippedNodes: 0, decisions: [], weightBytesBefore: 0, weightBytesAfter: 0, warnings: [] } } };
    },
  };
  const registry: PassRegistry = new Map([[fake.id, fake]]);

  it('parses --pass ID:key=value with typed values', async () => {
    expect(parsePassArg('fp16')).toEqual({ ok: true, value: { pass: 'fp16', options: {} } });
    expect(parsePassArg('quantize:bits=8,symmetric=true,mode=qdq')).toEqual({ ok: true, value: { pass: 'quantize', options: { bits: 8, symmetric: true, mode: 'qdq' } } });
    expect(parsePassArg('8bit').ok).toBe(false);
    // A segment without '=' continues the previous option's list.
    expect(parsePassArg('int8-static:nodesToExclude=conv1,conv2,perChannel=false')).toEqual({ ok: true, value: { pass: 'int8-static', options: { nodesToExclude: 'conv1,conv2', perChannel: false } } });
  });

  it('parses recipes and checks steps against the registry', async () => {
    const recipe = parseRecipe(JSON.stringify({ version: 1, steps: [{ pass: 'rename-graph', options: { name: 'x' } }] }), 'r.json');
    expect(recipe).toEqual({ ok: true, value: [{ pass: 'rename-graph', options: { name: 'x' } }] });
    expect(parseRecipe('{"steps": [{"options": {}}]}', 'r.json')).toEqual({ ok: false, error: 'r.json: step 1 has no "pass" name' });
    expect(parseRecipe('nope', 'r.json').ok).toBe(false);
    expect(resolveSteps([{ pass: 'rename-graph', options: { nmae: 'x' } }], registry)).toEqual({ ok: false, error: "pass rename-graph has no option 'nmae' (options: name, upper)" });
    expect(resolveSteps([{ pass: 'rename-graph', options: { upper: 'yes' } }], registry)).toEqual({ ok: false, error: 'option upper of pass rename-graph must be true or false, got "yes"' });
    expect(resolveSteps([{ pass: 'prune', options: {} }], registry)).toEqual({ ok: false, error: "unknown pass 'prune' (available: rename-graph)" });
  });

  it.skipIf(!hasCorpus)('optimize applies recipe steps, then --pass steps, in order', async () => {
    const recipe = tmpFile('recipe.json', JSON.stringify({ version: 1, steps: [{ pass: 'rename-graph', options: { name: 'first' } }] }));
    const out = join(tmp, 'renamed.onnx');
    let stdout = '';
    const io: CliIo = { out: (t) => (stdout += `${t}\n`), err: () => undefined, cwd: REPO };
    const r = await runOptimize([model('mnist-8_cntk.onnx'), '-o', out, '--recipe', recipe, '--pass', 'rename-graph:name=second,upper=true'], io, registry);
    expect(r).toEqual({ ok: true, value: 0 });
    expect(stdout).toMatch(/^rename-graph: graph named first\nrename-graph: graph named SECOND\nwrote .*renamed\.onnx: [\d,]+ bytes \(input 26,454 bytes = [\d.]+×; 2 passes; [\d.]+ s\)\n$/);
    expect(decodeModelProto(readFileSync(out)).graph?.name).toBe('SECOND');
  });
});

describe.skipIf(!hasCorpus)(`inspect${corpusNote}`, () => {
  it('mnist-8 --json: exactly one JSON object with the known facts', async () => {
    const r = await studio('inspect', model('mnist-8_cntk.onnx'), '--json');
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual({
      irVersion: 3,
      opsets: { 'ai.onnx': 8 },
      producer: { name: 'CNTK', version: '2.5.1' },
      inputs: [{ name: 'Input3', dtype: 'float32', shape: [1, 1, 28, 28] }],
      outputs: [{ name: 'Plus214_Output_0', dtype: 'float32', shape: [1, 10] }],
      nodeCount: 12,
      opHistogram: { Reshape: 2, Conv: 2, Add: 3, Relu: 2, MaxPool: 2, MatMul: 1 },
      // 5,994 float32 weights + 4 int64 shape values.
      parameterCount: 5998,
      weightBytes: 5994 * 4 + 4 * 8,
      fileBytes: 26454,
      // Conv 8×28×28×25 + Conv 16×14×14×200 + MatMul 256×10.
      macs: 156_800 + 627_200 + 2_560,
    });
  });

  const models = hasCorpus ? readdirSync(join(CORPUS, 'models')).filter((f) => f.endsWith('.onnx')) : [];
  it.each(models)('%s --json agrees with the decoded model', async (name) => {
    const bytes = readFileSync(model(name));
    const p = decodeModelProto(bytes);
    const r = await studio('inspect', model(name), '--json');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as Record<string, unknown>;
    let nodes = 0;
    const countNodes = (g: onnx.IGraphProto | null | undefined): void => {
      for (const n of g?.node ?? []) {
        nodes++;
        for (const a of n.attribute ?? []) {
          countNodes(a.g);
          for (const sub of a.graphs ?? []) countNodes(sub);
        }
      }
    };
    countNodes(p.graph);
    expect(report.irVersion).toBe(toNumber(p.irVersion));
    expect(report.fileBytes).toBe(bytes.byteLength);
    expect(report.nodeCount).toBe(nodes);
    expect(Object.values(report.opsets as Record<string, number>).sort()).toEqual(p.opsetImport.map((o) => toNumber(o.version)).sort());
    expect((report.producer as { name: string }).name).toBe(p.producerName);
  });

  it('mnist-8 as a table', async () => {
    const r = await studio('inspect', model('mnist-8_cntk.onnx'));
    expect(r.code).toBe(0);
    const lines = r.stdout.split('\n');
    expect(lines).toContain('IR version  3');
    expect(lines).toContain('opsets      ai.onnx 8');
    expect(lines).toContain('inputs      Input3  float32  [1, 1, 28, 28]');
    expect(lines).toContain('nodes       12');
    expect(lines).toContain('operators   Add 3 · Conv 2 · MaxPool 2 · Relu 2 · Reshape 2 · MatMul 1');
    expect(lines).toContain('parameters  5,998 in 8 tensors, 23.4 KiB');
    expect(lines).toContain('MACs        786.6 K (786,560)');
    expect(lines).toContain('issues      none');
  });
});

describe.skipIf(!hasCorpus)(`bad input: exit 1 and exactly one line on stderr${corpusNote}`, () => {
  const mnist = hasCorpus ? new Uint8Array(readFileSync(model('mnist-8_cntk.onnx'))) : new Uint8Array(0);
  const cases: Array<[string, () => string, RegExp]> = [
    ['a missing file', () => join(tmp, 'nope.onnx'), /nope\.onnx: File not found\. There is no file at this path\. — check the path/],
    ['an empty file', () => tmpFile('empty.onnx', new Uint8Array(0)), /empty\.onnx: The file is empty\./],
    ['a truncated model', () => tmpFile('cut.onnx', mnist.subarray(0, 10_000)), /cut\.onnx: The ONNX file is truncated\. It has 10,000 bytes, but its graph runs to byte 26,448: at least 16,448 bytes are cut off\./],
    ['a PyTorch checkpoint', () => tmpFile('model.pt', torchZip()), /model\.pt: This is a PyTorch checkpoint, not an ONNX model\..*torch\.onnx\.export\(model, example_input, 'model\.onnx', opset_version=17\)$/],
    ['a pickle', () => tmpFile('model.pkl', PICKLE_V2), /This is a Python pickle/],
    ['a TFLite model', () => join(CORPUS, 'tflite/hello_world_int8.tflite'), /This is a TensorFlow Lite model.*--tflite hello_world_int8\.tflite/],
    ['a Keras .h5', () => tmpFile('model.h5', HDF5_HEADER), /This is an HDF5 file \(Keras \.h5\)/],
    ['a GraphDef', () => tmpFile('frozen.pb', tfGraphDef()), /This is a TensorFlow GraphDef/],
    ['a SavedModel folder', () => (tmpFile('sm/saved_model.pb', tfSavedModel()), join(tmp, 'sm')), /sm: This is a TensorFlow SavedModel folder.*--saved-model .*sm --output model\.onnx/],
    ['safetensors', () => tmpFile('model.safetensors', safetensorsFile()), /safetensors file.*weights only/],
    ['a Git LFS pointer', () => tmpFile('lfs.onnx', LFS_POINTER), /Git LFS pointer/],
    ['random bytes', () => tmpFile('random.onnx', seededBytes(5000, 9)), /random\.onnx: This is not an ONNX model\. Its first bytes \([0-9a-f ]+\) match no model format/],
  ];
  it.each(cases)('%s', async (_label, make, says) => {
    const path = make();
    for (const argv of [['inspect', path], ['inspect', path, '--json'], ['optimize', path, '-o', join(tmp, 'out.onnx')]]) {
      const r = await studio(...argv);
      expect(r.code, argv.join(' ')).toBe(1);
      expect(r.stdout).toBe('');
      expect(r.stderr.split('\n')).toHaveLength(2); // one line and its newline
      expect(r.stderr.trimEnd()).toMatch(says);
    }
  });
});

describe.skipIf(!hasCorpus)(`external data on disk${corpusNote}`, () => {
  const original = hasCorpus ? new Uint8Array(readFileSync(model('silero_vad_legacy.onnx'))) : new Uint8Array(0);

  function write(dir: string, location: string): { modelPath: string; data: Uint8Array } {
    const ext = externalize(decodeModelProto(original), { location, minBytes: 64 });
    const modelPath = tmpFile(`${dir}/model.onnx`, encodeModelProto(ext.proto));
    return { modelPath, data: ext.data };
  }

  it('finds data next to the model by its location (sub-folder included), else names what is missing', async () => {
    const { modelPath, data } = write('ext1', 'weights/silero.data');
    const missing = await studio('inspect', modelPath, '--json');
    expect(missing.code).toBe(1);
    expect(missing.stderr.trimEnd()).toMatch(
      /model\.onnx: The model's weights are in a separate file that was not selected\. Missing weights\/silero\.data \(needed by \d+ tensors: .* and \d+ more\)\. — put the data files next to the model under those names, or pass each with --data FILE$/,
    );
    tmpFile('ext1/weights/silero.data', data);
    const found = await studio('inspect', modelPath, '--json');
    expect(found.code).toBe(0);
    const direct = JSON.parse((await studio('inspect', model('silero_vad_legacy.onnx'), '--json')).stdout) as Record<string, unknown>;
    expect({ ...(JSON.parse(found.stdout) as Record<string, unknown>), fileBytes: 0 }).toEqual({ ...direct, fileBytes: 0 });
  });

  it('does not follow locations out of the model folder, but takes them with --data', async () => {
    const { modelPath, data } = write('ext2', '../outside.data');
    const outside = tmpFile('outside.data', data);
    expect((await studio('inspect', modelPath)).code).toBe(1);
    expect((await studio('inspect', modelPath, '--data', outside)).code).toBe(0);
  });

  it('a truncated data file is named', async () => {
    const { modelPath, data } = write('ext3', 'silero.data');
    tmpFile('ext3/silero.data', data.subarray(0, data.byteLength - 1));
    const r = await studio('inspect', modelPath);
    expect(r.code).toBe(1);
    expect(r.stderr.trimEnd()).toMatch(/^silero\.data: An external data file is truncated\. silero\.data has [\d,]+ bytes, but the model reads up to byte [\d,]+ of it \(tensor \S+\): the end is cut off\./);
  });

  it('optimize inlines external data into one self-contained file', async () => {
    const { modelPath, data } = write('ext4', 'silero.data');
    tmpFile('ext4/silero.data', data);
    const out = join(tmp, 'ext4-inlined.onnx');
    const r = await studio('optimize', modelPath, '-o', out);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/; \d+ external tensors inlined; [\d.]+ s\)\n$/);
    const written = decodeModelProto(readFileSync(out));
    const before = allTensorBytes(decodeModelProto(original));
    const after = allTensorBytes(written);
    expect(after.length).toBe(before.length);
    expect(after.every((b, i) => sameBytes(b, must(before[i])))).toBe(true);
    forEachTensor(written, (t) => expect(t.dataLocation ?? 0).toBe(0));
  });
});

describe.skipIf(!hasCorpus)(`optimize without passes is a faithful round trip${corpusNote}`, () => {
  const models = hasCorpus ? readdirSync(join(CORPUS, 'models')).filter((f) => f.endsWith('.onnx')) : [];
  it.each(models)('%s', async (name) => {
    const out = join(tmp, `rt-${name}`);
    const r = await studio('optimize', model(name), '-o', out, '--json');
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout) as { outputBytes: number; passes: unknown[] };
    expect(report.passes).toEqual([]);
    const input = readFileSync(model(name));
    const output = readFileSync(out);
    expect(report.outputBytes).toBe(output.byteLength);
    expect(messageDiffs(decodeModelProto(input), decodeModelProto(output))).toEqual([]);
  });
});

describe.skipIf(!hasCorpus)(`the real process${corpusNote}`, () => {
  const run = async (...argv: string[]): Promise<Run> => {
    try {
      const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', ...argv], { cwd: REPO });
      return { code: 0, stdout, stderr };
    } catch (e) {
      const x = e as { code?: number; stdout?: string; stderr?: string };
      return { code: x.code ?? -1, stdout: x.stdout ?? '', stderr: x.stderr ?? '' };
    }
  };

  it('exit codes, stdout and stderr as promised (spawned with node --import tsx)', async () => {
    const pt = tmpFile('spawn.pt', torchZip());
    // Three processes (each pays tsx's start-up); everything else is tested in-process above.
    const [json, bad, usage] = await Promise.all([run('inspect', model('mnist-8_cntk.onnx'), '--json'), run('inspect', pt), run('frobnicate')]);
    expect(json.code).toBe(0);
    expect(json.stderr).toBe('');
    expect((JSON.parse(json.stdout) as { nodeCount: number }).nodeCount).toBe(12);

    expect(bad.code).toBe(1);
    expect(bad.stdout).toBe('');
    expect(bad.stderr.split('\n')).toHaveLength(2); // one line, no stack trace
    expect(bad.stderr).toMatch(/This is a PyTorch checkpoint, not an ONNX model/);
    expect(usage.code).toBe(2);
    expect(usage.stdout).toBe('');
    expect(usage.stderr).toMatch(/unknown command 'frobnicate'[\s\S]*Usage:/);
  });
});
