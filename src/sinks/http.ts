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

// Keepalive request bodies in flight. Chromium lets a page keep at most 64 KiB of them and
// rejects a fetch past that at once (fetch spec, "inflight keepalive bytes"); sendBeacon takes
// over there (64_000 below).
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
  // Content-Encoding is not a CORS-safelisted header: a cross-origin collector that does not
  // allow it in its preflight fails a gzipped request exactly like a network error. After one
  // such failure this sink sends uncompressed, which needs no preflight: `gzip` starts as the
  // compress option and turns off then.
  let { url, format, encode, compress: gzip = true, headers, credentials = 'omit', timeoutMs = 15_000 } = options || ({} as HttpSinkOptions);
  const single = format == 'single' && !encode;
  const failed = (detail: unknown) => makeError('sink_failed', `${url} ${detail}`);

  // Sends these events in one request (in halves after a 413) and sorts their ids into `out` by
  // the answer.
  async function send(events: QueuedEvent[], unload: boolean, out: SendResult): Promise<void> {
    const ids = events.map((e) => e.id);
    // 400 while the body is built: a throwing encode hook would fail the same way forever, so its
    // events are rejected like a 4xx rather than block the queue. Then 0 (a network error) until
    // an answer comes.
    let status = 400;
    let size = 0;
    let timer;
    let zip;
    try {
      const body = encode
        ? encode(events.map((e) => JSON.parse(e.json)))
        : single
          ? events[0].json
          : `{"sentAt":"${new Date().toISOString()}","events":[${events.map((e) => e.json).join()}]}`;
      if (typeof body != 'string') throw 'gave ' + typeof body;
      status = 0;
      const sent: Record<string, string> = { 'Content-Type': TEXT, ...(!unload && headers) };
      // The page URL goes redacted in the events; the Referer header must not carry it whole.
      const init: RequestInit = { method: 'POST', body, credentials, referrerPolicy: 'strict-origin', headers: sent };
      const blob = new Blob([body], { type: TEXT });
      if (unload) {
        size = blob.size;
        if (keepaliveBytes + size > 64_000) {
          // No answer will come: the events stay queued and go again from the next page view.
          // Chromium counts beacons against the same 64 KiB, and may refuse this one.
          return void (out.error = navigator.sendBeacon(url, blob) ? makeError('sink_failed', 'sent by beacon, unconfirmed') : failed('beacon refused'));
        }
        keepaliveBytes += size;
        init.keepalive = true; // the fetch is started now, synchronously, so it outlives the page
      } else {
        if ((zip = gzip && body.length > 1024 && typeof CompressionStream != 'undefined')) {
          init.body = await new Response(blob.stream().pipeThrough(new CompressionStream('gzip'))).blob();
          sent['Content-Encoding'] = 'gzip';
        }
        const ctl = new AbortController();
        timer = setTimeout(() => ctl.abort(), timeoutMs);
        init.signal = ctl.signal;
      }
      let r: Response;
      try {
        r = await fetch(url, init);
      } catch (e) {
        if (!zip) throw e;
        // A collector whose CORS preflight refuses Content-Encoding fails like a network error:
        // the same body once more without it tells the two apart.
        init.body = body;
        delete sent['Content-Encoding'];
        r = await fetch(url, init);
        gzip = false;
      } finally {
        keepaliveBytes -= size;
        clearTimeout(timer);
      }
      if (!unload) out.retryAfterMs = Math.max(out.retryAfterMs || 0, parseRetryAfter(r.headers.get('Retry-After')));
      status = r.status;
    } catch (e) {
      out.error = status ? makeError('sink_rejected', 'encode ' + e) : failed(e);
    }
    if (status > 199 && status < 300) out.accepted.push(...ids);
    else if (status == 413 && events[1] && !unload) {
      // Too large as a batch: the events may still be fine in halves.
      const half = events.length >> 1;
      await send(events.slice(0, half), unload, out);
      await send(events.slice(half), unload, out);
    } else {
      // (A status of 0 came with its error already.)
      out.error ||= failed(status);
      // Any 4xx but 408 and 429 is for good. Never at unload, though: the answer may come from a
      // gateway that wanted the headers left off there. The next page view sends them the normal way.
      if (status > 399 && status < 500 && status != 408 && status != 429 && !unload) out.rejected!.push(...ids);
    }
  }

  return {
    name: 'http',
    async send(events, ctx) {
      const out: SendResult = { accepted: [], rejected: [] };
      // No url: no throw at set-up either; every send fails with the reason (reported through the
      // tracker's onError) and the events wait in the queue for a fixed page.
      if (!url || typeof url != 'string') return { accepted: [], error: makeError('invalid_option', 'httpSink needs a url') };
      // One event per request: all started at once; the browser queues them per host.
      await Promise.all(single ? events.map((e) => send([e], ctx.unload, out)) : [send(events, ctx.unload, out)]);
      return out;
    },
  };
}
