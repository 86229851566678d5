import { afterEach, describe, expect, it } from 'vitest';
import { withLock } from '../../../src/delivery/lock';
import { webLocks } from '../../support/web-locks';

let n = 0;
const newName = () => `lock${++n}-${Math.random().toString(36).slice(2, 8)}`;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const useLocks = (value: unknown) => Object.defineProperty(navigator, 'locks', { value, configurable: true });

afterEach(() => useLocks(undefined));

describe('withLock', () => {
  it('lets one of two concurrent callers in at a time with Web Locks', async () => {
    useLocks(webLocks());
    const name = newName();
    const log: string[] = [];
    const critical = (who: string) => async () => {
      log.push(`${who} in`);
      await sleep(30);
      log.push(`${who} out`);
      return who;
    };
    expect(await Promise.all([withLock(name, true, critical('a')), withLock(name, true, critical('b'))])).toEqual(['a', 'b']);
    expect(log).toEqual(['a in', 'a out', 'b in', 'b out']);
  });

  it('returns undefined without running fn when the lock is held and wait is false', async () => {
    useLocks(webLocks());
    const name = newName();
    let release!: () => void;
    const holding = withLock(name, true, () => new Promise<void>((r) => (release = r)));
    let ran = false;
    expect(await withLock(name, false, async () => (ran = true))).toBeUndefined();
    expect(ran).toBe(false);
    release();
    await holding;
  });

  // Every supported engine has Web Locks; without them tabs drain uncoordinated (duplicates
  // possible, no loss), as documented.
  it('runs fn at once without Web Locks, and passes its result and rejection on', async () => {
    useLocks(undefined);
    const name = newName();
    expect(await withLock(name, false, async () => 7)).toBe(7);
    await expect(withLock(name, true, () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
  });
});
