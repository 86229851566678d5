import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserAvailable, launch, waitFor, type LaunchedBrowser } from '../support/browser';
import { startCollector, type Collector } from '../support/collector';
import { startS3, type LocalS3 } from '../support/s3rver';
// @ts-expect-error plain JavaScript module without types
import { invoke as invokeLocal } from '../../examples/ingest-lambda/local.mjs';

// The README's recipe for the Shopcart team's pipeline, run as it is written there, in front of a
// Lambda of their shape (written from issue 13 and docs/../shared/reference/shopcart-storefront.md),
// S3 (s3rver) and their ETL's dedup. The test reads the rows as their ETL would.

type ApiEvent = { body?: string; isBase64Encoded: boolean; requestContext: { requestId: string; http: { sourceIp: string } } };
type LambdaResult = { statusCode: number; headers?: Record<string, string>; body: string };
const invoke = invokeLocal as (h: (e: ApiEvent) => Promise<LambdaResult>, req: unknown, res: unknown) => void;

/** The README block after `<!-- shopcart-recipe ... -->`. */
function recipe(): string {
  const readme = readFileSync('README.md', 'utf8');
  const m = readme.match(/<!-- shopcart-recipe[^>]*-->\n```js\n([\s\S]*?)```/);
  if (!m) throw new Error('README.md has no shopcart-recipe block');
  return m[1];
}

/** Their ingest Lambda: JSON.parse(event.body) (no base64 handling), `_ingest`, one object per request. */
const shopcartLambda = (s3: S3Client, bucket: string) => async (event: ApiEvent): Promise<LambdaResult> => {
  let body;
  try {
    body = JSON.parse(event.body as string);
  } catch {
    return { statusCode: 400, body: JSON.stringify({ success: false, error: 'Invalid JSON' }) };
  }
  try {
    const _ingest = { receivedAt: new Date().toISOString(), requestId: event.requestContext.requestId, sourceIp: event.requestContext.http.sourceIp };
    const key = `clickstream/${new Date().toISOString().slice(0, 13)}/${randomUUID()}.json`;
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: JSON.stringify({ ...body, _ingest }), ContentType: 'application/json' }));
    return { statusCode: 200, body: JSON.stringify({ success: true }) };
  } catch {
    return { statusCode: 500, body: JSON.stringify({ success: false }) };
  }
};

/** The Shopcart template's store (store.ts), in plain JS for the page. */
const STORE = `
const shopcart = (set) => ({
  items: [], favoriteProduct: [],
  addItem: (product) => set((s) => s.items.some((i) => i.product._id === product._id)
    ? { items: s.items.map((i) => (i.product._id === product._id ? { ...i, quantity: i.quantity + 1 } : i)) }
    : { items: [...s.items, { product, quantity: 1 }] }),
  removeItem: (id) => set((s) => ({ items: s.items.flatMap((i) => (i.product._id !== id ? [i] : i.quantity > 1 ? [{ ...i, quantity: i.quantity - 1 }] : [])) })),
  resetCart: () => set({ items: [] }),
  addToFavorite: (product) => new Promise((resolve) => { set((s) => ({ favoriteProduct: s.favoriteProduct.some((p) => p._id === product._id)
    ? s.favoriteProduct.filter((p) => p._id !== product._id) : [...s.favoriteProduct, product] })); resolve(); }),
});
const useStore = createStore(shopcart);
window.store = useStore;
`;

const page = (extra = '') => `<!doctype html><html><head><meta charset="utf-8"><title>Shopcart</title>
<script type="importmap">${JSON.stringify({
  imports: {
    clicktrail: '/dist/index.js',
    'clicktrail/zustand': '/dist/zustand.js',
    'idb-keyval': '/idb-keyval/index.js',
    'zustand/vanilla': '/zustand/vanilla.mjs',
  },
})}</script>
<script type="module">
import { createStore } from 'zustand/vanilla';
const CLICKSTREAM_URL = '/clickstream';
${STORE}
${recipe()}
window.tracker = tracker;
${extra}
</script></head><body><h1>Shopcart</h1></body></html>`;

const monitor = { _id: 'p-monitor', name: 'LG UltraGear 27"', slug: { current: 'lg-ultragear-27' }, price: 2_690_000, discount: 10, variant: 'gadget', brand: 'LG', categories: ['Monitors', 'Gaming'] };
const kettle = { _id: 'p-kettle', name: 'Philips Kettle', slug: { current: 'philips-kettle' }, price: 590_000, discount: 0, variant: 'appliances', brand: 'Philips', categories: ['Kitchen'] };

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe.runIf(browserAvailable())('the README recipe in front of the Shopcart pipeline (API Gateway → Lambda → S3 → ETL)', () => {
  let s3: LocalS3;
  let site: Collector;
  let browser: LaunchedBrowser;
  let requests = 0;
  beforeAll(async () => {
    s3 = await startS3('shopcart-raw');
    const lambda = shopcartLambda(s3.client, 'shopcart-raw');
    site = await startCollector({
      static: { '/dist/': 'dist', '/idb-keyval/': 'node_modules/idb-keyval/dist', '/zustand/': 'node_modules/zustand/esm' },
      routes: {
        // API Gateway in front of their Lambda. The 4th request's answer is lost after the object
        // was written (a timeout at the gateway): the SDK sends it again, the ETL keeps one row.
        '/clickstream': (req, res) =>
          invoke(async (e) => {
            const r = await lambda(e);
            return ++requests === 4 ? { statusCode: 500, body: '{"message":"Internal Server Error"}' } : r;
          }, req, res),
      },
    });
    browser = await launch();
  });
  afterAll(async () => {
    await browser?.close();
    await site?.close();
    await s3?.close();
  });

  /** Their hourly ETL: every object, one row per event_id (ON CONFLICT (event_id) DO NOTHING). */
  const etl = async () => {
    const objects = (await s3.objects('shopcart-raw')).map((o) => JSON.parse(o.body));
    const rows = new Map<string, any>();
    for (const o of objects) if (!rows.has(o.eventId)) rows.set(o.eventId, o);
    return { objects, rows: [...rows.values()].sort((a, b) => a.eventId.localeCompare(b.eventId)) }; // UUIDv7: capture order
  };

  it('stores one row per product with the fields their ETL reads, a key per row, and nothing twice', async () => {
    const tab = await browser.context.newPage();
    site.page('/shop.html', page());
    await tab.goto(`${site.url}/shop.html`);
    await tab.waitForFunction(() => (window as any).tracker);
    await tab.evaluate(
      async ([monitor, kettle]) => {
        const s = (window as any).store.getState();
        s.addItem(monitor);
        s.addItem(monitor); // +
        s.addItem(kettle);
        s.removeItem('p-monitor'); // −
        await s.addToFavorite(kettle); // the heart
        (window as any).tracker.identify('cognito-sub-1');
        s.resetCart(); // one remove_from_cart with both lines
        await (window as any).tracker.flush();
      },
      [monitor, kettle],
    );
    const { objects, rows } = await waitFor('9 rows after the ETL', async () => {
      const r = await etl();
      return r.rows.length >= 9 && r;
    });
    expect(tab.isClosed()).toBe(false);
    expect(await tab.evaluate(() => (window as any).pageErrors || [])).toEqual([]);

    expect(rows.map((r) => [r.eventName, r.product?.id ?? null])).toEqual([
      ['page_view', null],
      ['add_to_cart', 'p-monitor'],
      ['add_to_cart', 'p-monitor'],
      ['add_to_cart', 'p-kettle'],
      ['remove_from_cart', 'p-monitor'],
      ['add_to_wishlist', 'p-kettle'],
      ['identify', null],
      ['remove_from_cart', 'p-monitor'],
      ['remove_from_cart', 'p-kettle'],
    ]);
    // One object per request: 9 rows, and the request whose answer was lost came twice.
    expect(objects).toHaveLength(10);
    expect(objects.every((o) => o._ingest && typeof o._ingest.receivedAt === 'string')).toBe(true);

    const clientId = rows[0].clientId;
    for (const r of rows) {
      expect(r.eventId).toMatch(UUID);
      expect(r.clientId).toBe(clientId);
      expect(r.sessionId).toBe(rows[0].sessionId);
    }
    expect(clientId).toMatch(UUID);
    expect(new Set(rows.map((r) => r.eventId)).size).toBe(9);
    expect(rows.slice(0, 6).map((r) => [r.userId, r.userLoginState])).toEqual(Array(6).fill([null, 'guest']));
    expect(rows.slice(6).map((r) => [r.userId, r.userLoginState])).toEqual(Array(3).fill(['cognito-sub-1', 'logged_in']));
    expect(rows[1].product).toEqual({
      id: 'p-monitor',
      name: 'LG UltraGear 27"',
      category: 'Monitors',
      brand: 'LG',
      price: 2_690_000,
      discountPrice: 269_000, // 10% of the price, per unit
      urlPath: '/shop.html',
    });
    expect(rows[3].product).toMatchObject({ id: 'p-kettle', brand: 'Philips', category: 'Kitchen', price: 590_000, discountPrice: 0 });
    // The reset's two rows: distinct keys derived from the one event's id.
    const [a, b] = rows.slice(7);
    expect(a.eventId.slice(0, -2)).toBe(b.eventId.slice(0, -2));
    expect([a.eventId.slice(-2), b.eventId.slice(-2)].sort()).toEqual(['00', '01']);
    await tab.close();
  });

  it('says isFirstVisit: true in the visitor\'s first session and false in a later one', async () => {
    const { rows: before } = await etl();
    expect(before.map((r) => r.isFirstVisit)).toEqual(Array(9).fill(true));
    const first = before[before.length - 1];
    // A new session after 30 minutes idle: this page's tracker uses 1.5 s, the recipe otherwise unchanged.
    const src = page();
    const short = src.replace("appId: 'shopcart'", "appId: 'shopcart', sessionTimeoutMs: 1500");
    expect(short).not.toBe(src);
    site.page('/later.html', short);
    await waitFor('the session to expire', () => Date.now() - Date.parse(first.timestamp) > 1_600);
    const tab = await browser.context.newPage();
    await tab.goto(`${site.url}/later.html`);
    const { rows } = await waitFor('the later page_view', async () => {
      const r = await etl();
      return r.rows.some((x) => x.product === null && x.eventName === 'page_view' && x.sessionId !== first.sessionId) && r;
    });
    const later = rows.find((x) => x.eventName === 'page_view' && x.sessionId !== first.sessionId);
    expect(later).toMatchObject({ clientId: first.clientId, userId: 'cognito-sub-1', userLoginState: 'logged_in', isFirstVisit: false });
    await tab.close();
  });
});
