import { beforeEach, describe, expect, it } from 'vitest';
import { createTracker } from '../../../src/core/tracker';
import { uuidv7 } from '../../../src/core/ids';
import type { ClicktrailError, QueuedEvent } from '../../../src/core/types';
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
      [forgedId, { v: 2, e: [{ id: forgedId, json: `{"eventId":"${forgedId}","name":"x"}],"forged":[{"a":1`, time: Date.now(), aid: 'a' }] }],
      [good.id, { v: 2, e: [good, { id: 'not-mine', json: JSON.stringify({ eventId: 'other', name: 'y' }), time: Date.now(), aid: 'a' }] }],
      ['zz-junk', 'just a string'],
    ]);
    const sent: QueuedEvent[] = [];
    const errors: ClicktrailError[] = [];
    const t = createTracker({ appId, sink: { name: 't', send: async (b) => (sent.push(...b), { accepted: b.map((e) => e.id) }) }, onError: (e) => errors.push(e) });
    const r = await t.flush();
    expect(sent.map((e) => JSON.parse(e.json).name)).toEqual(['from_0_1_0', 'in_a_record']);
    expect(errors.map((e) => e.code)).toContain('storage_corrupt');
    expect(t.stats().invalid).toBeGreaterThanOrEqual(2);
    expect(r.queued).toBe(0);
    await t.shutdown();
  });
});
