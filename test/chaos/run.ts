// The chaos runner: a fresh browser and a seeded fault plan per scenario, a settle phase on a
// healthy collector, then the accounting of every accepted event: delivered once, more than once
// (each duplicate explained by a lost answer or not), dropped by a documented cap, or lost.
import { writeFileSync } from 'node:fs';
import type { BrowserContext, Page } from 'playwright-core';
import { launch, waitFor } from '../support/browser';
import { openEngine, type Engine, type EngineName, type EnginePage } from '../support/engines';
import { trackerPage } from '../support/pages';
import { prng, startFaultCollector, type ChaosRequest, type FaultCollector } from './fault-collector';

/** A tab, the same in every engine; `raw` is playwright's page in Chromium (CDP, bfcache). */
export interface ChaosPage {
  evaluate<T, A = undefined>(fn: (arg: A) => T | Promise<T>, arg?: A): Promise<T>;
  goto(url: string): Promise<void>;
  reload(): Promise<void>;
  close(): Promise<void>;
  raw?: Page;
}

export interface Ctx {
  collector: FaultCollector;
  engine: EngineName;
  /** Chromium only (playwright): CDP sessions, bfcache. */
  chromium?: BrowserContext;
  /** Takes the browser offline; false where the engine cannot. */
  setOffline(offline: boolean): Promise<boolean>;
  short: boolean;
  rnd: () => number;
  appId: string;
  /** Opens a tracker page of the scenario (its init script, if any, runs first). */
  open(path?: string): Promise<ChaosPage>;
  /** Tracks n events with unique keys on `page`; the keys the page accepted are recorded. */
  track(page: ChaosPage, n: number): Promise<void>;
  /** Starts a flush without waiting for it (a page about to die). */
  kick(page: ChaosPage): Promise<void>;
  /** Waits until the collector has seen `n` more event requests than `since`. */
  requests(since: number, n?: number): Promise<void>;
  accepted: Set<string>;
  notes: string[];
  /** Call just before a page is closed, crashed, reloaded or navigated away. */
  dies(): void;
}

export interface Scenario {
  name: string;
  what: string;
  bfcache?: boolean;
  /** Engines that can play it (Chromium only: CDP crash and quota, playwright's bfcache). */
  engines?: EngineName[];
  /** Script run before the page's own (a hostile page, IndexedDB taken away). */
  init?: string;
  /** The settle page runs the init script too (IndexedDB unusable for the whole origin). */
  initOnSettle?: boolean;
  run(ctx: Ctx): Promise<void>;
}

export interface Result {
  engine: string;
  scenario: string;
  seed: number;
  accepted: number;
  deliveredOnce: number;
  deliveredMore: number;
  duplicatesExplained: number;
  duplicatesUnexplained: number;
  droppedByCap: number;
  lost: number;
  requests: number;
  faults: Record<string, number>;
  seconds: number;
  notes: string[];
}

const CAP_CODES = ['queue_overflow', 'event_expired', 'sink_rejected', 'event_too_large'];

const fromPlaywright = (p: Page): ChaosPage => ({
  evaluate: (fn, arg) => p.evaluate(fn as never, arg),
  goto: async (url) => void (await p.goto(url)),
  reload: async () => void (await p.reload()),
  close: () => p.close({ runBeforeUnload: true }),
  raw: p,
});

const fromEngine = (p: EnginePage): ChaosPage => ({
  evaluate: (fn, arg) => p.evaluate(fn, arg),
  goto: (url) => p.goto(url),
  reload: async () => p.goto(await p.url()),
  close: () => p.close(),
});

/** Chromium through playwright (CDP, bfcache); Firefox and WebKit through the engines harness. */
async function openBrowser(engine: EngineName, bfcache?: boolean) {
  if (engine == 'chromium') {
    const b = await launch({ bfcache });
    return {
      chromium: b.context,
      newPage: async () => fromPlaywright(await b.context.newPage()),
      setOffline: async (off: boolean) => (await b.context.setOffline(off), true),
      close: () => b.close(),
    };
  }
  const e: Engine = await openEngine(engine);
  return { chromium: undefined, newPage: async () => fromEngine(await e.newPage()), setOffline: (off: boolean) => e.setOffline(off), close: () => e.close() };
}

export async function runScenario(s: Scenario, o: { seed: number; short: boolean; engine?: EngineName }): Promise<Result> {
  const started = Date.now();
  const engine = o.engine || 'chromium';
  const stallMs = o.short ? 4_000 : 20_000;
  const collector = await startFaultCollector({ seed: o.seed, stallMs });
  const browser = await openBrowser(engine, s.bfcache);
  const appId = `chaos-${s.name}`;
  let keySeq = 0;
  const accepted = new Set<string>();
  const notes: string[] = [];
  const deaths: number[] = [];
  // The sink gives up on a stalled answer after timeoutMs: that answer is lost, the batch resent.
  const sink = `clicktrail.httpSink({ url: ${JSON.stringify(collector.url + '/e')}, timeoutMs: ${o.short ? 2_000 : 15_000} })`;
  const page = (init: boolean) =>
    trackerPage({
      url: '',
      sink,
      head: init && s.init ? `<script>${s.init}</script>` : '',
      options: `{ appId: ${JSON.stringify(appId)}, retry: { baseMs: 200, maxMs: 3000 },
        onError: function (e) { window.errors.push(e.code); try { navigator.sendBeacon('/log', JSON.stringify({ code: e.code, count: e.count, message: e.message })); } catch (_) {} } }`,
      setup: `window.burst = function (prefix, from, n) { var k = []; for (var i = from; i < from + n; i++) { var before = tracker.stats().tracked; tracker.track('chaos', { k: prefix + ':' + i }); if (tracker.stats().tracked > before) k.push(prefix + ':' + i); } return k; };`,
    });
  collector.page('/chaos.html', page(true));
  collector.page('/settle.html', page(!!s.initOnSettle));
  collector.page('/other.html', '<!doctype html><title>other</title><p>a page without the tracker</p>');
  const ctx: Ctx = {
    collector,
    engine,
    chromium: browser.chromium,
    setOffline: browser.setOffline,
    short: o.short,
    rnd: prng(o.seed ^ 0x5eed),
    appId,
    accepted,
    notes,
    dies: () => void deaths.push(Date.now()),
    async open(path = '/chaos.html') {
      const p = await browser.newPage();
      await p.goto(collector.url + path);
      return p;
    },
    async track(p, n) {
      const from = keySeq;
      keySeq += n; // reserved first: tabs track at once
      const keys = await p.evaluate(([prefix, from, n]) => (window as any).burst(prefix, from, n) as string[], [s.name, from, n] as [string, number, number]);
      keys.forEach((k) => accepted.add(k));
    },
    async kick(p) {
      await p.evaluate(() => void (window as any).tracker.flush()).catch(() => undefined);
    },
    async requests(since, n = 1) {
      await waitFor(`${n} event request(s)`, () => collector.requests.length >= since + n, 30_000);
    },
  };
  try {
    // A scenario that breaks (a browser call timing out) still settles and counts.
    await s.run(ctx).catch((e) => notes.push('scenario error: ' + String(e?.message || e).split('\n')[0]));
    // Settle: a healthy collector and a page of the same origin, which sends what is queued.
    collector.mode = 'healthy';
    const settle = await ctx.open('/settle.html');
    const stored = () => new Set(collector.requests.filter((r) => r.stored).flatMap((r) => r.events.map((e) => e?.properties?.k)));
    await waitFor(
      'every accepted event',
      async () => {
        // A flush that never settles (a drain stuck in a loop) must not hang the count too.
        await Promise.race([settle.evaluate(() => (window as any).tracker.flush()).catch(() => undefined), new Promise((r) => setTimeout(r, 5_000))]);
        const got = stored();
        return [...accepted].every((k) => got.has(k)) || dropped(collector) + [...accepted].filter((k) => got.has(k)).length >= accepted.size;
      },
      o.short ? 25_000 : 60_000,
    ).catch((e) => notes.push(String(e.message)));
    const errs = await settle.evaluate(() => (window as any).pageErrors as string[]).catch(() => []);
    if (errs.length) notes.push('page errors: ' + errs.join('; '));
  } finally {
    await browser.close();
    await collector.close();
  }
  return account(s.name, { seed: o.seed, engine }, collector, accepted, notes, started, deaths);
}

function dropped(c: FaultCollector): number {
  return c.logs.filter((l) => l && CAP_CODES.includes(l.code)).reduce((a, l) => a + (l.count || 1), 0);
}

function account(name: string, o: { seed: number; engine?: string }, c: FaultCollector, accepted: Set<string>, notes: string[], started: number, deaths: number[]): Result {
  // An answer is lost when it never reached the browser (a reset, a stall past the sink's
  // timeout) or reached it after a page died while the request was on its way or in flight (a
  // keepalive request at page hide, a close, crash or reload): nobody was left to act on it.
  const lostAnswer = (r: ChaosRequest) => !r.answered || deaths.some((d) => d >= r.at - 1_000 && d <= r.answeredAt!);
  const copies = new Map<string, { n: number; lost: boolean; at: number; answeredAt: number; fault: string; deaths: number[] }[]>();
  for (const r of c.requests) {
    if (!r.stored) continue;
    for (const e of r.events) {
      const k = e?.properties?.k;
      if (!accepted.has(k)) continue;
      copies.set(k, [...(copies.get(k) || []), { n: r.n, lost: lostAnswer(r), at: r.at - started, answeredAt: (r.answeredAt || 0) - started, fault: r.fault, deaths: deaths.map((d) => d - started) }]);
    }
  }
  let once = 0;
  let more = 0;
  let explained = 0;
  let unexplained = 0;
  for (const list of copies.values()) {
    if (list.length == 1) once++;
    else {
      more++;
      // Every copy but the last must have lost its answer, or the sender had no reason to resend.
      list.sort((a, b) => a.n - b.n);
      const extra = list.slice(0, -1);
      if (extra.every((x) => x.lost)) explained++;
      else if (unexplained++ < 2) notes.push('unexplained duplicate: ' + JSON.stringify(list));
    }
  }
  const faults: Record<string, number> = {};
  for (const r of c.requests) faults[r.fault] = (faults[r.fault] || 0) + 1;
  const droppedByCap = dropped(c);
  return {
    engine: o.engine || 'chromium',
    scenario: name,
    seed: o.seed,
    accepted: accepted.size,
    deliveredOnce: once,
    deliveredMore: more,
    duplicatesExplained: explained,
    duplicatesUnexplained: unexplained,
    droppedByCap,
    lost: Math.max(0, accepted.size - once - more - droppedByCap),
    requests: c.requests.length,
    faults,
    seconds: Math.round((Date.now() - started) / 100) / 10,
    notes,
  };
}

/** The results as a fixed-width table. */
export function table(results: Result[]): string {
  const head = ['engine', 'scenario', 'accepted', 'once', 'more', 'dup explained', 'dup unexplained', 'capped', 'lost', 'requests', 'faults', 's'];
  const rows = results.map((r) => [r.engine, r.scenario, r.accepted, r.deliveredOnce, r.deliveredMore, r.duplicatesExplained, r.duplicatesUnexplained, r.droppedByCap, r.lost, r.requests, Object.entries(r.faults).map(([k, v]) => `${k} ${v}`).join(', '), r.seconds].map(String));
  const w = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (cells: string[]) => '| ' + cells.map((c, i) => c.padEnd(w[i])).join(' | ') + ' |';
  return [line(head), '|' + w.map((x) => '-'.repeat(x + 2)).join('|') + '|', ...rows.map(line)].join('\n');
}

export function writeResults(path: string, results: Result[], meta: Record<string, unknown>): void {
  writeFileSync(path, JSON.stringify({ ...meta, results }, null, 2) + '\n');
}
