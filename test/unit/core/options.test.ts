// createTracker's options as a newcomer gets them wrong: typos in nested options, consent
// values that are not one of the three states, plugins passed by name or uncalled, and where
// the problems go when there is no onError.
import { afterEach, describe, expect, it, vi } from 'vitest';
import { pageViews } from '../../../src/capture';
import { createTracker } from '../../../src/core/tracker';
import type { ClicktrailError, Plugin, Sink, Tracker, TrackerOptions } from '../../../src/core/types';
import { captureTracker } from '../../support/capture-tracker';

const made: Tracker[] = [];
const make = (o: Partial<TrackerOptions>) => {
  const c = captureTracker(o);
  made.push(c.tracker);
  return c;
};
const messages = (errors: ClicktrailError[]) => errors.map((e) => e.message);

afterEach(async () => {
  vi.restoreAllMocks();
  delete (navigator as { globalPrivacyControl?: boolean }).globalPrivacyControl;
  await Promise.all(made.splice(0).map((t) => t.shutdown()));
});

describe('createTracker: option checks', () => {
  it('reports typos and wrong types inside batch, queue and retry, and uses the defaults', async () => {
    const { tracker, errors, sent } = make({
      batch: { maxEvent: 2, flushIntervalMs: '300' },
      queue: { persist: 'no', maxAgeMs: 0 },
      retry: { base: 10 },
      privacy: { gpc: 1 },
      debug: 'yes',
    } as unknown as TrackerOptions);
    expect(messages(errors)).toEqual([
      // captureTracker puts queue first
      'invalid_option: queue.persist is "no", not true or false: the default is used',
      'invalid_option: queue.maxAgeMs is 0, not a number > 0: the default is used',
      'invalid_option: unknown option batch.maxEvent (known: maxEvents, maxBytes, flushIntervalMs)',
      'invalid_option: batch.flushIntervalMs is "300", not a number > 0: the default is used',
      'invalid_option: unknown option retry.base (known: baseMs, maxMs)',
      'invalid_option: privacy.gpc is 1, not true or false: the default is used',
      'invalid_option: debug is "yes", not true or false: the default is used',
    ]);
    tracker.track('still_works');
    expect((await sent()).map((e) => e.name)).toEqual(['still_works']);
  });

  it('takes options set to undefined as left out', () => {
    const { errors } = make({ batch: { maxEvents: undefined }, debug: undefined, onError: undefined } as Partial<TrackerOptions>);
    expect(errors).toEqual([]);
  });

  it('says what to do with a plugin passed by name to the core build, or passed uncalled', () => {
    const { errors } = make({ plugins: ['pageViews', pageViews, { name: 'x' }] as unknown as Plugin[] });
    expect(messages(errors)).toEqual([
      'invalid_option: plugin "pageViews" is a name: names need clicktrail.full.min.js; with npm, pass pageViews()',
      'invalid_option: plugin pageViews is a factory: call pageViews()',
      'invalid_option: plugin [object Object] has no setup(): pass a plugin such as pageViews()',
    ]);
  });
});

describe('createTracker: consent fails closed', () => {
  const sink = (received: string[]): Sink => ({
    name: 'capture',
    async send(batch) {
      received.push(...batch.map((e) => JSON.parse(e.json).name));
      return { accepted: batch.map((e) => e.id) };
    },
  });

  it.each([
    [false, 'denied', 0],
    ['denied', 'denied', 0],
    ['pendng', 'pending', 1],
    [true, 'pending', 1],
    [undefined, 'pending', 1],
    [null, 'pending', 1],
  ])('with consent %s, neither stores nor sends an event (%s, %i reports)', async (consent, state, reports) => {
    const received: string[] = [];
    const errors: ClicktrailError[] = [];
    const t = createTracker({ appId: 'c' + Math.random(), sink: sink(received), consent: consent as TrackerOptions['consent'], onError: (e) => errors.push(e) });
    made.push(t);
    t.track('not_allowed');
    const report = await t.flush();
    expect(received).toEqual([]);
    expect(t.stats().storage).toBe('pending'); // no queue, so no IndexedDB database
    expect(report.queued).toBe(state === 'pending' ? 1 : 0);
    expect(t.stats().consent).toBe(state === 'denied' ? 1 : 0);
    expect(errors).toHaveLength(reports);
    if (reports) expect(errors[0].message).toMatch(/^invalid_option: consent .* is not 'granted', 'pending' or 'denied': held as 'pending'$/);
    t.setConsent('granted');
    await t.flush();
    // Held events go once consent is granted; denied ones are gone.
    expect(received).toEqual(state === 'pending' ? ['not_allowed'] : []);
  });

  it('keeps the default of granted when the option is left out', async () => {
    const { tracker, errors, sent } = make({});
    tracker.track('allowed');
    expect((await sent()).map((e) => e.name)).toEqual(['allowed']);
    expect(errors).toEqual([]);
  });

  it('stops sending after setConsent with a value that is not granted', async () => {
    const { tracker, errors, sent } = make({});
    tracker.track('before');
    await sent();
    tracker.setConsent('yes' as 'granted');
    tracker.track('after_typo');
    tracker.setConsent(false);
    tracker.track('after_false');
    expect((await sent()).map((e) => e.name)).toEqual(['before']);
    expect(messages(errors)).toEqual(["invalid_option: consent \"yes\" is not 'granted', 'pending' or 'denied': held as 'pending'"]);
    expect(tracker.stats().consent).toBe(2); // the held event, then the one after false
  });

  it('denies while Global Privacy Control is on, when privacy.gpc asks for it', async () => {
    (navigator as { globalPrivacyControl?: boolean }).globalPrivacyControl = true;
    const gpc = make({ privacy: { gpc: true } });
    gpc.tracker.track('a');
    gpc.tracker.setConsent('granted');
    gpc.tracker.track('b');
    expect(await gpc.sent()).toEqual([]);
    expect(gpc.tracker.stats().consent).toBe(2);
    const ignored = make({});
    ignored.tracker.track('gpc_not_asked_for');
    expect((await ignored.sent()).map((e) => e.name)).toEqual(['gpc_not_asked_for']);
  });
});

describe('createTracker: reporting without onError', () => {
  const noSink = () => createTracker({ appId: 'w' + Math.random(), queue: { persist: false } } as unknown as TrackerOptions);

  it('writes each distinct problem to console.warn once per page', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const t = noSink();
    made.push(t);
    t.track('');
    t.track('');
    made.push(noSink());
    t.track('x'.repeat(300));
    expect(warn.mock.calls.map((c) => c[0])).toEqual([
      '[clicktrail] invalid_option: no sink, events are queued only',
      '[clicktrail] invalid_event_name: "", event dropped',
      '[clicktrail] invalid_event_name: "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx", event dropped',
    ]);
  });

  it('writes nothing to the console when there is an onError', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const { tracker, errors } = make({ batch: { maxEvnts: 1 } as never });
    tracker.track('');
    expect(errors).toHaveLength(2);
    expect(warn).not.toHaveBeenCalled();
  });

  it('with debug, logs every event accepted and every batch sent with its answer', async () => {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const { tracker, sent } = make({ debug: true });
    tracker.track('add_to_cart', { value: 1, currency: 'EUR', items: [{ item_id: 'a' }] });
    tracker.track('search', { search_term: 'x' });
    await sent();
    const lines = log.mock.calls.map((c) => String(c[0]));
    expect(lines).toContain('[clicktrail] accepted track search {"search_term":"x"}');
    expect(lines.some((l) => l.startsWith('[clicktrail] accepted track add_to_cart {"value":1'))).toBe(true);
    expect(lines).toContain('[clicktrail] sending capture: 2 events');
    expect(lines).toContain('[clicktrail] sent capture: 2 events: {"accepted":2}');
  });

  it('never nests a code in a message nor says undefined', async () => {
    const errors: ClicktrailError[] = [];
    let answer = 0;
    const sink: Sink = {
      name: 'flaky',
      async send(batch) {
        const ids = batch.map((e) => e.id);
        // An error named after its code (as a sink may make it), then an answer with no error.
        if (answer++ == 0) return { accepted: [], error: Object.assign(new Error('sink_failed: HTTP 500'), { code: 'sink_failed' }) };
        return answer == 2 ? { accepted: [], rejected: ids } : { accepted: ids };
      },
    };
    const t = createTracker({ appId: 'n' + Math.random(), sink, queue: { persist: false }, retry: { baseMs: 1, maxMs: 1 }, onError: (e) => errors.push(e) });
    made.push(t);
    t.track('a');
    await t.flush();
    await t.flush();
    t.report('internal', undefined as unknown as string);
    expect(messages(errors)).toEqual(['sink_failed: 1 kept for retry: HTTP 500', 'sink_rejected: 1 dropped', 'internal: no detail']);
  });
});

describe('the full build: plugins by name', () => {
  it('names a factory passed uncalled, whatever the minifier called it', async () => {
    const { resolvePlugins } = await import('../../../src/plugin-names');
    const { errors } = make(resolvePlugins({ plugins: [pageViews] }) as unknown as Partial<TrackerOptions>);
    expect(messages(errors)).toEqual(['invalid_option: plugin pageViews is a factory: call pageViews()']);
  });
});
