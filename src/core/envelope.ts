import { stringify } from '../outbox/json';
import type { IdentityState } from './identity';
import { identityVersion } from './identity';
import { uuidv7 } from './ids';
import type { EventType, PageInfo, QueuedEvent } from './types';

// toISOString costs about 2 µs in Chromium, most of track()'s budget: format each second once.
let isoSecond = 0;
let isoPrefix = '';
const iso = (ms: number) => {
  if (ms - (ms % 1000) != isoSecond) isoPrefix = new Date((isoSecond = ms - (ms % 1000))).toISOString().slice(0, 20);
  return isoPrefix + String(1000 + (ms % 1000)).slice(1) + 'Z';
};

/**
 * Builds the queued form of an event: its id and its JSON envelope, assembled from parts of
 * which most are shared between events and serialised only when they change (the ids, the page).
 */
export function envelope(page: () => PageInfo, contextJson: string) {
  let lastPage: PageInfo | undefined;
  let tail = '';
  let lastIds = -1;
  let who = '';
  return (type: EventType, name: string, props: string, st: IdentityState, now: number): QueuedEvent => {
    const p = page();
    if (p != lastPage) tail = `,"page":${stringify((lastPage = p))},"context":${contextJson},"properties":`;
    if (identityVersion != lastIds) {
      lastIds = identityVersion;
      // Escaped: the ids come from localStorage, which any script of the origin can write.
      who = `","anonymousId":${stringify(st.a)},"userId":${stringify(st.u)},"sessionId":${stringify(st.s)},"isFirstVisit":${st.f == st.s},"seq":`;
    }
    const id = uuidv7(now);
    return { id, json: `{"eventId":"${id}","name":${stringify(name)},"type":"${type}","timestamp":"${iso(now)}${who}${st.n}${tail}${props}}`, time: now, aid: st.a };
  };
}
