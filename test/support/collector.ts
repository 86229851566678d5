// The test collector is the demo collector: one implementation, typed here for the tests.
// @ts-expect-error plain JavaScript module without types
import { startCollector as start, eventsOf } from '../../examples/collector/collector.mjs';

export interface CollectedRequest {
  path: string;
  n: number;
  at: number;
  bytes: number;
  headers: Record<string, string | string[] | undefined>;
  body?: string;
  json?: unknown;
  error?: string;
  status: number | 'drop';
  /** Event requests being answered when this one arrived, itself included. */
  inflight: number;
  /** The request URL's query string ('' when none). */
  query?: string;
  /**
   * 'answered': the whole answer went out before the connection closed; 'lost': the connection
   * closed first (aborted by the client, reset, or dropped); 'pending': neither yet.
   */
  answer?: 'pending' | 'answered' | 'lost';
  /** When the answer went out or was lost. */
  settledAt?: number;
  events: Array<Record<string, any>>;
}

export interface Collector {
  port: number;
  url: string;
  requests: CollectedRequest[];
  readonly delivered: CollectedRequest[];
  readonly events: Array<Record<string, any>>;
  readonly received: Array<Record<string, any>>;
  page(path: string, body: string, type?: string, cache?: string, headers?: Record<string, string>): void;
  close(): Promise<void>;
}

export interface CollectorOptions {
  port?: number;
  host?: string;
  static?: Record<string, string>;
  respond?: (r: { path: string; n: number; headers: Record<string, unknown>; body?: string }) =>
    | number
    | 'drop'
    | { status: number; headers?: Record<string, string>; body?: string; delayMs?: number }
    | undefined;
  onEvents?: (events: unknown[], request: CollectedRequest) => void;
  eventsPath?: string;
  /** false: refuse CORS preflights (OPTIONS), as a bare collector would. */
  preflight?: boolean;
  /** Path → handler for requests the collector should not answer itself. */
  routes?: Record<string, (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse, url: URL) => unknown>;
}

export const startCollector: (options?: CollectorOptions) => Promise<Collector> = start;
export { eventsOf };

/** Counts of each eventId among `events`. */
export function idCounts(events: Array<Record<string, any>>): Map<string, number> {
  const m = new Map<string, number>();
  for (const e of events) m.set(e.eventId, (m.get(e.eventId) || 0) + 1);
  return m;
}

const ok = (r: CollectedRequest) => typeof r.status === 'number' && r.status >= 200 && r.status < 300;

/** What became of the events of one tag, counted per copy that reached the collector. */
export interface DuplicateFigures {
  /** Events the page accepted (tracked), as the test says. */
  accepted: number;
  /** Distinct events answered 2xx at least once. */
  delivered: number;
  /** Distinct events that reached the collector exactly once. */
  deliveredOnce: number;
  /** Copies past the first, whatever the reason. */
  duplicated: number;
  /** Copies sent although an earlier copy's 2xx answer reached a live page. */
  unexplained: number;
  /** Copies answered 2xx ("acknowledgements"). */
  acks: number;
  /** Requests whose answer is still pending: figures are final only at 0. */
  pending: number;
}

/**
 * Duplicates of the events tagged `tag` (`properties.tag`), each judged by the rule of issue 11:
 * an event may go again only when no answer to an earlier copy reached a live page. A copy is
 * explained when every earlier copy's answer was lost (the connection closed first), was not
 * 2xx, or, per `reached`, came when the page that sent it was gone. `reached` defaults to "the
 * 2xx answer went out": give `pageLives(...).reached` to account for pages that left.
 */
export function duplicateFigures(
  requests: CollectedRequest[],
  tag: string,
  accepted: number,
  reached: (r: CollectedRequest) => boolean = (r) => ok(r) && r.answer === 'answered',
): DuplicateFigures {
  const copies = new Map<string, CollectedRequest[]>();
  for (const r of [...requests].sort((a, b) => a.n - b.n))
    for (const e of r.events) if (e?.properties?.tag === tag) copies.set(e.eventId, [...(copies.get(e.eventId) || []), r]);
  const f: DuplicateFigures = { accepted, delivered: 0, deliveredOnce: 0, duplicated: 0, unexplained: 0, acks: 0, pending: 0 };
  f.pending = requests.filter((r) => r.answer === 'pending').length;
  for (const rs of copies.values()) {
    if (rs.some(ok)) f.delivered++;
    if (rs.length === 1) f.deliveredOnce++;
    f.duplicated += rs.length - 1;
    f.acks += rs.filter(ok).length;
    for (let k = 1; k < rs.length; k++) if (rs.slice(0, k).some(reached)) f.unexplained++;
  }
  return f;
}

export interface PageLife {
  page: string;
  type: 'pagehide' | 'pageshow' | 'gone';
  persisted: boolean;
  at: number;
}

/**
 * Which page instance was live when each answer went out. Pages run `script(url)`: it names the
 * instance (`window.__page`, to put in the sink URL as `?page=`) and beacons its pagehide and
 * pageshow to `url`, served by `route`. A page the test saw go (closed, navigated away) and that
 * beaconed nothing is marked with `gone(page)`, after the fact: that errs towards "reached".
 */
export function pageLives() {
  const log: PageLife[] = [];
  const pageOf = (r: CollectedRequest) => new URLSearchParams(r.query || '').get('page') || '';
  return {
    log,
    pageOf,
    route(req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse) {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        try {
          log.push({ ...JSON.parse(body), at: Date.now() });
        } catch {
          // not a lifecycle beacon
        }
        res.writeHead(204, { 'Access-Control-Allow-Origin': '*' });
        res.end();
      });
    },
    script: (url: string) =>
      `<script>window.__page=Math.random().toString(36).slice(2);['pagehide','pageshow'].forEach(function(t){addEventListener(t,function(e){` +
      `navigator.sendBeacon(${JSON.stringify(url)},JSON.stringify({page:__page,type:t,persisted:e.persisted}))})});</script>`,
    gone(page: string) {
      log.push({ page, type: 'gone', persisted: false, at: Date.now() });
    },
    /** Whether `r`'s 2xx answer went out while its page was live, or to a page later restored. */
    reached(r: CollectedRequest): boolean {
      if (!ok(r) || r.answer !== 'answered') return false;
      const page = pageOf(r);
      const mine = log.filter((l) => l.page === page);
      const left = mine.filter((l) => l.type !== 'pageshow' && l.at <= r.settledAt!).map((l) => l.at);
      if (!left.length) return true;
      // Back from the back/forward cache: the page gets the answer it had waited for.
      return mine.some((l) => l.type === 'pageshow' && l.persisted && l.at >= Math.max(...left));
    },
  };
}
