// The short, seeded chaos run of `npm test` (the full one: `npm run test:chaos`). Every scenario
// must end with no accepted event lost and every duplicate explained by a lost answer.
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { browserAvailable } from '../support/browser';
import { runScenario, table, writeResults, type Result } from './run';
import { SCENARIOS } from './scenarios';

const SEED = Number(process.env.CHAOS_SEED || 14);
const ONLY = process.env.CHAOS_SCENARIOS?.split(',');
const SHORT = ['faults', 'close-mid-flush', 'renderer-crash', 'offline-reload', 'three-tabs', 'tiny-quota', 'idb-unusable', 'hostile-page'];

describe.runIf(browserAvailable())('chaos, short form (Chromium)', () => {
  const results: Result[] = [];
  for (const s of SCENARIOS.filter((s) => (ONLY ? ONLY.includes(s.name) : SHORT.includes(s.name)))) {
    it(`loses no accepted event: ${s.what}`, async () => {
      const r = await runScenario(s, { seed: SEED, short: true });
      results.push(r);
      console.log(table([r]) + (r.notes.length ? '\n  ' + r.notes.join('\n  ') : ''));
      expect(r.accepted).toBeGreaterThan(0);
      expect(r.lost, JSON.stringify(r)).toBe(0);
      expect(r.duplicatesUnexplained, JSON.stringify(r)).toBe(0);
    });
  }
  it('writes the results', () => {
    writeResults(join(tmpdir(), 'clicktrail-chaos-short.json'), results, { seed: SEED, short: true });
    console.log(table(results));
  });
});
