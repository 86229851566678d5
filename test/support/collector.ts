// The test collector is the demo collector: one implementation, typed here for the tests.
// @ts-expect-error plain JavaScript module without types
import { startCollector as start, eventsOf } from '../../examples/collector/collector.mjs';

export interface CollectedRequest {
  path: string;
  n: number;
  at: number;
  bytes: number;
  headers: Record<string, string | string[] | undefined>;
  body?: string;
  json?: unknown;
  error?: string;
  status: number | 'drop';
  /** Event requests being answered when this one arrived, itself included. */
  inflight: number;
  events: Array<Record<string, any>>;
}

export interface Collector {
  port: number;
  url: string;
  requests: CollectedRequest[];
  readonly delivered: CollectedRequest[];
  readonly events: Array<Record<string, any>>;
  readonly received: Array<Record<string, any>>;
  page(path: string, body: string, type?: string, cache?: string, headers?: Record<string, string>): void;
  close(): Promise<void>;
}

export interface CollectorOptions {
  port?: number;
  host?: string;
  static?: Record<string, string>;
  respond?: (r: { path: string; n: number; headers: Record<string, unknown>; body?: string }) =>
    | number
    | 'drop'
    | { status: number; headers?: Record<string, string>; body?: string; delayMs?: number }
    | undefined;
  onEvents?: (events: unknown[], request: CollectedRequest) => void;
  eventsPath?: string;
  /** false: refuse CORS preflights (OPTIONS), as a bare collector would. */
  preflight?: boolean;
  /** Path → handler for requests the collector should not answer itself. */
  routes?: Record<string, (req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse, url: URL) => unknown>;
}

export const startCollector: (options?: CollectorOptions) => Promise<Collector> = start;
export { eventsOf };

/** Counts of each eventId among `events`. */
export function idCounts(events: Array<Record<string, any>>): Map<string, number> {
  const m = new Map<string, number>();
  for (const e of events) m.set(e.eventId, (m.get(e.eventId) || 0) + 1);
  return m;
}
