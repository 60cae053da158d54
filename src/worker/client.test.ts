/**
 * The worker bridge, driven through a scripted fake Worker in Node: replies, progress, cancellation
 * (terminate + restart), and crash detection (error event → pending requests fail, worker restarted).
 */
import { describe, expect, it } from 'vitest';
import { WorkerClient, WorkerRequestError } from './client';
import type { RequestMessage, WorkerToPage } from './protocol';

type Listener = (e: { data?: unknown; message?: string; preventDefault(): void }) => void;

class FakeWorker {
  static created: FakeWorker[] = [];
  readonly listeners = new Map<string, Listener[]>();
  readonly received: RequestMessage[] = [];
  terminated = false;
  constructor() {
    FakeWorker.created.push(this);
  }
  addEventListener(type: string, l: Listener): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), l]);
  }
  postMessage(msg: RequestMessage): void {
    this.received.push(msg);
  }
  terminate(): void {
    this.terminated = true;
  }
  emit(type: string, data: WorkerToPage | { message: string }): void {
    for (const l of this.listeners.get(type) ?? []) {
      l(type === 'message' ? { data, preventDefault() {} } : { ...(data as { message: string }), preventDefault() {} });
    }
  }
}

function idOf(w: FakeWorker, index: number): number {
  const m = w.received[index];
  if (!m) throw new Error(`no request #${index}`);
  return m.id;
}

function makeClient(): { client: WorkerClient; current: () => FakeWorker } {
  FakeWorker.created = [];
  const client = new WorkerClient(() => new FakeWorker() as unknown as Worker, 'test');
  return { client, current: () => FakeWorker.created[FakeWorker.created.length - 1] as FakeWorker };
}

describe('WorkerClient', () => {
  it('matches replies to requests by id and forwards progress', async () => {
    const { client, current } = makeClient();
    const progress: number[] = [];
    const a = client.request('debug/sleep', { ms: 1 }, { onProgress: (_s, done) => progress.push(done) });
    const b = client.request('debug/sleep', { ms: 2 });
    expect(current().received[0]?.type).toBe('debug/sleep');
    const [ida, idb] = [idOf(current(), 0), idOf(current(), 1)];
    current().emit('message', { kind: 'progress', id: ida, stage: 'x', done: 5, total: 10 });
    current().emit('message', { kind: 'response', id: idb, ok: true, result: { slept: 2 } });
    current().emit('message', { kind: 'response', id: ida, ok: true, result: { slept: 1 } });
    await expect(a).resolves.toEqual({ slept: 1 });
    await expect(b).resolves.toEqual({ slept: 2 });
    expect(progress).toEqual([5]);
  });

  it('turns a failure reply into a typed error', async () => {
    const { client, current } = makeClient();
    const p = client.request('model/close', { modelId: 'm1' });
    const id = idOf(current(), 0);
    current().emit('message', {
      kind: 'response',
      id,
      ok: false,
      failure: { kind: 'model', error: { code: 'empty-file', title: 'Empty file', message: 'It has 0 bytes.', hint: 'Pick another.' } },
    });
    const e = await p.catch((x: unknown) => x);
    expect(e).toBeInstanceOf(WorkerRequestError);
    expect((e as WorkerRequestError).failure.kind).toBe('model');
    expect((e as WorkerRequestError).message).toContain('Empty file');
  });

  it('cancelling terminates the worker, starts a new one and tells listeners', async () => {
    const { client, current } = makeClient();
    const first = current();
    const restarts: string[] = [];
    client.onRestart((reason) => restarts.push(reason));
    const controller = new AbortController();
    const p = client.request('debug/sleep', { ms: 10_000 }, { signal: controller.signal });
    const other = client.request('debug/sleep', { ms: 1 });
    controller.abort();
    await expect(p).rejects.toMatchObject({ failure: { kind: 'aborted' } });
    await expect(other).rejects.toBeInstanceOf(WorkerRequestError);
    expect(first.terminated).toBe(true);
    expect(current()).not.toBe(first);
    expect(restarts).toEqual(['aborted']);
    // The new worker serves requests.
    const q = client.request('debug/sleep', { ms: 1 });
    current().emit('message', { kind: 'response', id: idOf(current(), 0), ok: true, result: { slept: 1 } });
    await expect(q).resolves.toEqual({ slept: 1 });
  });

  it('detects a crashed worker, fails its pending requests with a readable message and restarts', async () => {
    const { client, current } = makeClient();
    const first = current();
    const p = client.request('debug/sleep', { ms: 10_000 });
    first.emit('error', { message: 'RuntimeError: memory access out of bounds' });
    const e = (await p.catch((x: unknown) => x)) as WorkerRequestError;
    expect(e.failure.kind).toBe('crashed');
    expect(e.message).toMatch(/crashed.*memory access out of bounds.*restarted/);
    expect(client.restarts).toBe(1);
    expect(current()).not.toBe(first);
  });

  it('rejects at once when the signal is already aborted', async () => {
    const { client, current } = makeClient();
    const c = new AbortController();
    c.abort();
    await expect(client.request('debug/sleep', { ms: 1 }, { signal: c.signal })).rejects.toMatchObject({ failure: { kind: 'aborted' } });
    expect(current().received).toHaveLength(0);
  });
});

describe('WorkerClient restart storms', () => {
  it('stops restarting a worker that crashes again and again, and says so', async () => {
    const { client, current } = makeClient();
    for (let i = 0; i < 4; i++) current().emit('error', { message: 'module failed to load' });
    const created = FakeWorker.created.length;
    const e = (await client.request('debug/sleep', { ms: 1 }).catch((x: unknown) => x)) as WorkerRequestError;
    expect(e.failure.kind).toBe('crashed');
    expect(e.message).toMatch(/keeps failing to start/);
    expect(FakeWorker.created.length).toBe(created);
  });
});
