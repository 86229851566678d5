/** Query parameters that commonly carry secrets or personal data. Matched case-insensitively, as substrings. */
export const DEFAULT_REDACT = [
  'token',
  'password',
  'passwd',
  'pwd',
  'secret',
  'email',
  'auth',
  'session',
  'sid',
  'key',
  'code',
  'credential',
  'phone',
  'ssn',
  'jwt',
  'signature',
];

/** Returns a function that replaces the values of matching query parameters with `REDACTED`. */
export function createRedactor(extra: string[] = []): (url: string) => string {
  const names = DEFAULT_REDACT.concat(extra.map((s) => String(s).toLowerCase()));
  // Short names ('sid', 'key', 'code') match whole names or a '_key' / '-key' ending only,
  // or 'inside' and 'zipcode' would be redacted too.
  const matches = (name: string) => {
    const n = name.toLowerCase();
    return names.some((p) =>
      p.length <= 4 ? n === p || n.endsWith('_' + p) || n.endsWith('-' + p) : n.includes(p),
    );
  };
  return (url) => {
    if (!url) return '';
    const q = url.indexOf('?');
    if (q < 0) return url;
    const h = url.indexOf('#', q);
    const end = h < 0 ? url.length : h;
    const query = url
      .slice(q + 1, end)
      .split('&')
      .map((pair) => {
        const i = pair.indexOf('=');
        let name = i < 0 ? pair : pair.slice(0, i);
        try {
          name = decodeURIComponent(name.replace(/\+/g, ' '));
        } catch {
          /* keep the raw name */
        }
        return i >= 0 && matches(name) ? pair.slice(0, i) + '=REDACTED' : pair;
      })
      .join('&');
    return url.slice(0, q + 1) + query + url.slice(end);
  };
}
