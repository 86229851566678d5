/**
 * Exponential backoff with full jitter (a uniform pick below the exponential cap, as in AWS's
 * "Exponential Backoff and Jitter"), never under 100 ms so a failing sink cannot spin, and never
 * before the server's Retry-After.
 */
export function backoffMs(failures: number, baseMs: number, maxMs: number, retryAfterMs = 0): number {
  const cap = Math.min(maxMs, baseMs * 2 ** Math.min(failures - 1, 30));
  return Math.max(100, Math.random() * cap, Math.min(retryAfterMs, 3_600_000));
}

/** Retry-After as seconds or as an HTTP date, in milliseconds from now; 0 when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number {
  if (!value) return 0;
  const s = Number(value);
  if (value.trim() !== '' && Number.isFinite(s)) return Math.max(0, s * 1000);
  const t = Date.parse(value);
  return Number.isFinite(t) ? Math.max(0, t - now) : 0;
}
