// `npm run demo`: the collector, the static storefront and a live dashboard on one local port.
// `npm run demo -- --sink kinesis` puts the whole AWS pipeline behind the same URL (pipeline.mjs).
// It builds nothing: `npm run demo` runs the bundler first. PORT=0 (or --port 0) lets the OS pick.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { createBoard } from './board.mjs';
import { startCollector } from './collector.mjs';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));
const dist = here('../../dist');

let args;
try {
  ({ values: args } = parseArgs({ options: { sink: { type: 'string', default: 'http' }, port: { type: 'string' } } }));
  if (!['http', 'kinesis'].includes(args.sink)) throw new Error(`--sink is http or kinesis, not ${args.sink}`);
} catch (e) {
  console.error(`clicktrail demo: ${e.message}\nusage: npm run demo -- [--sink http|kinesis] [--port 8787]`);
  process.exit(2);
}
const wanted = args.port ?? process.env.PORT;
const port = wanted !== undefined && wanted !== '' ? Number(wanted) : 8787;

if (!existsSync(`${dist}/clicktrail.full.min.js`)) {
  console.warn('dist/clicktrail.full.min.js is missing: run `npm run build` first (`npm run demo` does).');
}

const board = createBoard({ sink: args.sink });
const summary = (e) => {
  const p = e.properties || {};
  const items = Array.isArray(p.items) ? ' ' + p.items.map((i) => `${i.item_id}${i.quantity ? '×' + i.quantity : ''}`).join(',') : '';
  const value = p.value !== undefined ? ` ${p.value}${p.currency ? ' ' + p.currency : ''}` : '';
  return `${e.timestamp || ''} ${String(e.name).padEnd(18)} ${e.page?.path || ''}${items}${value}`;
};
// Each new event on one line; in Kinesis mode the events come back from the stream.
const show = board.add;
board.add = (e) => {
  if (!show(e)) return false;
  // A malformed event (items: [null]) must not take the rest of its batch, or the server, down.
  try {
    console.log(summary(e));
  } catch {
    console.log(`${e.eventId} (malformed)`);
  }
  return true;
};

const pipeline = args.sink === 'kinesis' ? await (await import('./pipeline.mjs')).startPipeline(board) : undefined;
const favicon = readFileSync(here('../storefront/favicon.svg'));

let collector;
try {
  collector = await startCollector({
    port,
    eventsPath: '/v1/events',
    static: { '/dist/': dist, '/vendor/uplot/': here('../../node_modules/uplot/dist'), '/': here('../storefront') },
    onEvents(batch) {
      board.counters.received += batch.length;
      for (const e of batch) board.add(e);
    },
    routes: {
      '/api/events': (req, res) => {
        if (!pipeline) board.counters.errors = collector.requests.filter((r) => r.status === 'drop' || r.status >= 300).length;
        res.writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' });
        res.end(JSON.stringify(board.json()));
      },
      // Browsers ask for /favicon.ico whatever the page says; answer it rather than log a 404.
      '/favicon.ico': (req, res) => res.writeHead(200, { 'Content-Type': 'image/svg+xml', 'Cache-Control': 'max-age=86400' }).end(favicon),
      ...(pipeline && { '/v1/events': pipeline.route }),
    },
  });
} catch (e) {
  if (e.code !== 'EADDRINUSE' && e.code !== 'EACCES') throw e;
  console.error(
    `clicktrail demo: port ${port} is ${e.code === 'EACCES' ? 'not allowed for this user' : 'already in use (another demo still running?)'}.\n` +
      `Choose another port: PORT=8788 npm run demo   or   npm run demo -- --port 8788   (0 lets the system pick a free one)`,
  );
  await pipeline?.close();
  process.exit(1);
}
collector.page('/dashboard.html', readFileSync(here('./dashboard.html'), 'utf8'));

console.log(`clicktrail demo: ${collector.url}/ (shop)  ${collector.url}/dashboard.html (dashboard)`);
if (pipeline) console.log(`sink: kinesis — ingest Lambda at ${collector.url}/v1/events → kinesalite ${pipeline.endpoint}, stream "${pipeline.stream}"`);

const stop = () =>
  Promise.all([collector.close(), pipeline?.close()]).then(() => process.exit(0));
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
