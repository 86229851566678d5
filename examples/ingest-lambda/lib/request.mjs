// The HTTP side of the ingest: CORS for the shop's origins, and the events out of an API Gateway
// HTTP API (payload v2) request body, plain or gzip, base64-encoded or not.
import { gunzipSync } from 'node:zlib';

/** A JSON answer in the shape API Gateway HTTP APIs expect from a Lambda. */
export const answer = (statusCode, body, headers = {}) => ({
  statusCode,
  headers: { 'Content-Type': 'application/json', ...headers },
  body: body === undefined ? '' : JSON.stringify(body),
});

/**
 * CORS headers for a request's Origin: the origin itself when it is allowed (`*` allows any),
 * nothing otherwise. `allowed` is false for a browser request from an origin not in the list.
 */
export function cors(headers, origins) {
  const origin = headers.origin;
  if (!origin) return { allowed: true, headers: {} };
  if (!origins.includes('*') && !origins.includes(origin)) return { allowed: false, headers: { Vary: 'Origin' } };
  return {
    allowed: true,
    headers: {
      'Access-Control-Allow-Origin': origin,
      Vary: 'Origin',
      // Without it a cross-origin page cannot read Retry-After (the SDK's backoff honours it).
      'Access-Control-Expose-Headers': 'Retry-After',
    },
  };
}

/** The answer to a CORS preflight: the SDK sends gzip with Content-Encoding, and text/plain. */
export const preflight = (c) =>
  c.allowed && c.headers['Access-Control-Allow-Origin']
    ? { statusCode: 204, headers: { ...c.headers, 'Access-Control-Allow-Methods': 'POST, OPTIONS', 'Access-Control-Allow-Headers': 'Content-Type, Content-Encoding', 'Access-Control-Max-Age': '600' } }
    : { statusCode: 403, headers: c.headers };

/** A request the ingest refuses as a whole: its HTTP status and a stable code. */
export const bodyError = (status, code, message) => Object.assign(new Error(message), { status, code });

/**
 * The request body as text. API Gateway base64-encodes bodies it takes for binary (a gzipped
 * one always); gzip is recognised by its header or by its magic bytes, since a proxy may drop
 * Content-Encoding. Throws a bodyError past `maxBytes`, before or after decompression (a gzip bomb
 * stops at the limit: maxOutputLength).
 */
export function bodyText(event, maxBytes) {
  const raw = event.body == null ? '' : event.body;
  let buf = event.isBase64Encoded ? Buffer.from(raw, 'base64') : Buffer.from(raw, 'utf8');
  if (buf.length > maxBytes) throw bodyError(413, 'payload_too_large', `body of ${buf.length} bytes > ${maxBytes}`);
  const gzip = /gzip/i.test(event.headers?.['content-encoding'] || '') || (buf[0] === 0x1f && buf[1] === 0x8b);
  if (gzip) {
    try {
      buf = gunzipSync(buf, { maxOutputLength: maxBytes });
    } catch (e) {
      if (e.code === 'ERR_BUFFER_TOO_LARGE' || /buffer/i.test(e.code || '')) {
        throw bodyError(413, 'payload_too_large', `body over ${maxBytes} bytes once decompressed`);
      }
      throw bodyError(400, 'bad_gzip', `the body is not valid gzip: ${e.message}`);
    }
  }
  return buf.toString('utf8');
}

/** The events of a body: a batch `{ sentAt, events }`, an array, or one event (format 'single'). */
export function eventsOf(text) {
  let body;
  try {
    body = JSON.parse(text);
  } catch (e) {
    throw bodyError(400, 'bad_json', `the body is not JSON: ${e.message}`);
  }
  if (Array.isArray(body)) return body;
  if (body && typeof body === 'object' && Array.isArray(body.events)) return body.events;
  if (body && typeof body === 'object' && 'eventId' in body) return [body];
  throw bodyError(400, 'bad_body', 'expected { events: [...] }, an array of events or one event');
}
