import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { waitFor } from '../browser';
import { idCounts } from '../collector';
import type { EngineHarness } from './harness';
import { openEngine } from './index';
import type { Engine, EnginePage } from './types';
import { trackerPage as page } from '../pages';

// WebKit cannot crash here: WebKitWebDriver deletes the session when an automated page's
// WebContent process dies, and MiniBrowser in automation mode keeps storage in memory only
// (ephemeral), so no browser is left to read what the crashed page stored.
export const NO_CRASH = ' (not in WebKit: a crash ends the WebDriver session and its in-memory storage)';

/**
 * What the outbox durability tests share: a shop page per appId, a burst tracked in one task,
 * and the count of what the collector acknowledged. `block(true)`: the collector answers 503.
 */
export function outboxShop(h: EngineHarness, block: (on: boolean) => void) {
  const name = () => h.engine.name;
  // Only the next page view may deliver, unless a test says otherwise: no timed drains.
  const shop = (appId: string, head = '') => {
    const options = `{ appId: '${appId}', batch: { flushIntervalMs: 600000 } }`;
    h.collector.page(`/${appId}.html`, trackerPage(h, options, head));
    return h.collector.url + `/${appId}.html`;
  };
  // One task: `n` track() calls, as the loader snippet replays its queue. Resolves to how many
  // the tracker accepted.
  const burst = (p: EnginePage, tag: string, n: number) =>
    p.evaluate(([tag, n]) => {
      const t = (window as any).tracker;
      const before = t.stats().tracked;
      for (let i = 0; i < n; i++) t.track('burst', { tag, i, items: [{ item_id: 'sku-' + i, quantity: 1 }] });
      return t.stats().tracked - before;
    }, [tag, n] as [string, number]);
  const tagged = (tag: string) => h.collector.events.filter((e) => e.properties?.tag === tag);
  const unique = (tag: string) => new Set(tagged(tag).map((e) => e.properties.i)).size;
  // Flushes from `p` until all `n` arrived; a flush that hangs does not stop the polling.
  const arrive = (p: EnginePage, tag: string, n: number, ms = 90_000) =>
    waitFor(`${n} events (${tag})`, async () => {
      await Promise.race([p.evaluate(() => (window as any).tracker.flush()), new Promise((r) => setTimeout(r, 5000))]);
      return unique(tag) >= n;
    }, ms);
  // One line per engine and case: accepted / delivered / duplicated.
  const figures = (what: string, tag: string, accepted: number, engine = name()) => {
    const dup = [...idCounts(tagged(tag)).values()].reduce((a, n) => a + n - 1, 0);
    console.log(`[durable] ${engine} ${what}: accepted ${accepted}, delivered ${unique(tag)}, duplicated ${dup}`);
  };
  // The start-up drain is over, so nothing is on the wire when the burst starts.
  const ready = async (p: EnginePage, url: string) => (await p.goto(url), await p.evaluate(() => (window as any).tracker.flush()));

  /**
   * `n` events tracked in one task, then a crash right after it, on a profile kept on disk;
   * the collector answers 503 until then, so every event must come from storage. Then a new
   * browser on the same profile opens the shop. `renderer`: the tab's renderer dies (Chromium
   * CDP Page.crash, Firefox SIGKILL of its content processes); `browser` (Firefox): SIGKILL to
   * every process of the browser, its IndexedDB writer too. Not WebKit (see EnginePage.crash).
   */
  async function crashAfter(n: number, how: 'renderer' | 'browser' = 'renderer') {
    const engineName = name();
    const tag = `crash-${how}-${n}`;
    const url = shop(tag);
    const profileDir = mkdtempSync(join(tmpdir(), `clicktrail-${engineName}-`));
    let engine: Engine = await openEngine(engineName, { profileDir });
    let accepted = 0;
    let after = 0;
    try {
      const p = await engine.newPage();
      await ready(p, url);
      await p.armCrash?.();
      block(true);
      accepted = await burst(p, tag, n);
      const t0 = Date.now();
      if (how === 'browser') await engine.kill!();
      else await p.crash!();
      after = Date.now() - t0;
      await engine.close();
      block(false);
      engine = await openEngine(engineName, { profileDir });
      const again = await engine.newPage();
      await again.goto(url);
      await arrive(again, tag, n);
    } finally {
      block(false);
      figures(`${how} crash after ${n} in one task (dead ${after} ms after the task's answer)`, tag, accepted, engineName);
      await engine.close();
      rmSync(profileDir, { recursive: true, force: true });
    }
    expect(accepted).toBe(n);
    expect(unique(tag)).toBe(n);
  }

  return { shop, burst, tagged, unique, arrive, figures, ready, crashAfter };
}

function trackerPage(h: EngineHarness, options: string, head: string): string {
  return page({ url: h.collector.url + '/v1/events', options, head, reportErrorsTo: h.errorsUrl });
}
