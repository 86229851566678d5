import { uuidv7 } from './ids';

export interface Identity {
  /** Ids for one event: rolls the session after `timeoutMs` idle and counts `seq`. */
  next(now: number): { sessionId: string; seq: number };
  get(): { anonymousId: string; userId: string | null; sessionId: string };
  setUser(id: string | null): void;
  reset(): void;
  /** Writes what changed to localStorage; called off the hot path, and only with consent. */
  save(): void;
  /** Adopts a newer session written by another tab (from a `storage` event or a re-read). */
  sync(): void;
  readonly key: string;
}

function read(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null; // storage blocked (sandboxed iframe, privacy settings)
  }
}

function write(key: string, value: string | null): void {
  try {
    if (value === null) localStorage.removeItem(key);
    else localStorage.setItem(key, value);
  } catch {
    /* full or blocked: ids then live for this page only */
  }
}

/**
 * Anonymous id (per browser), user id and session (shared by the tabs of an origin through
 * localStorage). `next()` touches memory only, so track() does no storage I/O; `save()` runs once
 * per task from the queue's write.
 */
export function createIdentity(appId: string, timeoutMs: number): Identity {
  const key = `clicktrail:${appId}:`;
  let anonymousId = read(key + 'aid') || uuidv7();
  let userId = read(key + 'uid');
  let sessionId = '';
  let seq = 0;
  let last = 0;
  let dirty = true;

  const sync = () => {
    try {
      const s = JSON.parse(read(key + 'session') || 'null') as { id: string; seq: number; last: number } | null;
      if (s && typeof s.id === 'string' && s.last >= last) {
        if (s.id !== sessionId) seq = 0;
        sessionId = s.id;
        seq = Math.max(seq, s.seq | 0);
        last = s.last;
      }
      const aid = read(key + 'aid');
      if (aid) anonymousId = aid;
    } catch {
      /* corrupt entry: keep ours */
    }
  };
  sync();

  return {
    key,
    next(now) {
      if (!sessionId || now - last > timeoutMs) {
        // Another tab may have kept the session alive without this tab hearing of it yet.
        sync();
        if (!sessionId || now - last > timeoutMs) {
          sessionId = uuidv7(now);
          seq = 0;
        }
      }
      last = now;
      dirty = true;
      return { sessionId, seq: ++seq };
    },
    get: () => ({ anonymousId, userId, sessionId }),
    setUser(id) {
      userId = id;
      dirty = true;
    },
    reset() {
      anonymousId = uuidv7();
      userId = null;
      sessionId = '';
      seq = 0;
      last = 0;
      dirty = true;
      write(key + 'session', null);
    },
    save() {
      if (!dirty) return;
      dirty = false;
      write(key + 'aid', anonymousId);
      write(key + 'uid', userId);
      if (sessionId) write(key + 'session', JSON.stringify({ id: sessionId, seq, last }));
    },
    sync,
  };
}
