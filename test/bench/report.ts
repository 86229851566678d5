// The comparative table: each SDK's figure, and for the peers their ratio to clicktrail's; then
// clicktrail's CPU and track() as ratios to the bare loop (issue 11's targets).

const ROWS: [string, (r: any) => number, string][] = [
  ['bundle min (B)', (r) => r.bundle.min, ''],
  ['bundle gzip (B)', (r) => r.bundle.gzip, ''],
  ['bundle brotli (B)', (r) => r.bundle.brotli, ''],
  ['track() mean (µs)', (r) => r.track.meanUs, ''],
  ['track() p99 (µs)', (r) => r.track.p99Us, ''],
  ['CPU, burst 2,000 + 10 s (ms, median)', (r) => r.burst2000.taskMs, ''],
  ['delivered 10 s after 2,000', (r) => r.burst2000.deliveredIn10s, 'higher is better'],
  ['long tasks, burst 10,000', (r) => r.longTasks10000.count, ''],
  ['long tasks total (ms)', (r) => r.longTasks10000.totalMs, ''],
  ['requests / 1,000 events', (r) => r.per1000.requests, ''],
  ['bytes on wire / 1,000', (r) => r.per1000.wireBytes, ''],
  ['bytes decoded / 1,000', (r) => r.per1000.decodedBytes, ''],
  ['close 50 ms after 50: at close', (r) => r.close50Healthy.atClose, 'higher is better'],
  ['… after next page view', (r) => r.close50Healthy.afterNextPage, 'higher is better'],
  ['close, collector 503: after next page', (r) => r.close50Failing503.afterNextPage, 'higher is better'],
];

/** A markdown table: each SDK's figure, and for the peers their ratio to clicktrail's. */
export function report(results: Record<string, any>): string {
  const names = Object.keys(results);
  const fmt = (v: number) => (v >= 100 ? Math.round(v).toLocaleString('en') : String(Math.round(v * 100) / 100));
  const head = ['', ...names.map((n) => `${n} ${results[n].version}`)];
  const lines = ROWS.map(([label, get, note]) => {
    let base = NaN;
    try {
      base = get(results.clicktrail);
    } catch {
      // clicktrail's own measurement failed
    }
    return [label + (note ? ` (${note})` : ''), ...names.map((n) => {
      let v: number;
      try {
        v = get(results[n]);
      } catch {
        v = NaN;
      }
      if (!Number.isFinite(v)) return 'failed (see JSON)';
      return n == 'clicktrail' || !base ? fmt(v) : `${fmt(v)} (×${base ? Math.round((v / base) * 100) / 100 : '∞'})`;
    })];
  });
  const table = [head, head.map(() => '---'), ...lines].map((l) => '| ' + l.join(' | ') + ' |').join('\n');
  return results.bare && results.clicktrail ? table + '\n\n' + againstBare(results) : table;
}

/** clicktrail's figure over the bare loop's, measured in the same run, beside issue 11's target. */
const TARGETS: [string, (r: any) => number, number][] = [
  ['CPU, burst 2,000 + 10 s', (r) => r.burst2000.taskMs, 3],
  ['track() mean', (r) => r.track.meanUs, 1.3],
];

export function againstBare(results: Record<string, any>): string {
  return TARGETS.map(([label, get, target]) => {
    let ct = NaN;
    let bare = NaN;
    try {
      (ct = get(results.clicktrail)), (bare = get(results.bare));
    } catch {
      // one of the two measurements failed
    }
    const ratio = ct / bare;
    if (!Number.isFinite(ratio)) return `clicktrail ÷ bare, ${label}: failed (see JSON)`;
    const r = Math.round(ratio * 100) / 100;
    const runs = (n: string) => results[n].burst2000?.taskMsRuns?.join(', ');
    const each = label.startsWith('CPU') && runs('clicktrail') ? `; runs (ms): clicktrail ${runs('clicktrail')}, bare ${runs('bare')}` : '';
    return `clicktrail ÷ bare, ${label}: ×${r} (target ≤ ${target}: ${ratio <= target ? 'met' : 'missed'})${each}`;
  }).join('\n');
}
