/**
 * Runs `fn` while holding an origin-wide lock, so exactly one tab drains the shared outbox;
 * resolves to undefined without running it when the lock is taken and `wait` is false. Every
 * engine we support has Web Locks (the browser frees them when a tab dies). Without them `fn`
 * simply runs: tabs then drain uncoordinated, which may send an event twice but loses none.
 */
export async function withLock<T>(name: string, wait: boolean | undefined, fn: () => Promise<T>): Promise<T | undefined> {
  const locks = globalThis.navigator?.locks;
  return locks ? locks.request(name, { ifAvailable: !wait }, (lock) => (lock ? fn() : undefined)) : fn();
}
