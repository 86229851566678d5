const dec = (s: string) => {
  try {
    return decodeURIComponent(s);
  } catch {
    return s; // a malformed escape: the raw text
  }
};

// Campaign and ad-click ids (utm_*, gclid, fbclid, msclkid, gbraid, wbraid, Google's _gl linker)
// are kept whole: attribution needs them, and a click id looks like a token.
const KEEP = /^utm_|cl(k)?id$|braid$|^_gl$/i;

/**
 * Returns a function that redacts a URL. The values of parameters whose names commonly carry
 * secrets or personal data become `REDACTED`, in the query, in the fragment (OAuth implicit flows
 * put tokens there) and after `;`. Long names match anywhere in a parameter name (access_token,
 * user_email, customer_id); short ones only as the whole name or its last `_`/`-` part, so
 * 'keyword' and 'zipcode' stay. `extra` names match anywhere, case-insensitively. Then `mask`
 * runs over every other part after the host, decoded: path segments, the values of every
 * parameter, hash routes (`#/reset/<token>`).
 */
export function createRedactor(extra: string[] = [], mask: (s: string) => string = (s) => s): (url: string) => string {
  const secret = new RegExp(
    'token|passw|secret|mail|auth|session|credential|phone|signature|api.?key|login|user|customer|account|member|address|birth' +
      '|(^|[_-])(sid|key|code|pwd|pass|ssn|jwt|tel|mobile|dob)$|^((first|last|full)[_-]?)?name$' +
      // An empty name would match every parameter.
      extra.map((s) => typeof s == 'string' && s && '|' + s.replace(/\W/g, '\\$&')).join(''),
    'i',
  );
  // A part changed by the mask is sent as the mask made it, encoded, with its [kind] readable.
  const part = (s: string, query?: 1) => {
    const d = dec(query ? s.replace(/\+/g, ' ') : s);
    const m = mask(d);
    return m == d ? s : encodeURIComponent(m).replace(/%5B(\w+)%5D/g, '[$1]').replace(/%20/g, query ? '+' : '%20');
  };
  return (url) => {
    url = url || '';
    const head = /^[a-z][\w+.-]*:\/\/[^/?#]*/i.exec(url)?.[0] || '';
    // A '?' ends a name and a value too: a hash route (#/cb?code=...) or a URL in a value
    // (?next=/a?token=...) starts a query of its own. What is no parameter is a segment.
    return (
      head +
      url.slice(head.length).replace(/([?&#;])([^=&#;?]+)=([^&#;?]*)|[^/?#&;=]+/g, (m, sep: string, k: string, v: string) => {
        if (!sep) return part(m);
        k = dec(k);
        return m.slice(0, m.indexOf('=') + 1) + (secret.test(k) ? 'REDACTED' : KEEP.test(k) ? v : part(v, 1));
      })
    );
  };
}
