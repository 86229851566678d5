import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { withLock } from '../../../src/delivery/lock';

let n = 0;
const newName = () => `lock${++n}-${Math.random().toString(36).slice(2, 8)}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

beforeEach(() => {
  // The localStorage lease is the fallback where Web Locks are missing (older Safari, Node).
  Object.defineProperty(navigator, 'locks', { value: undefined, configurable: true });
  localStorage.clear();
});

afterEach(() => vi.restoreAllMocks());

describe('withLock without Web Locks (the localStorage lease)', () => {
  it('lets one of two concurrent callers in at a time, each under its own lease', async () => {
    const name = newName();
    const log: string[] = [];
    const owners: string[] = [];
    const critical = (who: string) => async () => {
      log.push(`${who} in`);
      owners.push(localStorage.getItem(`${name}:lease`)!.split(' ')[0]);
      await sleep(80);
      log.push(`${who} out`);
      return who;
    };
    const results = await Promise.all([withLock(name, true, critical('a')), withLock(name, true, critical('b'))]);
    expect(results).toEqual(['a', 'b']);
    expect(log).toHaveLength(4);
    // No interleaving: every "in" is followed by the same caller's "out".
    expect(log[1]).toBe(log[0].replace('in', 'out'));
    expect(log[3]).toBe(log[2].replace('in', 'out'));
    expect(owners).toHaveLength(2);
    expect(owners[0]).not.toBe(owners[1]);
    expect(localStorage.getItem(`${name}:lease`)).toBeNull();
  });

  it('returns undefined without running fn when the lease is held and wait is false', async () => {
    const name = newName();
    let release!: () => void;
    const holding = withLock(name, true, () => new Promise<string>((r) => (release = () => r('held'))));
    await vi.waitFor(() => expect(localStorage.getItem(`${name}:lease`)).not.toBeNull());
    await vi.waitFor(() => expect(release).toBeTypeOf('function'));
    let ran = false;
    expect(await withLock(name, false, async () => (ran = true))).toBeUndefined();
    expect(ran).toBe(false);
    release();
    expect(await holding).toBe('held');
    expect(await withLock(name, false, async () => 'now')).toBe('now');
  });

  it("waits for another tab's live lease, then takes it once released", async () => {
    const name = newName();
    localStorage.setItem(`${name}:lease`, `other-tab ${Date.now() + 10_000}`);
    const start = Date.now();
    const taken = withLock(name, true, async () => Date.now());
    await sleep(200);
    localStorage.removeItem(`${name}:lease`);
    const at = await taken;
    expect(at).toBeGreaterThanOrEqual(start + 200);
  });

  it('takes over a lease that expired, as when the tab holding it died', async () => {
    const name = newName();
    localStorage.setItem(`${name}:lease`, `dead-tab ${Date.now() - 1}`);
    expect(await withLock(name, false, async () => 'mine')).toBe('mine');
  });

  it('takes over a corrupt lease (no time in it) rather than giving up on every drain', async () => {
    const name = newName();
    localStorage.setItem(`${name}:lease`, 'garbage');
    expect(await withLock(name, false, async () => 'ran')).toBe('ran');
  });

  it('frees the lease when fn rejects, and passes the rejection on', async () => {
    const name = newName();
    await expect(withLock(name, true, async () => Promise.reject(new Error('send failed')))).rejects.toThrow('send failed');
    expect(localStorage.getItem(`${name}:lease`)).toBeNull();
  });

  it('leaves a lease taken over by another tab in place when fn ends', async () => {
    const name = newName();
    await withLock(name, true, async () => {
      localStorage.setItem(`${name}:lease`, `thief ${Date.now() + 10_000}`);
    });
    expect(localStorage.getItem(`${name}:lease`)).toMatch(/^thief /);
  });

  it('runs fn when localStorage is unusable: no other tab can share the queue either', async () => {
    vi.spyOn(Storage.prototype, 'getItem').mockImplementation(() => {
      throw new DOMException('blocked', 'SecurityError');
    });
    expect(await withLock(newName(), false, async () => 'ran')).toBe('ran');
  });
});
