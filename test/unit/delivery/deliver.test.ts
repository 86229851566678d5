import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ErrorCode, QueuedEvent, SendContext, SendResult, Sink } from '../../../src/core/types';
import { uuidv7 } from '../../../src/core/ids';
import { createDelivery } from '../../../src/delivery/deliver';
import { createOutbox } from '../../../src/outbox/outbox';
import { webLocks } from '../../support/web-locks';

let n = 0;
const events = (count: number): QueuedEvent[] =>
  Array.from({ length: count }, (_, i) => {
    const id = uuidv7();
    return { id, json: JSON.stringify({ eventId: id, i }), time: Date.now(), aid: 'a' };
  });

type Answer = (batch: QueuedEvent[], ctx: SendContext) => SendResult | Promise<SendResult>;

/** A delivery over a memory outbox, with a sink that records batches and answers with `answer`. */
async function setup(answer: Answer = (b) => ({ accepted: b.map((e) => e.id) }), opts: { lockName?: string; maxEvents?: number; maxBytes?: number; maxMs?: number } = {}) {
  const reports: [ErrorCode, number | undefined][] = [];
  const calls: { batch: QueuedEvent[]; ctx: SendContext }[] = [];
  const lockName = opts.lockName ?? `clicktrail:d${++n}`;
  const outbox = createOutbox({
    name: lockName,
    caps: { maxEvents: 1e4, maxBytes: 1e7, maxAgeMs: 6048e5, persist: false },
    report: (code, _m, count) => reports.push([code, count]),
    count: () => 0,
    announce: () => 0,
  });
  outbox.open();
  await outbox.ready();
  // The outbox's accepted → durable steps, as the tracker drives them.
  const queue = {
    add: (list: QueuedEvent[]) => (list.forEach((e) => outbox.accept(e)), outbox.write()),
    count: () => outbox.count(),
  };
  const sink: Sink = {
    name: 'test',
    send(batch, ctx) {
      calls.push({ batch: batch.map((e) => ({ ...e })), ctx });
      return Promise.resolve(answer(batch, ctx));
    },
  };
  const d = createDelivery(
    outbox,
    sink,
    { lockName, maxEvents: opts.maxEvents ?? 50, maxBytes: opts.maxBytes ?? 60_000, baseMs: 1000, maxMs: opts.maxMs ?? 60_000, allowed: () => true, leaving: () => false },
    (code, _m, count) => reports.push([code, count]),
  );
  return { d, queue, calls, reports, lockName, sent: () => calls.map((c) => c.batch.map((e) => e.id)) };
}

beforeEach(() => {
  // Web Locks as in Chromium; the lease fallback is tested in lock.test.ts.
  Object.defineProperty(navigator, 'locks', { value: webLocks(), configurable: true });
  localStorage.clear();
});

afterEach(() => {
  vi.restoreAllMocks();
  Object.defineProperty(navigator, 'onLine', { value: true, configurable: true });
});

describe('createDelivery', () => {
  it('flush() sends the queue in order, in batches, and removes what the sink accepted', async () => {
    const s = await setup(undefined, { maxEvents: 4 });
    const list = events(10);
    await s.queue.add(list);
    expect(await s.d.flush()).toEqual([10, 0, 0]);
    expect(s.sent()).toEqual([list.slice(0, 4), list.slice(4, 8), list.slice(8)].map((b) => b.map((e) => e.id)));
    expect(s.calls.every((c) => c.ctx.unload === false)).toBe(true);
    expect(await s.queue.count()).toBe(0);
  });

  it('removes rejected events for good, reporting sink_rejected with the count', async () => {
    const s = await setup((b) => ({ accepted: [b[0].id], rejected: b.slice(1).map((e) => e.id), error: new Error('422') }));
    await s.queue.add(events(3));
    expect(await s.d.flush()).toEqual([1, 0, 2]);
    expect(s.reports).toEqual([['sink_rejected', 2]]);
    expect(await s.queue.count()).toBe(0);
  });

  it('keeps events neither accepted nor rejected, counts the attempt, and reports sink_failed once per run of failures', async () => {
    let ok = false;
    const s = await setup((b) => (ok ? { accepted: b.map((e) => e.id) } : { accepted: [], error: new Error('503') }));
    const list = events(2);
    await s.queue.add(list);
    expect(await s.d.flush()).toEqual([0, 2, 0]);
    expect(await s.d.flush()).toEqual([0, 2, 0]);
    expect(s.reports).toEqual([['sink_failed', 2]]);
    expect(await s.queue.count()).toBe(2);
    ok = true;
    expect(await s.d.flush()).toEqual([2, 0, 0]);
    expect(s.calls.map((c) => c.batch.map((e) => e.tries))).toEqual([[0, 0], [1, 1], [2, 2]]);
    // A new run of failures is reported again.
    ok = false;
    await s.queue.add(events(1));
    await s.d.flush();
    expect(s.reports.map((r) => r[0])).toEqual(['sink_failed', 'sink_failed']);
  });

  it('treats a sink whose promise rejects as a failure to retry', async () => {
    const s = await setup(() => Promise.reject(new Error('boom')));
    await s.queue.add(events(2));
    expect(await s.d.flush()).toEqual([0, 2, 0]);
    expect(s.reports).toEqual([['sink_failed', 2]]);
    expect(await s.queue.count()).toBe(2);
  });

  it('shares the retry time with other tabs through localStorage, honouring Retry-After', async () => {
    const s = await setup(() => ({ accepted: [], retryAfterMs: 120_000 }));
    await s.queue.add(events(1));
    const before = Date.now();
    await s.d.flush();
    const retryAt = +localStorage.getItem(`${s.lockName}:retry`)!;
    expect(retryAt).toBeGreaterThanOrEqual(before + 120_000);
    expect(retryAt).toBeLessThanOrEqual(Date.now() + 120_000);

    // Another tab's delivery on the same queue name holds off its timed drains...
    const other = await setup(undefined, { lockName: s.lockName });
    await other.queue.add(events(1));
    other.d.kick();
    await new Promise((r) => setTimeout(r, 200));
    expect(other.calls).toEqual([]);
    // ...but flush() goes past the backoff, and success clears the shared time.
    expect(await other.d.flush()).toEqual([1, 0, 0]);
  });

  it('keeps its own backoff when localStorage cannot be read: a kick during it sends nothing', async () => {
    const s = await setup(() => ({ accepted: [], retryAfterMs: 120_000 }));
    await s.queue.add(events(1));
    await s.d.flush();
    expect(s.calls.length).toBe(1);
    const blocked = Object.getOwnPropertyDescriptor(window, 'localStorage');
    Object.defineProperty(window, 'localStorage', { get: () => { throw new Error('blocked'); }, configurable: true });
    try {
      s.d.kick();
      await new Promise((r) => setTimeout(r, 200));
      expect(s.calls.length).toBe(1);
    } finally {
      if (blocked) Object.defineProperty(window, 'localStorage', blocked);
    }
  });

  it('does not spin when the backoff is longer than a timer can wait (2^31 - 1 ms)', async () => {
    const s = await setup(() => ({ accepted: [], retryAfterMs: 3_600_000 }), { maxMs: 1e12 });
    await s.queue.add(events(1));
    vi.spyOn(Math, 'random').mockReturnValue(0.99);
    // Many failures: the exponential cap reaches maxMs.
    for (let i = 0; i < 40; i++) await s.d.flush();
    const timers = vi.spyOn(globalThis, 'setTimeout');
    await new Promise((r) => setTimeout(r, 100));
    // A spin arms thousands of timers in that time; other code of the worker may arm a few.
    expect(timers.mock.calls.length).toBeLessThan(20);
  });

  it('clears the shared retry time after a success that follows failures', async () => {
    let ok = false;
    const s = await setup((b) => (ok ? { accepted: b.map((e) => e.id) } : { accepted: [] }));
    await s.queue.add(events(1));
    await s.d.flush();
    expect(+localStorage.getItem(`${s.lockName}:retry`)!).toBeGreaterThan(Date.now());
    ok = true;
    await s.d.flush();
    expect(+localStorage.getItem(`${s.lockName}:retry`)!).toBe(0);
  });

  it('retries at once, once, without counting an attempt, when the sink says free', async () => {
    const s = await setup(() => ({ accepted: [], free: true }));
    await s.queue.add(events(1));
    await s.d.flush();
    expect(s.calls.map((c) => c.batch[0].tries)).toEqual([0, 0]);
    expect(s.reports).toEqual([['sink_failed', 1]]);
    await s.d.flush();
    expect(s.calls.map((c) => c.batch[0].tries)).toEqual([0, 0, 1, 1]);
  });

  // Was a bug (kept as a regression test): src/delivery/deliver.ts drain() adds `left.length` to r[1] before the free retry
  // (`if (res.free && free--) continue`), so the one event is counted as failed twice.
  it('counts an event retried for free as failed once in the flush report', async () => {
    const s = await setup(() => ({ accepted: [], free: true }));
    await s.queue.add(events(1));
    expect(await s.d.flush()).toEqual([0, 1, 0]);
  });

  it('splits the queue into several batches by maxBytes, keeping the order', async () => {
    const s = await setup(undefined, { maxBytes: 100 });
    const list = events(6);
    await s.queue.add(list);
    await s.d.flush();
    expect(s.sent().flat()).toEqual(list.map((e) => e.id));
    expect(s.calls.length).toBeGreaterThan(1);
  });

  // Was a bug (kept as a regression test): a drain counted characters against maxBytes, so a
  // batch of non-ASCII events went over it.
  it('counts maxBytes in UTF-8 bytes, not characters', async () => {
    const s = await setup(undefined, { maxBytes: 3_000 });
    // 400 '€' are 1,200 bytes: each event is 1,259 bytes but 459 characters.
    await s.queue.add(events(6).map((e) => ({ ...e, json: JSON.stringify({ eventId: e.id, pad: '€'.repeat(400) }) })));
    await s.d.flush();
    expect(s.sent().map((b) => b.length)).toEqual([2, 2, 2]);
  });

  it('sends nothing while the browser is offline', async () => {
    Object.defineProperty(navigator, 'onLine', { value: false, configurable: true });
    const s = await setup();
    await s.queue.add(events(2));
    expect(await s.d.flush()).toEqual([0, 0, 0]);
    expect(s.calls).toEqual([]);
  });

  it('unload() hands the events to the sink with unload set before it returns, and removes what was accepted', async () => {
    const s = await setup((b, ctx) => ({ accepted: ctx.unload ? [b[0].id] : b.map((e) => e.id) }));
    const list = events(3);
    await s.queue.add(list);
    s.d.unload(false);
    expect(s.calls).toHaveLength(1);
    expect(s.calls[0].ctx).toEqual({ unload: true });
    expect(s.sent()[0]).toEqual(list.map((e) => e.id));
    await vi.waitFor(async () => expect(await s.queue.count()).toBe(2));
    // The page lived on: the unconfirmed two go out with the next drain.
    expect(await s.d.flush()).toEqual([2, 0, 0]);
    expect(s.sent()[1]).toEqual(list.slice(1).map((e) => e.id));
  });

  it('frees failed unload events for the next drain even when the collector url contains "beacon"', async () => {
    const s = await setup((b, ctx) =>
      ctx.unload ? { accepted: [], error: new Error('sink_failed: https://x.example/beacon TypeError: Failed to fetch') } : { accepted: b.map((e) => e.id) },
    );
    const list = events(2);
    await s.queue.add(list);
    s.d.unload(false);
    await new Promise((r) => setTimeout(r, 20));
    // A failed keepalive fetch is known to have failed: the page lives on, so they go now.
    expect(await s.d.flush()).toEqual([2, 0, 0]);
  });

  it('does not send events that are on the wire again, from a drain or a second unload()', async () => {
    let answer!: (r: SendResult) => void;
    const s = await setup((b, ctx) => (ctx.unload ? new Promise((r) => (answer = r)) : { accepted: b.map((e) => e.id) }));
    const list = events(3);
    await s.queue.add(list);
    s.d.unload(false);
    s.d.unload(false);
    expect(s.sent()).toEqual([list.map((e) => e.id)]);
    expect(await s.d.flush()).toEqual([0, 0, 0]);
    answer({ accepted: [list[0].id, list[1].id] });
    await vi.waitFor(async () => expect(await s.queue.count()).toBe(1));
  });

  // Was a bug (kept as a regression test): the page-hide request carried every event in one
  // body, past batch.maxEvents and batch.maxBytes, and its budget counted characters, not bytes.
  it('unload() sends in batches within maxEvents and maxBytes, and within the keepalive budget in bytes', async () => {
    const s = await setup(() => ({ accepted: [] }), { maxEvents: 3, maxBytes: 1_000 });
    s.queue.add(events(8));
    s.d.unload(false);
    expect(s.sent().map((b) => b.length)).toEqual([3, 3, 2]);
    const big = (n: number, char: string) => events(n).map((e) => ({ ...e, json: JSON.stringify({ eventId: e.id, pad: char.repeat(400) }) }));
    const t = await setup(() => ({ accepted: [] }), { maxEvents: 50, maxBytes: 1_000 });
    t.queue.add(big(4, 'a'));
    t.d.unload(false);
    expect(t.sent().map((b) => b.length)).toEqual([2, 2]);
    // 400 '€' are 1,200 bytes: an event is 1,259 bytes but 459 characters, so 60,000 bytes
    // hold 47 of them, not 130.
    const u = await setup(() => ({ accepted: [] }), { maxEvents: 50, maxBytes: 60_000 });
    u.queue.add(big(140, '€'));
    u.d.unload(false);
    expect(u.sent().flat()).toHaveLength(47);
  });

  // Was a bug (kept as a regression test): a tab that was only hidden sent its drain's batch
  // again, and both requests were answered.
  it('sends the events of a drain in flight again at pagehide only, and once', async () => {
    let answer!: (r: SendResult) => void;
    const s = await setup((b, ctx) => (ctx.unload ? { accepted: [] } : new Promise((r) => (answer = r))));
    const list = events(2);
    await s.queue.add(list);
    const flushing = s.d.flush();
    await vi.waitFor(() => expect(s.calls).toHaveLength(1));
    s.d.unload(false); // hidden, or entering the back/forward cache
    expect(s.calls).toHaveLength(1);
    s.d.unload(true); // pagehide, unloading
    s.d.unload(true); // a late pagehide listener tracked something
    expect(s.calls.map((c) => c.ctx.unload)).toEqual([false, true]);
    answer({ accepted: list.map((e) => e.id) });
    expect(await flushing).toEqual([2, 0, 0]);
  });

  it('lets one drain run at a time within the page: a kick during flush() sends nothing twice', async () => {
    const s = await setup(async (b) => {
      await new Promise((r) => setTimeout(r, 30));
      return { accepted: b.map((e) => e.id) };
    });
    const list = events(5);
    await s.queue.add(list);
    const flushing = s.d.flush();
    s.d.kick();
    s.d.kick();
    await flushing;
    await s.d.flush();
    expect(s.sent().flat()).toEqual(list.map((e) => e.id));
  });

  it('gives up on a send that never settles after 60 s: the lock is freed, the batch is kept and sent again', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      let hang = true;
      const s = await setup((b) => (hang ? new Promise<SendResult>(() => {}) : { accepted: b.map((e) => e.id) }));
      const list = events(3);
      await s.queue.add(list);
      let report: number[] | undefined;
      s.d.flush().then((r) => (report = r));
      await vi.advanceTimersByTimeAsync(59_000);
      expect(report).toBeUndefined();
      await vi.advanceTimersByTimeAsync(1_000);
      expect(report).toEqual([0, 3, 0]);
      expect(s.reports).toEqual([['sink_failed', 3]]);
      expect(await s.queue.count()).toBe(3);
      hang = false;
      // The lock is free: a second flush gets through, past the backoff.
      let second: number[] | undefined;
      s.d.flush().then((r) => (second = r));
      await vi.advanceTimersByTimeAsync(0);
      expect(second).toEqual([3, 0, 0]);
      expect(s.sent()).toEqual([list.map((e) => e.id), list.map((e) => e.id)]);
      expect(await s.queue.count()).toBe(0);
    } finally {
      vi.useRealTimers();
    }
  });
});
