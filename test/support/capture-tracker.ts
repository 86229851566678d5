import { createTracker } from '../../src/core/tracker';
import type { ClicktrailError, Sink, TrackedEvent, Tracker, TrackerOptions } from '../../src/core/types';

let n = 0;

/**
 * A real tracker whose sink keeps what it is sent, for unit tests: `sent()` flushes the queue and
 * returns every event the sink received; `errors` collects what reached onError.
 */
/** What the sink received, with properties open to inspection. */
export type SentEvent = Omit<TrackedEvent, 'properties'> & { properties: Record<string, any> };

export function captureTracker(options: Partial<TrackerOptions> = {}): {
  tracker: Tracker;
  errors: ClicktrailError[];
  sent(): Promise<SentEvent[]>;
} {
  const received: SentEvent[] = [];
  const errors: ClicktrailError[] = [];
  const sink: Sink = {
    name: 'capture',
    async send(batch) {
      for (const e of batch) received.push(JSON.parse(e.json));
      return { accepted: batch.map((e) => e.id) };
    },
  };
  const tracker = createTracker({
    appId: `unit-${++n}-${Math.random().toString(36).slice(2)}`,
    sink,
    queue: { persist: false },
    onError: (e) => errors.push(e),
    ...options,
  });
  return {
    tracker,
    errors,
    async sent() {
      await tracker.flush();
      return received;
    },
  };
}
