/** Shared helpers for the e2e tests: corpus paths, synthetic bad files, and dropping files on the page. */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, resolve, basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from '@playwright/test';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const CORPUS = resolve(repoRoot, '../shared/corpus');
export const hasCorpus = existsSync(CORPUS);
export const corpusMissing = `The test corpus is not at ${CORPUS} (it ships beside the repo as ../shared/corpus).`;

export function corpusFile(rel: string): string {
  return resolve(CORPUS, rel);
}

export interface FilePayload {
  readonly name: string;
  readonly mimeType: string;
  readonly buffer: Buffer;
}

export function payload(name: string, bytes: Uint8Array | Buffer): FilePayload {
  return { name, mimeType: 'application/octet-stream', buffer: Buffer.from(bytes) };
}

export function fromDisk(path: string, name = basename(path)): FilePayload {
  return payload(name, readFileSync(path));
}

/** Drops files on the page the way a user's drag-and-drop does (dragenter, dragover, drop with a DataTransfer). */
export async function dropFiles(page: Page, files: readonly FilePayload[]): Promise<void> {
  const encoded = files.map((f) => ({ name: f.name, b64: f.buffer.toString('base64') }));
  const dataTransfer = await page.evaluateHandle((list) => {
    const dt = new DataTransfer();
    for (const f of list) {
      const bin = atob(f.b64);
      const bytes = new Uint8Array(bin.length);
      for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
      dt.items.add(new File([bytes], f.name));
    }
    return dt;
  }, encoded);
  await page.dispatchEvent('body', 'dragenter', { dataTransfer });
  await page.dispatchEvent('body', 'dragover', { dataTransfer });
  await page.dispatchEvent('body', 'drop', { dataTransfer });
}
