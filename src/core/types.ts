import type { EventProperties } from '../commerce/events';

/**
 * Where a page event was captured: redacted URL, path, title and referrer.
 * @public
 */
export interface PageInfo {
  url: string;
  path: string;
  title: string;
  referrer: string;
}

/**
 * Facts about the browser, the same for every event of a page load; each but `library` can be
 * left out or coarsened with {@link PrivacyOptions.context}.
 * @public
 */
export interface EventContext {
  /** `navigator.language`; left out with `privacy.context.locale: false`. */
  locale?: string;
  /** The IANA time zone; left out with `privacy.context.timezone: false`. */
  timezone?: string;
  /** Left out or coarsened as `privacy.context.screen` says. */
  screen?: { width: number; height: number; density: number };
  /** `navigator.userAgent`; left out or coarsened as `privacy.context.userAgent` says. */
  userAgent?: string;
  library: { name: string; version: string };
}

/**
 * The kind of an event.
 * @public
 */
export type EventType = 'track' | 'page' | 'identify';

/**
 * The JSON envelope of one event, as a sink receives it.
 * @public
 */
export interface TrackedEvent {
  /** UUIDv7; the same on every retry and in every tab, so collectors can drop duplicates. */
  eventId: string;
  name: string;
  type: EventType;
  /** ISO 8601 capture time. */
  timestamp: string;
  anonymousId: string;
  userId: string | null;
  sessionId: string;
  /** True during the first session of this anonymous id (GA4's `first_visit`). */
  isFirstVisit: boolean;
  /** Counter within the session. */
  seq: number;
  page: PageInfo;
  context: EventContext;
  properties: Record<string, unknown>;
  /** User traits, on `identify` events only. */
  traits?: Record<string, unknown>;
}

/**
 * An event as it waits in the queue: its serialised JSON and what the queue needs to know.
 * @public
 */
export interface QueuedEvent {
  /** The event id (also the storage key; UUIDv7 sorts by capture time). */
  id: string;
  /** The event's JSON, serialised once when it was tracked. */
  json: string;
  /** Capture time, epoch milliseconds. */
  time: number;
  /** The anonymous id, for sinks that partition by shopper. */
  aid: string;
  /** Delivery attempts so far. */
  tries?: number;
}

/**
 * What a sink is told about one delivery.
 * @public
 */
export interface SendContext {
  /** The page is being hidden or unloaded: the request must survive the page (keepalive, beacon). */
  unload: boolean;
}

/**
 * What a sink reports back. Events in neither list are retried later.
 * @public
 */
export interface SendResult {
  /** Ids the destination acknowledged: removed from the queue. */
  accepted: string[];
  /** Ids the destination will never take (poison): removed and reported. */
  rejected?: string[];
  /** Server-requested pause before the next attempt, in milliseconds. */
  retryAfterMs?: number;
  /** Why some events were not accepted. */
  error?: Error;
  /** Retry without spending an attempt (for example refreshed credentials). */
  free?: boolean;
  /**
   * A request failed because the page was being left (after `pagehide`): the destination may
   * have its events. Their outcome is unknown, not failed: they are in neither list, and are not
   * a failure to count or back off from.
   */
  aborted?: boolean;
  /** Worth reporting once though the events may have gone through (a sink changed how it sends). */
  notice?: ClicktrailError;
}

/**
 * A destination for events. `send` must not throw; a rejected promise counts as a retryable failure.
 * @public
 */
export interface Sink {
  readonly name: string;
  /** Hard limits of the destination, narrowing the tracker's batch options. */
  readonly limits?: { maxEvents?: number; maxBytes?: number; maxEventBytes?: number };
  send(events: QueuedEvent[], context: SendContext): Promise<SendResult>;
}

/**
 * Consent state. `pending` holds events in memory only; `denied` discards them.
 * @public
 */
export type Consent = 'granted' | 'pending' | 'denied';

/**
 * Stable codes carried by every error passed to `onError`.
 * @public
 */
export type ErrorCode =
  | 'invalid_option'
  | 'invalid_event_name'
  | 'invalid_properties'
  | 'invalid_property'
  | 'event_too_large'
  | 'storage_unavailable'
  | 'storage_failed'
  | 'storage_corrupt'
  | 'queue_overflow'
  | 'event_expired'
  | 'sink_rejected'
  | 'sink_failed'
  | 'plugin_failed'
  | 'internal';

/**
 * An `Error` with a stable {@link ErrorCode}.
 * @public
 */
export interface ClicktrailError extends Error {
  code: ErrorCode;
  /** How many events the problem concerns, where it concerns some. */
  count?: number;
}

/**
 * Batching limits for delivery.
 * @public
 */
export interface BatchOptions {
  /** @defaultValue 50 */
  maxEvents?: number;
  /** Serialised bytes per request, before compression. @defaultValue 60000 */
  maxBytes?: number;
  /** @defaultValue 5000 */
  flushIntervalMs?: number;
}

/**
 * Limits of the durable queue.
 * @public
 */
export interface QueueOptions {
  /** Events kept at most; the oldest are dropped beyond. @defaultValue 10000 */
  maxEvents?: number;
  /** Serialised bytes kept at most; the oldest are dropped beyond. @defaultValue 10000000 */
  maxBytes?: number;
  /** Events older than this are dropped. @defaultValue 604800000 (7 days) */
  maxAgeMs?: number;
  /** Set to `false` to keep events in memory only. @defaultValue true */
  persist?: boolean;
}

/**
 * Which kinds of personal data are masked (each `true` unless set to `false`). Masked in click
 * text, element ids and selectors, `data-ct-*` values, search terms, page titles, and in every
 * part of page URLs, link URLs and the referrer.
 * @public
 */
export interface MaskOptions {
  /** E-mail addresses → `[email]`. @defaultValue true */
  emails?: boolean;
  /** Phone numbers (`+49 170 1234567`, `0170 1234567`, `(555) 123-4567`) → `[phone]`. @defaultValue true */
  phones?: boolean;
  /** Card numbers: 13–19 digits starting 2–6 that pass the Luhn check → `[card]`. @defaultValue true */
  cards?: boolean;
  /** UUIDs, 16+ hex digits, 24+ mixed-case base64url characters → `[token]`. @defaultValue true */
  tokens?: boolean;
  /**
   * Element ids (and classes) of clicks that look like data rather than names a developer gave
   * are left out, of `id` and of the selector: a run of three digits (`order-9876543`), a word
   * such as `user`, `customer`, `account`, `email`, `name` followed by more (`user-jane-doe`),
   * anything the other kinds mask. @defaultValue true
   */
  ids?: boolean;
}

/**
 * What `context` carries: `false` leaves a field out, `'coarse'` sends less of it.
 * @public
 */
export interface ContextOptions {
  /** `'coarse'`: version numbers cut to the major one (`Chrome/150.0.0.0` → `Chrome/150`). @defaultValue true */
  userAgent?: boolean | 'coarse';
  /** `'coarse'`: width and height rounded to 100 px, whole density. @defaultValue true */
  screen?: boolean | 'coarse';
  /** @defaultValue true */
  locale?: boolean;
  /** @defaultValue true */
  timezone?: boolean;
}

/**
 * Privacy settings of {@link createTracker}.
 * @public
 */
export interface PrivacyOptions {
  /**
   * Honour Global Privacy Control: while `navigator.globalPrivacyControl` is true, consent is
   * `'denied'` whatever `consent` or `setConsent()` say. @defaultValue false
   */
  gpc?: boolean;
  /** What is masked; `false` masks nothing. @defaultValue every kind */
  mask?: MaskOptions | false;
  /** Fields of `context` left out or coarsened. @defaultValue all sent in full */
  context?: ContextOptions;
  /** `false` sends `page.title` empty: titles can name the shopper ("Orders of Jane Doe"). @defaultValue true */
  title?: boolean;
  /**
   * `data-ct-*` attributes (named without the prefix: `'loyalty-tier'`) sent besides GA4's
   * e-commerce fields, by `clicks()` and `domCommerce()`; `'*'` sends every one.
   * @defaultValue []
   */
  dataAttributes?: string[];
  /**
   * Keys of a dataLayer `ecommerce` object (and of its items) bridged besides GA4's fields;
   * `'*'` bridges every one. @defaultValue []
   */
  ecommerceKeys?: string[];
}

/**
 * What {@link TrackerOptions.beforeSend} receives and returns: the event as tracked, with the
 * registered properties merged in (the event's own win).
 * @public
 */
export interface BeforeSendEvent {
  type: EventType;
  name: string;
  properties: Record<string, unknown>;
}

/**
 * Options of {@link createTracker}.
 * @public
 */
export interface TrackerOptions {
  /** Names the app; separates storage and locks of several trackers on one origin. @defaultValue 'default' */
  appId?: string;
  /** Where events go. */
  sink: Sink;
  /** Capture plugins. */
  plugins?: Plugin[];
  batch?: BatchOptions;
  queue?: QueueOptions;
  /**
   * Fails closed: only `'granted'` lets events be stored and sent. `false` means `'denied'`;
   * any other value than the three states (`undefined` set explicitly included) is reported and
   * held as `'pending'`. @defaultValue 'granted' (when the option is left out)
   */
  consent?: Consent | boolean;
  /**
   * Privacy switches: Global Privacy Control, masking of personal data, `context` fields, allowed
   * `data-ct-*` attributes and dataLayer keys.
   */
  privacy?: PrivacyOptions;
  /**
   * Runs in `track()` (and `page()`, `identify()`) for every event consent lets through: return
   * the event, changed or not, to keep it; `null` or `false` to drop it (counted in
   * `stats().filtered`). A hook that throws or returns nothing drops the event too, reported.
   */
  beforeSend?: (event: BeforeSendEvent) => BeforeSendEvent | null | false;
  /**
   * Every problem is reported here, never thrown. Without it each distinct problem is written
   * once per page with `console.warn`.
   */
  onError?: (error: ClicktrailError) => void;
  /**
   * Console diagnostics prefixed `[clicktrail]`: every problem, every event accepted, every
   * batch sent and its answer. @defaultValue false
   */
  debug?: boolean;
  /** Idle time after which a new session starts. @defaultValue 1800000 (30 minutes) */
  sessionTimeoutMs?: number;
  /** Query parameters redacted in page URLs and referrers (added to the built-in list). */
  redactParams?: string[];
  /** Largest serialised event accepted. @defaultValue 32768 */
  maxEventBytes?: number;
  /**
   * Renames events on the way out: `'ga4'` keeps GA4 names, a map renames the names it lists;
   * Segment's e-commerce names (Product Added, Order Completed...) are the map `segmentNames`
   * from `clicktrail/segment`.
   * @defaultValue 'ga4'
   */
  eventNames?: 'ga4' | Record<string, string>;
  /**
   * After this long the anonymous id is replaced by a new one (at the next session start).
   * @defaultValue 34128000000 (395 days, about 13 months)
   */
  anonymousIdLifetimeMs?: number;
  /** Backoff between failed deliveries. @defaultValue `{ baseMs: 1000, maxMs: 60000 }` */
  retry?: { baseMs?: number; maxMs?: number };
}

/**
 * What `flush()` resolves with.
 * @public
 */
export interface DeliveryReport {
  /** Events acknowledged by the sink during this flush. */
  sent: number;
  /** Events that could not be delivered this time (retried later unless also counted in `dropped`). */
  failed: number;
  /** Events dropped for good during this flush (rejected by the sink). */
  dropped: number;
  /** Events still waiting in the queue. */
  queued: number;
}

/**
 * Counters since the tracker started.
 * @public
 */
export interface TrackerStats {
  /** Events accepted by track(), page() and identify(). */
  tracked: number;
  /** Events the sink acknowledged. */
  sent: number;
  /** Events the sink refused for good (poison), dropped. */
  rejected: number;
  /** Oldest events dropped because the queue was full. */
  overflow: number;
  /** Events dropped for being older than `queue.maxAgeMs`. */
  expired: number;
  /** Events refused by track() (bad name, unserialisable or too large). */
  invalid: number;
  /** Events discarded because consent was denied. */
  consent: number;
  /** Events dropped by `beforeSend`. */
  filtered: number;
  /** Where the queue lives. */
  storage: 'indexeddb' | 'memory' | 'pending';
}

/**
 * The tracker a page talks to. No method throws.
 * @public
 */
export interface Tracker {
  /** Records an event; the GA4 e-commerce names are type-checked against {@link CommerceEvents}. */
  track<N extends string>(name: N, properties?: EventProperties<N>): void;
  /** A `page_view` with url, path, title and referrer. */
  page(properties?: Record<string, unknown>): void;
  /** Sets the user id (a number is taken as its decimal string), `null` signs out. */
  identify(userId: string | number | null, traits?: Record<string, unknown>): void;
  /**
   * Properties added to every later event of this page (the event's own win), kept in memory
   * only: register them again on each page load.
   */
  register(properties: Record<string, unknown>): void;
  /** Stops adding a registered property. */
  unregister(key: string): void;
  /** New anonymous id and session; forgets the user id (sign-out). */
  reset(): void;
  /**
   * Only `'granted'` lets events be stored and sent; see {@link TrackerOptions.consent}.
   * `'denied'` after `'granted'` stops all sending at once and deletes what the tracker stored.
   */
  setConsent(consent: Consent | boolean): void;
  /**
   * Erasure: deletes every database and storage key the tracker created (queued events, retry
   * state, ids) and what it holds in memory. Resolves once done.
   */
  erase(): Promise<void>;
  flush(): Promise<DeliveryReport>;
  shutdown(): Promise<void>;
  /** The anonymous id, the user id and the session id now in use. */
  ids(): { anonymousId: string; userId: string | null; sessionId: string };
  stats(): TrackerStats;
  /** Report a problem the way the tracker does (for plugins). */
  report(code: ErrorCode, message: string): void;
  /** A URL with its secret parameters redacted and personal data masked, as in `page.url` (for plugins). */
  redact(url: string): string;
  /** A text with personal data masked as `privacy.mask` says, as in click text (for plugins). */
  mask(text: string): string;
  /** The `privacy` options the tracker was created with, `{}` when none (for plugins). */
  readonly privacy: PrivacyOptions;
  readonly appId: string;
}

/**
 * A capture plugin: `setup` installs listeners and returns their teardown.
 * @public
 */
export interface Plugin {
  readonly name: string;
  setup(tracker: Tracker): void | (() => void);
}
