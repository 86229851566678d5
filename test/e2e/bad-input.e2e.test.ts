import { describe, expect, it } from 'vitest';
import { browserAvailable } from '../support/browser';
import { useBrowserAndCollector } from '../support/harness';
import { trackerPage } from '../support/pages';

describe.runIf(browserAvailable())('bad input in the page', () => {
  const h = useBrowserAndCollector();

  it('never throws into the page, and gives every bad input its documented outcome', async () => {
    h.collector.page('/bad.html', trackerPage({ url: h.collector.url + '/v1/events', body: '<button id="buy">Buy</button>' }));
    const page = await h.browser.context.newPage();
    await page.goto(h.collector.url + '/bad.html?token=abc123&utm_source=mail&email=shopper%40example.com#access_token=xyz');
    const thrown = await page.evaluate(async () => {
      const t = (window as any).tracker;
      const thrown: string[] = [];
      const attempt = (label: string, fn: () => unknown) => {
        try {
          fn();
        } catch (e) {
          thrown.push(`${label}: ${e}`);
        }
      };
      const circular: any = { a: 1 };
      circular.self = circular;
      const throwing = { get boom() { throw new Error('getter'); } };
      attempt('empty name', () => t.track(''));
      attempt('number name', () => t.track(42));
      attempt('undefined name', () => t.track());
      attempt('object name', () => t.track({ name: 'x' }));
      attempt('long name', () => t.track('x'.repeat(300)));
      attempt('string properties', () => t.track('string_props', 'not an object'));
      attempt('array properties', () => t.track('array_props', [1, 2]));
      attempt('circular', () => t.track('circular', circular));
      attempt('throwing getter', () => t.track('getter', throwing));
      attempt('values', () =>
        t.track('values', {
          big: 12345678901234567890n,
          fn: () => 1,
          sym: Symbol('s'),
          node: document.getElementById('buy'),
          win: window,
          nan: NaN,
          inf: -Infinity,
          when: new Date('2026-01-02T03:04:05.678Z'),
          bad: new Date('nope'),
          map: new Map([['k', 1]]),
          set: new Set([1, 2]),
          nested: { big: 1n, list: [NaN, () => 0] },
          undef: undefined,
        }),
      );
      attempt('too large', () => t.track('too_large', { blob: 'x'.repeat(40_000) }));
      attempt('identify bad', () => t.identify({}));
      attempt('page props bad', () => t.page('nope'));
      await t.flush();
      // Last: a consent that is not 'granted' holds what follows (consent fails closed).
      attempt('consent bad', () => t.setConsent('maybe'));
      attempt('held', () => t.track('after_bad_consent'));
      await t.flush();
      return thrown;
    });
    expect(thrown).toEqual([]);
    expect(await page.evaluate(() => (window as any).pageErrors)).toEqual([]);

    const codes = (await page.evaluate(() => (window as any).errors)).map((e: any) => e.code);
    expect(codes.filter((c: string) => c === 'invalid_event_name')).toHaveLength(5);
    expect(codes.filter((c: string) => c === 'invalid_properties')).toHaveLength(6); // string, array, circular, getter, identify, page
    expect(codes).toContain('event_too_large');
    expect(codes).toContain('invalid_option');

    const names = h.collector.events.map((e) => e.name);
    expect(names).not.toContain('circular');
    expect(names).not.toContain('getter');
    expect(names).not.toContain('too_large');
    expect(names).not.toContain('after_bad_consent');
    const byName = (n: string) => h.collector.events.find((e) => e.name === n)!;
    expect(byName('string_props').properties).toEqual({});
    expect(byName('array_props').properties).toEqual({});
    expect(byName('page_view').properties).toEqual({});
    expect(byName('values').properties).toEqual({
      big: '12345678901234567890',
      node: '[object HTMLButtonElement]',
      win: '[object Window]',
      nan: null,
      inf: null,
      when: '2026-01-02T03:04:05.678Z',
      bad: null,
      map: { k: 1 },
      set: [1, 2],
      nested: { big: '1', list: [null, null] },
    });
    // Secrets in the URL never leave the page.
    const pageInfo = byName('values').page;
    expect(pageInfo.url).toBe(`${h.collector.url}/bad.html?token=REDACTED&utm_source=mail&email=REDACTED#access_token=REDACTED`);
    expect(JSON.stringify(h.collector.received)).not.toContain('abc123');
    expect(JSON.stringify(h.collector.received)).not.toContain('shopper%40example.com');
    await page.close();
  });
});
