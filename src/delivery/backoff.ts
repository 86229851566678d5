/**
 * Exponential backoff with full jitter (a uniform pick below the exponential cap, as in AWS's
 * "Exponential Backoff and Jitter"), never under 100 ms so a failing sink cannot spin, and never
 * before the server's Retry-After (heeded up to an hour).
 */
export function backoffMs(failures: number, baseMs: number, maxMs: number, retryAfterMs = 0): number {
  // The exponent stops at 30 so a tiny baseMs times 2 ** failures stays finite and under maxMs.
  return Math.max(100, Math.random() * Math.min(maxMs, baseMs * 2 ** (failures > 31 ? 30 : failures - 1)), Math.min(retryAfterMs, 3_600_000));
}

/** Retry-After as seconds or as an HTTP date, in milliseconds from now; 0 when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number {
  // Number('') and Number('  ') are 0, not a delay: blank values skip to Date.parse, which gives NaN
  // (as it does for null, 'soon', 'NaN' and 'Infinity'), and NaN > 0 is false.
  const seconds = value?.trim() && +value;
  const ms = Number.isFinite(seconds) ? (seconds as number) * 1000 : Date.parse(value!) - now;
  return ms > 0 ? ms : 0;
}
