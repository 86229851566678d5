// One local collector for every SDK: it answers any POST (or 503 when told), counts the bytes
// on the wire and decoded, and finds the bench keys ("bk-<n>") in each decoded body, whatever
// the SDK's format (JSON, Snowplow's tp2, PostHog's gzip-js, Segment's per-event POSTs).
import { createServer } from 'node:http';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';

export interface BenchRequest {
  path: string;
  at: number;
  wire: number;
  decoded: number;
  keys: string[];
  status: number;
}

export interface BenchCollector {
  url: string;
  requests: BenchRequest[];
  status: number;
  page(path: string, body: string, type?: string): void;
  /** Distinct keys in requests answered 2xx. */
  delivered(prefix: string): Set<string>;
  close(): Promise<void>;
}

function decode(body: Buffer, encoding: string | undefined, url: URL): string {
  try {
    if (encoding == 'gzip' || url.searchParams.get('compression') == 'gzip-js' || (body[0] == 0x1f && body[1] == 0x8b)) return gunzipSync(body).toString('utf8');
    if (encoding == 'br') return brotliDecompressSync(body).toString('utf8');
    if (encoding == 'deflate') return inflateSync(body).toString('utf8');
  } catch {
    // not what it said: read it as text
  }
  const text = body.toString('utf8');
  // PostHog's base64 form: data=<base64 JSON>.
  const m = /^data=([^&]+)/.exec(text);
  if (m) {
    try {
      return Buffer.from(decodeURIComponent(m[1]), 'base64').toString('utf8');
    } catch {
      return text;
    }
  }
  return text;
}

export async function startBenchCollector(): Promise<BenchCollector> {
  const requests: BenchRequest[] = [];
  const pages = new Map<string, { body: string; type: string }>();
  const self: BenchCollector = {
    url: '',
    requests,
    status: 200,
    page: (path, body, type = 'text/html; charset=utf-8') => void pages.set(path, { body, type }),
    delivered(prefix) {
      const out = new Set<string>();
      for (const r of requests) if (r.status < 300) for (const k of r.keys) if (k.startsWith(prefix)) out.add(k);
      return out;
    },
    close: () => new Promise((ok) => (server.closeAllConnections(), server.close(() => ok()))),
  };
  const server = createServer((req, res) => {
    const origin = req.headers.origin;
    const cors = {
      'Access-Control-Allow-Origin': origin || '*',
      'Access-Control-Allow-Credentials': 'true',
      'Access-Control-Allow-Headers': req.headers['access-control-request-headers'] || 'Content-Type',
      'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
      'Cross-Origin-Resource-Policy': 'cross-origin',
    };
    const url = new URL(req.url!, 'http://x');
    if (req.method == 'OPTIONS') return void (res.writeHead(204, cors), res.end());
    if (req.method == 'GET' && pages.has(url.pathname)) {
      const p = pages.get(url.pathname)!;
      // Cross-origin isolated: performance.now() has 5 µs steps there instead of 100 µs.
      res.writeHead(200, { 'Content-Type': p.type, 'Cache-Control': 'no-store', 'Cross-Origin-Opener-Policy': 'same-origin', 'Cross-Origin-Embedder-Policy': 'require-corp' });
      return void res.end(p.body);
    }
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('error', () => undefined);
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const text = decode(body, req.headers['content-encoding'] as string | undefined, url) + ' ' + decodeURIComponent(url.search);
      const status = req.method == 'POST' ? self.status : 200;
      if (req.method == 'POST' || url.search.includes('bk-')) {
        requests.push({ path: url.pathname, at: Date.now(), wire: body.length, decoded: text.length, keys: text.match(/bk-\d+-\d+/g) || [], status });
      }
      res.writeHead(status, { ...cors, 'Content-Type': 'application/json' });
      res.end(status < 300 ? '{"status":1}' : '{"error":"unavailable"}');
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  self.url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return self;
}
