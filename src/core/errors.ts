import type { ClicktrailError, ErrorCode } from './types';

/** An Error whose message starts with its code: `event_too_large: "search" 40960 > 32768 bytes`. */
export function makeError(code: ErrorCode, detail: string, count?: number): ClicktrailError {
  return Object.assign(new Error(`${code}: ${detail}`), { name: 'ClicktrailError', code, count });
}

export type Reporter = (code: ErrorCode, detail: string, count?: number) => void;

/** Routes problems to `onError` and, with `debug`, to the console; never throws. */
export function createReporter(onError?: (e: ClicktrailError) => void, debug?: boolean): Reporter {
  return (code, detail, count) => {
    try {
      const e = makeError(code, detail, count);
      if (debug) log('warn', e.message);
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
