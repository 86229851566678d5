// The chaos scenarios. Each acts on a fresh browser and a fault-injecting collector; the runner
// then settles on a healthy collector and counts. `ctx.short` scales them down for `npm test`.
import { waitFor } from '../support/browser';
import type { ChaosPage as Page, Ctx, Scenario } from './run';

const n = (ctx: Ctx, full: number, short: number) => (ctx.short ? short : full);

/** Tracks in bursts with flushes in between, while the collector fails at random. */
async function underFaults(ctx: Ctx, page: Page, total: number, bursts: number) {
  for (let b = 0; b < bursts; b++) {
    await ctx.track(page, Math.ceil(total / bursts));
    await Promise.race([page.evaluate(() => (window as any).tracker.flush()).catch(() => undefined), new Promise((r) => setTimeout(r, 300 + ctx.rnd() * 1500))]);
  }
}

/** Every answer held back, so that a page closed now loses the answers of its requests in flight. */
const slow = (ctx: Ctx) => (ctx.collector.mode = () => ({ kind: 'stall', ms: 1_500 }));

async function dieMidFlush(ctx: Ctx, die: (page: Page) => Promise<unknown>) {
  const page = await ctx.open();
  await ctx.track(page, n(ctx, 300, 120));
  slow(ctx);
  const since = ctx.collector.requests.length;
  await ctx.kick(page);
  await ctx.requests(since);
  ctx.dies();
  await die(page);
}

export const SCENARIOS: Scenario[] = [
  {
    name: 'faults',
    what: 'random 500, 429 + Retry-After, resets and stalled answers while tracking',
    async run(ctx) {
      ctx.collector.mode = 'faulty';
      const page = await ctx.open();
      await underFaults(ctx, page, n(ctx, 1_000, 150), n(ctx, 10, 4));
      // Faulty until enough requests have met the plan: a 20 s stall alone outlasts the bursts.
      const enough = n(ctx, 20, 6);
      await waitFor(`${enough} requests under faults`, async () => (await ctx.kick(page), ctx.collector.requests.length >= enough), n(ctx, 120_000, 20_000)).catch(() => ctx.notes.push(`fewer than ${enough} requests under faults`));
    },
  },
  {
    name: 'close-mid-flush',
    what: 'the page is closed while its requests wait for their answers',
    run: (ctx) => dieMidFlush(ctx, (p) => p.close()),
  },
  {
    name: 'navigate-mid-flush',
    what: 'the page navigates to another page of the origin while its requests wait',
    run: (ctx) => dieMidFlush(ctx, (p) => p.goto(ctx.collector.url + '/other.html')),
  },
  {
    name: 'renderer-crash',
    what: 'Chromium Page.crash while requests wait for their answers',
    engines: ['chromium'],
    async run(ctx) {
      await dieMidFlush(ctx, async ({ raw: p }) => {
        const cdp = await ctx.chromium!.newCDPSession(p!);
        void cdp.send('Page.crash').catch(() => undefined);
        await new Promise<void>((ok) => p!.once('crash', () => ok()));
        await p!.close().catch(() => undefined);
      });
    },
  },
  {
    name: 'offline-reload',
    what: 'the network goes offline, the page reloads offline, the collector is unreachable, then back',
    async run(ctx) {
      const page = await ctx.open();
      await ctx.track(page, n(ctx, 200, 60));
      if (!(await ctx.setOffline(true))) ctx.notes.push('no network emulation: the offline part is the dead collector only');
      await ctx.track(page, n(ctx, 200, 60));
      await ctx.kick(page);
      ctx.dies();
      await page.reload().catch(() => ctx.notes.push('reload offline: error page'));
      await ctx.setOffline(false);
      // Online, but the collector unreachable (connection reset): a dead network at the server.
      ctx.collector.mode = 'dead';
      const again = await ctx.open();
      await ctx.track(again, n(ctx, 200, 60));
      await ctx.kick(again);
      ctx.dies();
      await again.reload();
      await ctx.track(again, n(ctx, 100, 30));
      await ctx.kick(again);
    },
  },
  {
    name: 'three-tabs',
    what: 'three tabs track at once under random faults, two close',
    async run(ctx) {
      ctx.collector.mode = 'faulty';
      const tabs = [await ctx.open(), await ctx.open(), await ctx.open()];
      for (let round = 0; round < n(ctx, 6, 3); round++) {
        await Promise.all(tabs.map((t) => ctx.track(t, n(ctx, 60, 25))));
        await Promise.all(tabs.map((t) => ctx.kick(t)));
      }
      ctx.dies();
      await tabs[0].close();
      await tabs[1].close();
    },
  },
  {
    name: 'reload-loop',
    what: 'track then reload at once, many times, under random faults',
    async run(ctx) {
      ctx.collector.mode = 'faulty';
      const page = await ctx.open();
      for (let i = 0; i < n(ctx, 15, 5); i++) {
        await ctx.track(page, 20);
        ctx.dies();
        await page.reload();
      }
    },
  },
  {
    name: 'bfcache',
    what: 'leave for another page and come back from the back/forward cache, tracking on both sides',
    bfcache: true,
    engines: ['chromium'],
    async run(ctx) {
      const page = await ctx.open();
      await page.evaluate(() => addEventListener('pageshow', (e) => ((window as any).restored = e.persisted)));
      await ctx.track(page, n(ctx, 100, 40));
      ctx.dies();
      await page.goto(ctx.collector.url + '/other.html');
      await page.raw!.goBack({ waitUntil: 'commit' });
      await waitFor('the page back', () => page.evaluate(() => !!(window as any).tracker).catch(() => false));
      const restored = await page.evaluate(() => (window as any).restored === true);
      ctx.notes.push(restored ? 'restored from bfcache' : 'not restored from bfcache (a fresh load)');
      await ctx.track(page, n(ctx, 100, 40));
    },
  },
  {
    name: 'tiny-quota',
    what: 'IndexedDB quota of 16 KB for the origin (Storage.overrideQuotaForOrigin)',
    engines: ['chromium'],
    async run(ctx) {
      const page = await ctx.chromium!.newPage();
      const cdp = await ctx.chromium!.newCDPSession(page);
      await cdp.send('Storage.overrideQuotaForOrigin' as never, { origin: ctx.collector.url, quotaSize: 16_384 } as never);
      ctx.collector.mode = 'dead';
      await page.goto(ctx.collector.url + '/chaos.html');
      const p = { evaluate: (fn: any, arg: any) => page.evaluate(fn, arg) } as Page;
      for (let i = 0; i < 4; i++) await ctx.track(p, n(ctx, 250, 100));
      await ctx.kick(p);
      ctx.notes.push('storage: ' + (await page.evaluate(() => (window as any).tracker.stats().storage)));
    },
  },
  {
    name: 'idb-unusable',
    what: 'indexedDB.open throws on every page of the origin',
    init: `indexedDB.open = function () { throw new DOMException('blocked by the test', 'SecurityError'); };`,
    initOnSettle: true,
    async run(ctx) {
      ctx.collector.mode = 'faulty';
      const page = await ctx.open();
      await underFaults(ctx, page, n(ctx, 300, 100), 3);
      ctx.notes.push('storage: ' + (await page.evaluate(() => (window as any).tracker.stats().storage)));
      // The events live in this page's memory only: they go from this page once the collector heals.
      ctx.collector.mode = 'healthy';
      await waitFor('the in-memory events delivered', async () => (await page.evaluate(() => (window as any).tracker.flush())).queued == 0, 30_000);
    },
  },
  {
    name: 'hostile-page',
    what: 'prototype pollution, toJSON on Date/String/Number, a fetch wrapper that throws',
    init: `Object.prototype.polluted = 'yes'; Object.prototype.eventId = 'forged';
Date.prototype.toJSON = function () { return 'date!'; }; String.prototype.toJSON = function () { return 'string!'; };
Number.prototype.toJSON = function () { return 'number!'; };
var realFetch = window.fetch; window.fetch = function () { throw new TypeError('the page wrapped fetch and broke it'); };`,
    async run(ctx) {
      const page = await ctx.open();
      await ctx.track(page, n(ctx, 200, 60));
      await ctx.kick(page);
      const errs = await page.evaluate(() => ({ page: (window as any).pageErrors, sdk: (window as any).errors }));
      ctx.notes.push(`hostile page: ${errs.page.length} page errors, onError codes ${[...new Set(errs.sdk)].join(' ') || 'none'}`);
      ctx.dies();
      await page.close();
    },
  },
];
