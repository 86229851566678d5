import type { Reporter } from '../core/errors';
import type { QueuedEvent, SendResult, TrackerStats } from '../core/types';
import type { Caps } from './caps';
import type { Kind } from './store';

/** Who put an event on the wire: this tab's drain, or its page-hide path. */
export type Via = 'drain' | 'hide';
export type Counter = keyof Omit<TrackerStats, 'storage'>;

export interface Outbox {
  kind(): Kind;
  /** Settles once storage is chosen (after the first `open`). */
  ready(): Promise<unknown>;
  /** Opens storage and takes in what closed tabs spilled; held events are written (consent granted). */
  open(): void;
  /** From now on accepted events stay in memory (consent pending). */
  hold(): void;
  /** accepted: held in memory, written at the end of the task (or when consent is granted). */
  accept(e: QueuedEvent): void;
  /** accepted → durable: the task's events go out in one write, issued now. Resolves when every write so far has completed. */
  write(): Promise<unknown>;
  /** durable → in flight (drain): the oldest events not on the wire, within the limits. */
  batch(maxEvents: number, full: (n: number, e: QueuedEvent) => boolean): Promise<QueuedEvent[]>;
  /** This tab's unacknowledged events that may go at page hide; spills what is not written yet. */
  hide(unloading: boolean): QueuedEvent[];
  /** → in flight, until `ms` from now at most (a beacon never answers). */
  send(events: QueuedEvent[], via: Via, ms: number): void;
  /** in flight → acknowledged, dropped or back to durable. Resolves with the ids left. */
  settle(ids: string[], res: SendResult): Promise<string[]>;
  /** A send of these failed: one more try each (sinks read `tries`). */
  fail(ids: string[]): void;
  /** The failures so far, as a mark; with a mark, how many distinct events failed since. */
  failures(since?: number): number;
  /** Another tab acknowledged these. */
  heard(ids: string[]): void;
  /** Held events go (consent denied), and with `all`, everything stored too. */
  clear(all?: boolean): Promise<void>;
  /**
   * The page is left (pagehide): storage lets go of its connection, so that a page kept in the
   * back/forward cache holds nothing the next page of the origin waits for.
   */
  leave(): void;
  held(): number;
  count(): Promise<number>;
}

export interface OutboxOptions {
  name: string;
  caps: Caps & { persist: boolean };
  report: Reporter;
  /** Counts events by what became of them. */
  count: (k: Counter, n: number) => void;
  /** Tells the other tabs which events were acknowledged (cross-tab hand-off). */
  announce: (ids: string[]) => void;
  /** The batch limits, at which writes are split into records. */
  batch?: { maxEvents: number; maxBytes: number };
}
