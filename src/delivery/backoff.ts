/**
 * Exponential backoff with full jitter (a uniform pick below the exponential cap, as in AWS's
 * "Exponential Backoff and Jitter"), never under 100 ms so a failing sink cannot spin, and never
 * before the server's Retry-After (heeded up to an hour).
 */
export function backoffMs(failures: number, baseMs: number, maxMs: number, retryAfterMs = 0): number {
  // The exponent stops at 30 so the cap stays a finite number (2 ** 1024 is Infinity, and 0 times
  // that is NaN), whatever baseMs and maxMs are.
  return Math.max(100, Math.random() * Math.min(maxMs, baseMs * 2 ** (failures > 31 ? 30 : failures - 1)), Math.min(retryAfterMs, 3_600_000));
}

/** Retry-After as seconds or as an HTTP date, in milliseconds from now; 0 when absent or unreadable. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number {
  // Number('') and Number('  ') are 0, not a delay: blank values skip to Date.parse, which gives NaN
  // (as it does for null, 'soon', 'NaN' and 'Infinity'), and NaN > 0 is false. Date.parse only
  // when the value is not a finite number ('-5' is a delay of 0, not a date).
  const seconds = value?.trim() ? +value : NaN;
  const ms = isFinite(seconds) ? seconds * 1000 : Date.parse(value!) - now;
  return ms > 0 ? ms : 0;
}
