import type { QueuedEvent } from '../core/types';
import type { Store } from './types';

/** The fallback store: lives as long as the page, ordered by event id (capture order). */
export function memoryStore(): Store {
  let list: QueuedEvent[] = [];
  return {
    kind: 'memory',
    async add(events) {
      for (const e of events) {
        if (list.length && list[list.length - 1].id > e.id) {
          list = list.filter((x) => x.id !== e.id);
          list.push(e);
          list.sort((a, b) => (a.id < b.id ? -1 : 1));
        } else if (!list.length || list[list.length - 1].id !== e.id) list.push(e);
      }
    },
    read: async (n) => list.slice(0, n),
    async remove(ids) {
      const gone = new Set(ids);
      list = list.filter((e) => !gone.has(e.id));
    },
    all: async () => list.slice(),
    count: async () => list.length,
  };
}
