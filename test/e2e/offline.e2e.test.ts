import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, launch, waitFor, type LaunchedBrowser } from '../support/browser';
import { idCounts, startCollector, type Collector } from '../support/collector';
import { deadSwitch, type DeadSwitch } from '../support/engines/network';
import { trackerPage } from '../support/pages';

describe.runIf(browserAvailable())('offline spells', () => {
  let collector: Collector;
  let relay: DeadSwitch;
  let browser: LaunchedBrowser;
  beforeAll(async () => {
    collector = await startCollector({ static: { '/dist/': 'dist' } });
    // Everything goes through a relay that can play a dead network: setOffline alone is not
    // enough, as Chromium 150 reports navigator.onLine === true after a reload under it.
    relay = await deadSwitch(collector.port);
    // The page and the script may come from the HTTP cache while offline, as a real shop's would.
    const page = trackerPage({ url: relay.url + '/v1/events', options: '{ batch: { flushIntervalMs: 300 }, retry: { baseMs: 100, maxMs: 1000 } }' }).replace(
      '/dist/clicktrail.min.js',
      '/cached/clicktrail.min.js',
    );
    collector.page('/offline.html', page, 'text/html; charset=utf-8', 'max-age=3600');
    const { readFileSync } = await import('node:fs');
    collector.page('/cached/clicktrail.min.js', readFileSync('dist/clicktrail.min.js', 'utf8'), 'text/javascript', 'max-age=3600');
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    await relay?.close();
    await collector?.close();
  });

  it('delivers events tracked offline, across a reload while still offline, once back online', async () => {
    const page = await browser.context.newPage();
    await page.goto(relay.url + '/offline.html');
    await page.evaluate(() => (window as any).tracker.flush());
    const before = collector.requests.length;
    await browser.context.setOffline(true);
    relay.setDead(true);
    await page.evaluate(() => {
      for (let i = 0; i < 30; i++) (window as any).tracker.track('offline_event', { i, load: 1 });
    });
    // Still offline: the queue holds them, nothing is sent, nothing is lost.
    expect(await page.evaluate(() => (window as any).tracker.flush())).toMatchObject({ sent: 0, queued: 30 });
    await page.goto(relay.url + '/offline.html'); // from the HTTP cache: the relay answers nothing
    expect(await page.evaluate(() => !!(window as any).tracker)).toBe(true);
    await page.evaluate(() => {
      for (let i = 0; i < 10; i++) (window as any).tracker.track('offline_event', { i, load: 2 });
    });
    expect(await page.evaluate(() => (window as any).tracker.flush())).toMatchObject({ sent: 0, queued: 40 });
    expect(collector.requests.length).toBe(before); // nothing got through the dead network
    await browser.context.setOffline(false);
    relay.setDead(false);
    const got = await waitFor('40 events after going online', () => {
      const e = collector.events.filter((x) => x.name === 'offline_event');
      return e.length >= 40 && e;
    });
    expect([...idCounts(got as any).values()].every((n) => n === 1)).toBe(true);
    expect(new Set(got.map((e) => `${e.properties.load}:${e.properties.i}`)).size).toBe(40);
    await page.close();
  });
});
