const LEASE_MS = 10_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Runs `fn` while holding an origin-wide lock, so exactly one tab flushes the shared queue;
 * resolves to undefined without running it when the lock is taken and `wait` is false.
 * Web Locks where present (the browser frees them when a tab dies); elsewhere a lease in
 * localStorage, renewed while held and taken over once it expires.
 */
export async function withLock<T>(name: string, wait: boolean | undefined, fn: () => Promise<T>): Promise<T | undefined> {
  const locks = globalThis.navigator?.locks;
  if (locks) return locks.request(name, { ifAvailable: !wait }, (lock) => (lock ? fn() : undefined));
  const key = name + ':lease';
  const me = Math.random() + '';
  const take = () => localStorage.setItem(key, `${me} ${Date.now() + LEASE_MS}`);
  const holder = () => (localStorage.getItem(key) || '').split(' ');
  try {
    for (let tries = wait ? 20 : 0; ; tries--) {
      const [who, until] = holder();
      // A corrupt value (no time) counts as expired.
      if (!who || !(+until > Date.now())) {
        take();
        // Two tabs can write at once and the later write wins: read back after a pause.
        await sleep(50);
        if (holder()[0] == me) break;
      }
      if (tries <= 0) return;
      await sleep(500);
    }
  } catch {
    return fn(); // no localStorage: no other tab can share this queue's lease either
  }
  const renew = setInterval(take, LEASE_MS / 3);
  try {
    return await fn();
  } finally {
    clearInterval(renew);
    if (holder()[0] == me) localStorage.removeItem(key);
  }
}
