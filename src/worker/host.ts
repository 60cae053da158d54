/**
 * The worker's side of the protocol: dispatches requests to typed handlers, forwards progress, and
 * turns outcomes into responses. A handler returns its result (plus buffers to transfer) or throws a
 * ModelFailure for bad input; anything else it throws is reported as a bug with its stack.
 */
import type { ModelError } from '../core/errors';
import type { PayloadOf, RequestMessage, RequestType, ResponseMessage, ResultOf, WorkerToPage } from './protocol';

export interface HandlerContext {
  /** Report progress; cheap to call often (throttled to ~20 messages a second). */
  progress(stage: string, done: number, total: number): void;
}

export interface HandlerResult<T extends RequestType> {
  readonly result: ResultOf<T>;
  readonly transfer?: Transferable[];
}

export type Handler<T extends RequestType> = (payload: PayloadOf<T>, ctx: HandlerContext) => Promise<HandlerResult<T>>;
export type Handlers = { [T in RequestType]?: Handler<T> };

/** Thrown by handlers for bad input: reaches the page as { kind: 'model', error }. */
export class ModelFailure extends Error {
  constructor(readonly error: ModelError) {
    super(error.message);
  }
}

interface WorkerScope {
  postMessage(message: WorkerToPage, transfer?: Transferable[]): void;
  addEventListener(type: 'message', listener: (e: MessageEvent<RequestMessage>) => void): void;
}

export function serve(handlers: Handlers, scope: WorkerScope = self as unknown as WorkerScope): void {
  scope.addEventListener('message', (e) => {
    void dispatch(e.data, handlers, scope);
  });
}

async function dispatch(msg: RequestMessage, handlers: Handlers, scope: WorkerScope): Promise<void> {
  if (msg?.kind !== 'request') return;
  let last = 0;
  const ctx: HandlerContext = {
    progress(stage, done, total) {
      const now = performance.now();
      if (now - last < 50 && done < total) return;
      last = now;
      scope.postMessage({ kind: 'progress', id: msg.id, stage, done, total });
    },
  };
  const handler = handlers[msg.type] as Handler<RequestType> | undefined;
  let response: ResponseMessage;
  let transfer: Transferable[] = [];
  try {
    if (!handler) throw new Error(`This worker does not handle '${msg.type}'.`);
    const out = await handler(msg.payload, ctx);
    response = { kind: 'response', id: msg.id, ok: true, result: out.result };
    transfer = out.transfer ?? [];
  } catch (e) {
    response =
      e instanceof ModelFailure
        ? { kind: 'response', id: msg.id, ok: false, failure: { kind: 'model', error: e.error } }
        : {
            kind: 'response',
            id: msg.id,
            ok: false,
            failure: { kind: 'bug', message: e instanceof Error ? e.message : String(e), ...(e instanceof Error && e.stack ? { stack: e.stack } : {}) },
          };
  }
  scope.postMessage(response, transfer);
}
