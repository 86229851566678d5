// @vitest-environment node
// A tracker created during a server render (Next.js) or in a Node script: no document, window,
// localStorage, navigator.locks or IndexedDB persistence.
import { describe, expect, it } from 'vitest';
import { createTracker } from '../../../src/core/tracker';
import type { ClicktrailError, QueuedEvent, TrackedEvent } from '../../../src/core/types';

describe('createTracker without a DOM', () => {
  it('queues in memory and delivers on flush, with empty page fields, reporting nothing', async () => {
    expect(typeof document).toBe('undefined');
    const batches: QueuedEvent[][] = [];
    const errors: ClicktrailError[] = [];
    const tracker = createTracker({
      appId: 'server',
      sink: { name: 'c', send: async (b) => (batches.push(b), { accepted: b.map((e) => e.id) }) },
      onError: (e) => errors.push(e),
    });
    tracker.identify('u1', { plan: 'pro' });
    tracker.track('purchase', { transaction_id: 't1', value: 10, currency: 'EUR', items: [] });
    // The start-up drain may take them before flush() runs its own (see tracker.test.ts).
    expect(await tracker.flush()).toMatchObject({ failed: 0, dropped: 0, queued: 0 });
    const events = batches.flat().map((e) => JSON.parse(e.json) as TrackedEvent);
    expect(events.map((e) => [e.name, e.userId, e.seq])).toEqual([['identify', 'u1', 1], ['purchase', 'u1', 2]]);
    expect(events[0].page).toEqual({ url: '', path: '', title: '', referrer: '' });
    expect(events[0].context.library.name).toBe('clicktrail');
    expect(tracker.stats()).toMatchObject({ storage: 'memory', sent: 2, tracked: 2 });
    expect(errors).toEqual([]);
    await tracker.shutdown();
    tracker.track('after');
    expect(tracker.stats().tracked).toBe(2);
  });
});
