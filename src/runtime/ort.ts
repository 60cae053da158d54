/**
 * The one module that imports onnxruntime-web (ARCHITECTURE.md: one owner of the runtime).
 *
 * We import the WASM-only build (`onnxruntime-web/wasm`): it resolves in Node 20 (ESM, for the CLI and
 * the corpus test) and in Vite, and ships a 14 MB wasm instead of the 28 MB JSEP one (RUNTIME-FACTS.md).
 * Every session creation and run goes through one SerialQueue, and every result carries the
 * ExecutionSettings that produced it, so a number is never separated from its conditions.
 */
// Before onnxruntime-web starts its wasm: it binds console.log then (profile-capture.ts) and creates its
// memory then (wasm-memory.ts watches for it).
import './profile-capture.js';
import './wasm-memory.js';
import * as ort from 'onnxruntime-web/wasm';
import { err, ok } from '../core/errors.js';
import type { Result } from '../core/errors.js';
import { SerialQueue } from './queue.js';
import { describeOrtError } from './errors.js';
import type { RuntimeFailure } from './errors.js';

export type Tensor = ort.Tensor;
export type TensorType = ort.Tensor.Type;
/** ORT's CPU tensor constructor, re-exported so that other runtime files never import onnxruntime-web. */
export const OrtTensor = ort.Tensor;

export type GraphOptimizationLevel = 'disabled' | 'basic' | 'extended' | 'all';
export type LogLevel = 'verbose' | 'info' | 'warning' | 'error' | 'fatal';

export interface RuntimeConfig {
  /**
   * Where ORT finds `ort-wasm-simd-threaded.wasm` / `.mjs`. The browser worker passes absolute URLs
   * (Vite `?url` imports): ORT starts its thread workers from the .mjs location, and without explicit
   * paths a production build fails with 2 threads (RUNTIME-FACTS.md). In Node leave it unset.
   */
  readonly wasmPaths?: string | { readonly wasm?: string; readonly mjs?: string };
  /** WASM threads; ORT picks min(4, cores/2) when unset and forces 1 when not cross-origin isolated. */
  readonly numThreads?: number;
  /**
   * onnxruntime-web 1.30 ships SIMD builds only (ort-wasm-simd-threaded.*): `false` cannot be honoured
   * and is reported back as `simd: true` in ExecutionSettings with a note.
   */
  readonly simd?: boolean;
  /** ORT's global log level; 'error' by default so that routine graph warnings do not flood logs. */
  readonly logLevel?: LogLevel;
}

/** The conditions a session ran under; returned with every session and run result. */
export interface ExecutionSettings {
  readonly runtime: 'onnxruntime-web';
  readonly version: string;
  /** ORT's execution provider: the CPU provider compiled to WebAssembly. */
  readonly executionProvider: 'wasm';
  readonly numThreads: number;
  readonly simd: boolean;
  readonly graphOptimizationLevel: GraphOptimizationLevel;
  /** Without cross-origin isolation a browser has no SharedArrayBuffer, so ORT runs one thread. */
  readonly crossOriginIsolated: boolean;
  readonly notes: readonly string[];
}

export interface CreateSessionOptions {
  readonly graphOptimizationLevel?: GraphOptimizationLevel;
  /** External-data files by the `location` string the model uses. */
  readonly externalData?: ReadonlyMap<string, Uint8Array>;
  readonly freeDimensionOverrides?: Readonly<Record<string, number>>;
  /** ORT's per-session log severity: 0 verbose … 4 fatal. Default 3 (errors only). */
  readonly logSeverityLevel?: 0 | 1 | 2 | 3 | 4;
  readonly enableProfiling?: boolean;
  /** Session-config entries passed through as ORT `extra` options (e.g. session.disable_prepacking). */
  readonly sessionConfig?: Readonly<Record<string, string>>;
}

export interface ValueInfo {
  readonly name: string;
  readonly isTensor: boolean;
  /** ORT's element type name (float32, int64, …) for tensors. */
  readonly type?: TensorType;
  readonly shape?: readonly (number | string)[];
}

export interface RunOutput {
  readonly outputs: Readonly<Record<string, Tensor>>;
  /** Wall time of `session.run`, in ms (includes copying inputs into and outputs out of WASM memory). */
  readonly ms: number;
  readonly settings: ExecutionSettings;
}

export interface RuntimeSession {
  readonly id: number;
  readonly inputs: readonly ValueInfo[];
  readonly outputs: readonly ValueInfo[];
  readonly settings: ExecutionSettings;
  /** Wall time of session creation, in ms (parse, graph optimisation, kernel creation, weight prepacking). */
  readonly createMs: number;
  run(feeds: Readonly<Record<string, Tensor>>, fetches?: readonly string[]): Promise<Result<RunOutput, RuntimeFailure>>;
  /** Releases the session's WASM memory for reuse (ORT's WASM memory never shrinks: it is reused, not returned). */
  release(): Promise<void>;
  /** Ends profiling; ORT prints the trace through console.log (see RUNTIME-FACTS.md "Profiling"). */
  endProfiling(): Promise<void>;
}

const queue = new SerialQueue();
let config: RuntimeConfig = {};
let initialized = false;
let nextId = 1;

function globalCrossOriginIsolated(): boolean {
  const g = globalThis as { crossOriginIsolated?: boolean; process?: { versions?: { node?: string } } };
  // Node has SharedArrayBuffer and worker threads without any header dance.
  if (g.process?.versions?.node) return true;
  return g.crossOriginIsolated === true;
}

function hasNavigator(): boolean {
  return typeof (globalThis as { navigator?: unknown }).navigator !== 'undefined';
}

/**
 * Sets the WASM paths, thread count and log level. Must run before the first session; calling it
 * afterwards with different settings is a programming error (ORT reads them once, at initialisation).
 */
export function configureRuntime(next: RuntimeConfig): void {
  if (initialized) {
    const same = JSON.stringify(next) === JSON.stringify(config);
    if (same) return;
    throw new Error('configureRuntime() must be called before the first session is created');
  }
  config = { ...next };
  applyConfig();
}

function applyConfig(): void {
  ort.env.logLevel = config.logLevel ?? 'error';
  if (config.numThreads !== undefined) ort.env.wasm.numThreads = config.numThreads;
  else if (!hasNavigator()) {
    // ORT's default reads the core count through require('node:os') when there is no `navigator`
    // (Node 20), which throws inside its ESM bundle ("no available backend found"). Default to 1;
    // Node hosts that want threads pass numThreads explicitly.
    ort.env.wasm.numThreads = 1;
  }
  if (config.wasmPaths !== undefined) {
    ort.env.wasm.wasmPaths = typeof config.wasmPaths === 'string' ? config.wasmPaths : { ...config.wasmPaths };
  }
}

/** The settings a session created now with `level` would run under. */
export function executionSettings(level: GraphOptimizationLevel = 'all'): ExecutionSettings {
  const notes: string[] = [];
  if (config.simd === false) notes.push('onnxruntime-web 1.30 ships SIMD builds only; SIMD stays on');
  const isolated = globalCrossOriginIsolated();
  // ORT resolves its thread default (min(4, cores/2); 1 without cross-origin isolation) at
  // initialisation and writes the effective value back to env.wasm.numThreads. Before that, 0 = default.
  const threads = initialized ? (ort.env.wasm.numThreads ?? 1) : (config.numThreads ?? 0);
  if (!isolated && (config.numThreads ?? 0) > 1) {
    notes.push(`${config.numThreads} threads requested, but the page is not cross-origin isolated: ORT runs 1`);
  }
  return {
    runtime: 'onnxruntime-web',
    version: ort.env.versions.web ?? 'unknown',
    executionProvider: 'wasm',
    numThreads: threads,
    simd: true,
    graphOptimizationLevel: level,
    crossOriginIsolated: isolated,
    notes,
  };
}

function toValueInfo(m: ort.InferenceSession.ValueMetadata): ValueInfo {
  if (!m.isTensor) return { name: m.name, isTensor: false };
  return { name: m.name, isTensor: true, type: m.type, shape: [...m.shape] };
}

function sessionOptions(options: CreateSessionOptions): ort.InferenceSession.SessionOptions {
  const externalData = options.externalData
    ? [...options.externalData].map(([path, data]) => ({ path, data }))
    : undefined;
  const extra = options.sessionConfig ? nestConfig(options.sessionConfig) : undefined;
  return {
    executionProviders: ['wasm'],
    graphOptimizationLevel: options.graphOptimizationLevel ?? 'all',
    logSeverityLevel: options.logSeverityLevel ?? 3,
    enableProfiling: options.enableProfiling ?? false,
    ...(externalData ? { externalData } : {}),
    ...(options.freeDimensionOverrides ? { freeDimensionOverrides: { ...options.freeDimensionOverrides } } : {}),
    ...(extra ? { extra } : {}),
  };
}

/** ORT's `extra` takes nested objects whose dotted paths become session-config keys. */
function nestConfig(flat: Readonly<Record<string, string>>): Record<string, unknown> {
  const root: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(flat)) {
    const parts = key.split('.');
    let node = root;
    for (const part of parts.slice(0, -1)) {
      const child = node[part];
      if (typeof child === 'object' && child !== null) node = child as Record<string, unknown>;
      else {
        const fresh: Record<string, unknown> = {};
        node[part] = fresh;
        node = fresh;
      }
    }
    node[parts[parts.length - 1] as string] = value;
  }
  return root;
}

/**
 * Creates a session from model bytes. The bytes are read by ORT (copied into WASM memory) and can be
 * reused by the caller afterwards. Failures come back as values with a readable message.
 */
export function createSession(
  bytes: Uint8Array,
  options: CreateSessionOptions = {},
): Promise<Result<RuntimeSession, RuntimeFailure>> {
  return queue.enqueue(async () => {
    if (!initialized) applyConfig();
    const level = options.graphOptimizationLevel ?? 'all';
    const start = performance.now();
    let session: ort.InferenceSession;
    try {
      session = await ort.InferenceSession.create(bytes, sessionOptions(options));
    } catch (e) {
      initialized = true;
      return err(describeOrtError(e, 'create'));
    }
    initialized = true;
    const createMs = performance.now() - start;
    return ok(wrapSession(session, executionSettings(level), createMs));
  });
}

function wrapSession(session: ort.InferenceSession, settings: ExecutionSettings, createMs: number): RuntimeSession {
  let released = false;
  const id = nextId++;
  return {
    id,
    inputs: session.inputMetadata.map(toValueInfo),
    outputs: session.outputMetadata.map(toValueInfo),
    settings,
    createMs,
    run: (feeds, fetches) =>
      queue.enqueue(async () => {
        if (released) return err(describeOrtError(new Error('session was released'), 'run'));
        const start = performance.now();
        try {
          const outputs = fetches ? await session.run(feeds, [...fetches]) : await session.run(feeds);
          return ok({ outputs, ms: performance.now() - start, settings });
        } catch (e) {
          return err(describeOrtError(e, 'run'));
        }
      }),
    release: () =>
      queue.enqueue(async () => {
        if (released) return;
        released = true;
        await session.release();
      }),
    endProfiling: () =>
      queue.enqueue(async () => {
        if (!released) session.endProfiling();
      }),
  };
}

/** Jobs waiting in or running on the runtime queue. */
export function runtimeQueueSize(): number {
  return queue.size;
}
