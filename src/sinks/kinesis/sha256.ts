// A synchronous SHA-256 and HMAC-SHA256 (FIPS 180-4, RFC 2104). The page-hide path must start its
// request before the page goes, and SubtleCrypto only answers asynchronously: a signed request
// made there with it would never leave. Checked against node:crypto in the unit tests.

const K: number[] = [];
const H: number[] = [];
// The round constants and initial hash values are the first 32 bits of the fractional parts of
// the cube and square roots of the first 64 primes; `| 0` keeps those bits.
for (let n = 2; K.length < 64; n++) {
  let prime = true;
  for (let d = 2; d * d <= n; d++) if (n % d == 0) prime = false;
  if (prime) {
    if (H.length < 8) H.push((n ** 0.5 * 2 ** 32) | 0);
    K.push((n ** (1 / 3) * 2 ** 32) | 0);
  }
}

const rotr = (x: number, n: number) => (x >>> n) | (x << (32 - n));

export function sha256(data: Uint8Array): Uint8Array {
  const len = data.length;
  const size = ((len + 72) >> 6) << 6;
  const m = new Uint8Array(size);
  m.set(data);
  m[len] = 0x80;
  const view = new DataView(m.buffer);
  view.setUint32(size - 8, len / 2 ** 29);
  view.setUint32(size - 4, len << 3);
  const h = H.slice();
  const w = new Int32Array(64);
  for (let o = 0; o < size; o += 64) {
    for (let i = 0; i < 64; i++) {
      if (i < 16) w[i] = view.getInt32(o + i * 4);
      else {
        const x = w[i - 15];
        const y = w[i - 2];
        w[i] = (rotr(x, 7) ^ rotr(x, 18) ^ (x >>> 3)) + w[i - 7] + (rotr(y, 17) ^ rotr(y, 19) ^ (y >>> 10)) + w[i - 16];
      }
    }
    let [a, b, c, d, e, f, g, k] = h;
    for (let i = 0; i < 64; i++) {
      const t1 = (k + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K[i] + w[i]) | 0;
      const t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) | 0;
      k = g;
      g = f;
      f = e;
      e = (d + t1) | 0;
      d = c;
      c = b;
      b = a;
      a = (t1 + t2) | 0;
    }
    [a, b, c, d, e, f, g, k].forEach((v, i) => (h[i] = (h[i] + v) | 0));
  }
  const out = new Uint8Array(32);
  const ov = new DataView(out.buffer);
  h.forEach((v, i) => ov.setInt32(i * 4, v));
  return out;
}

const utf8 = (s: string | Uint8Array) => (typeof s == 'string' ? new TextEncoder().encode(s) : s);

export function hmac(key: string | Uint8Array, message: string | Uint8Array): Uint8Array {
  let k = utf8(key);
  if (k.length > 64) k = sha256(k);
  const msg = utf8(message);
  const inner = new Uint8Array(64 + msg.length);
  const outer = new Uint8Array(96);
  for (let i = 0; i < 64; i++) {
    inner[i] = (k[i] | 0) ^ 0x36;
    outer[i] = (k[i] | 0) ^ 0x5c;
  }
  inner.set(msg, 64);
  outer.set(sha256(inner), 64);
  return sha256(outer);
}

export const hex = (b: Uint8Array): string => Array.from(b, (x) => (x < 16 ? '0' : '') + x.toString(16)).join('');
