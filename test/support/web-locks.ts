/**
 * Web Locks as Chromium has them (exclusive, `ifAvailable`), for unit tests under happy-dom,
 * which lacks them. Without them every drain takes the localStorage lease with its 50 ms
 * read-back; that fallback has its own tests in test/unit/delivery/lock.test.ts. Install with
 * `Object.defineProperty(navigator, 'locks', { value: webLocks(), configurable: true })`.
 */
export function webLocks(): Pick<LockManager, 'request'> {
  const held = new Map<string, Promise<unknown>>();
  return {
    async request(name: string, options: LockOptions | LockGrantedCallback<unknown>, fn?: LockGrantedCallback<unknown>) {
      const cb = (fn || options) as (lock: Lock | null) => unknown;
      const opts = (fn ? options : {}) as LockOptions;
      if (opts.ifAvailable && held.has(name)) return cb(null);
      while (held.has(name)) await held.get(name)!.catch(() => 0);
      const run = (async () => cb({ name, mode: 'exclusive' }))();
      held.set(name, run);
      try {
        return await run;
      } finally {
        if (held.get(name) === run) held.delete(name);
      }
    },
  } as Pick<LockManager, 'request'>;
}
