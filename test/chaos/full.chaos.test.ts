// `npm run test:chaos`: every scenario at full size (answers stalled 20 s, the sink's 15 s
// timeout), seeded (CHAOS_SEED, default 14), in each engine installed here (CHAOS_ENGINES picks:
// chromium,firefox,webkit). Prints a table per engine and writes test/chaos/results-<engine>.json.
// Counts, not assertions, except that nothing accepted is lost.
import { describe, expect, it } from 'vitest';
import { ENGINES, engineAvailable, type EngineName } from '../support/engines';
import { runScenario, table, writeResults, type Result } from './run';
import { SCENARIOS } from './scenarios';

const SEED = Number(process.env.CHAOS_SEED || 14);
const ONLY = process.env.CHAOS_SCENARIOS?.split(',');
const engines = (process.env.CHAOS_ENGINES?.split(',') as EngineName[] | undefined) || ENGINES;

describe('chaos, full', () => {
  for (const engine of engines) {
    it.runIf(engineAvailable(engine))(`runs every scenario in ${engine} and accounts for every accepted event`, async () => {
      const results: Result[] = [];
      for (const s of SCENARIOS.filter((s) => (!ONLY || ONLY.includes(s.name)) && (!s.engines || s.engines.includes(engine)))) {
        const r = await runScenario(s, { seed: SEED, short: false, engine });
        results.push(r);
        console.log(table([r]) + (r.notes.length ? '\n  ' + r.notes.join('\n  ') : ''));
      }
      writeResults(`test/chaos/results-${engine}.json`, results, { engine, seed: SEED, short: false, date: new Date().toISOString(), command: 'npm run test:chaos' });
      console.log(`\nchaos in ${engine}, seed ${SEED}\n${table(results)}`);
      expect(results.filter((r) => r.lost > 0).map((r) => r.scenario)).toEqual([]);
    });
  }
});
