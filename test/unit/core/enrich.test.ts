// beforeSend and register/unregister, asserted on what the sink received.
import { afterEach, describe, expect, it } from 'vitest';
import type { Tracker, TrackerOptions } from '../../../src/core/types';
import { captureTracker } from '../../support/capture-tracker';

const made: Tracker[] = [];
const make = (o: Partial<TrackerOptions> = {}) => {
  const c = captureTracker(o);
  made.push(c.tracker);
  return c;
};
afterEach(async () => void (await Promise.all(made.splice(0).map((t) => t.shutdown()))));

describe('register and unregister', () => {
  it('adds registered properties to every later event, the event\'s own winning, until unregistered', async () => {
    const { tracker, sent } = make();
    tracker.track('before');
    tracker.register({ app_version: '2.1', arm: 'b' });
    tracker.register({ arm: 'c' });
    tracker.track('search_done', { q: 'boots', arm: 'own' });
    tracker.page();
    tracker.unregister('arm');
    tracker.track('after');
    tracker.unregister('app_version');
    tracker.track('last');
    expect((await sent()).map((e) => [e.name, e.properties])).toEqual([
      ['before', {}],
      ['search_done', { app_version: '2.1', arm: 'own', q: 'boots' }],
      ['page_view', { app_version: '2.1', arm: 'c' }],
      ['after', { app_version: '2.1' }],
      ['last', {}],
    ]);
  });

  it('keeps a copy: changing the object later changes nothing', async () => {
    const { tracker, sent } = make();
    const props = { plan: 'free' };
    tracker.register(props);
    props.plan = 'pro';
    tracker.track('x');
    expect((await sent())[0].properties).toEqual({ plan: 'free' });
  });

  it('reports register() with something else than an object', () => {
    const { tracker, errors } = make();
    tracker.register('plan' as never);
    tracker.unregister(3 as never);
    expect(errors.map((e) => e.message)).toEqual([
      'invalid_properties: register("plan"): pass an object',
      'invalid_properties: unregister(3): pass a property name',
    ]);
  });
});

describe('beforeSend', () => {
  it('may change an event or drop it, and drops are counted', async () => {
    const seen: unknown[] = [];
    const { tracker, sent, errors } = make({
      beforeSend: (e) => {
        seen.push({ ...e, properties: { ...e.properties } });
        if (e.name == 'internal_debug') return null;
        if (e.name == 'noise') return false;
        if (e.properties.email) delete e.properties.email;
        return e.name == 'old_name' ? { ...e, name: 'new_name' } : e;
      },
    });
    tracker.register({ v: 1 });
    tracker.track('sign_up', { email: 'a@b.example', plan: 'pro' });
    tracker.track('internal_debug');
    tracker.track('noise', { n: 1 });
    tracker.track('old_name');
    expect(seen[0]).toEqual({ type: 'track', name: 'sign_up', properties: { v: 1, email: 'a@b.example', plan: 'pro' } });
    expect((await sent()).map((e) => [e.name, e.properties])).toEqual([
      ['sign_up', { v: 1, plan: 'pro' }],
      ['new_name', { v: 1 }],
    ]);
    expect(tracker.stats()).toMatchObject({ tracked: 2, filtered: 2 });
    expect(errors).toEqual([]);
  });

  it('drops the event, reported, when the hook throws or returns nothing', async () => {
    const { tracker, sent, errors } = make({
      beforeSend: ((e: { name: string }) => {
        if (e.name == 'boom') throw new Error('no email field');
        if (e.name == 'forgot') return undefined;
        return e;
      }) as never,
    });
    tracker.track('boom');
    tracker.track('forgot');
    tracker.track('forgot');
    tracker.track('kept');
    expect((await sent()).map((e) => e.name)).toEqual(['kept']);
    expect(errors.map((e) => e.message)).toEqual([
      'invalid_properties: beforeSend threw on boom: no email field; event dropped',
      'invalid_option: beforeSend returned undefined for forgot: return the event to keep it, null to drop it; event dropped',
    ]);
    expect(tracker.stats().filtered).toBe(3);
  });

  it('is not called for events consent discards', () => {
    let calls = 0;
    const { tracker } = make({ consent: 'denied', beforeSend: (e) => (calls++, e) });
    tracker.track('x');
    expect(calls).toBe(0);
  });
});
