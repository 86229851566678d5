// Random bytes come from a pool refilled 256 at a time, and bytes become hex through a table:
// both keep id generation well under a microsecond. Both are made on first use: nothing runs at
// import, so bundles without ids drop all of this.
let pool: Uint8Array;
let at = 256;
let lastMs = 0;
let counter = 0;
const HEX: string[] = [];

/**
 * A UUIDv7 (RFC 9562): 48-bit millisecond time, then a 12-bit counter that keeps ids from one tab
 * strictly increasing within a millisecond (section 6.2, method 1), then 62 random bits. Ids sort
 * as strings in the order they were made, which the queue relies on for delivery order.
 */
export function uuidv7(now = Date.now()): string {
  if (now > lastMs) (lastMs = now), (counter = 0);
  // Counter exhausted within one millisecond: borrow the next one rather than lose order.
  else if (++counter > 0xfff) lastMs++, (counter = 0);
  if (!HEX[0]) for (let i = 0; i < 256; i++) HEX[i] = (i + 256).toString(16).slice(1);
  if (at > 248) (pool = crypto.getRandomValues(new Uint8Array(256))), (at = 0);
  const t = (lastMs + 2 ** 48).toString(16);
  let id = t.slice(1, 9) + '-' + t.slice(9) + '-' + (0x7000 | counter).toString(16) + '-' + HEX[0x80 | (pool[at++] & 0x3f)];
  for (let i = 0; i < 7; i++) id += (i == 1 ? '-' : '') + HEX[pool[at++]];
  return id;
}
