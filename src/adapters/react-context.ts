import { createContext } from 'react';
import type { Tracker } from '../core/types';

// Shared by clicktrail/react and clicktrail/next (one chunk, so one context).
// Undefined outside a provider; null inside one whose tracker does not exist yet (server render).
export const Ctx = /* @__PURE__ */ createContext<Tracker | null | undefined>(undefined);

let warned = false;

/** No provider above and no tracker given: say so once in the browser. */
export function outside(what: string): null {
  if (!warned && typeof window !== 'undefined') {
    warned = true;
    console.warn(`[clicktrail] ${what} is used outside <ClicktrailProvider>: nothing is tracked`);
  }
  return null;
}
