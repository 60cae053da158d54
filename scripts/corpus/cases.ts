/**
 * The conformance corpus as a list of cases (shared/corpus/README.md). It is read in place from
 * ../shared/corpus relative to the repository root, never copied into the repo.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
export const CORPUS_ROOT = resolve(REPO_ROOT, '../shared/corpus');
export const BACKEND_TESTS = join(CORPUS_ROOT, 'onnx-backend-tests');
export const MODELS_DIR = join(CORPUS_ROOT, 'models');

export const SUITES = ['node', 'simple', 'light', 'pytorch-converted', 'pytorch-operator', 'models'] as const;
export type Suite = (typeof SUITES)[number];

export interface CorpusCase {
  readonly suite: Suite;
  readonly name: string;
  readonly model: string;
  /** input_N.pb files in order (backend tests); empty for generated inputs. */
  readonly inputs: readonly string[];
  /** output_N.pb files in order; empty when outputs are compared original-vs-re-encoded. */
  readonly outputs: readonly string[];
  /**
   * 'expected': compare with the stored outputs. 'self': no stored inputs, so feed generated ones and
   * compare the re-encoded model's outputs with the original's.
   */
  readonly mode: 'expected' | 'self';
  /** Big graphs (light/, models/): longer timeout, own child process (WASM memory never shrinks). */
  readonly heavy: boolean;
}

/** Why the corpus is missing, or undefined when it is there. */
export function corpusMissing(): string | undefined {
  if (existsSync(BACKEND_TESTS) && existsSync(MODELS_DIR)) return undefined;
  return `the test corpus is not at ${CORPUS_ROOT} (expected ../shared/corpus next to the repository; see shared/corpus/README.md)`;
}

function numbered(dir: string, prefix: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.startsWith(prefix) && f.endsWith('.pb'))
    .sort((a, b) => Number(a.slice(prefix.length, -3)) - Number(b.slice(prefix.length, -3)))
    .map((f) => join(dir, f));
}

function backendSuite(suite: Suite): CorpusCase[] {
  const dir = join(BACKEND_TESTS, suite);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .sort()
    .filter((name) => existsSync(join(dir, name, 'model.onnx')))
    .map((name) => {
      const data = join(dir, name, 'test_data_set_0');
      return {
        suite, name, model: join(dir, name, 'model.onnx'),
        inputs: numbered(data, 'input_'), outputs: numbered(data, 'output_'),
        mode: 'expected' as const, heavy: false,
      };
    });
}

function modelFiles(suite: Suite, dir: string): CorpusCase[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith('.onnx'))
    .sort()
    .map((f) => ({ suite, name: f.replace(/\.onnx$/, ''), model: join(dir, f), inputs: [], outputs: [], mode: 'self' as const, heavy: true }));
}

export function listCases(suites: readonly Suite[] = SUITES): CorpusCase[] {
  const out: CorpusCase[] = [];
  for (const s of suites) {
    if (s === 'light') out.push(...modelFiles('light', join(BACKEND_TESTS, 'light')));
    else if (s === 'models') out.push(...modelFiles('models', MODELS_DIR));
    else out.push(...backendSuite(s));
  }
  return out;
}
