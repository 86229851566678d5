/**
 * A page that loads the built <script> bundle and creates `window.tracker` with an HTTP sink.
 * `setup` is extra script run after the tracker exists; errors reported through onError land
 * in `window.errors`, uncaught page errors in `window.pageErrors`. `script` picks another
 * bundle (the full build); `reportErrorsTo` also beacons each page error to that URL, for
 * engines without console access (classic WebDriver) and for errors raised while leaving.
 */
export function trackerPage(o: { url: string; options?: string; setup?: string; head?: string; body?: string; sink?: string; script?: string; reportErrorsTo?: string }): string {
  const report = o.reportErrorsTo
    ? `function __ctReport(m){pageErrors.push(m);try{navigator.sendBeacon(${JSON.stringify(o.reportErrorsTo)},JSON.stringify({page:location.pathname,error:m}))}catch(_){}}`
    : 'function __ctReport(m){pageErrors.push(m)}';
  return `<!doctype html><html><head><meta charset="utf-8"><title>clicktrail test</title>${o.head || ''}
<script>window.errors=[];window.pageErrors=[];${report}addEventListener('error',function(e){__ctReport(String(e.message))});
addEventListener('unhandledrejection',function(e){__ctReport(String(e.reason))});</script>
<script src="${o.script || '/dist/clicktrail.min.js'}"></script>
<script>
window.tracker = clicktrail.createTracker(Object.assign({
  appId: 'test',
  sink: ${o.sink || `clicktrail.httpSink({ url: ${JSON.stringify(o.url)} })`},
  onError: function (e) { window.errors.push({ code: e.code, message: e.message }); },
}, ${o.options || '{}'}));
${o.setup || ''}
</script></head><body>${o.body || '<h1>clicktrail test page</h1>'}</body></html>`;
}
