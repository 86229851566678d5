// Random bytes come from a pool refilled 256 at a time: one getRandomValues call per ~25 ids
// keeps id generation off the profile of track().
let pool = new Uint8Array(0);
let at = 0;
let lastMs = 0;
let counter = 0;

function bytes(n: number): Uint8Array {
  if (at + n > pool.length) {
    pool = crypto.getRandomValues(new Uint8Array(256));
    at = 0;
  }
  at += n;
  return pool.subarray(at - n, at);
}

const hex: string[] = [];
for (let i = 0; i < 256; i++) hex.push((i + 256).toString(16).slice(1));

/**
 * A UUIDv7 (RFC 9562): 48-bit millisecond time, then a 12-bit counter that keeps ids from one tab
 * strictly increasing within a millisecond (method 1 of section 6.2), then random bits. Ids sort
 * as strings in the order they were made, which the queue relies on for delivery order.
 */
export function uuidv7(now = Date.now()): string {
  if (now > lastMs) {
    lastMs = now;
    counter = 0;
  } else if (++counter > 0xfff) {
    // Counter exhausted: borrow the next millisecond rather than lose ordering.
    lastMs++;
    counter = 0;
  }
  const r = bytes(8);
  const b = new Uint8Array(16);
  let t = lastMs;
  for (let i = 5; i >= 0; i--) {
    b[i] = t % 256;
    t = Math.floor(t / 256);
  }
  b[6] = 0x70 | (counter >> 8);
  b[7] = counter & 0xff;
  b[8] = 0x80 | (r[0] & 0x3f);
  for (let i = 1; i < 8; i++) b[8 + i] = r[i];
  let s = '';
  for (let i = 0; i < 16; i++) s += (i === 4 || i === 6 || i === 8 || i === 10 ? '-' : '') + hex[b[i]];
  return s;
}
