import type { QueuedEvent } from '../core/types';

/** The store behind the queue: IndexedDB, or memory when IndexedDB cannot be used. */
export interface Store {
  readonly kind: 'indexeddb' | 'memory';
  /** Writes every event in one transaction; resolves once durable. */
  add(events: QueuedEvent[]): Promise<void>;
  /** Up to `n` events, oldest first. */
  read(n: number): Promise<QueuedEvent[]>;
  remove(ids: string[]): Promise<void>;
  /** Every event, oldest first (for trimming to the caps). */
  all(): Promise<QueuedEvent[]>;
  count(): Promise<number>;
}
