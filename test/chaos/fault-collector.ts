// A collector on 127.0.0.1 that injects faults from a seeded plan: 500s, 429 with Retry-After,
// connection resets, answers stalled for seconds. It records, for every event request, whether
// it stored the events and whether its answer reached the client, so that a duplicate can be
// told apart: explained by a lost answer, or not.
import { createServer, type ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import { join, normalize } from 'node:path';
import { gunzipSync } from 'node:zlib';

export type Fault = { kind: 'ok' } | { kind: 'status'; status: number; retryAfter?: number } | { kind: 'reset' } | { kind: 'stall'; ms: number };
export type Mode = 'healthy' | 'faulty' | 'dead' | ((n: number) => Fault);

export interface ChaosRequest {
  n: number;
  at: number;
  fault: Fault['kind'];
  status: number | 'reset';
  /** The events were kept (a 2xx decided), whether or not the answer got back. */
  stored: boolean;
  /** The answer reached the client's socket; false when reset, or when the client gave up first. */
  answered?: boolean;
  /** When the answer was handed to the client's socket. */
  answeredAt?: number;
  events: Array<Record<string, any>>;
}

export interface FaultCollector {
  url: string;
  requests: ChaosRequest[];
  /** Problems the pages reported (onError sent to /log). */
  logs: Array<{ code: string; count?: number; message: string }>;
  mode: Mode;
  /** A new seeded fault plan, for the next scenario. */
  reseed(seed: number): void;
  page(path: string, body: string, headers?: Record<string, string>): void;
  close(): Promise<void>;
}

/** mulberry32: a small seeded PRNG, so a run's fault plan repeats. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The faulty plan: about 45% of requests fail, in four ways. */
export function faultPlan(seed: number, stallMs = 20_000): (n: number) => Fault {
  const rnd = prng(seed);
  return () => {
    const r = rnd();
    if (r < 0.15) return { kind: 'status', status: 500 };
    if (r < 0.25) return { kind: 'status', status: 429, retryAfter: 1 };
    if (r < 0.37) return { kind: 'reset' };
    if (r < 0.45) return { kind: 'stall', ms: stallMs };
    return { kind: 'ok' };
  };
}

const CORS = { 'Access-Control-Allow-Origin': '*', 'Access-Control-Allow-Headers': 'Content-Type, Content-Encoding', 'Access-Control-Expose-Headers': 'Retry-After' };

export async function startFaultCollector(o: { seed: number; stallMs?: number }): Promise<FaultCollector> {
  const requests: ChaosRequest[] = [];
  const logs: FaultCollector['logs'] = [];
  const pages = new Map<string, { body: string; headers: Record<string, string> }>();
  let plan = faultPlan(o.seed, o.stallMs);
  let n = 0;
  const timers = new Set<NodeJS.Timeout>();
  const self: FaultCollector = {
    url: '',
    requests,
    logs,
    mode: 'healthy',
    reseed: (seed) => void (plan = faultPlan(seed, o.stallMs)),
    page: (path, body, headers = {}) => void pages.set(path, { body, headers }),
    close: () =>
      new Promise((ok) => {
        timers.forEach(clearTimeout);
        server.closeAllConnections();
        server.close(() => ok());
      }),
  };

  const answer = (res: ServerResponse, rec: ChaosRequest, status: number, headers: Record<string, string> = {}) => {
    // 'finish' only fires once the whole answer was handed to a socket still open.
    res.on('close', () => {
      rec.answered = res.writableFinished;
      if (rec.answered) rec.answeredAt = Date.now();
    });
    res.writeHead(status, { ...CORS, 'Content-Type': 'application/json', ...headers });
    res.end(JSON.stringify({ ok: status < 300 }));
  };

  const server = createServer((req, res) => {
    const url = new URL(req.url!, 'http://x');
    if (req.method == 'OPTIONS') return void (res.writeHead(204, { ...CORS, 'Access-Control-Allow-Methods': 'POST' }), res.end());
    if (req.method == 'GET') {
      const p = pages.get(url.pathname);
      if (p) return void (res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store', ...p.headers }), res.end(p.body));
      if (url.pathname.startsWith('/dist/')) {
        return void readFile(join('dist', normalize(url.pathname.slice(6)).replace(/^(\.\.[/\\])+/, '')))
          .then((b) => (res.writeHead(200, { 'Content-Type': 'text/javascript' }), res.end(b)))
          .catch(() => (res.writeHead(404), res.end()));
      }
      return void (res.writeHead(404), res.end());
    }
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('error', () => undefined);
    req.on('end', () => {
      let body = Buffer.concat(chunks);
      let json: any;
      try {
        if (req.headers['content-encoding'] == 'gzip') body = gunzipSync(body);
        json = JSON.parse(body.toString('utf8'));
      } catch {
        json = undefined;
      }
      if (url.pathname == '/log') return void (logs.push(json), res.writeHead(204, CORS), res.end());
      const events = Array.isArray(json) ? json : Array.isArray(json?.events) ? json.events : json?.eventId ? [json] : [];
      const mode = self.mode;
      const fault: Fault =
        mode == 'healthy' ? { kind: 'ok' } : mode == 'dead' ? { kind: 'reset' } : mode == 'faulty' ? plan(n + 1) : mode(n + 1);
      const rec: ChaosRequest = { n: ++n, at: Date.now(), fault: fault.kind, status: 200, stored: false, events };
      requests.push(rec);
      if (fault.kind == 'reset') {
        rec.status = 'reset';
        rec.answered = false;
        return void req.socket.destroy();
      }
      if (fault.kind == 'status') {
        rec.status = fault.status;
        return answer(res, rec, fault.status, fault.retryAfter ? { 'Retry-After': String(fault.retryAfter) } : {});
      }
      rec.stored = true;
      if (fault.kind == 'stall') {
        const t = setTimeout(() => (timers.delete(t), answer(res, rec, 200)), fault.ms);
        timers.add(t);
        // The client may give up first (its timeout, a closed page): then no answer arrives.
        res.on('close', () => (rec.answered ??= res.writableFinished));
        return;
      }
      answer(res, rec, 200);
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  self.url = `http://127.0.0.1:${(server.address() as { port: number }).port}`;
  return self;
}
