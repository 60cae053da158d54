/**
 * Sample data as JSON, in three layouts:
 *   { "x": [[...], ...], "y": [...], "shape"?: [1,8,8] }   the samples' own layout (digits_test.json):
 *                                                          rows (flat or nested), optional labels and
 *                                                          the per-sample shape the rows reshape to
 *   { "<inputName>": [...], ..., "y"?: [...] }            one array per model input
 *   [ sample, sample, ... ]                               a bare array: one input's samples
 * Other keys holding strings or numbers ("source", "scale") are descriptions and are skipped.
 * Numbers are read as float64 (exact for any JSON number a model input takes); the binder casts them
 * to the model's type.
 */
import type { Result } from '../errors.js';
import { err, ok } from '../errors.js';
import type { AssembleOptions } from './assemble.js';
import { assembleDataset, LABEL_NAME } from './assemble.js';
import { elementCount, formatDims } from './sample-array.js';
import type { Dataset, SampleTensor } from './types.js';

/** Shape of a nested array (following first elements), checked for being rectangular while flattening. */
function nestedShape(value: unknown): number[] {
  const dims: number[] = [];
  let v = value;
  while (Array.isArray(v)) {
    dims.push(v.length);
    if (v.length === 0) break;
    v = v[0];
  }
  return dims;
}

function flatten(value: unknown[], dims: readonly number[], name: string): Result<Float64Array, string> {
  const out = new Float64Array(elementCount(dims));
  let at = 0;
  const walk = (v: unknown, depth: number, path: string): string | undefined => {
    if (depth === dims.length) {
      if (typeof v === 'number') out[at++] = v;
      else if (typeof v === 'boolean') out[at++] = v ? 1 : 0;
      else return `'${name}'${path} is ${v === null ? 'null' : typeof v}, not a number`;
      return undefined;
    }
    if (!Array.isArray(v)) return `'${name}'${path} is a number where a list was expected (samples of shape ${formatDims(dims.slice(1))})`;
    if (v.length !== dims[depth]) return `'${name}'${path} has ${v.length} entries where ${dims[depth] ?? 0} were expected: the nested lists are not rectangular`;
    for (let i = 0; i < v.length; i++) {
      const problem = walk(v[i], depth + 1, `${path}[${i}]`);
      if (problem) return problem;
    }
    return undefined;
  };
  const problem = walk(value, 0, '');
  return problem ? err(problem) : ok(out);
}

function toTensor(value: unknown[], name: string): Result<SampleTensor, string> {
  const dims = nestedShape(value);
  if (dims[0] === 0) return err(`'${name}' is an empty list; it needs at least one sample`);
  const flat = flatten(value, dims, name);
  if (!flat.ok) return flat;
  return ok({ dtype: 'float64', dims, data: flat.value });
}

function reshapeRows(t: SampleTensor, shape: unknown, name: string): Result<SampleTensor, string> {
  if (!Array.isArray(shape) || !shape.every((d) => Number.isInteger(d) && (d as number) > 0)) {
    return err(`"shape" must be a list of positive sizes of one sample, e.g. [1,8,8]; got ${JSON.stringify(shape)}`);
  }
  const sample = shape as number[];
  const count = t.dims[0] ?? 0;
  const per = elementCount(t.dims.slice(1));
  if (per !== elementCount(sample)) {
    return err(`"shape" ${formatDims(sample)} has ${elementCount(sample)} values per sample but '${name}' has rows of ${per}`);
  }
  return ok({ ...t, dims: [count, ...sample] });
}

export function readJsonDataset(bytes: Uint8Array, source: string, options: AssembleOptions = {}): Result<Dataset, string> {
  let doc: unknown;
  try {
    doc = JSON.parse(new TextDecoder().decode(bytes));
  } catch (e) {
    return err(`${source} is not valid JSON (${e instanceof Error ? e.message : String(e)})`);
  }
  const named = new Map<string, SampleTensor>();
  if (Array.isArray(doc)) {
    const t = toTensor(doc, 'x');
    if (!t.ok) return err(`${source}: ${t.error}`);
    named.set('x', t.value);
    return assembleDataset(source, named, options);
  }
  if (typeof doc !== 'object' || doc === null) {
    return err(`${source} holds a ${typeof doc}; sample data is a list of samples or an object like { "x": [[...]], "y": [...] }`);
  }
  const entries = Object.entries(doc as Record<string, unknown>);
  const shape = (doc as Record<string, unknown>).shape;
  for (const [key, value] of entries) {
    if (key === 'shape' || !Array.isArray(value)) continue;
    const t = toTensor(value, key);
    if (!t.ok) return err(`${source}: ${t.error}`);
    named.set(key, t.value);
  }
  const inputs = [...named.keys()].filter((k) => k !== LABEL_NAME || (options.inputNames ?? []).includes(LABEL_NAME));
  if (shape !== undefined) {
    // "shape" is the per-sample shape of the one sample array (the digits_test.json layout).
    if (inputs.length !== 1) {
      return err(`${source}: "shape" describes one array's samples, but there are ${inputs.length} arrays (${inputs.join(', ')}); give each array nested lists instead`);
    }
    const name = inputs[0] as string;
    const reshaped = reshapeRows(named.get(name) as SampleTensor, shape, name);
    if (!reshaped.ok) return err(`${source}: ${reshaped.error}`);
    named.set(name, reshaped.value);
  }
  if (named.size === 0) {
    return err(`${source} has no lists of samples; write { "x": [[...], ...], "y": [...] } or { "<input name>": [...] }`);
  }
  return assembleDataset(source, named, options);
}
