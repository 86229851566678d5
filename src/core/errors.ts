import type { ClicktrailError, ErrorCode } from './types';

export function makeError(code: ErrorCode, message: string, count?: number): ClicktrailError {
  const e = new Error(message) as ClicktrailError;
  e.name = 'ClicktrailError';
  e.code = code;
  if (count !== undefined) e.count = count;
  return e;
}

export type Reporter = (code: ErrorCode, message: string, count?: number) => void;

/** Routes problems to `onError` and, with `debug`, to the console; never throws. */
export function createReporter(onError?: (e: ClicktrailError) => void, debug?: boolean): Reporter {
  return (code, message, count) => {
    const e = makeError(code, message, count);
    if (debug) log('warn', `${code}: ${message}`);
    try {
      onError?.(e);
    } catch {
      // A throwing onError must not break tracking.
    }
  };
}

export function log(level: 'log' | 'warn', ...args: unknown[]): void {
  try {
    // eslint-disable-next-line no-console
    console[level]('[clicktrail]', ...args);
  } catch {
    /* no console */
  }
}
