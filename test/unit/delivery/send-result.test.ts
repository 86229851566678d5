import { afterEach, describe, expect, it } from 'vitest';
import { createTracker } from '../../../src/core/tracker';
import type { ClicktrailError, SendResult, Tracker } from '../../../src/core/types';

let made: Tracker[] = [];
afterEach(async () => {
  await Promise.all(made.map((t) => t.shutdown()));
  made = [];
});

/** A tracker whose sink answers every batch with `answer`, and the errors it reports. */
function setup(answer: (ids: string[], call: number) => SendResult) {
  const errors: ClicktrailError[] = [];
  let calls = 0;
  const tracker = createTracker({
    appId: 'sr-' + Math.random().toString(36).slice(2, 8),
    sink: { name: 'answers', send: async (batch) => answer(batch.map((e) => e.id), calls++) },
    queue: { persist: false },
    onError: (e) => errors.push(e),
  });
  made.push(tracker);
  return { tracker, errors };
}

describe("delivery reads the sink's answer", () => {
  it('reports a notice once, even when every event was accepted', async () => {
    const notice = Object.assign(new Error('http://c/v1 refused gzip: plain from now on'), { code: 'sink_failed' }) as ClicktrailError;
    const { tracker, errors } = setup((ids, n) => ({ accepted: ids, notice: n == 0 ? notice : undefined }));
    await tracker.flush();
    tracker.track('a');
    expect(await tracker.flush()).toMatchObject({ sent: 1, failed: 0, queued: 0 });
    tracker.track('b');
    await tracker.flush();
    expect(errors.map((e) => [e.code, e.message.endsWith('http://c/v1 refused gzip: plain from now on')])).toEqual([['sink_failed', true]]);
  });

  it('neither reports nor counts a failure for a request aborted by leaving the page, and keeps its events', async () => {
    let aborted = true;
    const { tracker, errors } = setup((ids) => (aborted ? { accepted: [], aborted: true, error: new Error('cut off') } : { accepted: ids }));
    await tracker.flush();
    tracker.track('a');
    expect(await tracker.flush()).toMatchObject({ sent: 0, failed: 0, queued: 1 });
    expect(errors).toEqual([]);
    aborted = false;
    expect(await tracker.flush()).toMatchObject({ sent: 1, queued: 0 });
  });

  it('reports a collector URL refused at creation as invalid_option, not as a failing collector', async () => {
    const refused = Object.assign(new Error('relative URL v1/events'), { code: 'invalid_option' });
    const { tracker, errors } = setup(() => ({ accepted: [], error: refused, retryAfterMs: 300_000 }));
    await tracker.flush();
    tracker.track('a');
    await tracker.flush();
    expect(errors.map((e) => e.code)).toEqual(['invalid_option']);
  });
});
