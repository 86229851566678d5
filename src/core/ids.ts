// Random bytes come from a pool refilled 256 at a time: one getRandomValues call per 32 ids
// keeps id generation cheap inside track().
let pool = new Uint8Array(0);
let at = 0;
let lastMs = 0;
let counter = 0;

const hex = (n: number, width: number) => n.toString(16).padStart(width, '0');

/**
 * A UUIDv7 (RFC 9562): 48-bit millisecond time, then a 12-bit counter that keeps ids from one tab
 * strictly increasing within a millisecond (section 6.2, method 1), then 62 random bits. Ids sort
 * as strings in the order they were made, which the queue relies on for delivery order.
 */
export function uuidv7(now = Date.now()): string {
  if (now > lastMs) {
    lastMs = now;
    counter = 0;
  } else if (++counter > 0xfff) {
    // Counter exhausted within one millisecond: borrow the next one rather than lose order.
    lastMs++;
    counter = 0;
  }
  if (at > 248) at = 0;
  if (!at) pool = crypto.getRandomValues(new Uint8Array(256));
  const r = pool.subarray(at, (at += 8));
  const t = hex(lastMs, 12);
  let rand = '';
  for (let i = 2; i < 8; i++) rand += hex(r[i], 2);
  return `${t.slice(0, 8)}-${t.slice(8)}-7${hex(counter, 3)}-${hex(0x8000 | ((r[0] << 8) | r[1]) & 0x3fff, 4)}-${rand}`;
}
