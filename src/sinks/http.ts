import { makeError } from '../core/errors';
import type { QueuedEvent, SendResult, Sink, TrackedEvent } from '../core/types';
import { parseRetryAfter } from '../delivery/backoff';

/**
 * Options of {@link httpSink}.
 * @public
 */
export interface HttpSinkOptions {
  /** The collector endpoint. */
  url: string;
  /**
   * `'batch'`: one request carries `{ "sentAt": ISO, "events": [...] }`.
   * `'single'`: one request per event whose body is the event itself, for endpoints such as
   * API Gateway + Lambda that store one object per request.
   * @defaultValue 'batch'
   */
  format?: 'batch' | 'single';
  /** Builds the body for another shape from the events of one request. */
  encode?: (events: TrackedEvent[]) => string;
  /** Gzip bodies over 1 KB with the browser's own CompressionStream (never at unload). @defaultValue true */
  compress?: boolean;
  /** Extra request headers. They cost a CORS preflight, so they are left off at unload. */
  headers?: Record<string, string>;
  /** @defaultValue 'omit' */
  credentials?: RequestCredentials;
  /** Abort a request after this long. @defaultValue 15000 */
  timeoutMs?: number;
}

// Chromium lets a page keep at most 64 KiB of keepalive request bodies in flight and rejects a
// fetch past that at once (fetch spec, "inflight keepalive bytes"); sendBeacon takes over there.
const KEEPALIVE_BUDGET = 64_000;
let keepaliveBytes = 0;
// text/plain keeps a request CORS-simple: no preflight, which could not complete during unload.
const TEXT = 'text/plain;charset=UTF-8';

/**
 * Delivers events to an HTTP collector with `POST`. 2xx acknowledges; 408, 429, 5xx and network
 * errors are retried; any other 4xx rejects the request's events for good (413 first splits the
 * batch). At unload it sends with `fetch(..., { keepalive: true })` within the browser's 64 KB
 * keepalive budget, else `navigator.sendBeacon`, always CORS-simple.
 * @public
 */
export function httpSink(options: HttpSinkOptions): Sink {
  const { url, format, encode, compress = true, headers, credentials = 'omit', timeoutMs = 15_000 } = options || ({} as HttpSinkOptions);
  // No url: no throw at set-up either; every send fails with the reason (reported through the
  // tracker's onError) and the events wait in the queue for a fixed page.
  const missing = !url || typeof url !== 'string';
  const single = format === 'single' && !encode;
  // Content-Encoding is not a CORS-safelisted header: a cross-origin collector that does not
  // allow it in its preflight fails a gzipped request exactly like a network error. After one
  // such failure this sink sends uncompressed, which needs no preflight.
  let gzip = compress;

  // Resolves to the HTTP status, 0 for a network error or an unconfirmed beacon.
  async function post(events: QueuedEvent[], unload: boolean, out: SendResult): Promise<number> {
    let body: string;
    try {
      body = encode
        ? encode(events.map((e) => JSON.parse(e.json)))
        : single
          ? events[0].json
          : `{"sentAt":"${new Date().toISOString()}","events":[${events.map((e) => e.json).join()}]}`;
    } catch (e) {
      // A throwing encode hook would fail the same way forever: reject rather than block the queue.
      out.error = makeError('sink_rejected', 'encode ' + e);
      return 400;
    }
    // The page URL goes redacted in the events; the Referer header must not carry it whole.
    const init: RequestInit = { method: 'POST', body, credentials, referrerPolicy: 'strict-origin', headers: { 'Content-Type': TEXT } };
    try {
      if (unload) {
        const size = new Blob([body]).size;
        if (keepaliveBytes + size > KEEPALIVE_BUDGET) {
          // No answer will come: the events stay queued and go again from the next page view.
          navigator.sendBeacon(url, new Blob([body], { type: TEXT }));
          out.error = makeError('sink_failed', 'sent by beacon, unconfirmed');
          return 0;
        }
        keepaliveBytes += size;
        init.keepalive = true; // the fetch is started now, synchronously, so it outlives the page
        try {
          return (await fetch(url, init)).status;
        } finally {
          keepaliveBytes -= size;
        }
      }
      const sent: Record<string, string> = (init.headers = { 'Content-Type': TEXT, ...headers });
      const zip = gzip && body.length > 1024 && typeof CompressionStream == 'function';
      if (zip) {
        init.body = await new Response(new Blob([body]).stream().pipeThrough(new CompressionStream('gzip'))).blob();
        sent['Content-Encoding'] = 'gzip';
      }
      const ctl = new AbortController();
      const t = setTimeout(() => ctl.abort(), timeoutMs);
      init.signal = ctl.signal;
      const r = await fetch(url, init)
        .catch(async (e) => {
          if (!zip) throw e;
          // A collector whose CORS preflight refuses Content-Encoding fails like a network error:
          // the same body once more without it tells the two apart.
          init.body = body;
          delete sent['Content-Encoding'];
          const plain = await fetch(url, init);
          gzip = false;
          return plain;
        })
        .finally(() => clearTimeout(t));
      out.retryAfterMs = Math.max(out.retryAfterMs || 0, parseRetryAfter(r.headers.get('Retry-After')));
      return r.status;
    } catch (e) {
      out.error = makeError('sink_failed', `${url} ${e}`);
      return 0;
    }
  }

  async function send(events: QueuedEvent[], unload: boolean, out: SendResult): Promise<void> {
    const status = await post(events, unload, out);
    const ids = events.map((e) => e.id);
    if (status > 199 && status < 300) return void out.accepted.push(...ids);
    if (status === 413 && events.length > 1 && !unload) {
      // Too large as a batch: the events may still be fine in halves.
      const half = events.length >> 1;
      await send(events.slice(0, half), false, out);
      return send(events.slice(half), false, out);
    }
    if (status) out.error ||= makeError('sink_failed', `${url} ${status}`);
    // Never rejected for good at unload: the answer may come from a gateway that wanted the
    // headers left off there. The next page view sends them the normal way.
    if (status > 399 && status < 500 && status !== 408 && status !== 429 && !unload) out.rejected!.push(...ids);
  }

  return {
    name: 'http',
    async send(events, ctx) {
      const out: SendResult = { accepted: [], rejected: [] };
      if (missing) return { accepted: [], error: makeError('invalid_option', 'httpSink needs a url') };
      // One event per request: all started at once; the browser queues them per host.
      await Promise.all(single ? events.map((e) => send([e], ctx.unload, out)) : [send(events, ctx.unload, out)]);
      return out;
    },
  };
}
