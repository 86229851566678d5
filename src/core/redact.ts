/**
 * Returns a function that replaces the values of URL parameters that commonly carry secrets or
 * personal data with `REDACTED`, in the query and in the fragment (OAuth implicit flows put
 * tokens there). Long names match anywhere in a parameter name (access_token, user_email);
 * short ones only as the whole name or its last `_`/`-` part, so 'keyword' and 'zipcode' stay.
 * `extra` names match anywhere, case-insensitively.
 */
export function createRedactor(extra: string[] = []): (url: string) => string {
  const secret = new RegExp(
    'token|passw|secret|e-?mail|auth|session|credential|phone|signature|api.?key|(^|[_-])(sid|key|code|pwd|pass|ssn|jwt)$' +
      // An empty name would match every parameter.
      extra.map((s) => typeof s == 'string' && s && '|' + s.replace(/\W/g, '\\$&')).join(''),
    'i',
  );
  return (url) =>
    // A '?' ends a name and a value too: a hash route (#/cb?code=...) or a URL in a value
    // (?next=/a?token=...) starts a query of its own.
    (url || '').replace(/[?&#;]([^=&#;?]+)=[^&#;?]*/g, (m, k) => {
      try {
        k = decodeURIComponent(k);
      } catch {
        // a malformed escape: test the raw name
      }
      return secret.test(k) ? m.slice(0, m.indexOf('=')) + '=REDACTED' : m;
    });
}
