import { afterEach, describe, expect, it } from 'vitest';
import { captureTracker } from '../../support/capture-tracker';

const start = location.href;
afterEach(() => {
  history.replaceState(null, '', start);
  document.title = '';
});

describe('the privacy option of createTracker', () => {
  it('masks personal data in page.url, page.path and page.title by default', async () => {
    history.pushState(null, '', '/account/jane.doe@example.com/orders?ref=jane%40example.com&utm_source=news#/reset/8f14e45fceea167a5a36dedd4bea2543');
    document.title = 'Orders of Jane Doe (jane@example.com)';
    const { tracker, sent } = captureTracker();
    tracker.track('seen');
    const [e] = await sent();
    expect(e.page.url).toBe(`${location.origin}/account/[email]/orders?ref=[email]&utm_source=news#/reset/[token]`);
    expect(e.page.path).toBe('/account/[email]/orders');
    expect(e.page.title).toBe('Orders of Jane Doe ([email])');
    expect(tracker.mask('Call +49 170 1234567')).toBe('Call [phone]');
  });

  it('masks nothing with mask: false, and sends no title with title: false', async () => {
    history.pushState(null, '', '/account/jane.doe@example.com/orders');
    document.title = 'Orders of Jane Doe (jane@example.com)';
    const off = captureTracker({ privacy: { mask: false } });
    off.tracker.track('seen');
    expect((await off.sent())[0].page).toMatchObject({ path: '/account/jane.doe@example.com/orders', title: 'Orders of Jane Doe (jane@example.com)' });
    const untitled = captureTracker({ privacy: { title: false } });
    untitled.tracker.track('seen');
    expect((await untitled.sent())[0].page).toMatchObject({ path: '/account/[email]/orders', title: '' });
  });

  it('leaves context fields out or coarsens them as privacy.context says', async () => {
    const full = captureTracker();
    full.tracker.track('a');
    const all = (await full.sent())[0].context;
    expect(Object.keys(all)).toEqual(['locale', 'timezone', 'screen', 'userAgent', 'library']);

    const coarse = captureTracker({ privacy: { context: { userAgent: 'coarse', screen: 'coarse', timezone: false } } });
    coarse.tracker.track('b');
    const c = (await coarse.sent())[0].context;
    expect(Object.keys(c)).toEqual(['locale', 'screen', 'userAgent', 'library']);
    expect(c.userAgent).not.toMatch(/\d\.\d/);
    expect(c.userAgent!.length).toBeLessThan(all.userAgent!.length);
    expect(c.screen!.width % 100).toBe(0);
    expect(Number.isInteger(c.screen!.density)).toBe(true);

    const none = captureTracker({ privacy: { context: { userAgent: false, screen: false, locale: false, timezone: false } } });
    none.tracker.track('c');
    expect((await none.sent())[0].context).toEqual({ library: all.library });
  });

  it('strips __proto__, constructor and prototype keys from what is sent', async () => {
    const { tracker, sent } = captureTracker();
    tracker.track('x', JSON.parse('{"a":1,"__proto__":{"isAdmin":true},"constructor":{"prototype":{"p":1}}}'));
    const [e] = await sent();
    expect(e.properties).toEqual({ a: 1 });
    expect(Object.getOwnPropertyNames(e.properties)).toEqual(['a']);
  });
});
