import { describe, expect, it } from 'vitest';
import { uuidv7 } from '../../../src/core/ids';

const FORMAT = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const msOf = (id: string) => parseInt(id.replace(/-/g, '').slice(0, 12), 16);
const counterOf = (id: string) => parseInt(id.slice(15, 18), 16);

// The generator keeps its last millisecond across calls: each test starts well past the last.
let base = Date.now() + 1e6;
const nextBase = () => (base += 1e6);

describe('uuidv7', () => {
  it('has the RFC 9562 layout: version 7 and variant 10xx', () => {
    for (let i = 0; i < 1000; i++) {
      const id = uuidv7();
      expect(id).toMatch(FORMAT);
      expect(parseInt(id[14], 16)).toBe(7);
      expect(parseInt(id[19], 16) >> 2).toBe(0b10);
    }
  });

  it('starts with the given millisecond as a 48-bit big-endian time', () => {
    const ms = nextBase();
    const id = uuidv7(ms);
    expect(msOf(id)).toBe(ms);
    expect(new Date(msOf(id)).toISOString()).toBe(new Date(ms).toISOString());
  });

  it('counts from zero in the 12 bits after the version within one millisecond', () => {
    const ms = nextBase();
    expect(counterOf(uuidv7(ms))).toBe(0);
    expect(counterOf(uuidv7(ms))).toBe(1);
    expect(counterOf(uuidv7(ms))).toBe(2);
  });

  it('makes ids that sort strictly increasing for thousands made in the same millisecond', () => {
    const ms = (base += 10);
    const ids = Array.from({ length: 4000 }, () => uuidv7(ms));
    for (let i = 1; i < ids.length; i++) expect(ids[i] > ids[i - 1]).toBe(true);
    expect(ids.every((id) => msOf(id) === ms)).toBe(true);
  });

  it('stays strictly increasing past the 4096-id counter by borrowing the next millisecond', () => {
    const ms = (base += 10);
    const ids = Array.from({ length: 10_000 }, () => uuidv7(ms));
    for (let i = 1; i < ids.length; i++) {
      if (!(ids[i] > ids[i - 1])) expect.fail(`id ${i} ${ids[i]} <= ${ids[i - 1]}`);
    }
    expect(msOf(ids[4095])).toBe(ms);
    expect(counterOf(ids[4095])).toBe(0xfff);
    expect(msOf(ids[4096])).toBe(ms + 1);
    expect(counterOf(ids[4096])).toBe(0);
    expect(msOf(ids[9999])).toBe(ms + 2);
    base = ms + 10;
  });

  it('never goes back in order when the clock does', () => {
    const ms = (base += 10);
    const a = uuidv7(ms);
    const b = uuidv7(ms - 5000);
    expect(b > a).toBe(true);
  });

  it('makes 100,000 distinct ids', () => {
    const seen = new Set<string>();
    for (let i = 0; i < 100_000; i++) seen.add(uuidv7());
    expect(seen.size).toBe(100_000);
  });

  // Last: the generator never goes back, so every later id would carry this time.
  it('decodes a time that needs all 48 bits (the year 10889)', () => {
    const late = 2 ** 48 - 2;
    expect(msOf(uuidv7(late))).toBe(late);
  });
});
