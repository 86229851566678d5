// A Chrome trace of the renderer's main thread, summed by event name: what the CPU profile
// lumps together as "(program)" (CompressionStream, IndexedDB callbacks, fetch set-up, parsing
// answers) has names here. Self time: an event's duration less that of the events inside it.
import type { CDPSession } from 'playwright-core';

const CATEGORIES = ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8.execute', 'blink', 'IndexedDB', 'loading', 'toplevel'];

interface TraceEvent {
  name: string;
  cat: string;
  ph: string;
  ts: number;
  dur?: number;
  pid: number;
  tid: number;
  args?: { name?: string };
}

export async function startTrace(cdp: CDPSession): Promise<() => Promise<TraceEvent[]>> {
  await cdp.send('Tracing.start', { traceConfig: { includedCategories: CATEGORIES }, transferMode: 'ReturnAsStream' });
  return async () => {
    const done = new Promise<string>((ok) => cdp.once('Tracing.tracingComplete', (e) => ok(e.stream!)));
    await cdp.send('Tracing.end');
    const handle = await done;
    let text = '';
    for (;;) {
      const r = await cdp.send('IO.read', { handle, size: 1 << 20 });
      text += r.base64Encoded ? Buffer.from(r.data, 'base64').toString('utf8') : r.data;
      if (r.eof) break;
    }
    await cdp.send('IO.close', { handle });
    const json = JSON.parse(text);
    return (Array.isArray(json) ? json : json.traceEvents) as TraceEvent[];
  };
}

/** Self time (ms) by event name on every renderer main thread (CrRendererMain), top `n`. */
export function mainThreadTable(events: TraceEvent[], n = 20): string {
  const mains = new Set(events.filter((e) => e.ph == 'M' && e.name == 'thread_name' && e.args?.name == 'CrRendererMain').map((e) => `${e.pid}:${e.tid}`));
  const xs = events.filter((e) => e.ph == 'X' && e.dur !== undefined && mains.has(`${e.pid}:${e.tid}`)).sort((a, b) => a.ts - b.ts || b.dur! - a.dur!);
  const self = new Map<string, number>();
  let busy = 0;
  const stack: { end: number; key: string }[] = [];
  for (const e of xs) {
    while (stack.length && stack[stack.length - 1].end <= e.ts) stack.pop();
    const key = `${e.name} (${e.cat})`;
    const parent = stack[stack.length - 1];
    if (parent) self.set(parent.key, (self.get(parent.key) || 0) - e.dur! / 1000);
    else busy += e.dur! / 1000;
    self.set(key, (self.get(key) || 0) + e.dur! / 1000);
    stack.push({ end: e.ts + e.dur!, key });
  }
  const top = [...self].sort((a, b) => b[1] - a[1]).slice(0, n);
  const lines = ['| self ms | trace event (category) |', '| ---: | --- |', ...top.map(([k, ms]) => `| ${ms.toFixed(1)} | ${k} |`)];
  lines.push(`| ${busy.toFixed(1)} | all top-level events on the main thread |`);
  return lines.join('\n');
}
