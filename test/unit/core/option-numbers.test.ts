import { afterEach, expect, it } from 'vitest';
import { createTracker } from '../../../src/core/tracker';
import type { Tracker } from '../../../src/core/types';

let made: Tracker[] = [];
afterEach(async () => {
  await Promise.all(made.map((t) => t.shutdown()));
  made = [];
});

// Found by test/fuzz/api.fuzz.test.ts: a positive fraction was taken as a batch size, and no
// event could ever be sent.
it('takes a count or a delay below 1 as unset, so events still go out', async () => {
  const batches: number[] = [];
  const tracker = createTracker({
    appId: 'num-' + Math.random().toString(36).slice(2, 8),
    sink: { name: 'count', send: async (b) => (batches.push(b.length), { accepted: b.map((e) => e.id) }) },
    queue: { persist: false },
    batch: { maxEvents: 4.4e-10, maxBytes: 0.5 },
    onError: () => {},
  });
  made.push(tracker);
  for (let i = 0; i < 3; i++) tracker.track('probe', { i });
  expect(await tracker.flush()).toMatchObject({ sent: 3, queued: 0 });
  expect(batches).toEqual([3]);
});
