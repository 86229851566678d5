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
