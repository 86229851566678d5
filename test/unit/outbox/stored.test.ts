import { beforeEach, describe, expect, it } from 'vitest';
import { createTracker } from '../../../src/core/tracker';
import { uuidv7 } from '../../../src/core/ids';
import type { ClicktrailError, QueuedEvent } from '../../../src/core/types';
import { toRecords } from '../../../src/outbox/record';
import { spill, unspill } from '../../../src/outbox/spill';
import { webLocks } from '../../support/web-locks';

// Writes raw values into the outbox's database as another script of the origin (or clicktrail
// 0.1.0) could have.
function storeRaw(name: string, records: [string, unknown][]) {
  return new Promise<void>((ok, no) => {
    const req = indexedDB.open(name);
    req.onupgradeneeded = () => req.result.createObjectStore('events');
    req.onerror = () => no(req.error);
    req.onsuccess = () => {
      const tx = req.result.transaction('events', 'readwrite');
      for (const [k, v] of records) tx.objectStore('events').put(v, k);
      tx.oncomplete = () => (req.result.close(), ok());
      tx.onerror = () => no(tx.error);
    };
  });
}

const event = (name: string): QueuedEvent => {
  const id = uuidv7();
  return { id, json: JSON.stringify({ eventId: id, name, properties: {} }), time: Date.now(), aid: 'a' };
};

/** A tracker on `appId` whose sink accepts every batch, with what it sent and reported. */
function acceptingTracker(appId: string) {
  const sent: QueuedEvent[] = [];
  const errors: ClicktrailError[] = [];
  const t = createTracker({ appId, sink: { name: 't', send: async (b) => (sent.push(...b), { accepted: b.map((e) => e.id) }) }, onError: (e) => errors.push(e) });
  return { t, sent, errors };
}

beforeEach(() => {
  Object.defineProperty(navigator, 'locks', { value: webLocks(), configurable: true });
});

describe('the outbox reads what is stored', () => {
  it('sends a queue of format 1 (one event per record) and drops forged or malformed records, reported', async () => {
    const appId = 'stored-' + Math.random().toString(36).slice(2);
    const legacy = event('from_0_1_0');
    const forgedId = uuidv7();
    const good = event('in_a_record');
    await storeRaw('clicktrail:' + appId, [
      [legacy.id, legacy],
      // A body splice: valid-looking fields, but not one object.
      [forgedId, { id: forgedId, json: `{"eventId":"${forgedId}","name":"x"}],"forged":[{"a":1`, time: Date.now(), aid: 'a' }],
      [good.id, { v: 3, e: [good.json, JSON.stringify({ eventId: 'other', name: 'y' })].join('\n') }],
      ['zz-junk', 'just a string'],
    ]);
    const { t, sent, errors } = acceptingTracker(appId);
    const r = await t.flush();
    expect(sent.map((e) => JSON.parse(e.json).name)).toEqual(['from_0_1_0', 'in_a_record']);
    expect(errors.map((e) => e.code)).toContain('storage_corrupt');
    expect(t.stats().invalid).toBeGreaterThanOrEqual(2);
    expect(r.queued).toBe(0);
    await t.shutdown();
  });
});

describe('the outbox stores records as lines of JSON (format 3)', () => {
  it('sends the good lines of a stored record and drops a forged one, reported', async () => {
    const appId = 'lines-' + Math.random().toString(36).slice(2);
    const a = event('first');
    const b = event('second');
    const forgedId = uuidv7();
    // A line that claims an id but is not one object: it must never be spliced into a body.
    const forged = `{"eventId":"${forgedId}","name":"x"}],"forged":[{"a":1`;
    await storeRaw('clicktrail:' + appId, [[a.id, { v: 3, e: [a.json, forged, b.json].join('\n') }]]);
    const { t, sent, errors } = acceptingTracker(appId);
    const r = await t.flush();
    expect(sent.map((e) => JSON.parse(e.json).name)).toEqual(['first', 'second']);
    expect(errors.map((e) => e.code)).toContain('storage_corrupt');
    expect(r.queued).toBe(0);
    await t.shutdown();
  });
});

describe('the spill', () => {
  it('gives back the same records under the same keys, so a write that completed is overwritten, not doubled', () => {
    const one = event('one');
    const two = event('two');
    const three = event('three');
    const records = toRecords([one.json, two.json]).concat(toRecords([three.json]));
    spill('spill-test', 'tab', records.map(([, r]) => r));
    expect(unspill('spill-test')).toEqual(records);
    expect(unspill('spill-test')).toEqual([]);
  });

  it('reads a spill that clicktrail 0.1.0 wrote (a JSON array of events), one record per event', () => {
    const one = event('old_one');
    const two = event('old_two');
    localStorage.setItem('clicktrail-spill:old:tab', JSON.stringify([one, two, { junk: true }]));
    expect(unspill('old').map(([k, r]) => [k, r.e.split('\n').map((l) => JSON.parse(l).name)])).toEqual([
      [one.id, ['old_one']],
      [two.id, ['old_two']],
    ]);
  });
});
