// `npm run demo`: the collector, the static storefront and a live dashboard on one local port.
// It builds nothing: `npm run demo` runs the build first. PORT=0 lets the OS pick a port.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { startCollector } from './collector.mjs';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const dist = here('../../dist');
const KEEP = 1000; // events the dashboard can show

if (!existsSync(`${dist}/clicktrail.full.min.js`)) {
  console.warn('dist/clicktrail.full.min.js is missing: run `npm run build` first (`npm run demo` does).');
}

const events = []; // newest last
const seen = new Set();
let duplicates = 0;

const summary = (e) => {
  const p = e.properties || {};
  const items = Array.isArray(p.items) ? ' ' + p.items.map((i) => `${i.item_id}${i.quantity ? '×' + i.quantity : ''}`).join(',') : '';
  const value = p.value !== undefined ? ` ${p.value}${p.currency ? ' ' + p.currency : ''}` : '';
  return `${e.timestamp || ''} ${String(e.name).padEnd(18)} ${e.page?.path || ''}${items}${value}`;
};

const collector = await startCollector({
  port: process.env.PORT !== undefined && process.env.PORT !== '' ? Number(process.env.PORT) : 8787,
  eventsPath: '/v1/events',
  static: { '/dist/': dist, '/': here('../storefront') },
  onEvents(batch) {
    for (const e of batch) {
      // Delivery is at-least-once; like the real pipeline (ON CONFLICT (event_id) DO NOTHING),
      // the demo keeps the first copy of each eventId.
      if (!e || seen.has(e.eventId)) {
        duplicates++;
        continue;
      }
      seen.add(e.eventId);
      events.push(e);
      if (events.length > KEEP) events.shift();
      // A malformed event (items: [null]) must not take the rest of its batch, or the server, down.
      try {
        console.log(summary(e));
      } catch {
        console.log(`${e.eventId} (malformed)`);
      }
    }
  },
  routes: {
    '/api/events': (req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
      res.end(JSON.stringify({ total: seen.size, duplicates, events: events.slice().reverse() }));
    },
  },
});
collector.page('/dashboard.html', readFileSync(here('./dashboard.html'), 'utf8'));

console.log(`clicktrail demo: ${collector.url}/ (shop)  ${collector.url}/dashboard.html (dashboard)`);

const stop = () => collector.close().then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
