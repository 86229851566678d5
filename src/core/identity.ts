import { stringify } from '../outbox/json';
import { uuidv7 } from './ids';

/**
 * a: anonymous id, u: user id, s: session id, n: event counter in the session, t: last activity,
 * r: time of the last reset, c: when the anonymous id was made, f: the id of its first session
 * ('' until it starts; '-' for ids stored before this field existed, whose first visit is past).
 */
export interface IdentityState {
  a: string;
  u: string | null;
  s: string;
  n: number;
  t: number;
  r: number;
  c: number;
  f: string;
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
export function createIdentity(appId: string, timeoutMs: number, lifetimeMs = 3.4e10): Identity {
  const key = `clicktrail:${appId}`;
  let userSet = false;
  const fresh = (now: number, r: number): IdentityState => ({ a: uuidv7(), u: null, s: '', n: 0, t: 0, r, c: now, f: '' });
  let st = fresh(Date.now(), 0);
  const sync = () => {
    try {
      const o = JSON.parse(localStorage.getItem(key)!) as IdentityState;
      // A tab that has not heard of a sign-out elsewhere must not bring the old ids back, and
      // this tab takes up a sign-out made elsewhere whole.
      // An entry any script of the origin could have written: the ids must be strings.
      if (o && typeof o.a == 'string' && typeof o.s == 'string' && (o.r || 0) >= st.r) {
        identityVersion++;
        // Taken up whole below: a fresh state with the newer reset time.
        if (o.r > st.r) (st = fresh(Date.now(), +o.r || 0)), (userSet = false);
        if (st.a != o.a) (st.c = +o.c || Date.now()), (st.f = typeof o.f == 'string' ? o.f : '-');
        st.a = o.a;
        // A user id set here since the last save wins over the stored one.
        if (!userSet) st.u = typeof o.u == 'string' ? o.u : null;
        if (+o.t >= st.t) {
          if (o.s !== st.s) st.n = 0;
          st.s = o.s;
          st.t = +o.t;
        }
        // A counter that is not a number (written by another script) would make every event invalid.
        if (o.s === st.s && +o.n > st.n) st.n = +o.n;
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
        // Past its lifetime the anonymous id is replaced (the user id stays).
        if (now - st.c > lifetimeMs) (st = { ...fresh(now, st.r), u: st.u }), identityVersion++;
        if (now - st.t > timeoutMs) {
          st.s = uuidv7(now);
          if (!st.f) st.f = st.s;
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
      st = { ...fresh(now, now), s: uuidv7(now), t: now };
      st.f = st.s;
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
        localStorage.setItem(key, stringify(st));
      } catch {
        // full or blocked
      }
    },
    sync,
  };
}
