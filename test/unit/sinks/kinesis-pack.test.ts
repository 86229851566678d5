import { describe, expect, it } from 'vitest';
import { MAX_RECORDS, MAX_REQUEST_BYTES } from '../../../src/sinks/kinesis/limits';
import { pack, type Entry } from '../../../src/sinks/kinesis/pack';

const entry = (i: number, size: number): Entry => ({
  event: { id: `e${i}`, json: '{}', time: 0, aid: 'a' },
  key: 'a',
  data: new Uint8Array(0),
  size,
});

describe('pack', () => {
  it('splits 1,201 small records into requests of 500, 500 and 201, keeping their order', () => {
    const groups = pack(Array.from({ length: 1201 }, (_, i) => entry(i, 100)), MAX_RECORDS, MAX_REQUEST_BYTES);
    expect(groups.map((g) => g.length)).toEqual([MAX_RECORDS, MAX_RECORDS, 201]);
    expect(groups.flat().map((e) => e.event.id)).toEqual(Array.from({ length: 1201 }, (_, i) => `e${i}`));
  });

  it('starts a new request before one would pass 5 MiB', () => {
    const mib = 1024 * 1024;
    const groups = pack([entry(0, mib), entry(1, mib), entry(2, mib), entry(3, mib), entry(4, mib), entry(5, 1), entry(6, mib)], MAX_RECORDS, MAX_REQUEST_BYTES);
    expect(groups.map((g) => g.map((e) => e.event.id))).toEqual([['e0', 'e1', 'e2', 'e3', 'e4'], ['e5', 'e6']]);
    for (const g of groups) expect(g.reduce((n, e) => n + e.size, 0)).toBeLessThanOrEqual(MAX_REQUEST_BYTES);
  });

  it('returns no request for no records', () => {
    expect(pack([], MAX_RECORDS, MAX_REQUEST_BYTES)).toEqual([]);
  });
});
