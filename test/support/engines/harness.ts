import { afterAll, beforeAll } from 'vitest';
import { startCollector, type Collector, type CollectorOptions } from '../collector';
import { openEngine } from './index';
import type { Engine, EngineName, EngineOptions } from './types';

export interface EngineHarness {
  readonly engine: Engine;
  readonly collector: Collector;
  /** Where pages beacon their uncaught errors (trackerPage's `reportErrorsTo`). */
  readonly errorsUrl: string;
  /** Uncaught page errors: those the engine reported and those pages beaconed to the server. */
  errors(): string[];
}

/**
 * One collector (dist/ at /dist/, events at /v1/events) and one engine for the tests of a
 * describe block, started before them and closed after them, whatever happened in between.
 */
export function useEngine(name: EngineName, options: CollectorOptions = {}, engineOptions: EngineOptions = {}): EngineHarness {
  let engine: Engine | undefined;
  let collector: Collector | undefined;
  const reported: string[] = [];
  beforeAll(async () => {
    collector = await startCollector({
      static: { '/dist/': 'dist' },
      eventsPath: '/v1/events',
      ...options,
      // The test's own routes besides, not instead of, the page-error route.
      routes: {
        ...options.routes,
        '/page-errors': (req, res) => {
          let body = '';
          req.on('data', (c) => (body += c));
          req.on('end', () => {
            reported.push(body);
            res.writeHead(204, { 'Access-Control-Allow-Origin': '*' });
            res.end();
          });
        },
      },
    });
    engine = await openEngine(name, engineOptions);
  });
  afterAll(async () => {
    await engine?.close();
    await collector?.close();
  });
  return {
    get engine() {
      return engine!;
    },
    get collector() {
      return collector!;
    },
    get errorsUrl() {
      return collector!.url + '/page-errors';
    },
    errors: () => [...(engine?.pageErrors() ?? []), ...reported],
  };
}
