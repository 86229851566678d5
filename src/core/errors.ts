import type { ClicktrailError, ErrorCode, Sink } from './types';

/** An Error whose message starts with its code: `event_too_large: "search" 40960 > 32768 bytes`. */
export function makeError(code: ErrorCode, detail: string, count?: number): ClicktrailError {
  return Object.assign(new Error(`${code}: ${detail}`), { name: 'ClicktrailError', code, count });
}

export type Reporter = (code: ErrorCode, detail: string, count?: number) => void;

// Problems already written to the console by any tracker of this page: each goes there once
// (counts in a message do not make it a new problem).
const warned: Record<string, 1> = {};

/**
 * Routes problems to `onError`; without one, each distinct problem goes to `console.warn` once
 * per page; with `debug`, every problem does. Never throws.
 */
export function createReporter(onError?: (e: ClicktrailError) => void, debug?: boolean): Reporter {
  return (code, detail, count) => {
    try {
      // Without any copy of the code (an error reported again with its own code) and any
      // `undefined` the detail would print.
      const d = detail == null ? 'no detail' : String(detail);
      const e = makeError(code, d.split(code + ': ').join('').replace(/^(ClicktrailError|Error): /, '').replace(/: undefined$/, ''), count);
      const key = e.message.replace(/\d+/g, '#');
      if (debug || (!onError && !warned[key] && (warned[key] = 1))) log('warn', e.message);
      onError?.(e);
    } catch {
      // a throwing onError, or a detail that cannot become a string, must not break tracking
    }
  };
}

export function log(level: 'log' | 'warn', message: string): void {
  try {
    console[level]('[clicktrail] ' + message);
  } catch {
    // no console
  }
}

/** `debug: true`: the sink, with every batch and its answer written to the console. */
export const debugSink = (sink: Sink): Sink => ({
  ...sink,
  send(events, c) {
    const what = `${sink.name}: ${events.length} events${c?.unload ? ' at page hide' : ''}`;
    log('log', 'sending ' + what);
    return sink.send(events, c).then(
      (r) => {
        const a = { accepted: r?.accepted?.length, rejected: r?.rejected?.length, error: r?.error?.message, retryAfterMs: r?.retryAfterMs };
        log('log', `sent ${what}: ${JSON.stringify(a)}`);
        return r;
      },
      (e) => {
        log('log', `sent ${what}: ${e}`);
        throw e;
      },
    );
  },
});

/** Wraps a public method: an internal failure is reported, never thrown into the page. */
export const guard =
  (report: Reporter) =>
  <F extends (a?: any, b?: any) => any>(fn: F): F =>
    ((a?: unknown, b?: unknown) => {
      try {
        return fn(a, b);
      } catch (e) {
        report('internal', e as string);
      }
    }) as F;
