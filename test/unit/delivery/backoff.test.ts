import { afterEach, describe, expect, it, vi } from 'vitest';
import { backoffMs, parseRetryAfter } from '../../../src/delivery/backoff';

afterEach(() => vi.restoreAllMocks());

describe('backoffMs', () => {
  it('picks uniformly below the exponential cap (full jitter), never under 100 ms', () => {
    for (const [failures, cap] of [[1, 1000], [2, 2000], [3, 4000], [6, 32_000], [7, 60_000], [50, 60_000]]) {
      const samples = Array.from({ length: 4000 }, () => backoffMs(failures, 1000, 60_000));
      expect(Math.min(...samples), `failures ${failures}`).toBeGreaterThanOrEqual(100);
      expect(Math.max(...samples), `failures ${failures}`).toBeLessThanOrEqual(cap);
      // Spread over the whole range, not bunched at the cap: the mean of a uniform pick is cap / 2.
      const mean = samples.reduce((a, b) => a + b, 0) / samples.length;
      expect(mean).toBeGreaterThan(cap * 0.45);
      expect(mean).toBeLessThan(cap * 0.55);
      expect(Math.max(...samples)).toBeGreaterThan(cap * 0.95);
      expect(samples.filter((s) => s < cap / 5).length).toBeGreaterThan(0);
    }
  });

  it('is the 100 ms floor when the pick is 0 and the cap when it is near 1', () => {
    vi.spyOn(Math, 'random').mockReturnValue(0);
    expect(backoffMs(1, 1000, 60_000)).toBe(100);
    expect(backoffMs(1, 10, 10)).toBe(100);
    vi.spyOn(Math, 'random').mockReturnValue(0.999999);
    expect(backoffMs(3, 1000, 60_000)).toBeCloseTo(4000, -1);
    expect(backoffMs(10, 1000, 5000)).toBeCloseTo(5000, -1);
  });

  it('stays finite and within maxMs after thousands of failures', () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.999999);
    for (const f of [31, 32, 1000, 1e6]) {
      const ms = backoffMs(f, 1000, 60_000);
      expect(Number.isFinite(ms)).toBe(true);
      expect(ms).toBeLessThanOrEqual(60_000);
    }
  });

  it("waits at least the server's Retry-After, even past maxMs", () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    expect(backoffMs(1, 1000, 60_000, 120_000)).toBe(120_000);
    expect(backoffMs(1, 1000, 60_000, 30_000)).toBe(30_000);
    // A shorter Retry-After than the jittered pick leaves the pick.
    expect(backoffMs(7, 1000, 60_000, 1000)).toBe(30_000);
  });

  it('honours Retry-After up to an hour and no longer', () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.5);
    expect(backoffMs(1, 1000, 60_000, 3_600_000)).toBe(3_600_000);
    expect(backoffMs(1, 1000, 60_000, 86_400_000)).toBe(3_600_000);
  });
});

describe('parseRetryAfter', () => {
  const now = Date.UTC(2030, 0, 1, 12, 0, 0);

  it('reads delay-seconds', () => {
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter('0', now)).toBe(0);
    expect(parseRetryAfter(' 5 ', now)).toBe(5000);
    expect(parseRetryAfter('1.5', now)).toBe(1500);
  });

  it('reads an HTTP date as the time left until it', () => {
    expect(parseRetryAfter(new Date(now + 30_000).toUTCString(), now)).toBe(30_000);
    expect(parseRetryAfter('Tue, 01 Jan 2030 12:02:00 GMT', now)).toBe(120_000);
  });

  it('is 0 for a date in the past, a negative number, nothing or nonsense', () => {
    expect(parseRetryAfter('Tue, 01 Jan 2030 11:00:00 GMT', now)).toBe(0);
    expect(parseRetryAfter('-5', now)).toBe(0);
    for (const v of [null, undefined, '', '   ', 'soon', 'NaN', 'Infinity']) expect(parseRetryAfter(v, now), String(v)).toBe(0);
  });

  it('measures a date from the current time by default', () => {
    const ms = parseRetryAfter(new Date(Date.now() + 60_000).toUTCString());
    expect(ms).toBeGreaterThan(58_000);
    expect(ms).toBeLessThanOrEqual(60_000);
  });
});
