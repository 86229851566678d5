// Collectors that cannot read gzip (API Gateway hands the Lambda a base64 body), remembered per
// collector URL in localStorage so that every page and tab of the origin sends them plain text.
// Failing soft: without localStorage, only this page remembers.
const key = (url: string) => 'clicktrail:plain:' + url;

export function gzipRefused(url: string): boolean {
  try {
    return !!localStorage[key(url)];
  } catch {
    return false;
  }
}

export function rememberGzipRefused(url: string): void {
  try {
    localStorage[key(url)] = 1;
  } catch {
    // no localStorage (private mode quota, sandboxed frame)
  }
}
