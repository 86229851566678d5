import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { engagedTime } from '../../../src/capture/lib/engaged-time';

const input = (type = 'pointerdown') => dispatchEvent(new Event(type));
const setHidden = (hidden: boolean) => {
  Object.defineProperty(document, 'hidden', { value: hidden, configurable: true });
  dispatchEvent(new Event('visibilitychange'));
};

describe('engagedTime', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['performance', 'Date'] });
    setHidden(false);
  });
  afterEach(() => vi.useRealTimers());

  it('counts the time between inputs, at most 30 seconds after the last one', () => {
    const [take, stop] = engagedTime();
    vi.advanceTimersByTime(10_000);
    input();
    vi.advanceTimersByTime(50_000); // only 30 s of this gap count
    expect(take()).toBe(40_000);
    stop();
  });

  it('stops the clock while the page is hidden and starts it again at the next input', () => {
    const [take, stop] = engagedTime();
    vi.advanceTimersByTime(5_000);
    setHidden(true);
    vi.advanceTimersByTime(60_000);
    setHidden(false); // the page shown again is an input
    vi.advanceTimersByTime(2_000);
    expect(take()).toBe(7_000);
    stop();
  });

  it('gives from take() only the time since the previous take, so the parts add up to the whole', () => {
    const [take, stop] = engagedTime();
    vi.advanceTimersByTime(3_000);
    const first = take();
    vi.advanceTimersByTime(4_000);
    input();
    vi.advanceTimersByTime(1_000);
    expect([first, take(), take()]).toEqual([3_000, 5_000, 0]);
    stop();
  });

  it('ignores inputs after stop()', () => {
    const [take, stop] = engagedTime();
    stop();
    vi.advanceTimersByTime(40_000);
    input();
    vi.advanceTimersByTime(10_000);
    expect(take()).toBe(30_000); // the 30 s after setup, nothing from the input after stop
  });
});
