// s3rver (a local S3 in Node) started in-process on loopback with one bucket, and a Node client.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { NodeHttpHandler } from '@smithy/node-http-handler';
// @ts-expect-error s3rver ships no types
import S3rver from 's3rver';

export interface LocalS3 {
  url: string;
  client: S3Client;
  /** Every object of the bucket: key, content type and body text. */
  objects(bucket: string): Promise<Array<{ key: string; type?: string; body: string }>>;
  close(): Promise<void>;
}

export async function startS3(bucket: string): Promise<LocalS3> {
  const directory = mkdtempSync(join(tmpdir(), 's3rver-'));
  const server = new S3rver({ port: 0, address: '127.0.0.1', silent: true, directory, configureBuckets: [{ name: bucket }] });
  const { port } = await server.run();
  const url = `http://127.0.0.1:${port}`;
  // s3rver checks the signature's shape, not the keys: these are its documented defaults.
  const client = new S3Client({
    region: 'us-east-1',
    endpoint: url,
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
    requestHandler: new NodeHttpHandler(),
  });
  return {
    url,
    client,
    async objects(name) {
      const list = await client.send(new ListObjectsV2Command({ Bucket: name }));
      const out = [];
      for (const o of list.Contents || []) {
        const r = await client.send(new GetObjectCommand({ Bucket: name, Key: o.Key }));
        out.push({ key: o.Key!, type: r.ContentType, body: await r.Body!.transformToString() });
      }
      return out;
    },
    async close() {
      await server.close();
      rmSync(directory, { recursive: true, force: true });
    },
  };
}
