// kinesalite (a Kinesis implementation in Node) started in-process on loopback, plus a proxy that
// throttles a share of the records in front of it. No AWS account, nothing mocked at the wire.
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, request, type IncomingHttpHeaders, type Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateStreamCommand,
  DescribeStreamSummaryCommand,
  GetRecordsCommand,
  GetShardIteratorCommand,
  KinesisClient,
  ListShardsCommand,
} from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';

/** Dummy keys: kinesalite checks that requests are signed, not by whom. */
export const CREDENTIALS = { accessKeyId: 'AKIDCLICKTRAILTEST', secretAccessKey: 'clicktrail-test-secret' };
export const REGION = 'us-east-1';

export interface StoredRecord {
  shardId: string;
  sequenceNumber: string;
  partitionKey: string;
  /** The record's data as text. */
  data: string;
}

export interface Kinesalite {
  url: string;
  /** A Node client for it (HTTP/1.1: kinesalite does not speak HTTP/2). */
  client: KinesisClient;
  /** Creates a stream and waits until it is ACTIVE. */
  createStream(name: string, shards?: number): Promise<void>;
  /** Every record of every shard, from TRIM_HORIZON, in each shard's order. */
  readAll(name: string): Promise<StoredRecord[]>;
  close(): Promise<void>;
}

const listen = (server: Server) =>
  new Promise<number>((ok, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => ok((server.address() as AddressInfo).port));
  });

const closeServer = (server: Server) =>
  new Promise<void>((ok) => {
    server.closeAllConnections?.();
    server.close(() => ok());
  });

export function nodeClient(endpoint: string): KinesisClient {
  return new KinesisClient({ region: REGION, credentials: CREDENTIALS, endpoint, requestHandler: new NodeHttpHandler() });
}

/** Every record of every shard of a stream, from TRIM_HORIZON, in each shard's order. */
export async function readStream(client: KinesisClient, name: string): Promise<StoredRecord[]> {
  const out: StoredRecord[] = [];
  const { Shards = [] } = await client.send(new ListShardsCommand({ StreamName: name }));
  const decoder = new TextDecoder();
  for (const shard of Shards) {
    let { ShardIterator: it } = await client.send(
      new GetShardIteratorCommand({ StreamName: name, ShardId: shard.ShardId, ShardIteratorType: 'TRIM_HORIZON' }),
    );
    while (it) {
      const r = await client.send(new GetRecordsCommand({ ShardIterator: it, Limit: 10_000 }));
      for (const rec of r.Records || []) {
        out.push({
          shardId: shard.ShardId!,
          sequenceNumber: rec.SequenceNumber!,
          partitionKey: rec.PartitionKey!,
          data: decoder.decode(rec.Data),
        });
      }
      if (!r.Records?.length) break;
      it = r.NextShardIterator;
    }
  }
  return out;
}

export async function startKinesalite(): Promise<Kinesalite> {
  const require = createRequire(import.meta.url);
  const server: Server = require('kinesalite')({ createStreamMs: 0, deleteStreamMs: 0, updateStreamMs: 0, shardLimit: 1000 });
  const port = await listen(server);
  const url = `http://127.0.0.1:${port}`;
  const client = nodeClient(url);
  return {
    url,
    client,
    async createStream(name, shards = 2) {
      await client.send(new CreateStreamCommand({ StreamName: name, ShardCount: shards }));
      for (let i = 0; i < 200; i++) {
        const s = await client.send(new DescribeStreamSummaryCommand({ StreamName: name }));
        if (s.StreamDescriptionSummary?.StreamStatus === 'ACTIVE') return;
        await new Promise((r) => setTimeout(r, 10));
      }
      throw new Error(`stream ${name} did not become ACTIVE`);
    },
    readAll: (name) => readStream(client, name),
    close: () => closeServer(server),
  };
}

export interface ThrottlingProxy {
  url: string;
  /** Records answered ProvisionedThroughputExceededException (never forwarded). */
  throttled: number;
  /** Requests answered with an injected error (never forwarded). */
  failedRequests: number;
  /** PutRecords requests seen, and the record count of each. */
  putRecords: number[];
  /** The data (as text) of every record passed on to kinesalite. */
  forwarded: string[];
  /** Every request seen, in order: 'OPTIONS', 'sdk' (a PutRecords of the AWS SDK), 'own' (one signed by the sink itself, at page hide). */
  log: string[];
  close(): Promise<void>;
}

export interface ThrottlingOptions {
  /** Share of the records in each PutRecords request answered as throttled. @defaultValue 0 */
  throttleShare?: number;
  /** Every n-th PutRecords request is answered 500 without reaching kinesalite. */
  failEvery?: number;
  /** Seed of the record picks, so a failing run can be replayed. */
  seed?: number;
  /** An error answer for the n-th PutRecords request (from 1), which then never reaches kinesalite. */
  inject?: (n: number) => { status: number; type: string; message: string } | undefined;
  /** Changes a request's records before they are forwarded (to provoke kinesalite's own errors). */
  mutate?: (records: Array<{ Data: string; PartitionKey: string }>) => void;
  /** Replaces kinesalite's Access-Control-Max-Age (172800) on preflight answers. */
  maxAge?: number;
  /** Answers preflights this much later, as a distant service would. */
  preflightDelayMs?: number;
}

/**
 * A loopback proxy in front of kinesalite that makes PutRecords partly fail the way Kinesis
 * does: it forwards the request without the records it picked, then splices failure entries
 * (ProvisionedThroughputExceededException, no SequenceNumber/ShardId) back into the answer at
 * their indexes and raises FailedRecordCount. So a throttled record is truly not stored. Every
 * other request, CORS preflights included, passes through unchanged.
 */
export async function startThrottlingProxy(target: string, o: ThrottlingOptions): Promise<ThrottlingProxy> {
  let seed = o.seed ?? 1;
  // mulberry32: a small seeded PRNG
  const random = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const state: ThrottlingProxy = { url: '', throttled: 0, failedRequests: 0, putRecords: [], forwarded: [], log: [], close: async () => undefined };
  const forward = (method: string, path: string, headers: IncomingHttpHeaders, body: Buffer) =>
    new Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }>((ok, fail) => {
      const t = new URL(target);
      const req = request(
        { host: t.hostname, port: t.port, method, path, headers: { ...headers, host: t.host, 'content-length': String(body.length) } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c) => chunks.push(c));
          res.on('end', () => ok({ status: res.statusCode || 502, headers: res.headers, body: Buffer.concat(chunks) }));
          res.on('error', fail);
        },
      );
      req.on('error', fail);
      req.end(body);
    });

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', async () => {
      const body = Buffer.concat(chunks);
      const cors: Record<string, string> = req.headers.origin
        ? // Lower case, as Node gives kinesalite's headers: spread over them, they replace them
          // (two Access-Control-Allow-Origin headers fail the request in a browser).
          { 'access-control-allow-origin': '*', 'access-control-expose-headers': 'x-amzn-RequestId,x-amzn-ErrorType,Date' }
        : {};
      try {
        const isPut = req.method === 'POST' && String(req.headers['x-amz-target']).endsWith('.PutRecords');
        state.log.push(req.method === 'OPTIONS' ? 'OPTIONS' : !isPut ? String(req.method) : req.headers['amz-sdk-invocation-id'] ? 'sdk' : 'own');
        if (!isPut) {
          const r = await forward(req.method!, req.url!, req.headers, body);
          if (req.method === 'OPTIONS' && o.maxAge !== undefined) r.headers['access-control-max-age'] = String(o.maxAge);
          if (req.method === 'OPTIONS' && o.preflightDelayMs) await new Promise((ok) => setTimeout(ok, o.preflightDelayMs));
          res.writeHead(r.status, r.headers);
          return res.end(r.body);
        }
        const input = JSON.parse(body.toString('utf8'));
        const n = input.Records.length;
        state.putRecords.push(n);
        const error =
          o.inject?.(state.putRecords.length) ||
          (o.failEvery && state.putRecords.length % o.failEvery === 0
            ? { status: 500, type: 'InternalFailure', message: 'proxy: injected 500' }
            : undefined);
        if (error) {
          state.failedRequests++;
          res.writeHead(error.status, { ...cors, 'Content-Type': 'application/x-amz-json-1.1', 'x-amzn-ErrorType': error.type });
          return res.end(JSON.stringify({ __type: error.type, message: error.message }));
        }
        const picked = new Set<number>();
        for (let i = 0; i < n; i++) if (random() < (o.throttleShare || 0)) picked.add(i);
        const kept = input.Records.filter((_: unknown, i: number) => !picked.has(i));
        let answer: { FailedRecordCount: number; Records: Array<Record<string, unknown>> } = { FailedRecordCount: 0, Records: [] };
        let headers: IncomingHttpHeaders = { 'content-type': 'application/x-amz-json-1.1' };
        o.mutate?.(kept);
        if (kept.length) {
          const r = await forward('POST', req.url!, req.headers, Buffer.from(JSON.stringify({ ...input, Records: kept })));
          if (r.status !== 200) {
            res.writeHead(r.status, r.headers);
            return res.end(r.body);
          }
          answer = JSON.parse(r.body.toString('utf8'));
          headers = r.headers;
          for (const rec of kept) state.forwarded.push(Buffer.from(rec.Data, 'base64').toString('utf8'));
        }
        const records: Array<Record<string, unknown>> = [];
        let k = 0;
        for (let i = 0; i < n; i++) {
          if (picked.has(i)) {
            records.push({
              ErrorCode: 'ProvisionedThroughputExceededException',
              ErrorMessage: `Rate exceeded for shard shardId-000000000000 in stream ${input.StreamName} under account 000000000000.`,
            });
          } else records.push(answer.Records[k++]);
        }
        state.throttled += picked.size;
        const out = Buffer.from(JSON.stringify({ FailedRecordCount: (answer.FailedRecordCount || 0) + picked.size, Records: records }));
        res.writeHead(200, { ...headers, ...cors, 'content-length': String(out.length) });
        res.end(out);
      } catch (e) {
        res.writeHead(502, cors);
        res.end(String(e));
      }
    });
  });
  const port = await listen(server);
  state.url = `http://127.0.0.1:${port}`;
  state.close = () => closeServer(server);
  return state;
}

/**
 * An app bundled from dist/ with esbuild as an app's bundler would (the tracker up front, the
 * Kinesis sender and the AWS SDK in lazy chunks), exposing `window.clicktrail`. `out` is the
 * folder to serve.
 */
export async function buildKinesisApp(root: string): Promise<{ out: string; sdkChunk: string; remove(): void }> {
  const { build } = await import('esbuild');
  const dir = mkdtempSync(join(tmpdir(), 'clicktrail-kinesis-app-'));
  mkdirSync(join(dir, 'node_modules'));
  symlinkSync(root, join(dir, 'node_modules', 'clicktrail'), 'dir');
  writeFileSync(
    join(dir, 'app.js'),
    `import { createTracker, httpSink } from 'clicktrail';
     import { kinesisSink } from 'clicktrail/kinesis';
     window.clicktrail = { createTracker, httpSink, kinesisSink };`,
  );
  const out = join(dir, 'out');
  await build({ entryPoints: [join(dir, 'app.js')], bundle: true, splitting: true, format: 'esm', platform: 'browser', minify: true, outdir: out, absWorkingDir: dir, logLevel: 'silent' });
  const sdkChunk = readdirSync(out).find((f) => readFileSync(join(out, f), 'utf8').includes('PutRecords'))!;
  return { out, sdkChunk, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
