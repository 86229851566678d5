// The demo's SDK panel: what the tracker in this page is doing with your events right now.
// `sdkPanel.sink(inner)` wraps the HTTP sink to see each send (a sink is a plain object with one
// send(events) method); the rest comes from tracker.stats() and the report flush() resolves with.
(function () {
  var inFlight = 0;
  var retried = 0;
  var tried = {};
  var last = '';
  var box;
  var $ = function (id) { return document.getElementById(id); };

  function render() {
    var t = window.clicktrail && clicktrail.tracker;
    if (!box || !t || !t.stats) return;
    var s = t.stats();
    var dropped = (s.rejected || 0) + (s.overflow || 0) + (s.expired || 0);
    var queued = Math.max(0, (s.tracked || 0) - (s.sent || 0) - dropped - inFlight);
    $('sdk-queued').textContent = queued;
    $('sdk-inflight').textContent = inFlight;
    $('sdk-sent').textContent = s.sent || 0;
    $('sdk-retried').textContent = retried;
    $('sdk-dropped').textContent = dropped;
    $('sdk-last').textContent = last;
  }

  function mount() {
    box = document.createElement('aside');
    box.id = 'sdk-panel';
    box.setAttribute('aria-label', 'clicktrail SDK');
    box.innerHTML = '<strong>clicktrail SDK</strong><dl>' +
      ['queued', 'in flight', 'sent', 'retried', 'dropped'].map(function (k) {
        return '<div><dt>' + k + '</dt><dd id="sdk-' + k.replace(' ', '') + '">0</dd></div>';
      }).join('') + '</dl><button type="button" id="sdk-flush">Flush now</button> <small id="sdk-last"></small>';
    document.body.appendChild(box);
    $('sdk-flush').addEventListener('click', function () {
      clicktrail.flush().then(function (r) {
        last = r ? 'sent ' + r.sent + ', failed ' + r.failed + ', dropped ' + r.dropped + ', queued ' + r.queued : '';
        render();
      });
    });
    render();
    setInterval(render, 500);
  }

  window.sdkPanel = {
    sink: function (inner) {
      return {
        name: inner.name,
        limits: inner.limits,
        send: function (events, ctx) {
          events.forEach(function (e) {
            if (tried[e.id]) retried++;
            tried[e.id] = 1;
          });
          inFlight += events.length;
          render();
          var done = function () { inFlight -= events.length; render(); };
          return inner.send(events, ctx).then(function (r) { done(); return r; }, function (e) { done(); throw e; });
        },
      };
    },
  };
  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', mount);
  else mount();
})();
