/**
 * Recognising text that was dropped instead of a model: a Git LFS pointer (a repository cloned
 * without `git lfs`), a saved web page (a "blob" page instead of the raw file), JSON (a TensorFlow.js
 * model.json, a Hugging Face config.json, a Keras config), or any other text.
 */

/** How much of the start we look at: enough to classify, cheap on a 1 GB file. */
const HEAD = 4096;

/**
 * True when the first bytes are UTF-8 text: no control characters but tab/newline/CR/form feed, and
 * valid UTF-8 (a multi-byte character cut at the window's end is allowed).
 */
export function looksLikeText(bytes: Uint8Array): boolean {
  let head = bytes.subarray(0, HEAD);
  for (const b of head) {
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c) return false;
    if (b === 0x7f) return false;
  }
  if (bytes.byteLength > HEAD) {
    // Drop a partial UTF-8 sequence at the cut: back up over continuation bytes to its lead byte.
    let cut = head.byteLength;
    while (cut > head.byteLength - 4 && cut > 0 && ((head[cut - 1] as number) & 0xc0) === 0x80) cut--;
    if (cut > 0 && (head[cut - 1] as number) >= 0xc0) cut--;
    head = head.subarray(0, cut);
  }
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(head);
    return true;
  } catch {
    return false;
  }
}

export type TextKind =
  | { readonly kind: 'git-lfs-pointer'; readonly size?: number }
  | { readonly kind: 'html' }
  | { readonly kind: 'tfjs' }
  | { readonly kind: 'hf-config' }
  | { readonly kind: 'json' }
  | { readonly kind: 'text'; readonly preview: string };

/** JSON documents are parsed whole only up to this size; larger ones are classified by their start. */
const MAX_JSON_PARSE = 16 * 1024 * 1024;

export function classifyText(bytes: Uint8Array): TextKind {
  const head = new TextDecoder().decode(bytes.subarray(0, HEAD)).replace(/^\uFEFF/, '');
  if (head.startsWith('version https://git-lfs.github.com/spec/')) {
    const size = /^size (\d+)$/m.exec(head)?.[1];
    return size === undefined ? { kind: 'git-lfs-pointer' } : { kind: 'git-lfs-pointer', size: Number(size) };
  }
  const trimmed = head.trimStart();
  if (/^<(!doctype html|html|head|body)[\s>]/i.test(trimmed)) return { kind: 'html' };
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    const keys = jsonTopKeys(bytes, head);
    if (keys.has('modelTopology') && keys.has('weightsManifest')) return { kind: 'tfjs' };
    if (keys.has('architectures') || keys.has('model_type')) return { kind: 'hf-config' };
    return { kind: 'json' };
  }
  const firstLine = trimmed.split(/\r?\n/, 1)[0] ?? '';
  return { kind: 'text', preview: firstLine.length > 60 ? `${firstLine.slice(0, 57)}…` : firstLine };
}

/** Top-level keys of a JSON object: parsed when small enough, else found by a quoted-key scan of the start. */
function jsonTopKeys(bytes: Uint8Array, head: string): Set<string> {
  if (bytes.byteLength <= MAX_JSON_PARSE) {
    try {
      const doc: unknown = JSON.parse(new TextDecoder().decode(bytes));
      if (doc !== null && typeof doc === 'object' && !Array.isArray(doc)) return new Set(Object.keys(doc));
      return new Set();
    } catch {
      // Not valid JSON (cut off?): fall through to the scan.
    }
  }
  return new Set([...head.matchAll(/"([A-Za-z_]+)"\s*:/g)].map((m) => m[1] as string));
}
