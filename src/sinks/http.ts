import { makeError } from '../core/errors';
import type { QueuedEvent, SendContext, SendResult, Sink, TrackedEvent } from '../core/types';
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
   * `'single'`: one request per event, the body being the event itself (for endpoints such as
   * API Gateway + Lambda that store one object per request).
   * @defaultValue 'batch'
   */
  format?: 'batch' | 'single';
  /** Builds the request body for other shapes; receives the events of one request. */
  encode?: (events: TrackedEvent[]) => string;
  /** Gzip bodies over 1 KB with the browser's CompressionStream (never at unload). @defaultValue true */
  compress?: boolean;
  /** Extra request headers. They make requests non-simple (a CORS preflight), so they are left off at unload. */
  headers?: Record<string, string>;
  /** @defaultValue 'omit' */
  credentials?: RequestCredentials;
  /** Abort a request after this long. @defaultValue 15000 */
  timeoutMs?: number;
}

// Chromium lets a page keep at most 64 KiB of keepalive request bodies in flight; a fetch past
// that budget throws at once (https://fetch.spec.whatwg.org/#http-network-or-cache-fetch, step
// "inflightKeepaliveBytes"). sendBeacon takes over past it.
const KEEPALIVE_BUDGET = 64_000;
let keepaliveInFlight = 0;

const COMPRESS_OVER = 1024;
// text/plain keeps a request CORS-simple: no preflight, which could not complete during unload.
const TEXT = 'text/plain;charset=UTF-8';

type Outcome = { ok: boolean; retry: boolean; retryAfterMs?: number; error?: Error; tooLarge?: boolean };

function classify(status: number, retryAfter: string | null, url: string): Outcome {
  if (status >= 200 && status < 300) return { ok: true, retry: false };
  const retry = status === 408 || status === 429 || status >= 500 || status === 0;
  return {
    ok: false,
    retry,
    tooLarge: status === 413,
    retryAfterMs: parseRetryAfter(retryAfter),
    error: makeError(retry ? 'sink_failed' : 'sink_rejected', `${url} answered ${status}`),
  };
}

async function gzip(body: string): Promise<Blob> {
  const stream = new Blob([body]).stream().pipeThrough(new CompressionStream('gzip'));
  return new Response(stream).blob();
}

/**
 * Delivers events to an HTTP collector with `POST`. 2xx acknowledges; 408, 429, 5xx and network
 * errors are retried; any other 4xx rejects the request's events for good. At unload it uses
 * `fetch(..., { keepalive: true })` within the browser's 64 KB keepalive budget, else
 * `navigator.sendBeacon`, always CORS-simple.
 * @public
 */
export function httpSink(options: HttpSinkOptions): Sink {
  const { url, format = 'batch', encode, compress = true, headers, credentials = 'omit', timeoutMs = 15_000 } =
    options || ({} as HttpSinkOptions);
  if (typeof url !== 'string' || !url) throw makeError('invalid_option', 'httpSink needs a url');

  const bodyOf = (events: QueuedEvent[]): string =>
    encode
      ? encode(events.map((e) => JSON.parse(e.json) as TrackedEvent))
      : format === 'single'
        ? events[0].json
        : `{"sentAt":"${new Date().toISOString()}","events":[${events.map((e) => e.json).join(',')}]}`;

  async function post(body: string, unload: boolean): Promise<Outcome> {
    if (unload) {
      const size = new Blob([body]).size;
      if (keepaliveInFlight + size <= KEEPALIVE_BUDGET) {
        keepaliveInFlight += size;
        try {
          // The fetch starts now, synchronously, so it is under way even if the page dies next.
          const r = await fetch(url, { method: 'POST', body, keepalive: true, credentials, headers: { 'Content-Type': TEXT } });
          return classify(r.status, r.headers.get('Retry-After'), url);
        } finally {
          keepaliveInFlight -= size;
        }
      }
      // A beacon gives no answer: its events stay queued and go again from the next page view.
      const queued = typeof navigator !== 'undefined' && navigator.sendBeacon?.(url, new Blob([body], { type: TEXT }));
      return { ok: false, retry: true, error: makeError('sink_failed', queued ? 'sent by beacon, unconfirmed' : 'beacon refused') };
    }
    const h: Record<string, string> = { 'Content-Type': TEXT, ...headers };
    let payload: string | Blob = body;
    if (compress && body.length > COMPRESS_OVER && typeof CompressionStream === 'function') {
      payload = await gzip(body);
      h['Content-Encoding'] = 'gzip';
    }
    const ctl = typeof AbortController === 'function' ? new AbortController() : undefined;
    const timer = setTimeout(() => ctl?.abort(), timeoutMs);
    try {
      const r = await fetch(url, { method: 'POST', body: payload, headers: h, credentials, signal: ctl?.signal });
      return classify(r.status, r.headers.get('Retry-After'), url);
    } finally {
      clearTimeout(timer);
    }
  }

  async function sendGroup(events: QueuedEvent[], unload: boolean, out: SendResult): Promise<void> {
    let o: Outcome;
    let body: string;
    try {
      body = bodyOf(events);
    } catch (e) {
      // A throwing encode hook would fail the same way forever: reject rather than block the queue.
      out.rejected!.push(...events.map((e) => e.id));
      out.error = makeError('sink_rejected', `encode failed: ${(e as Error)?.message || e}`);
      return;
    }
    try {
      o = await post(body, unload);
    } catch (e) {
      o = { ok: false, retry: true, error: makeError('sink_failed', `${url}: ${(e as Error)?.message || e}`) };
    }
    if (o.ok) out.accepted.push(...events.map((e) => e.id));
    else if (o.tooLarge && events.length > 1 && !unload) {
      // 413 on a batch: the events may be fine one by one, so split rather than drop them all.
      const half = Math.ceil(events.length / 2);
      await sendGroup(events.slice(0, half), unload, out);
      await sendGroup(events.slice(half), unload, out);
    } else {
      // At unload nothing is rejected for good: the answer may come from a proxy that wanted
      // the headers we had to leave off. The next page view sends them the normal way.
      if (!o.retry && !unload) out.rejected!.push(...events.map((e) => e.id));
      out.error = o.error;
      out.retryAfterMs = Math.max(out.retryAfterMs || 0, o.retryAfterMs || 0);
    }
  }

  return {
    name: 'http',
    async send(events: QueuedEvent[], ctx: SendContext): Promise<SendResult> {
      const out: SendResult = { accepted: [], rejected: [] };
      if (format === 'single' && !encode) {
        // A few requests at a time, as a browser would allow per host anyway; at unload all at
        // once, since only requests started before the page dies go out.
        let next = 0;
        const worker = async () => {
          while (next < events.length) await sendGroup([events[next++]], ctx.unload, out);
        };
        const n = ctx.unload ? events.length : Math.min(4, events.length);
        await Promise.all(Array.from({ length: n }, worker));
      } else await sendGroup(events, ctx.unload, out);
      return out;
    },
  };
}
