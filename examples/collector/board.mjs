// What the demo dashboard shows: the latest events (the first copy of each eventId, as the real
// pipeline keeps with ON CONFLICT (event_id) DO NOTHING), the pipeline's counters, a purchase
// funnel and events per minute. One owner for these numbers: the server only calls in.
export const FUNNEL = ['page_view', 'view_item', 'add_to_cart', 'begin_checkout', 'purchase'];
const MINUTES = 30; // events per minute over the last half hour

export function createBoard({ keep = 1000, sink = 'http' } = {}) {
  const events = []; // newest last
  const seen = new Set();
  // received: events that reached the collector; forwarded: records read back from Kinesis;
  // errors: events refused and requests answered with an error.
  const counters = { received: 0, duplicates: 0, forwarded: sink === 'kinesis' ? 0 : null, errors: 0 };
  const sessions = new Map(FUNNEL.map((s) => [s, new Set()]));
  const perMinute = new Map();

  return {
    counters,
    /** Adds one delivered event; false for a duplicate (dropped). */
    add(e, now = Date.now()) {
      if (!e || typeof e !== 'object' || seen.has(e.eventId)) {
        counters.duplicates++;
        return false;
      }
      seen.add(e.eventId);
      events.push(e);
      if (events.length > keep) events.shift();
      sessions.get(e.name)?.add(e.sessionId);
      const minute = Math.floor(now / 60_000) * 60;
      perMinute.set(minute, (perMinute.get(minute) || 0) + 1);
      return true;
    },
    /** The dashboard's data: GET /api/events. */
    json(now = Date.now()) {
      const last = Math.floor(now / 60_000) * 60;
      const t = Array.from({ length: MINUTES }, (_, i) => last - (MINUTES - 1 - i) * 60);
      return {
        sink,
        total: seen.size,
        duplicates: counters.duplicates,
        counters,
        funnel: FUNNEL.map((step) => [step, sessions.get(step).size]),
        perMinute: { t, n: t.map((m) => perMinute.get(m) || 0) },
        events: events.slice().reverse(),
      };
    },
  };
}
