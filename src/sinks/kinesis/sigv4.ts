// AWS Signature Version 4 for one Kinesis JSON request, synchronously (see sha256.ts for why):
// https://docs.aws.amazon.com/IAM/latest/UserGuide/create-signed-request.html
import { hex, hmac, sha256 } from './sha256';

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
  expiration?: Date;
}

export interface SignedRequest {
  url: string;
  headers: Record<string, string>;
}

let cached: [string, Uint8Array] | undefined;

/** Headers for a POST of `body` to `endpoint` (its path kept) calling `target`, at `now` (ms). */
export function signKinesis(endpoint: string, region: string, target: string, body: string, c: Credentials, now: number): SignedRequest {
  const u = new URL(endpoint);
  const stamp = new Date(now).toISOString().replace(/[-:]|\.\d+/g, ''); // 20261204T205221Z
  const day = stamp.slice(0, 8);
  const scope = `${day}/${region}/kinesis/aws4_request`;
  const headers: Record<string, string> = {
    'content-type': 'application/x-amz-json-1.1',
    host: u.host,
    'x-amz-date': stamp,
    ...(c.sessionToken ? { 'x-amz-security-token': c.sessionToken } : {}),
    'x-amz-target': target,
  };
  const names = Object.keys(headers).join(';');
  const canonical = ['POST', u.pathname, '', ...Object.entries(headers).map(([k, v]) => `${k}:${v}`), '', names, hex(sha256(new TextEncoder().encode(body)))].join('\n');
  // The signing key changes once a day per secret: made once, not for every request.
  const id = [c.secretAccessKey, scope].join();
  if (cached?.[0] != id) cached = [id, ['kinesis', 'aws4_request'].reduce(hmac, hmac(hmac('AWS4' + c.secretAccessKey, day), region))];
  const signature = hex(hmac(cached[1], `AWS4-HMAC-SHA256\n${stamp}\n${scope}\n${hex(sha256(new TextEncoder().encode(canonical)))}`));
  delete headers.host; // the browser sets it; a page may not
  headers.authorization = `AWS4-HMAC-SHA256 Credential=${c.accessKeyId}/${scope}, SignedHeaders=${names}, Signature=${signature}`;
  return { url: u.href, headers };
}
