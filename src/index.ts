export { createTracker } from './core/tracker';
export { httpSink } from './sinks/http';
export type { HttpSinkOptions } from './sinks/http';
export type {
  BatchOptions,
  BeforeSendEvent,
  ClicktrailError,
  Consent,
  ContextOptions,
  DeliveryReport,
  ErrorCode,
  EventContext,
  EventType,
  MaskOptions,
  PageInfo,
  Plugin,
  PrivacyOptions,
  QueueOptions,
  QueuedEvent,
  SendContext,
  SendResult,
  Sink,
  TrackedEvent,
  Tracker,
  TrackerOptions,
  TrackerStats,
} from './core/types';
export type { CommerceEvents, CommerceItem, EventProperties, ItemsPayload, PromotionPayload } from './commerce/events';
export * from './capture';
