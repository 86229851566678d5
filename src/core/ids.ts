// Random bytes come from a pool refilled 256 at a time, and bytes become hex through a table:
// both keep id generation well under a microsecond inside track().
// Both are made on first use: nothing runs at import, so bundles without ids drop all of this.
let pool: Uint8Array;
let at = 0;
let lastMs = 0;
let counter = 0;
const HEX: string[] = [];

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
  if (!HEX[0]) for (let i = 0; i < 256; i++) HEX[i] = (i + 256).toString(16).slice(1);
  if (at > 248) at = 0;
  if (!at) pool = crypto.getRandomValues(new Uint8Array(256));
  const r = pool;
  const t = lastMs;
  const h = (n: number) => HEX[n & 255];
  at += 8;
  return (
    h(t / 2 ** 40) + h(t / 2 ** 32) + h(t / 2 ** 24) + h(t / 65536) + '-' + h(t / 256) + h(t) + '-' +
    h(0x70 | (counter >> 8)) + h(counter) + '-' + h(0x80 | (r[at - 8] & 0x3f)) + h(r[at - 7]) + '-' +
    h(r[at - 6]) + h(r[at - 5]) + h(r[at - 4]) + h(r[at - 3]) + h(r[at - 2]) + h(r[at - 1])
  );
}
