import { uuidv7 } from './ids';

/** a: anonymous id, u: user id, s: session id, n: event counter in the session, t: last activity, r: time of the last reset. */
export interface IdentityState {
  a: string;
  u: string | null;
  s: string;
  n: number;
  t: number;
  r: number;
}

/** Bumped whenever a, u or s change, so callers can cache what they derive from them. */
export let identityVersion = 0;

export interface Identity {
  /** The state for one more event: rolls the session after `timeoutMs` idle, counts `n`. Memory only, no allocation. */
  next(now: number): IdentityState;
  get(): IdentityState;
  setUser(id: string | null): void;
  reset(): void;
  /**
   * Writes the state to localStorage, after adopting a newer reset from another tab; called
   * once per task off the hot path, and only with consent.
   */
  save(): void;
  /** Adopts what another tab wrote (a newer session, a higher counter). */
  sync(): void;
  readonly key: string;
}

/**
 * Anonymous id (per browser), user id and session, shared by the tabs of an origin through one
 * localStorage entry. track() touches memory only; the entry is written at the end of the task.
 */
export function createIdentity(appId: string, timeoutMs: number): Identity {
  const key = `clicktrail:${appId}`;
  let userSet = false;
  let st: IdentityState = { a: uuidv7(), u: null, s: '', n: 0, t: 0, r: 0 };
  const sync = () => {
    try {
      const o = JSON.parse(localStorage.getItem(key)!) as IdentityState;
      // A tab that has not heard of a sign-out elsewhere must not bring the old ids back, and
      // this tab takes up a sign-out made elsewhere whole.
      // An entry any script of the origin could have written: the ids must be strings.
      if (o && typeof o.a == 'string' && typeof o.s == 'string' && (o.r || 0) >= st.r) {
        identityVersion++;
        if (o.r > st.r) (st = o), (userSet = false);
        st.a = o.a;
        // A user id set here since the last save wins over the stored one.
        if (!userSet) st.u = o.u || null;
        if (o.t >= st.t) {
          if (o.s !== st.s) st.n = 0;
          st.s = o.s;
          st.t = o.t;
        }
        if (o.s === st.s && o.n > st.n) st.n = o.n;
      }
    } catch {
      // blocked or corrupt storage: ids live for this page only
    }
  };
  sync();
  return {
    key,
    next(now) {
      if (now - st.t > timeoutMs) {
        // Another tab may have kept the session alive without this one hearing of it yet.
        sync();
        if (now - st.t > timeoutMs) {
          st.s = uuidv7(now);
          identityVersion++;
          st.n = 0;
        }
      }
      st.t = now;
      st.n++;
      return st;
    },
    get: () => st,
    setUser(id) {
      st.u = id;
      userSet = true;
      identityVersion++;
    },
    reset() {
      const now = Date.now();
      st = { a: uuidv7(), u: null, s: uuidv7(now), n: 0, t: now, r: now };
      userSet = false;
      identityVersion++;
      try {
        localStorage.removeItem(key); // stored again by the next save(), with consent
      } catch {
        // blocked storage
      }
    },
    save() {
      sync();
      userSet = false;
      try {
        localStorage.setItem(key, JSON.stringify(st));
      } catch {
        // full or blocked
      }
    },
    sync,
  };
}
