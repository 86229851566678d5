// Checks one event of the clicktrail envelope (README "The event envelope"). A reason per bad
// event, so a batch keeps its good events and the answer says what was wrong with the rest.
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TYPES = ['track', 'page', 'identify'];
const isObject = (v) => !!v && typeof v === 'object' && !Array.isArray(v);
const id = (v, max = 128) => typeof v === 'string' && v.length > 0 && v.length <= max;

/** Undefined when the event is valid, else why not. `bytes` is its JSON size in UTF-8. */
export function invalidReason(e, bytes, maxEventBytes) {
  if (!isObject(e)) return 'not an object';
  if (typeof e.eventId !== 'string' || !UUID.test(e.eventId)) return 'eventId is not a UUID';
  if (typeof e.name !== 'string' || !e.name.trim() || e.name.length > 255) return 'name is not a string of 1-255 characters';
  if (!TYPES.includes(e.type)) return `type is not one of ${TYPES.join(', ')}`;
  if (typeof e.timestamp !== 'string' || !Number.isFinite(Date.parse(e.timestamp))) return 'timestamp is not an ISO 8601 date';
  if (!id(e.anonymousId)) return 'anonymousId is missing';
  if (e.sessionId !== undefined && !id(e.sessionId)) return 'sessionId is not a string';
  if (e.userId != null && !id(e.userId, 256)) return 'userId is not a string or null';
  if (e.properties !== undefined && !isObject(e.properties)) return 'properties is not an object';
  if (e.traits !== undefined && !isObject(e.traits)) return 'traits is not an object';
  if (bytes > maxEventBytes) return `event of ${bytes} bytes > ${maxEventBytes}`;
  return undefined;
}
