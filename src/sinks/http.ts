import type { ClicktrailError, ErrorCode, QueuedEvent, SendResult, Sink, TrackedEvent } from '../core/types';
import { parseRetryAfter } from '../delivery/backoff';
import { collectorUrl } from './http/collector-url';
import { gzipRefused, rememberGzipRefused } from './http/gzip-memory';

/**
 * Options of {@link httpSink}.
 * @public
 */
export interface HttpSinkOptions {
  /** The collector endpoint: absolute `https://…` or root-relative `/…`. */
  url: string;
  /**
   * `'batch'`: one request carries `{ "sentAt": ISO, "events": [...] }`.
   * `'single'`: one request per event (with `encode` too), for endpoints such as API Gateway +
   * Lambda that store one object per request; without `encode` the body is the event itself.
   * @defaultValue 'batch'
   */
  format?: 'batch' | 'single';
  /**
   * Builds the body for another shape from the events of one request (one event with
   * `format: 'single'`). An array of bodies sends one request each; the events are acknowledged
   * when every one of them is, and an empty array sends nothing and acknowledges them.
   */
  encode?: (events: TrackedEvent[]) => string | string[];
  /**
   * Gzip bodies over 1 KB with the browser's own CompressionStream (never at unload). Turned off
   * for good for a collector that answers a gzipped body 400 or 415 and takes it plain.
   * @defaultValue true
   */
  compress?: boolean;
  /** Extra request headers. They cost a CORS preflight, so they are left off at unload. */
  headers?: Record<string, string>;
  /** The fetch credentials mode: cookies go only with `'include'`. @defaultValue 'omit' */
  credentials?: RequestCredentials;
  /** Abort a request after this long. @defaultValue 15000 */
  timeoutMs?: number;
}

// Keepalive request bodies in flight. Chromium lets a page keep at most 64 KiB of them and
// rejects a fetch past that at once (fetch spec, "inflight keepalive bytes").
let keepaliveBytes = 0;
// text/plain keeps a request CORS-simple: no preflight, which could not complete during unload.
const TEXT = 'text/plain;charset=UTF-8';
// A collector answering a redirect, 401, 403, 404, 405 or 415 is misconfigured rather than
// refusing these events: they wait, and delivery's next try comes after this (flush() tries now).
const LONG = 3e5;
// One send's state: requests left for splitting, the events refused so far, whether its
// gzipped bodies are known not to be the trouble, and the events the latest answer names.
type Job = { n: number; r: string[]; p?: number; x?: string };
// The message does not repeat the code: delivery's report puts it in front once.
const fault = (code: ErrorCode, message: string): ClicktrailError => Object.assign(Error(message), { name: 'ClicktrailError', code });

/**
 * Delivers events to an HTTP collector with `POST`. 2xx acknowledges; 408, 429, 5xx and network
 * errors are retried; a redirect (never followed), 401, 403, 404, 405 and 415 keep the events and
 * ask for a long pause; 413 and other 4xx split the batch to drop only the events refused. At
 * unload it sends with `fetch(..., { keepalive: true })` within the browser's 64 KB keepalive
 * budget, always CORS-simple. The sink never sends a body again by itself, but once plain after a
 * gzipped body is answered 400 or 415.
 * @public
 */
export function httpSink(options: HttpSinkOptions): Sink {
  const { url, format, encode, compress = true, headers, credentials = 'omit', timeoutMs = 15_000 } = options || ({} as HttpSinkOptions);
  const u = collectorUrl(url);
  // A refused URL: no throw at set-up either; every send fails with the reason (reported through
  // the tracker's onError) and the events wait in the queue for a fixed page.
  if (typeof u == 'string') return { name: 'http', send: async () => ({ accepted: [], error: fault('invalid_option', u), retryAfterMs: LONG }) };
  const href = u.href;
  const single = format == 'single';
  const cross = u.origin != globalThis.location?.origin;
  let gzip = compress && !gzipRefused(href);
  // Content-Encoding is not CORS-safelisted: a collector on another origin whose preflight does
  // not allow it fails every gzipped request like a network error. After such a failure the next
  // request goes plain (`probe`); when that works twice (`strikes`), gzip stays off.
  let probe = 0;
  let strikes = 0;
  let leaving = 0;
  let listening = 0;

  const off = (out: SendResult) => {
    gzip = false;
    rememberGzipRefused(href);
    out.notice = fault('sink_failed', href + ' refused gzip: plain from now on');
  };

  // One request: its status (a redirect, never followed, as 300). Throws on a network error.
  async function post(body: string, unload: boolean, zip: boolean, out: SendResult, job: Job): Promise<number> {
    const sent: Record<string, string> = { 'Content-Type': TEXT, ...(!unload && headers) };
    // The page URL goes redacted in the events; the Referer header must not carry it whole. A
    // followed 307 would post the body to wherever it points.
    const init: RequestInit = { method: 'POST', body, credentials, referrerPolicy: 'strict-origin', headers: sent, redirect: 'manual' };
    let size = 0;
    let timer;
    if (unload) {
      size = new TextEncoder().encode(body).length;
      // No sendBeacon past it: a beacon carries the page's cookies and a Referer by the page's
      // policy whatever `credentials` says, and never answers. The events wait for the next page.
      if (keepaliveBytes + size > 64_000) throw 'kept for the next page (keepalive budget full)';
      keepaliveBytes += size;
      init.keepalive = true; // the fetch is started now, synchronously, so it outlives the page
    } else {
      if (zip) {
        init.body = await new Response(new Response(body).body!.pipeThrough(new CompressionStream('gzip'))).arrayBuffer();
        sent['Content-Encoding'] = 'gzip';
      }
      const ctl = new AbortController();
      timer = setTimeout(() => ctl.abort(), timeoutMs);
      init.signal = ctl.signal;
    }
    try {
      const r = await fetch(href, init);
      if (!unload) out.retryAfterMs = Math.max(out.retryAfterMs || 0, parseRetryAfter(r.headers.get('Retry-After')));
      const status = r.status || 300;
      // A collector that names the events it refused (examples/ingest-lambda answers 400
      // { rejected: [{ eventId }] }) read the body, and kept the others.
      job.x = ((status == 400 || status == 422) && JSON.stringify((await r.json().catch(() => 0))?.rejected)) || '';
      // API Gateway hands a gzipped body to its Lambda base64-encoded, which then answers 400:
      // the same body once more, plain, before anything is dropped (a definite answer, so this
      // second copy cannot duplicate the first).
      if (zip && (status == 415 || (status == 400 && !job.x))) {
        const plain = await post(body, unload, false, out, job);
        // Refused plain too: gzip was not the trouble. The halves go plain, not each twice.
        plain > 199 && plain < 300 ? off(out) : (job.p = 1);
        return plain;
      }
      return status;
    } finally {
      keepaliveBytes -= size;
      clearTimeout(timer);
    }
  }

  // Sends these events (several requests if encode gives several bodies) and sorts their ids
  // into `out` by the answer.
  async function send(events: QueuedEvent[], unload: boolean, out: SendResult, job: Job): Promise<void> {
    const ids = events.map((e) => e.id);
    let bodies: string[];
    try {
      bodies = ([] as string[]).concat(
        encode
          ? encode(events.map((e) => JSON.parse(e.json)))
          : single
            ? events[0].json
            : `{"sentAt":"${new Date().toISOString()}","events":[${events.map((e) => e.json).join()}]}`,
      );
      if (bodies.some((b) => typeof b != 'string')) throw 'gave no string';
    } catch (e) {
      // A throwing encode hook would fail the same way forever: its events are rejected like a
      // 4xx rather than block the queue.
      out.rejected!.push(...ids);
      return void (out.error ||= fault('sink_rejected', 'encode ' + e));
    }
    const big = !unload && gzip && typeof CompressionStream != 'undefined' && bodies.some((b) => b.length > 1024);
    const zip = big && !probe && !job.p;
    let status = 0;
    try {
      const all = await Promise.all(bodies.map((b) => post(b, unload, zip && b.length > 1024, out, job)));
      status = all.find((s) => s < 200 || s > 299) || all[0] || 200;
      if (big && status < 300) zip ? (strikes = 0) : probe && ((probe = 0), ++strikes > 1 && off(out));
    } catch (e) {
      // Chromium fails a request that leaving the page cancels, just after pagehide, with
      // "TypeError: Failed to fetch": the collector may have it. Outcome unknown, not a failure.
      if (leaving) out.aborted = true;
      else if (zip && cross) probe = 1;
      out.error ||= fault(
        'sink_failed',
        `POST ${href} ${leaving ? 'cut off by leaving the page' : 'failed: ' + e}` +
          (cross && !leaving && e instanceof TypeError ? `; CORS: does the collector send Access-Control-Allow-Origin${zip ? ' and allow Content-Encoding' : ''}?` : ''),
      );
    }
    if (status > 199 && status < 300) return void out.accepted.push(...ids);
    if (!status) return; // reported above
    const fail = (why = '') => (out.error ||= fault('sink_failed', `${href} ${status < 400 ? 'redirects' : 'answered ' + status}${why}`));
    // Never rejected or split at unload: the answer may come from a gateway that wanted the
    // headers left off there. The next page view sends them the normal way.
    if (unload || status == 408 || status == 429 || status > 499) return void fail();
    if (/^(3|40[1345]|415)/.test('' + status)) {
      out.retryAfterMs = Math.max(out.retryAfterMs || 0, LONG);
      return void fail(': check the collector; kept, next try in 5 min');
    }
    // 413 and the other 4xx: the collector refuses some of these events, or the batch is too big.
    // Halves find them, within a bound; past it the rest wait for the next try.
    const refuse = (e: QueuedEvent) => (out.rejected!.push(e.id), job.r.push(`${/"name":"([^"]*)"/.exec(e.json)?.[1] || 'event'} ${e.id} (${status})`));
    if (events[1]) {
      // Named by the collector: no halves, so no second copy of the events it kept.
      const named = (!bodies[1] && job.x) || '';
      if (events.some((e) => named.includes(`"${e.id}"`))) return void events.map((e) => (named.includes(`"${e.id}"`) ? refuse(e) : out.accepted.push(e.id)));
      if ((job.n -= 2) < 0) return void fail(', kept: too many to split now');
      const half = events.length >> 1;
      await send(events.slice(0, half), unload, out, job);
      return send(events.slice(half), unload, out, job);
    }
    refuse(events[0]);
  }

  return {
    name: 'http',
    async send(events, ctx) {
      const out: SendResult = { accepted: [], rejected: [] };
      if (!listening++) for (const t of ['pagehide', 'pageshow']) globalThis.addEventListener?.(t, () => (leaving = +(t < 'pages')));
      const job: Job = { n: 24, r: [] };
      // One event per request: all started at once; the browser queues them per host.
      await Promise.all(single ? events.map((e) => send([e], ctx.unload, out, job)) : [send(events, ctx.unload, out, job)]);
      if (job.r[0]) out.error = fault('sink_rejected', `${href} refused ${job.r.join(', ')}`);
      return out;
    },
  };
}
