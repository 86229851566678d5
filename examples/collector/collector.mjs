// A small clickstream collector: receives clicktrail batches (gzip or plain), answers CORS,
// and serves static files, so a demo or a test needs nothing else. Plain Node, no dependencies.
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';
import { gunzipSync } from 'node:zlib';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.cjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.map': 'application/json',
};

/** Events in a request body: `{ events: [...] }`, an array, or one event object. */
export function eventsOf(body) {
  if (Array.isArray(body)) return body;
  if (body && Array.isArray(body.events)) return body.events;
  if (body && typeof body === 'object' && body.eventId) return [body];
  return [];
}

/**
 * Starts the collector on 127.0.0.1.
 * @param {object} [options]
 * @param {number} [options.port] 0 (the default) lets the OS pick.
 * @param {string} [options.host] defaults to 127.0.0.1.
 * @param {Record<string, string>} [options.static] URL prefix → directory, e.g. { '/dist': 'dist' }.
 * @param {(request: { path: string, n: number, headers: object, body: string }) => number | 'drop' | { status: number, headers?: object, body?: string } | undefined} [options.respond]
 *   Decides the answer to the n-th event POST (from 1): a status, 'drop' to cut the connection
 *   without answering, or undefined for 200.
 * @param {(events: object[], request: object) => void} [options.onEvents]
 * @param {string} [options.eventsPath] Only POSTs to this path count as events; any path when unset.
 * @param {boolean} [options.preflight] false: refuse CORS preflights (OPTIONS), as a bare collector would.
 * @param {Record<string, (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse, url: URL) => unknown>} [options.routes]
 *   Path → handler for requests the collector should not answer itself (a demo's JSON API).
 */
export async function startCollector(options = {}) {
  const requests = [];
  const pages = new Map();
  let n = 0;
  let inflight = 0;
  const cors = {
    'Access-Control-Allow-Origin': '*',
    'Access-Control-Allow-Methods': 'POST, GET, OPTIONS',
    'Access-Control-Allow-Headers': 'Content-Type, Content-Encoding, Authorization, X-Api-Key',
    'Access-Control-Max-Age': '600',
    // Without it a cross-origin page cannot read Retry-After.
    'Access-Control-Expose-Headers': 'Retry-After',
  };

  async function serveFile(res, path) {
    if (pages.has(path)) {
      const p = pages.get(path);
      res.writeHead(200, { 'Content-Type': p.type, 'Cache-Control': p.cache || 'no-store', ...p.headers });
      return res.end(p.body);
    }
    for (const [prefix, dir] of Object.entries(options.static || {})) {
      if (!path.startsWith(prefix)) continue;
      const rel = normalize(decodeURIComponent(path.slice(prefix.length))).replace(/^(\.\.[/\\])+/, '');
      let file = join(resolve(dir), rel);
      if (!file.startsWith(resolve(dir))) continue;
      try {
        if ((await stat(file)).isDirectory()) file = join(file, 'index.html');
        const data = await readFile(file);
        res.writeHead(200, { 'Content-Type': TYPES[extname(file)] || 'application/octet-stream', 'Cache-Control': 'no-store' });
        return res.end(data);
      } catch {
        // try the next prefix
      }
    }
    res.writeHead(404, { 'Content-Type': 'text/plain' });
    res.end('not found');
  }

  const server = createServer((req, res) => {
    const url = new URL(req.url, 'http://x');
    if (req.method === 'OPTIONS') {
      // preflight: false plays a collector that answers simple requests only (no CORS preflight).
      res.writeHead(options.preflight === false ? 405 : 204, options.preflight === false ? {} : cors);
      return res.end();
    }
    const route = options.routes && Object.prototype.hasOwnProperty.call(options.routes, url.pathname) && options.routes[url.pathname];
    if (route) {
      return void Promise.resolve()
        .then(() => route(req, res, url))
        .catch(() => {
          if (!res.headersSent) res.writeHead(500);
          res.end();
        });
    }
    if (req.method !== 'POST' || (options.eventsPath && url.pathname !== options.eventsPath)) {
      return void serveFile(res, url.pathname).catch(() => res.end());
    }
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('error', () => undefined);
    req.on('end', () => {
      let raw = Buffer.concat(chunks);
      // inflight: event POSTs being answered when this one arrived, itself included.
      const record = { path: url.pathname, query: url.search, headers: req.headers, at: Date.now(), n: ++n, bytes: raw.length, inflight: ++inflight, answer: 'pending' };
      // Whether the answer got out before the connection closed: a copy sent again after a lost
      // answer is explained, one sent after an answer that got through is not.
      res.once('finish', () => record.answer == 'pending' && ((record.answer = 'answered'), (record.settledAt = Date.now())));
      res.once('close', () => record.answer == 'pending' && ((record.answer = 'lost'), (record.settledAt = Date.now())));
      try {
        if (req.headers['content-encoding'] === 'gzip') raw = gunzipSync(raw);
        record.body = raw.toString('utf8');
        record.json = JSON.parse(record.body);
      } catch (e) {
        record.error = String(e);
      }
      record.events = eventsOf(record.json);
      let answer = options.respond?.({ path: record.path, n: record.n, headers: req.headers, body: record.body });
      if (answer === 'drop') {
        // The request arrived but no answer gets back: the sender must retry (a lost ack).
        record.status = 'drop';
        record.answer = 'lost';
        record.settledAt = Date.now();
        requests.push(record);
        inflight--;
        return req.socket.destroy();
      }
      if (typeof answer === 'number') answer = { status: answer };
      const status = answer?.status ?? (record.error ? 400 : 200);
      record.status = status;
      requests.push(record);
      if (status >= 200 && status < 300) options.onEvents?.(record.events, record);
      // delayMs: a slow collector, so that overlapping requests would show.
      setTimeout(() => {
        inflight--;
        res.writeHead(status, { ...cors, 'Content-Type': 'application/json', ...(answer?.headers || {}) });
        res.end(answer?.body ?? JSON.stringify(status < 300 ? { success: true, received: record.events.length } : { success: false }));
      }, answer?.delayMs || 0);
    });
  });
  await new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', ok);
  });
  const { port } = server.address();
  const host = options.host ?? '127.0.0.1';
  return {
    port,
    url: `http://${host}:${port}`,
    requests,
    /** Requests answered 2xx. */
    get delivered() {
      return requests.filter((r) => typeof r.status === 'number' && r.status < 300);
    },
    /** Every event in a 2xx-answered request, duplicates included. */
    get events() {
      return this.delivered.flatMap((r) => r.events);
    },
    /** Every event that reached the server, answered or not. */
    get received() {
      return requests.flatMap((r) => r.events);
    },
    /** Serves `body` at `path` (a page for a test), with extra response `headers` if given. */
    page(path, body, type = 'text/html; charset=utf-8', cache, headers) {
      pages.set(path, { body, type, cache, headers });
    },
    close: () =>
      new Promise((ok) => {
        server.closeAllConnections?.();
        server.close(() => ok());
      }),
  };
}
