// Runs the Lambda handler behind a local HTTP server, the way API Gateway (HTTP API, payload 2.0)
// calls it: each request becomes a v2 event, and a body API Gateway would take for binary
// (gzip, or a type that is not text) arrives base64-encoded, as it does in AWS.
import { createServer } from 'node:http';
import { randomUUID } from 'node:crypto';

const TEXT = /^(text\/|application\/(json|x-ndjson|javascript|xml))/i;

/** The API Gateway HTTP API (v2) event for a Node request and its body. */
export function toEvent(req, body, routeKey = '$default') {
  const url = new URL(req.url, 'http://localhost');
  const binary = !!req.headers['content-encoding'] || !TEXT.test(req.headers['content-type'] || '');
  const headers = {};
  for (const [k, v] of Object.entries(req.headers)) headers[k] = Array.isArray(v) ? v.join(',') : v;
  const now = Date.now();
  return {
    version: '2.0',
    routeKey,
    rawPath: url.pathname,
    rawQueryString: url.search.slice(1),
    headers,
    requestContext: {
      http: { method: req.method, path: url.pathname, protocol: 'HTTP/1.1', sourceIp: req.socket.remoteAddress, userAgent: headers['user-agent'] || '' },
      requestId: randomUUID(),
      routeKey,
      stage: '$default',
      time: new Date(now).toUTCString(),
      timeEpoch: now,
    },
    body: body.length ? (binary ? body.toString('base64') : body.toString('utf8')) : undefined,
    isBase64Encoded: body.length ? binary : false,
  };
}

/** Answers a Node response with a Lambda result. */
export function reply(res, result) {
  const r = typeof result === 'object' && result && 'statusCode' in result ? result : { statusCode: 200, body: JSON.stringify(result) };
  res.writeHead(r.statusCode, r.headers || {});
  res.end(r.isBase64Encoded ? Buffer.from(r.body || '', 'base64') : r.body || '');
}

/** Passes one Node request to `handler` as API Gateway would. */
export function invoke(handler, req, res) {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('error', () => undefined);
  req.on('end', async () => {
    try {
      reply(res, await handler(toEvent(req, Buffer.concat(chunks)), { awsRequestId: randomUUID() }));
    } catch (e) {
      // What API Gateway answers when the function throws.
      console.error('[ingest] handler threw:', e);
      reply(res, { statusCode: 500, headers: { 'Content-Type': 'application/json' }, body: '{"message":"Internal Server Error"}' });
    }
  });
}

/** Serves `handler` on 127.0.0.1 (port 0: the OS picks); `close()` stops it. */
export async function serve(handler, { port = 0, host = '127.0.0.1' } = {}) {
  const server = createServer((req, res) => invoke(handler, req, res));
  await new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(port, host, ok);
  });
  return {
    url: `http://${host}:${server.address().port}`,
    close: () => new Promise((ok) => (server.closeAllConnections?.(), server.close(() => ok()))),
  };
}
