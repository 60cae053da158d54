/**
 * onnxruntime-web reports failures as strings shaped by several layers: the JS wrapper ("Can't create
 * a session. ERROR_CODE: 9, ERROR_MESSAGE: …", "failed to call OrtRun(). …"), ORT's C++ status
 * ("[ONNXRuntimeError] : 1 : FAIL : …", "onnxruntime/core/…/file.cc:123 Fn …"), and emscripten
 * aborts. We strip that noise, keep what a user can act on (the operator, its opset, the types), and
 * sort the failure into a kind so that reports can count and explain them.
 */

export type RuntimeFailureKind =
  /** The operator exists but the WASM CPU provider has no kernel for this opset/type combination. */
  | 'no-kernel'
  /** ORT does not know the operator at all (unknown domain/op, or a training/preview op). */
  | 'unknown-op'
  /** A tensor element type that onnxruntime-web cannot pass across its JS API (bfloat16, float8, …). */
  | 'unsupported-type'
  /** The model's IR version or opset is newer than this ORT build supports. */
  | 'unsupported-version'
  /** ORT's type/shape inference or graph checks rejected the model. */
  | 'invalid-model'
  /** WASM memory exhausted (32-bit WASM: 4 GiB cap) or a model buffer over ORT's 2 GB limit. */
  | 'out-of-memory'
  /** A kernel failed while running (bad input shape, index out of range, …). */
  | 'run-failed'
  | 'other';

export interface RuntimeFailure {
  readonly kind: RuntimeFailureKind;
  /** Where it failed. */
  readonly phase: 'create' | 'run';
  /** One readable line: what failed, on which operator. */
  readonly message: string;
  /** The operator involved when ORT names it, e.g. "BitShift". */
  readonly op?: string;
  /** The opset version ORT resolved for that operator, when it says. */
  readonly opset?: number;
  /** ORT's message without terminal colour codes, for "details" views and bug reports. */
  readonly detail: string;
}

// Emscripten/ORT log lines are coloured for terminals.
// eslint-disable-next-line no-control-regex
const ANSI = /\u001b\[[0-9;]*m/g;

const DTYPE_NAMES: Readonly<Record<number, string>> = {
  1: 'float32', 2: 'uint8', 3: 'int8', 4: 'uint16', 5: 'int16', 6: 'int32', 7: 'int64', 8: 'string', 9: 'bool',
  10: 'float16', 11: 'float64', 12: 'uint32', 13: 'uint64', 14: 'complex64', 15: 'complex128', 16: 'bfloat16',
  17: 'float8e4m3fn', 18: 'float8e4m3fnuz', 19: 'float8e5m2', 20: 'float8e5m2fnuz', 21: 'uint4', 22: 'int4',
  23: 'float4e2m1', 24: 'float8e8m0', 25: 'uint2', 26: 'int2',
};

function rawMessage(e: unknown): string {
  if (e instanceof Error) return e.message;
  if (typeof e === 'string') return e;
  if (typeof e === 'number') return `WASM abort (code ${e})`;
  try {
    return JSON.stringify(e);
  } catch {
    return String(e);
  }
}

/** Removes the JS wrapper's prefix, ORT's status prefix and source locations; keeps the first sentence block. */
export function stripOrtNoise(message: string): string {
  let m = message.replace(ANSI, '');
  // Log lines ORT appended after the message (warnings printed to the same stream).
  m = m.split(/\n?\s*\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d+ \[[A-Z]:onnxruntime/)[0] ?? m;
  m = m.replace(/^Error:\s*/, '');
  m = m.replace(/^Can't create a session\.\s*/, '');
  m = m.replace(/^failed to call Ort\w+\(\)\.\s*/, '');
  m = m.replace(/ERROR_CODE: \d+, ERROR_MESSAGE:\s*/, '');
  m = m.replace(/\[ONNXRuntimeError\]\s*:\s*\d+\s*:\s*\w+\s*:\s*/g, '');
  m = m.replace(/^Fatal error:\s*/, '');
  m = m.replace(/^Non-zero status code returned while running /, 'while running ');
  // "/onnxruntime_src/onnxruntime/core/providers/cpu/foo.cc:123 FunctionName(args) " → ""
  m = m.replace(/\S*onnxruntime\S*\.(?:cc|h|cpp):\d+\s+(?:[^\s(]+\([^)]*\)\s*(?:const\s*)?)?/g, '');
  // WASM builds prefix the C++ function instead: "virtual Status onnxruntime::ConvInteger::Compute(OpKernelContext *) const "
  m = m.replace(/(?:(?:virtual|static|inline)\s+)?(?:[\w:<>]+[*&]?\s+)?onnxruntime::[\w:~<>]+\([^()]*\)\s*(?:const\b\s*)?/g, '');
  return m.trim();
}

function firstLine(s: string): string {
  const line = s.split('\n')[0] ?? s;
  return line.length > 300 ? `${line.slice(0, 297)}…` : line;
}

/** Turns anything ORT threw into a RuntimeFailure with a readable one-line message. */
export function describeOrtError(e: unknown, phase: 'create' | 'run'): RuntimeFailure {
  const detail = rawMessage(e).replace(ANSI, '').trim();
  const clean = stripOrtNoise(detail);
  const base = { phase, detail };

  let m = /Could not find an implementation for ([\w.]+)\((\d+)\) node with name '([^']*)'/.exec(clean);
  if (m) {
    const [, op = '', ver = '0', node = ''] = m;
    return {
      ...base, kind: 'no-kernel', op, opset: Number(ver),
      message: `No WASM CPU kernel for ${op} (opset ${ver})${node ? ` at node '${node}'` : ''}`,
    };
  }
  m = /Failed to find kernel for ([\w.]+)\((\d+)\) \(node:'([^']*)'/.exec(clean);
  if (m) {
    const [, op = '', ver = '0', node = ''] = m;
    const has = /has the following type \(((?:tensor\(\w+\),?)+)\)/.exec(clean)?.[1];
    const types = has ? tensorTypeList(has) : '';
    const versionOnly = !/types are incompatible/.test(clean);
    const why = versionOnly ? `opset ${ver} is outside the kernel's version range` : `types ${types || 'of this node'}`;
    return {
      ...base, kind: 'no-kernel', op, opset: Number(ver),
      message: `No WASM CPU kernel for ${op} (opset ${ver}) with ${why}${node ? ` at node '${node}'` : ''}`,
    };
  }
  m = /(?:([\w.]*):)?([\w.]+)\((-?\d+)\) is not a registered function\/op/.exec(clean);
  if (m) {
    const [, domain = '', op = ''] = m;
    return { ...base, kind: 'unknown-op', op, message: `Operator ${domain ? `${domain}:` : ''}${op} is not known to onnxruntime-web` };
  }
  m = /unsupported type: (\w+)/.exec(clean);
  if (m) return { ...base, kind: 'unsupported-type', message: `onnxruntime-web cannot pass ${m[1]} tensors in or out` };
  m = /unsupported data type: (\d+)/.exec(clean);
  if (m) {
    const code = Number(m[1]);
    return { ...base, kind: 'unsupported-type', message: `onnxruntime-web cannot pass ${DTYPE_NAMES[code] ?? `type ${code}`} tensors in or out` };
  }
  if (/Unsupported model IR version|is under development|is till opset|Opset \d+ (?:is )?not supported|ONNX Runtime only \*guarantees\* support/i.test(clean)) {
    return { ...base, kind: 'unsupported-version', message: firstLine(clean) };
  }
  if (/bad_alloc|Out of memory|memory access out of bounds|Cannot enlarge memory|Aborted\(|exceeds maximum supported size|Array buffer allocation failed/i.test(clean)) {
    return { ...base, kind: 'out-of-memory', message: `Out of WASM memory (4 GiB cap; ORT's memory never shrinks): ${firstLine(clean)}` };
  }
  if (phase === 'create' && /ShapeInferenceError|TypeInferenceError|Type Error|Load model|Invalid model|graph\.cc|is not a graph input|Node \(.*\) has input size|This is an invalid model|Type \(.*\) of output arg/i.test(clean)) {
    const op = /Op \((\w+)\)/.exec(clean)?.[1];
    return { ...base, kind: 'invalid-model', ...(op ? { op } : {}), message: firstLine(clean) };
  }
  if (phase === 'run') {
    const op = /while running (\w+) node/.exec(clean)?.[1];
    return { ...base, kind: 'run-failed', ...(op ? { op } : {}), message: firstLine(clean) };
  }
  return { ...base, kind: 'other', message: firstLine(clean) };
}

/** "tensor(float),tensor(int64)" → "float32, int64". */
function tensorTypeList(s: string): string {
  const ortToNumpy: Readonly<Record<string, string>> = { float: 'float32', double: 'float64' };
  const names = [...s.matchAll(/tensor\((\w+)\)/g)].map((x) => x[1] ?? '');
  return names.map((n) => ortToNumpy[n] ?? n).join(', ');
}
