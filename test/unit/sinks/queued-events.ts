import { afterAll, afterEach, beforeAll, vi } from 'vitest';
import { startCollector, type Collector, type CollectorOptions } from '../../support/collector';
import type { QueuedEvent, TrackedEvent } from '../../../src/core/types';
import { uuidv7 } from '../../../src/core/ids';

/** `count` queued add_to_cart events, each with `pad` characters of padding. */
export function events(count: number, pad = 0): QueuedEvent[] {
  return Array.from({ length: count }, (_, i) => {
    const id = uuidv7();
    const e = { eventId: id, name: 'add_to_cart', type: 'track', properties: { i, pad: 'x'.repeat(pad) } };
    return { id, json: JSON.stringify(e), time: Date.now(), aid: 'anon-1' };
  });
}
export const ids = (list: QueuedEvent[]) => list.map((e) => e.id);
/** The event ids in a batch body. */
export const idsIn = (body: string | undefined) => (JSON.parse(body!).events as TrackedEvent[]).map((e) => e.eventId);

/**
 * A real collector on 127.0.0.1 for the file's tests: `respond` decides each answer (reset after
 * every test, with the recorded requests and stubbed globals).
 */
export function useCollector() {
  const h = {
    collector: undefined as unknown as Collector,
    respond: undefined as CollectorOptions['respond'],
    url: () => `${h.collector.url}/e`,
  };
  beforeAll(async () => {
    h.collector = await startCollector({ respond: (r) => h.respond?.(r) });
  });
  afterAll(() => h.collector.close());
  afterEach(() => {
    h.respond = undefined;
    h.collector.requests.length = 0;
    vi.unstubAllGlobals();
  });
  return h;
}
