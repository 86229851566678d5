// How many events per second the handler puts into kinesalite, in batches of 50 (the SDK's
// default batch). A measurement for the README, not a test: `node examples/ingest-lambda/bench.mjs`
// [events, default 10000] [concurrent invocations, default 1]. Needs the root devDependencies.
import { createRequire } from 'node:module';
import { randomUUID } from 'node:crypto';
import { CreateStreamCommand, DescribeStreamSummaryCommand, KinesisClient } from '@aws-sdk/client-kinesis';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import { createHandler } from './handler.mjs';

const total = Number(process.argv[2] || 10_000);
const concurrency = Number(process.argv[3] || 1); // one Lambda instance runs one invocation at a time
const shards = 4;
const BATCH = 50;

const server = createRequire(import.meta.url)('kinesalite')({ createStreamMs: 0, shardLimit: 100 });
await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
const client = new KinesisClient({
  region: 'us-east-1',
  endpoint: `http://127.0.0.1:${server.address().port}`,
  credentials: { accessKeyId: 'AKIDBENCH', secretAccessKey: 'bench' },
  requestHandler: new NodeHttpHandler(),
});
await client.send(new CreateStreamCommand({ StreamName: 'bench', ShardCount: shards }));
while ((await client.send(new DescribeStreamSummaryCommand({ StreamName: 'bench' }))).StreamDescriptionSummary.StreamStatus !== 'ACTIVE') {
  await new Promise((r) => setTimeout(r, 10));
}
const handler = createHandler({ sink: { kind: 'kinesis', client, streamName: 'bench' } });

const event = (i) => ({
  eventId: randomUUID(),
  name: 'add_to_cart',
  type: 'track',
  timestamp: new Date().toISOString(),
  anonymousId: `anon-${i % 200}`,
  userId: null,
  sessionId: randomUUID(),
  seq: i,
  page: { url: 'https://shop.example/product/p-kettle', path: '/product/p-kettle', title: 'Kettle', referrer: '' },
  context: { locale: 'en-GB', timezone: 'Europe/London', screen: { width: 1280, height: 800, density: 1 }, userAgent: 'Mozilla/5.0 (X11; Linux x86_64) Chrome/150', library: { name: 'clicktrail', version: '0.1.0' } },
  properties: { currency: 'EUR', value: 35, items: [{ item_id: 'p-kettle', item_name: 'Kettle', price: 35, quantity: 1 }] },
});
const bodies = [];
for (let i = 0; i < total; i += BATCH) {
  const events = Array.from({ length: Math.min(BATCH, total - i) }, (_, j) => event(i + j));
  bodies.push(JSON.stringify({ sentAt: new Date().toISOString(), events }));
}
const bytes = bodies.reduce((s, b) => s + b.length, 0);

let next = 0;
let failed = 0;
const start = performance.now();
await Promise.all(
  Array.from({ length: concurrency }, async () => {
    while (next < bodies.length) {
      const body = bodies[next++];
      const res = await handler({ version: '2.0', headers: {}, requestContext: { http: { method: 'POST' }, requestId: randomUUID() }, body, isBase64Encoded: false });
      if (res.statusCode !== 200) failed++;
    }
  }),
);
const s = (performance.now() - start) / 1000;
console.log(
  `${total} events in ${bodies.length} batches of ${BATCH}, ${concurrency} concurrent invocations, ${shards} shards: ` +
    `${s.toFixed(2)} s, ${Math.round(total / s)} events/s, ${Math.round(bodies.length / s)} batches/s, ` +
    `${(bytes / s / 1e6).toFixed(2)} MB/s of JSON; ${failed} batches not answered 200`,
);
server.close();
