/**
 * Runs `fn` while holding an origin-wide lock, so exactly one tab flushes the shared queue.
 * Resolves to undefined without running `fn` when `wait` is false and another holder has it.
 * Web Locks where present (released by the browser if the tab dies); elsewhere a lease in
 * localStorage, renewed while held and taken over once it expires.
 */
export function withLock<T>(name: string, wait: boolean, fn: () => Promise<T>): Promise<T | undefined> {
  const locks = typeof navigator !== 'undefined' ? navigator.locks : undefined;
  if (locks?.request) {
    return locks.request(name, { ifAvailable: !wait }, (lock) => (lock ? fn() : undefined)) as Promise<T | undefined>;
  }
  return leaseLock(name, wait, fn);
}

const LEASE_MS = 10_000;
const owner = Math.random().toString(36).slice(2);
// Within one tab the lease cannot tell two holders apart, so calls are chained here too.
let local: Promise<unknown> = Promise.resolve();
let held = false;

function readLease(key: string): [string, number] | undefined {
  const v = localStorage.getItem(key);
  if (!v) return;
  const i = v.lastIndexOf(':');
  return [v.slice(0, i), Number(v.slice(i + 1))];
}

async function leaseLock<T>(name: string, wait: boolean, fn: () => Promise<T>): Promise<T | undefined> {
  if (!wait && held) return undefined;
  const run = local.then(async () => {
    const key = name + ':lease';
    let storage = true;
    try {
      localStorage.getItem(key);
    } catch {
      storage = false; // no localStorage: no other tab can share our queue either
    }
    const deadline = Date.now() + (wait ? LEASE_MS * 2 : 0);
    for (;;) {
      if (!storage) break;
      const l = readLease(key);
      if (!l || l[0] === owner || l[1] < Date.now()) {
        localStorage.setItem(key, `${owner}:${Date.now() + LEASE_MS}`);
        // Two tabs may write at once; the later write wins, so read back after a pause.
        await new Promise((r) => setTimeout(r, 30));
        if (readLease(key)?.[0] === owner) break;
      }
      if (Date.now() >= deadline) return undefined;
      await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
    }
    held = true;
    const renew = storage
      ? setInterval(() => localStorage.setItem(key, `${owner}:${Date.now() + LEASE_MS}`), LEASE_MS / 3)
      : undefined;
    try {
      return await fn();
    } finally {
      held = false;
      clearInterval(renew);
      if (storage && readLease(key)?.[0] === owner) localStorage.removeItem(key);
    }
  });
  local = run.catch(() => undefined);
  return run;
}
