// `npm run test:chaos`: every scenario at full size (answers stalled 20 s, the sink's 15 s
// timeout), seeded (CHAOS_SEED, default 14). Prints one table and writes
// test/chaos/results-chromium.json. Counts, not assertions, except that nothing is lost.
import { describe, expect, it } from 'vitest';
import { browserAvailable } from '../support/browser';
import { runScenario, table, writeResults, type Result } from './run';
import { SCENARIOS } from './scenarios';

const SEED = Number(process.env.CHAOS_SEED || 14);
const ONLY = process.env.CHAOS_SCENARIOS?.split(',');

describe.runIf(browserAvailable())('chaos, full (Chromium)', () => {
  it('runs every scenario and accounts for every accepted event', async () => {
    const results: Result[] = [];
    for (const s of SCENARIOS.filter((s) => !ONLY || ONLY.includes(s.name))) {
      const r = await runScenario(s, { seed: SEED, short: false });
      results.push(r);
      console.log(table([r]) + (r.notes.length ? '\n  ' + r.notes.join('\n  ') : ''));
    }
    writeResults('test/chaos/results-chromium.json', results, { seed: SEED, short: false, date: new Date().toISOString(), command: 'npm run test:chaos' });
    console.log(`\nchaos, seed ${SEED}\n${table(results)}`);
    expect(results.filter((r) => r.lost > 0).map((r) => r.scenario)).toEqual([]);
  });
});
