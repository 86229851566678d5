import { beforeEach, describe, expect, it } from 'vitest';
import { createIdentity } from '../../../src/core/identity';

const UUIDV7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const T0 = Date.UTC(2030, 0, 1);

beforeEach(() => localStorage.clear());

describe('createIdentity', () => {
  it('starts with an anonymous id, no user and no session until the first event', () => {
    const id = createIdentity('app', 1000);
    expect(id.get()).toMatchObject({ u: null, s: '', n: 0 });
    expect(id.get().a).toMatch(UUIDV7);
    const st = id.next(T0);
    expect(st.s).toMatch(UUIDV7);
    expect(st.n).toBe(1);
    expect(parseInt(st.s.replace(/-/g, '').slice(0, 12), 16)).toBe(T0);
  });

  it('writes to localStorage only on save()', () => {
    const id = createIdentity('app', 1000);
    id.next(T0);
    expect(localStorage.getItem(id.key)).toBeNull();
    id.save();
    expect(JSON.parse(localStorage.getItem('clicktrail:app')!)).toEqual(id.get());
  });

  it('rolls the session after more than timeoutMs idle, and only then', () => {
    const id = createIdentity('app', 1000);
    const s1 = id.next(T0).s;
    expect(id.next(T0 + 1000).s).toBe(s1); // exactly the timeout: still the same session
    expect(id.next(T0 + 2000).s).toBe(s1);
    const st = id.next(T0 + 3001);
    expect(st.s).not.toBe(s1);
    expect(st.n).toBe(1);
  });

  it('continues a session that another tab kept alive, with its counter', () => {
    const a = createIdentity('app', 1000);
    a.next(T0);
    a.save();
    const b = createIdentity('app', 1000); // a second tab opens
    expect(b.get().s).toBe(a.get().s);
    b.next(T0 + 800);
    b.next(T0 + 1600);
    b.save();
    // Tab a was idle for 2 s, but tab b was active 400 ms ago: same session, next number.
    const st = a.next(T0 + 2000);
    expect(st.s).toBe(b.get().s);
    expect(st.n).toBe(4);
  });

  it('rolls the session when no tab was active within timeoutMs', () => {
    const a = createIdentity('app', 1000);
    const s1 = a.next(T0).s;
    a.save();
    const b = createIdentity('app', 1000);
    b.next(T0 + 500);
    b.save();
    expect(a.next(T0 + 1600).s).not.toBe(s1);
  });

  it("adopts another tab's newer session and user id on sync()", () => {
    const a = createIdentity('app', 1000);
    a.next(T0);
    a.save();
    const b = createIdentity('app', 1000);
    b.next(T0 + 5000); // b rolled to a new session
    b.setUser('u1');
    b.save();
    a.sync();
    expect(a.get()).toMatchObject({ a: b.get().a, u: 'u1', s: b.get().s, n: 1 });
  });

  // Was a bug (kept as a regression test): src/core/identity.ts next() calls sync() when the session looks idle, and sync() copies
  // the stored user id (`st.u = o.u`) over one set since the last save(). In the tracker,
  // identify() calls setUser() then next(): a returning visitor's identify() after 30 idle
  // minutes goes out with the stored user id (null, or the previous user) instead.
  it('keeps a user id set just before the event that starts a new session', () => {
    const earlier = createIdentity('app', 1000);
    earlier.next(T0);
    earlier.save(); // a visit that ended with no user
    const id = createIdentity('app', 1000);
    id.setUser('u1');
    expect(id.next(T0 + 60_000).u).toBe('u1');
  });

  it('keeps the same anonymous id for every identity of one appId, and separate ones per appId', () => {
    const a = createIdentity('shop', 1000);
    a.save();
    expect(createIdentity('shop', 1000).get().a).toBe(a.get().a);
    expect(createIdentity('blog', 1000).get().a).not.toBe(a.get().a);
  });

  it('reset() makes new ids and a new session, and no sync brings the old ones back', () => {
    const id = createIdentity('app', 1000);
    id.setUser('u1');
    const old = { ...id.next(T0) };
    id.save();
    id.reset();
    expect(localStorage.getItem(id.key)).toBeNull(); // stored again only by save(), with consent
    id.sync();
    const st = id.get();
    expect(st.a).not.toBe(old.a);
    expect(st.u).toBeNull();
    expect(st.s).toMatch(UUIDV7);
    expect(st.s).not.toBe(old.s);
  });

  // Was a bug (kept as a regression test): reset() only removed the stored entry, so another tab
  // still holding the old ids wrote them back with its next event, and this tab adopted them.
  it("spreads a reset to the other tabs, and a tab that has not heard of it cannot undo it", () => {
    const a = createIdentity('app', 1000);
    a.setUser('alice');
    a.next(T0);
    a.save();
    const b = createIdentity('app', 1000);
    expect(b.get()).toMatchObject({ a: a.get().a, u: 'alice' });
    b.next(T0 + 10);
    a.reset();
    a.save();
    const signedOut = { ...a.get() };
    // b saves before it heard of the reset: it adopts the reset rather than overwrite it.
    b.save();
    expect(b.get()).toMatchObject({ a: signedOut.a, u: null, s: signedOut.s });
    a.sync();
    expect(a.get()).toMatchObject({ a: signedOut.a, u: null, s: signedOut.s });
    expect(JSON.parse(localStorage.getItem(a.key)!)).toMatchObject({ a: signedOut.a, u: null });
    // A stale entry written by a tab that never synced is ignored by the tab that reset.
    localStorage.setItem(a.key, JSON.stringify({ a: 'old', u: 'alice', s: 'old', n: 9, t: T0 + 99 }));
    a.sync();
    expect(a.get()).toMatchObject({ a: signedOut.a, u: null });
  });

  it('ignores a corrupt or foreign stored entry', () => {
    localStorage.setItem('clicktrail:app', '{not json');
    expect(createIdentity('app', 1000).get().a).toMatch(UUIDV7);
    localStorage.setItem('clicktrail:app', '"just a string"');
    expect(createIdentity('app', 1000).get().a).toMatch(UUIDV7);
    localStorage.setItem('clicktrail:app', 'null');
    expect(createIdentity('app', 1000).get().a).toMatch(UUIDV7);
  });

  // Was a bug (kept as a regression test): an entry without a session or a user id put
  // `undefined` into the event JSON, and the collector refused every event.
  it('ignores an entry whose ids are not strings, and reads a missing user id as null', () => {
    localStorage.setItem('clicktrail:app', JSON.stringify({ a: 'anon-1', n: 1, t: Date.now(), r: 0 }));
    expect(createIdentity('app', 1000).get().a).toMatch(UUIDV7);
    localStorage.setItem('clicktrail:app', JSON.stringify({ a: 5, s: 's', n: 1, t: Date.now(), r: 0 }));
    expect(createIdentity('app', 1000).get().a).toMatch(UUIDV7);
    localStorage.setItem('clicktrail:app', JSON.stringify({ a: 'anon-1', s: 's-1', n: 1, t: Date.now(), r: 0 }));
    expect(createIdentity('app', 1000).get()).toMatchObject({ a: 'anon-1', s: 's-1', u: null });
  });
});
