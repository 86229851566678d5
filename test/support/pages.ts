/**
 * A page that loads the built <script> bundle and creates `window.tracker` with an HTTP sink.
 * `setup` is extra script run after the tracker exists; errors reported through onError land
 * in `window.errors`, uncaught page errors in `window.pageErrors`.
 */
export function trackerPage(o: { url: string; options?: string; setup?: string; head?: string; body?: string; sink?: string }): string {
  return `<!doctype html><html><head><meta charset="utf-8"><title>clicktrail test</title>${o.head || ''}
<script>window.errors=[];window.pageErrors=[];addEventListener('error',function(e){pageErrors.push(String(e.message))});
addEventListener('unhandledrejection',function(e){pageErrors.push(String(e.reason))});</script>
<script src="/dist/clicktrail.min.js"></script>
<script>
window.tracker = clicktrail.createTracker(Object.assign({
  appId: 'test',
  sink: ${o.sink || `clicktrail.httpSink({ url: ${JSON.stringify(o.url)} })`},
  onError: function (e) { window.errors.push({ code: e.code, message: e.message }); },
}, ${o.options || '{}'}));
${o.setup || ''}
</script></head><body>${o.body || '<h1>clicktrail test page</h1>'}</body></html>`;
}
