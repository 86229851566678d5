// Bundled by esbuild into the page of chromium.fuzz.test.ts: the hostile calls of hostile.ts
// against the built package (dist/index.js) in a real Chromium, with its real IndexedDB.
import fc from 'fast-check';
import { createTracker } from '../../dist/index.js';
import { call, prototypeChanges, prototypeSnapshot, type Call } from './hostile';

interface Queued {
  id: string;
  json: string;
}

async function fuzz(runs: number, seed: number) {
  const before = prototypeSnapshot();
  const got: Queued[] = [];
  const errors: { code: string; message: string }[] = [];
  const escaped: string[] = [];
  const sink = { name: 'capture', send: async (b: Queued[]) => (got.push(...b), { accepted: b.map((e) => e.id) }) };
  const t = createTracker({ appId: 'fuzz-chromium', sink, onError: (e: { code: string; message: string }) => void errors.push({ code: e.code, message: e.message }) });
  let mismatch = '';
  await fc.assert(
    fc.asyncProperty(fc.array(call, { minLength: 1, maxLength: 6 }), async (calls: Call[]) => {
      const from = got.length;
      const tracked = t.stats().tracked;
      for (const c of calls) {
        try {
          const any = t as unknown as Record<string, (a: unknown, b?: unknown) => void>;
          if (c.m == 'track') any.track(c.a, c.b);
          else if (c.m == 'page') any.page(c.a);
          else if (c.m == 'identify') any.identify(c.a, c.b);
          else t.reset();
        } catch (e) {
          escaped.push(String(e));
        }
      }
      await t.flush();
      const n = got.length - from;
      if (n != t.stats().tracked - tracked && !mismatch) mismatch = `${n} sent, ${t.stats().tracked - tracked} accepted`;
    }),
    { numRuns: runs, seed },
  );
  await t.shutdown();
  const bad = got.filter((e) => {
    try {
      const p = JSON.parse(e.json);
      return p.eventId != e.id || new TextEncoder().encode(e.json).length > 32_768 || typeof p.name != 'string';
    } catch {
      return true;
    }
  });
  return {
    accepted: got.length,
    invalidJson: bad.length,
    escaped,
    mismatch,
    internal: errors.filter((e) => e.code == 'internal').map((e) => e.message),
    codes: [...new Set(errors.map((e) => e.code))].sort(),
    prototypeChanges: prototypeChanges(before),
    storage: t.stats().storage,
  };
}

(window as unknown as { fuzz: typeof fuzz }).fuzz = fuzz;
