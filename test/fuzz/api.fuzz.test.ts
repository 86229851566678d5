// Property-based tests of the public API under happy-dom (fast; the same arbitraries run in
// Chromium in chromium.fuzz.test.ts). FUZZ_RUNS scales the run count; FUZZ_SEED repeats a run.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createTracker } from '../../src/index';
import type { ClicktrailError, QueuedEvent, Sink, Tracker } from '../../src/index';
import { webLocks } from '../support/web-locks';
import { call, hostileOptions, hostileValue, prototypeChanges, prototypeSnapshot, withThrowingGetter, type Call } from './hostile';

const RUNS = Number(process.env.FUZZ_RUNS || 1);
// A fixed seed by default, so npm test is repeatable; FUZZ_SEED=random explores, FUZZ_SEED=N repeats a run.
const SEED = process.env.FUZZ_SEED == 'random' ? Date.now() % 2 ** 31 : Number(process.env.FUZZ_SEED || 20261204);
const MAX_EVENT_BYTES = 32_768;
const bytes = (s: string) => new TextEncoder().encode(s).length;

function capture() {
  const got: QueuedEvent[] = [];
  const sink: Sink = { name: 'capture', send: async (batch) => (got.push(...batch), { accepted: batch.map((e) => e.id) }) };
  return { sink, got };
}

/** Runs one page call as a page would, recording anything that escapes. */
function run(t: Tracker, c: Call): unknown {
  try {
    if (c.m == 'track') (t.track as (a: unknown, b: unknown) => void)(c.a, c.b);
    else if (c.m == 'page') (t.page as (a: unknown) => void)(c.a);
    else if (c.m == 'identify') (t.identify as (a: unknown, b: unknown) => void)(c.a, c.b);
    else t.reset();
  } catch (e) {
    return e;
  }
}

/** Every accepted event is valid JSON within the size limit, with the envelope's fields. */
function checkEvent(e: QueuedEvent, limit = MAX_EVENT_BYTES) {
  const parsed = JSON.parse(e.json);
  expect(bytes(e.json)).toBeLessThanOrEqual(limit);
  expect(parsed.eventId).toBe(e.id);
  expect(typeof parsed.name).toBe('string');
  expect(parsed.name.trim().length).toBeGreaterThan(0);
  expect(parsed.name.length).toBeLessThanOrEqual(255);
  expect(Object.getPrototypeOf(parsed.properties)).toBe(Object.prototype);
  expect(Array.isArray(parsed.properties)).toBe(false);
  // Parsing the JSON gives no prototype either: a "__proto__" key stays an own key.
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
}

describe('fuzz: the public API under hostile input (happy-dom)', () => {
  const before = prototypeSnapshot();
  const unhandled: unknown[] = [];
  const onUnhandled = (e: unknown) => unhandled.push(e);
  beforeAll(() => {
    Object.defineProperty(navigator, 'locks', { value: webLocks(), configurable: true });
    // Random options turn `debug` on: thousands of console lines would drown the report.
    for (const m of ['log', 'warn', 'error', 'info', 'debug'] as const) vi.spyOn(console, m).mockImplementation(() => undefined);
    process.on('unhandledRejection', onUnhandled);
  });
  afterAll(() => {
    process.off('unhandledRejection', onUnhandled);
    vi.restoreAllMocks();
  });

  it('lets no exception escape track, page and identify, and sends every accepted event as valid JSON within the size limit', async () => {
    const { sink, got } = capture();
    const errors: ClicktrailError[] = [];
    const t = createTracker({ appId: 'fuzz-calls', sink, queue: { persist: false }, onError: (e) => void errors.push(e) });
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(call, { minLength: 1, maxLength: 8 }), async (calls) => {
        const from = got.length;
        const tracked = t.stats().tracked;
        for (const c of calls) expect(run(t, c)).toBeUndefined();
        const r = await t.flush();
        const mine = got.slice(from);
        // Every event the tracker accepted reached the sink, once, and nothing else did.
        expect(mine.length).toBe(t.stats().tracked - tracked);
        expect(r.queued).toBe(0);
        mine.forEach((e) => checkEvent(e));
        accepted += mine.length;
      }),
      { numRuns: 1500 * RUNS, seed: SEED, endOnFailure: true },
    );
    await t.shutdown();
    // Not vacuous: most calls were accepted, and the rejections carry stable codes.
    expect(accepted).toBeGreaterThan(3000 * RUNS);
    expect(new Set(errors.map((e) => e.code))).toEqual(new Set(errors.map((e) => e.code).filter((c) => /^[a-z_]+$/.test(c))));
    expect(errors.some((e) => e.code == 'internal')).toBe(false);
    expect(prototypeChanges(before)).toEqual([]);
    expect(unhandled).toEqual([]);
  }, 120_000);

  it('lets no exception escape createTracker with any option object, and the tracker it returns still delivers', async () => {
    await fc.assert(
      fc.asyncProperty(hostileOptions, hostileValue, async ({ o: options, getter }, props) => {
        const { sink, got } = capture();
        const errors: ClicktrailError[] = [];
        let t: Tracker | undefined;
        const all = { ...options, sink, onError: (e: ClicktrailError) => void errors.push(e) };
        const made = () => (t = createTracker((getter ? withThrowingGetter(all) : all) as never));
        expect(made).not.toThrow();
        expect(() => t!.track('fuzz_probe', { ok: 1 })).not.toThrow();
        expect(run(t!, { m: 'track', a: 'fuzz_value', b: props })).toBeUndefined();
        expect(() => t!.setConsent('granted')).not.toThrow();
        expect(() => t!.track('fuzz_probe', { ok: 2 })).not.toThrow();
        await t!.flush();
        const limit = typeof options.maxEventBytes == 'number' && options.maxEventBytes >= 1 ? options.maxEventBytes : MAX_EVENT_BYTES;
        for (const e of got) checkEvent(e, limit);
        // The probe tracked with consent granted arrives, unless the option object's name map renames
        // it or a documented cap (a tiny maxEventBytes, queue size or maxAgeMs) drops it, and says so.
        const probes = got.map((e) => JSON.parse(e.json)).filter((e) => e.name == 'fuzz_probe');
        const capped = errors.some((e) => e.code == 'event_too_large' || e.code == 'queue_overflow' || e.code == 'event_expired');
        if (!capped && (!options.eventNames || typeof options.eventNames != 'object')) {
          expect(probes.map((e) => e.properties.ok), errors.map((e) => e.message).join('; ')).toContain(2);
        }
        await t!.shutdown();
        expect(errors.filter((e) => e.code == 'internal').map((e) => e.message)).toEqual([]);
      }),
      { numRuns: 250 * RUNS, seed: SEED, endOnFailure: true },
    );
    expect(prototypeChanges(before)).toEqual([]);
    expect(unhandled).toEqual([]);
  }, 120_000);

  it('never throws from an onError that throws, nor from a sink that throws or lies', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(call, { minLength: 1, maxLength: 5 }), fc.constantFrom('throw', 'reject', 'garbage', 'hang-free'), async (calls, how) => {
        const sink = {
          name: 'bad',
          send: (batch: QueuedEvent[]) => {
            if (how == 'throw') throw new Error('sink');
            if (how == 'reject') return Promise.reject(new Error('sink'));
            if (how == 'garbage') return Promise.resolve({ accepted: 'nope' } as never);
            return Promise.resolve({ accepted: batch.map((e) => e.id).concat(['not-an-id']) });
          },
        };
        const t = createTracker({ appId: 'fuzz-bad-sink', sink, queue: { persist: false }, retry: { baseMs: 1, maxMs: 1 }, onError: () => { throw new Error('onError'); } });
        for (const c of calls) expect(run(t, c)).toBeUndefined();
        await expect(t.flush()).resolves.toBeTypeOf('object');
        await expect(t.shutdown()).resolves.toBeUndefined();
      }),
      { numRuns: 150 * RUNS, seed: SEED, endOnFailure: true },
    );
    expect(prototypeChanges(before)).toEqual([]);
    expect(unhandled).toEqual([]);
  }, 120_000);
});
