// @vitest-environment node
// The page-hide request as kinesalite takes it: putAtUnload's body, signed by our own SigV4,
// sent with fetch from Node (no browser needed to check the wire format and the answer).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { entriesOf } from '../../src/sinks/kinesis/pack';
import { putAtUnload } from '../../src/sinks/kinesis/unload';
import { CREDENTIALS, REGION, startKinesalite, type Kinesalite } from '../support/kinesalite';

let kinesalite: Kinesalite;
beforeAll(async () => {
  kinesalite = await startKinesalite();
});
afterAll(() => kinesalite?.close());

const events = (n: number) => Array.from({ length: n }, (_, i) => ({ id: `e${i}`, json: JSON.stringify({ eventId: `e${i}`, name: 'café', i }), time: 0, aid: 'anon' }));

describe('the page-hide PutRecords', () => {
  it('is taken by kinesalite with its records in order, partition keys outside ASCII included, and acknowledged per record', async () => {
    await kinesalite.createStream('hide', 1);
    const out = { rejected: [], notes: [] };
    const entries = entriesOf(events(5), (e) => `clé-${e.id}-😀`, 1 << 20, out);
    const r = await putAtUnload({ streamName: 'hide', endpoint: kinesalite.url, region: REGION }, entries, CREDENTIALS, Date.now());
    expect(r).toMatchObject({ accepted: ['e0', 'e1', 'e2', 'e3', 'e4'] });
    expect(r!.error).toBeUndefined();
    const stored = await kinesalite.readAll('hide');
    expect(stored.map((s) => [JSON.parse(s.data).i, s.partitionKey])).toEqual([0, 1, 2, 3, 4].map((i) => [i, `clé-e${i}-😀`]));
  });

  it('carries only the first records that fit 60 KB of body and leaves the rest unacknowledged', async () => {
    await kinesalite.createStream('hide-budget', 1);
    const big = events(40).map((e) => ({ ...e, json: JSON.stringify({ eventId: e.id, pad: 'x'.repeat(2000) }) }));
    const r = await putAtUnload({ streamName: 'hide-budget', endpoint: kinesalite.url, region: REGION }, entriesOf(big, undefined, 1 << 20, { rejected: [], notes: [] }), CREDENTIALS, Date.now());
    const n = r!.accepted.length;
    // About 2.7 KB per record once base64-encoded: 22 fit.
    expect(n).toBeGreaterThan(15);
    expect(n).toBeLessThan(40);
    expect(r!.accepted).toEqual(big.slice(0, n).map((e) => e.id));
    expect((await kinesalite.readAll('hide-budget')).length).toBe(n);
  });

  it('sends nothing with no credentials or credentials that expire within a minute', () => {
    const entries = entriesOf(events(1), undefined, 1 << 20, { rejected: [], notes: [] });
    const t = { streamName: 'hide', endpoint: kinesalite.url, region: REGION };
    expect(putAtUnload(t, entries, undefined, Date.now())).toBeUndefined();
    expect(putAtUnload(t, entries, { ...CREDENTIALS, expiration: new Date(Date.now() + 30_000) }, Date.now())).toBeUndefined();
  });
});
