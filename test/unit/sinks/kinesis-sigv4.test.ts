// @vitest-environment node
// The page-hide request is signed by our own synchronous SHA-256 / SigV4: checked against
// node:crypto and the AWS SDK's own signer (@smithy/signature-v4) on the same request.
import { createHash, createHmac, randomBytes } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import { describe, expect, it } from 'vitest';
import { hex, hmac, sha256 } from '../../../src/sinks/kinesis/sha256';
import { signKinesis } from '../../../src/sinks/kinesis/sigv4';

class NodeSha256 {
  private h;
  constructor(secret?: string | Uint8Array) {
    this.h = secret ? createHmac('sha256', secret) : createHash('sha256');
  }
  update(d: string | Uint8Array) {
    this.h.update(d);
  }
  async digest() {
    return new Uint8Array(this.h.digest());
  }
}

describe('sha256 and hmac', () => {
  it('hash every length around the 64-byte block edges and large bodies as node:crypto does', () => {
    for (const n of [...Array(200).keys(), 1000, 65_536, 100_003]) {
      const data = randomBytes(n);
      expect(hex(sha256(data)), `length ${n}`).toBe(createHash('sha256').update(data).digest('hex'));
    }
  });

  it('make HMACs with short, 64-byte and long keys as node:crypto does', () => {
    for (const k of [0, 1, 44, 64, 65, 200]) {
      const key = randomBytes(k);
      const msg = randomBytes(k * 3 + 7);
      expect(hex(hmac(key, msg))).toBe(createHmac('sha256', key).update(msg).digest('hex'));
    }
    expect(hex(hmac('AWS4secret', 'héllo'))).toBe(createHmac('sha256', 'AWS4secret').update('héllo').digest('hex'));
  });
});

describe('signKinesis', () => {
  const body = '{"StreamName":"shop","Records":[{"Data":"eyJhIjoxfQ==","PartitionKey":"anon-1"}]}';
  const now = Date.UTC(2026, 11, 4, 23, 59, 58);

  for (const [what, endpoint, creds] of [
    ['static keys on AWS', 'https://kinesis.eu-west-1.amazonaws.com', { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' }],
    ['session credentials on a local endpoint with a port', 'http://127.0.0.1:4567', { accessKeyId: 'ASIA1', secretAccessKey: 's3cr3t', sessionToken: 'FwoGZXIvYXdzE//token=' }],
  ] as const) {
    it(`gives the signature the AWS SDK's signer gives (${what})`, async () => {
      const region = 'eu-west-1';
      const signed = signKinesis(endpoint, region, 'Kinesis_20131202.PutRecords', body, creds, now);
      const u = new URL(endpoint);
      const request = {
        method: 'POST',
        protocol: u.protocol,
        hostname: u.hostname,
        port: u.port ? Number(u.port) : undefined,
        path: '/',
        headers: { host: u.host, 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'Kinesis_20131202.PutRecords' },
        body,
        query: {},
      };
      const signer = new SignatureV4({ service: 'kinesis', region, credentials: creds, sha256: NodeSha256 as never, applyChecksum: false });
      const theirs = await signer.sign(request, { signingDate: new Date(now) });
      expect(signed.url).toBe(endpoint + '/');
      expect(signed.headers.authorization).toBe(theirs.headers.authorization);
      expect(signed.headers['x-amz-date']).toBe('20261204T235958Z');
      expect(signed.headers['x-amz-security-token']).toBe((creds as unknown as { sessionToken?: string }).sessionToken);
      expect(signed.headers.host).toBeUndefined();
    });
  }

  it('signs again with the new day\u2019s key after midnight', () => {
    const c = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'k' };
    const a = signKinesis('https://kinesis.us-east-1.amazonaws.com', 'us-east-1', 'T', body, c, now);
    const b = signKinesis('https://kinesis.us-east-1.amazonaws.com', 'us-east-1', 'T', body, c, now + 4000);
    expect(a.headers.authorization).toContain('/20261204/us-east-1/kinesis/aws4_request');
    expect(b.headers.authorization).toContain('/20261205/us-east-1/kinesis/aws4_request');
  });
});
