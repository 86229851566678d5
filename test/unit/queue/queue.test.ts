import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ClicktrailError, ErrorCode, QueuedEvent } from '../../../src/core/types';
import { uuidv7 } from '../../../src/core/ids';
import { createQueue } from '../../../src/queue';

let n = 0;
const newName = () => `q${++n}-${Math.random().toString(36).slice(2, 8)}`;

/** Events with increasing UUIDv7 ids; `size` pads the json to that many characters. */
function events(count: number, { time = Date.now(), size = 0 } = {}): QueuedEvent[] {
  return Array.from({ length: count }, (_, i) => {
    const id = uuidv7(time);
    const json = JSON.stringify({ eventId: id, i, pad: '' });
    return { id, json: size ? json.replace('"pad":""', `"pad":"${'x'.repeat(Math.max(0, size - json.length))}"`) : json, time, aid: 'a' };
  });
}

function open(options: { name?: string; maxEvents?: number; maxBytes?: number; maxAgeMs?: number; persist?: boolean } = {}) {
  const errors: ClicktrailError[] = [];
  const drops: [string, number][] = [];
  const q = createQueue(
    options.name ?? newName(),
    options.maxEvents ?? 1e4,
    options.maxBytes ?? 1e7,
    options.maxAgeMs ?? 6048e5,
    options.persist ?? true,
    (code: ErrorCode, detail: string, count?: number) => errors.push(Object.assign(new Error(detail), { code, count })),
    (kind, k) => drops.push([kind, k]),
  );
  return { q, errors, drops, codes: () => errors.map((e) => [e.code, e.count]) };
}

const ids = (list: QueuedEvent[]) => list.map((e) => e.id);

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

describe('createQueue on IndexedDB', () => {
  it('reads events back oldest first, by id, whatever order they were added in', async () => {
    const { q, errors } = open();
    await q.ready;
    expect(q.kind()).toBe('indexeddb');
    const list = events(6);
    await q.add([list[3], list[0], list[5]]);
    await q.add([list[1], list[4], list[2]]);
    expect(ids(await q.read())).toEqual(ids(list));
    expect(await q.read()).toEqual(list);
    expect(ids(await q.read(2))).toEqual(ids(list.slice(0, 2)));
    expect(await q.count()).toBe(6);
    expect(errors).toEqual([]);
  });

  it('removes events by id, ignoring unknown ids', async () => {
    const { q } = open();
    const list = events(5);
    await q.add(list);
    await q.remove([list[1].id, list[3].id, 'nope']);
    expect(ids(await q.read())).toEqual(ids([list[0], list[2], list[4]]));
    expect(await q.count()).toBe(3);
    await q.remove([]);
    expect(await q.count()).toBe(3);
  });

  it('keeps one record per id: adding an event again replaces it', async () => {
    const { q } = open();
    const [e] = events(1);
    await q.add([e]);
    await q.add([{ ...e, tries: 2 }]);
    expect(await q.read()).toEqual([{ ...e, tries: 2 }]);
  });

  it('writes before the store has been probed, so events added at once are kept', async () => {
    const { q } = open();
    const list = events(3);
    const added = q.add(list); // no await q.ready first
    await added;
    expect(ids(await q.read())).toEqual(ids(list));
  });

  it('keeps events in the database for the next queue of the same name (the next page load)', async () => {
    const name = newName();
    const first = open({ name });
    const list = events(250); // more than one chunk of puts
    await first.q.add(list);
    const second = open({ name });
    await second.q.ready;
    expect(ids(await second.q.read())).toEqual(ids(list));
    const other = open();
    expect(await other.q.count()).toBe(0);
  });

  it('drops the oldest events beyond maxEvents and reports queue_overflow with the count', async () => {
    const { q, codes, drops } = open({ maxEvents: 10 });
    const list = events(15);
    await q.add(list);
    expect(ids(await q.read())).toEqual(ids(list.slice(5)));
    expect(codes()).toEqual([['queue_overflow', 5]]);
    expect(drops).toEqual([['overflow', 5]]);
  });

  it('counts events added by earlier adds against maxEvents', async () => {
    const { q, codes } = open({ maxEvents: 40 });
    const list = events(50);
    for (let i = 0; i < 50; i += 5) await q.add(list.slice(i, i + 5));
    expect(await q.count()).toBeLessThanOrEqual(40);
    expect(ids(await q.read())).toEqual(ids(list.slice(50 - (await q.count()))));
    expect(codes().every(([c]) => c == 'queue_overflow')).toBe(true);
    expect(codes().reduce((s, [, k]) => s + (k as number), 0)).toBe(50 - (await q.count()));
  });

  it('drops the oldest events beyond maxBytes, down to 95% of it, and reports queue_overflow', async () => {
    const { q, codes } = open({ maxBytes: 1000 });
    await q.ready;
    const list = events(12, { size: 100 });
    expect(list.every((e) => e.json.length == 100)).toBe(true);
    await q.add(list);
    expect(ids(await q.read())).toEqual(ids(list.slice(3)));
    expect(codes()).toEqual([['queue_overflow', 3]]);
  });

  // Was a bug (kept as a regression test): trimming to the byte cap itself left the queue just
  // under it, so every later add read the whole store again (long tasks) and reported again.
  it('leaves room under the byte cap after a trim: the next add does not trim again', async () => {
    const { q, codes } = open({ maxBytes: 1000 });
    await q.ready;
    await q.add(events(12, { size: 100 }));
    await q.add(events(1, { size: 40 }));
    expect(codes()).toEqual([['queue_overflow', 3]]);
    expect(await q.count()).toBe(10);
  });

  // Was a bug (kept as a regression test): src/queue/index.ts runs trim() from `ready` and from add() without serialising them. An
  // add() before the probe ends writes its events, then both trims read the same records and
  // both count the same drops: 2 events dropped, queue_overflow reported twice with 2, and the
  // tracker's stats().overflow grows by 4.
  it('counts each dropped event once when an add() over the cap races the opening trim', async () => {
    const { q, drops } = open({ maxBytes: 1000 });
    const list = events(12, { size: 100 });
    await q.add(list); // no await q.ready first, as on a page load
    expect(ids(await q.read())).toEqual(ids(list.slice(3)));
    expect(drops).toEqual([['overflow', 3]]);
  });

  // Was a bug (kept as a regression test): each tab's trim read the same store and counted the
  // same oldest events as its own drops.
  it('counts each drop once when two tabs trim the same store at once', async () => {
    const name = newName();
    const a = open({ name, maxEvents: 50 });
    const b = open({ name, maxEvents: 50 });
    await Promise.all([a.q.ready, b.q.ready]);
    await Promise.all([a.q.add(events(60)), b.q.add(events(60))]);
    const dropped = [...a.drops, ...b.drops].reduce((n, [, k]) => n + k, 0);
    expect(await a.q.count()).toBe(50);
    expect(dropped).toBe(70);
  });

  it('drops events older than maxAgeMs on read and reports event_expired with the count', async () => {
    const { q, codes, drops } = open({ maxAgeMs: 60_000 });
    const old = events(3, { time: Date.now() - 120_000 });
    const fresh = events(2);
    await q.add([...old, ...fresh]);
    expect(ids(await q.read())).toEqual(ids(fresh));
    expect(codes()).toEqual([['event_expired', 3]]);
    expect(drops).toEqual([['expired', 3]]);
    expect(await q.count()).toBe(2);
  });

  it('drops expired events already stored when the next page load opens the queue', async () => {
    const name = newName();
    const first = open({ name });
    await first.q.ready;
    const old = events(4, { time: Date.now() - 120_000 });
    const fresh = events(1);
    await first.q.add([...old, ...fresh]);
    expect(await first.q.count()).toBe(5);
    const second = open({ name, maxAgeMs: 60_000 });
    await second.q.ready;
    expect(second.codes()).toEqual([['event_expired', 4]]);
    expect(await second.q.count()).toBe(1);
  });

  it('moves to memory and reports storage_unavailable when a write fails later', async () => {
    const { q, codes } = open();
    await q.ready;
    const before = events(2);
    await q.add(before);
    const put = vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(() => {
      throw new DOMException('quota', 'QuotaExceededError');
    });
    const after = events(3);
    await q.add(after);
    expect(put).toHaveBeenCalled();
    expect(q.kind()).toBe('memory');
    expect(codes()).toEqual([['storage_unavailable', undefined]]);
    expect(ids(await q.read())).toEqual(ids(after));
    await q.add(events(1));
    expect(codes()).toHaveLength(1);
  });
});

describe('createQueue in memory', () => {
  it('falls back to memory when indexedDB is missing, reporting storage_unavailable once', async () => {
    vi.stubGlobal('indexedDB', undefined);
    const { q, codes } = open();
    await q.ready;
    expect(q.kind()).toBe('memory');
    const list = events(4);
    await q.add(list.slice(0, 2));
    await q.add(list.slice(2));
    expect(ids(await q.read())).toEqual(ids(list));
    await q.remove([list[0].id]);
    expect(await q.count()).toBe(3);
    expect(codes()).toEqual([['storage_unavailable', undefined]]);
  });

  it('falls back to memory when indexedDB.open fails', async () => {
    vi.spyOn(indexedDB, 'open').mockImplementation(() => {
      throw new DOMException('private window', 'InvalidStateError');
    });
    const { q, errors } = open();
    await q.ready;
    expect(q.kind()).toBe('memory');
    expect(errors.map((e) => e.code)).toEqual(['storage_unavailable']);
    expect(errors[0].message).toContain('private window');
  });

  it('keeps events in memory without a report when persist is false', async () => {
    const { q, errors } = open({ persist: false });
    await q.ready;
    expect(q.kind()).toBe('memory');
    await q.add(events(2));
    expect(await q.count()).toBe(2);
    expect(errors).toEqual([]);
  });

  it('applies maxEvents and maxAgeMs in memory too', async () => {
    const { q, codes } = open({ persist: false, maxEvents: 3, maxAgeMs: 60_000 });
    const old = events(2, { time: Date.now() - 120_000 });
    const fresh = events(4);
    await q.add([...old, ...fresh]);
    expect(ids(await q.read())).toEqual(ids(fresh.slice(1)));
    expect(codes()).toEqual([['event_expired', 2], ['queue_overflow', 1]]);
  });
});
