/** Query (and fragment) parameters that commonly carry secrets or personal data. */
const DEFAULT_REDACT = 'token|password|passwd|pwd|secret|email|auth|session|sid|key|code|credential|phone|ssn|jwt|signature';

/**
 * Returns a function that replaces the values of matching URL parameters with `REDACTED`, in the
 * query and in the fragment (OAuth implicit flows put tokens there). Long names match as
 * substrings (access_token, user_email); names of four letters or fewer match whole words only,
 * so 'zipcode' and 'inside' are kept.
 */
export function createRedactor(extra: string[] = []): (url: string) => string {
  const names = DEFAULT_REDACT.split('|').concat(extra.map((s) => String(s).toLowerCase()));
  const secret = (name: string) => {
    try {
      name = decodeURIComponent(name).toLowerCase();
    } catch {
      name = name.toLowerCase();
    }
    return names.some((p) => (p.length > 4 ? name.includes(p) : name === p || /[_-]$/.test(name.slice(0, -p.length)) && name.endsWith(p)));
  };
  return (url) => (url || '').replace(/([?&#;])([^=&#;]+)=([^&#;]*)/g, (m, sep, k) => (secret(k) ? `${sep}${k}=REDACTED` : m));
}
