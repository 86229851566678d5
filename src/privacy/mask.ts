import type { MaskOptions } from '../core/types';

// The local part and the domain stop at what surrounds an address in text and URLs.
const EMAIL = /[^\s@<>()[\]"',;:/?#&=]+@[^\s@<>()[\]"',;:/?#&=]+\.[a-z]{2,}/gi;
// 13–19 digits, single spaces or dashes between; the first digit 2–6 as card issuers' are (a
// millisecond timestamp starts with 1). Masked only when the Luhn check passes.
const CARD = /\b[2-6](?:[ -]?\d){12,18}\b/g;
// With a + or a 0 in front (international or trunk prefix), at least 9 digits: "+49 170 1234567",
// "0170 1234567"; an area code in brackets, or 3-3-4: "(555) 123-4567", "555-123-4567". A date
// (8 digits) and "Cart (2)" stay.
const PHONE = /(?:\+|\b0)\d(?:[ ./-]?\d){7,14}\b|(?:\(\d{2,5}\) ?|\b\d{3}[ .-])\d{3}[ .-]?\d{4}\b/g;
// A UUID; 16+ hex digits with a letter and a digit (hashes, reset tokens); 24+ base64url
// characters mixing upper case, lower case and digits (JWT parts, session ids). Slugs
// (`blue-running-shoes-2024`) are lower case.
const TOKEN =
  /\b[\dA-Fa-f]{8}(?:-[\dA-Fa-f]{4}){3}-[\dA-Fa-f]{12}\b|\b(?=[\dA-Fa-f]*\d)(?=[\dA-Fa-f]*[A-Fa-f])[\dA-Fa-f]{16,}\b|\b(?=[\w-]*\d)(?=[\w-]*[a-z])(?=[\w-]*[A-Z])[\w-]{24,}=*/g;

const luhn = (d: string) => {
  let s = 0;
  for (let i = d.length, odd = 1; i--; odd ^= 1) {
    const n = odd ? +d[i] : 2 * +d[i];
    s += n > 9 ? n - 9 : n;
  }
  return s % 10 == 0;
};

/**
 * Returns a function that replaces e-mail addresses, phone numbers, card numbers (Luhn-checked)
 * and long hex or base64 tokens in a text with `[email]`, `[phone]`, `[card]`, `[token]`.
 * `false` for the options, or `false` for one kind, leaves that kind as it is.
 */
export function createMasker(o?: MaskOptions | false): (text: string) => string {
  const on = (k: keyof MaskOptions) => o !== false && (o as MaskOptions | undefined)?.[k] !== false;
  const e = on('emails');
  const c = on('cards');
  const p = on('phones');
  const t = on('tokens');
  return (s) => {
    // Every kind has an @ or a digit: most texts and URL parts are passed back at once.
    if (!/[@\d]/.test(s)) return s;
    if (e) s = s.replace(EMAIL, '[email]');
    if (c) s = s.replace(CARD, (m) => (luhn(m.replace(/\D/g, '')) ? '[card]' : m));
    if (p) s = s.replace(PHONE, '[phone]');
    return t ? s.replace(TOKEN, '[token]') : s;
  };
}
