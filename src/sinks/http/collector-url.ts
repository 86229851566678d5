/**
 * The collector URL resolved against the page, or why the sink refuses it (nothing is sent then,
 * and the events stay queued). Checked once, when the sink is made.
 */
export function collectorUrl(url: unknown): URL | string {
  const page = globalThis.location;
  let u: URL | undefined;
  try {
    u = new URL(url as string, page?.href);
  } catch {
    // no URL, or a root-relative one and no page to resolve it against
  }
  const say = 'httpSink url ' + (typeof url == 'string' ? JSON.stringify(url) : 'missing');
  if (!url || typeof url != 'string' || !/^https?:$/.test(u?.protocol!)) return say + ': not an http(s) URL';
  // 'v1/events' on /products/42 posts to /products/v1/events: a 404 in production only.
  if (!/^(https?:)?\/\//i.test(url) && url[0] != '/') return `${say} is relative: it posts to ${u!.href}; start it with / or https://`;
  // Browsers block it as mixed content, and every send would fail like a network error.
  // Loopback hosts are exempt: browsers count them as secure.
  if (u!.protocol == 'http:' && page?.protocol == 'https:' && !/^(localhost|127\.|\[::1\])/.test(u!.hostname)) return `${say} is http on an https page: blocked as mixed content`;
  return u!;
}
