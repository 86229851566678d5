// @vitest-environment node
// The sender checks its options once; a wrong one fails every send with invalid_option (the
// events stay queued) and nothing leaves at page hide either. No request is made in these cases.
import { describe, expect, it } from 'vitest';
import type { KinesisSinkOptions } from '../../../src/sinks/kinesis';
import { MAX_RECORD_BYTES, MAX_RECORDS, MAX_REQUEST_BYTES } from '../../../src/sinks/kinesis/limits';
import { createSender } from '../../../src/sinks/kinesis/sender';

const base = { streamName: 's', region: 'eu-west-1', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } };
const event = { id: 'e1', json: '{"eventId":"e1"}', time: 0, aid: 'anon' };
const sender = (o: Partial<KinesisSinkOptions> & Record<string, unknown>) =>
  createSender({ ...base, ...o } as KinesisSinkOptions, [MAX_RECORDS, MAX_REQUEST_BYTES, MAX_RECORD_BYTES]);

describe('kinesisSink options', () => {
  it('refuses an unload option that is not a sink, on every send and at page hide', async () => {
    const s = sender({ unload: 'https://collector.example/v1/events' as never });
    const r = await s.send([event]);
    expect(r.accepted).toEqual([]);
    expect(r.error).toMatchObject({ code: 'invalid_option' });
    expect(r.error!.message).toContain('unload must be a sink, such as httpSink({ url })');
    expect(s.hide([event])).toBeUndefined();
  });

  it('has nothing to sign with at page hide when the provider has not been asked yet', () => {
    const s = sender({ credentials: async () => base.credentials });
    expect(s.hide([event])).toBeUndefined();
  });
});
