// The one analytics line a page needs once the <script> build is loaded: plugins by name.
// Errors go to window.ctErrors so the demo (and its tests) can show them. The sink is wrapped by
// the demo's SDK panel (sdk-panel.js) to show what is in flight; a shop writes url: '/v1/events'.
window.ctErrors = [];
clicktrail.init({
  appId: 'storefront',
  sink: sdkPanel.sink(clicktrail.httpSink({ url: '/v1/events' })),
  plugins: ['pageViews', 'clicks', 'domCommerce', 'dataLayerBridge'],
  batch: { flushIntervalMs: 1000 },
  debug: /[?&]debug\b/.test(location.search),
  onError: function (e) {
    window.ctErrors.push(e.code + ': ' + e.message);
  },
});
