// Reads a CDP CPU profile (Profiler.stop): self and total time per function with its file:line,
// and the time by category. A native function (no URL: IndexedDB's put, fetch, JSON.stringify)
// is named with its caller, so that "put ← write (dist/index.js:120)" says whose call it was.

interface Frame {
  functionName: string;
  /** '0' for natives and the profiler's own nodes; code run by page.evaluate has no URL. */
  scriptId: string;
  url: string;
  lineNumber: number;
}
interface Node {
  id: number;
  callFrame: Frame;
  children?: number[];
  positionTicks?: { line: number; ticks: number }[];
}
export interface CpuProfile {
  nodes: Node[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

export interface Row {
  fn: string;
  at: string;
  category: string;
  selfMs: number;
  totalMs: number;
  /** Samples per source line (1-based) within the function itself. */
  lines: Map<number, number>;
}

const IDB = /^(put|add|delete|get|getAll|getAllKeys|getKey|count|clear|openCursor|openKeyCursor|continue|advance|transaction|objectStore|index|open|commit|abort|createObjectStore|deleteObjectStore|structuredClone|bound|only|lowerBound|upperBound)$/;
const NET = /^(fetch|sendBeacon|Blob|Response|Request|Headers|arrayBuffer|text|blob|json|pipeThrough|pipeTo|getReader|getWriter|read|write|close|enqueue|CompressionStream|DecompressionStream|encode|decode|TextEncoder|TextDecoder|ReadableStream|WritableStream)$/;
const JSONFN = /^(stringify|parse)$/;

/** Where a frame's source lives, as a path of the page's origin and a 1-based line. */
const where = (f: Frame) => (f.url ? `${f.url.replace(/^[a-z]+:\/\/[^/]+/, '')}:${f.lineNumber + 1}` : '');

/** The category of a frame; `own` tells the SDK's (or the bare loop's) own script URLs. */
export function category(f: Frame, own: (url: string) => boolean): string {
  const n = f.functionName;
  if (n == '(garbage collector)') return 'GC';
  if (n == '(program)') return '(program): browser work outside JS';
  if (n == '(idle)' || n == '(root)') return n;
  if (f.url && own(f.url)) return 'our JS';
  if (f.url || f.scriptId != '0') return 'harness (the burst loop)';
  if (IDB.test(n)) return 'IndexedDB / structured clone';
  if (NET.test(n)) return 'fetch / Blob / compression';
  if (JSONFN.test(n)) return 'JSON';
  return 'other builtins';
}

export function analyse(p: CpuProfile, own: (url: string) => boolean) {
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children || []) parent.set(c, n.id);
  // A sample's time runs until the next sample (DevTools' convention); the last one gets none.
  const self = new Map<number, number>();
  for (let i = 0; i < p.samples.length; i++) {
    const dt = i + 1 < p.timeDeltas.length ? p.timeDeltas[i + 1] : 0;
    self.set(p.samples[i], (self.get(p.samples[i]) || 0) + dt / 1000);
  }
  const label = (n: Node) => {
    const f = n.callFrame;
    if (f.functionName.startsWith('(')) return { fn: f.functionName, at: '' };
    const name = f.functionName || '(anonymous)';
    if (f.url) return { fn: name, at: where(f) };
    if (f.scriptId != '0') return { fn: name, at: '(page.evaluate)' };
    const up = byId.get(parent.get(n.id)!);
    const caller = up && up.callFrame.functionName != '(root)' ? `${up.callFrame.functionName || '(anonymous)'} ${where(up.callFrame)}` : '';
    // Called by the browser itself (a stream's or a promise's native callback): no caller.
    return { fn: caller ? `${name} ← ${caller}` : `${name} ← (the browser)`, at: '(native)' };
  };
  const rows = new Map<string, Row>();
  const categories = new Map<string, number>();
  for (const n of p.nodes) {
    const ms = self.get(n.id) || 0;
    const { fn, at } = label(n);
    const key = fn + '|' + at;
    const row = rows.get(key) || { fn, at, category: category(n.callFrame, own), selfMs: 0, totalMs: 0, lines: new Map() };
    row.selfMs += ms;
    for (const t of n.positionTicks || []) row.lines.set(t.line, (row.lines.get(t.line) || 0) + t.ticks);
    rows.set(key, row);
    categories.set(row.category, (categories.get(row.category) || 0) + ms);
  }
  // Total (inclusive) time: each sample counts once for every distinct function on its stack.
  for (const [id, ms] of self) {
    const seen = new Set<string>();
    for (let at: number | undefined = id; at !== undefined; at = parent.get(at)) {
      const { fn, at: loc } = label(byId.get(at)!);
      const key = fn + '|' + loc;
      if (seen.has(key)) continue;
      seen.add(key);
      rows.get(key)!.totalMs += ms;
    }
  }
  const busy = [...categories].filter(([c]) => c != '(idle)' && c != '(root)').reduce((a, [, ms]) => a + ms, 0);
  return { rows: [...rows.values()], categories, busyMs: busy, wallMs: (p.endTime - p.startTime) / 1000 };
}

const r1 = (ms: number) => (Math.round(ms * 10) / 10).toFixed(1);

/** The three lines with the most samples, e.g. "500 (92 %), 498 (5 %)". */
function hot(lines: Map<number, number>): string {
  const all = [...lines.values()].reduce((a, b) => a + b, 0);
  return [...lines].sort((a, b) => b[1] - a[1]).slice(0, 3).map(([l, t]) => `${l} (${Math.round((t / all) * 100)} %)`).join(', ');
}

/** The top `n` functions by self time (idle left out), then the totals by category. */
export function profileTables(a: ReturnType<typeof analyse>, n = 20): string {
  const top = a.rows.filter((r) => r.fn != '(idle)' && r.fn != '(root)').sort((x, y) => y.selfMs - x.selfMs).slice(0, n);
  const lines = ['| self ms | total ms | function | source | category | hot lines (share of samples) |', '| ---: | ---: | --- | --- | --- | --- |'];
  for (const r of top) lines.push(`| ${r1(r.selfMs)} | ${r1(r.totalMs)} | ${r.fn} | ${r.at} | ${r.category} | ${hot(r.lines)} |`);
  lines.push('', '| category | ms | share of busy |', '| --- | ---: | ---: |');
  const cats = [...a.categories].filter(([c]) => c != '(idle)' && c != '(root)').sort((x, y) => y[1] - x[1]);
  for (const [c, ms] of cats) lines.push(`| ${c} | ${r1(ms)} | ${Math.round((ms / a.busyMs) * 100)} % |`);
  lines.push(`| busy (all but idle) | ${r1(a.busyMs)} | of ${r1(a.wallMs)} ms profiled |`);
  return lines.join('\n');
}
