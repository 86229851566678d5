/**
 * The collector URL resolved against the page, or why the sink refuses it (nothing is sent then,
 * and the events stay queued). Checked once, when the sink is made.
 */
export function collectorUrl(url: unknown): URL | string {
  const page = globalThis.location;
  if (!url || typeof url != 'string') return 'httpSink needs a url';
  let u: URL;
  try {
    u = new URL(url, page?.href);
  } catch {
    return `httpSink url "${url}" is not a URL`;
  }
  if (!/^https?:$/.test(u.protocol)) return `httpSink url "${url}" is not http(s)`;
  // 'v1/events' on /products/42 posts to /products/v1/events: a 404 in production only.
  if (!/^(https?:)?\/\//i.test(url) && url[0] != '/') return `httpSink url "${url}" is relative to the page: it would post to ${u.href}; start it with / or https://`;
  // Browsers block it as mixed content, and every send would fail like a network error.
  // Loopback hosts are exempt: browsers count them as secure.
  if (u.protocol == 'http:' && page?.protocol == 'https:' && !/^(localhost|127\.|\[::1\])/.test(u.hostname)) return `httpSink url ${u.href} is http:// on an https:// page, which the browser blocks as mixed content: use https://`;
  return u;
}
