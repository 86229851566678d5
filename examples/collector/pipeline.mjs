// `npm run demo -- --sink kinesis`: the whole AWS pipeline on this machine. An in-memory
// kinesalite stream, the ingest Lambda of examples/ingest-lambda behind the collector URL (as
// API Gateway would call it), and a consumer that reads the stream back for the dashboard.
import { createRequire } from 'node:module';
import { bodyText, eventsOf } from '../ingest-lambda/lib/request.mjs';
import { createHandler } from '../ingest-lambda/handler.mjs';
import { invoke } from '../ingest-lambda/local.mjs';

const STREAM = 'clickstream';

export async function startPipeline(board) {
  const { KinesisClient, CreateStreamCommand, DescribeStreamSummaryCommand, ListShardsCommand, GetShardIteratorCommand, GetRecordsCommand } =
    await import('@aws-sdk/client-kinesis');
  const { NodeHttpHandler } = await import('@smithy/node-http-handler');
  const kinesalite = createRequire(import.meta.url)('kinesalite')({ createStreamMs: 0 });
  await new Promise((ok, fail) => kinesalite.once('error', fail).listen(0, '127.0.0.1', ok));
  const endpoint = `http://127.0.0.1:${kinesalite.address().port}`;
  // kinesalite speaks HTTP/1.1 only; the Kinesis client would use HTTP/2 by default in Node.
  const client = new KinesisClient({
    region: 'us-east-1',
    endpoint,
    credentials: { accessKeyId: 'AKIDDEMO', secretAccessKey: 'demo' },
    requestHandler: new NodeHttpHandler(),
  });
  await client.send(new CreateStreamCommand({ StreamName: STREAM, ShardCount: 2 }));
  while ((await client.send(new DescribeStreamSummaryCommand({ StreamName: STREAM }))).StreamDescriptionSummary.StreamStatus !== 'ACTIVE') {
    await new Promise((r) => setTimeout(r, 20));
  }
  // The shop is on this server's own origin; in AWS, list the shop's origins (ALLOWED_ORIGINS).
  const handler = createHandler({ sink: { kind: 'kinesis', client, streamName: STREAM }, origins: ['*'] });

  // Counts what reaches the handler and what it refuses, then answers as the Lambda does.
  const counted = async (event, context) => {
    try {
      board.counters.received += eventsOf(bodyText(event, 1 << 24)).length;
    } catch {
      // an unreadable body: the handler says why
    }
    const res = await handler(event, context);
    if (res.statusCode >= 300) {
      let rejected = 0;
      try {
        rejected = JSON.parse(res.body).rejected?.length || 0;
      } catch {
        // not JSON
      }
      board.counters.errors += rejected || 1;
    }
    return res;
  };

  // The consumer: every shard from TRIM_HORIZON, polled as a Lambda trigger or KCL app would.
  let stopped = false;
  const iterators = new Map();
  const { Shards = [] } = await client.send(new ListShardsCommand({ StreamName: STREAM }));
  for (const s of Shards) {
    const r = await client.send(new GetShardIteratorCommand({ StreamName: STREAM, ShardId: s.ShardId, ShardIteratorType: 'TRIM_HORIZON' }));
    iterators.set(s.ShardId, r.ShardIterator);
  }
  const decoder = new TextDecoder();
  const poll = async () => {
    for (const [shard, it] of iterators) {
      if (stopped || !it) continue;
      try {
        const r = await client.send(new GetRecordsCommand({ ShardIterator: it, Limit: 1000 }));
        iterators.set(shard, r.NextShardIterator);
        for (const rec of r.Records || []) {
          board.counters.forwarded++;
          try {
            board.add(JSON.parse(decoder.decode(rec.Data)));
          } catch {
            board.counters.errors++;
          }
        }
      } catch (e) {
        board.counters.errors++;
        console.error(`[demo] reading ${shard}: ${e.name}: ${e.message}`);
      }
    }
    if (!stopped) timer = setTimeout(poll, 250);
  };
  let timer = setTimeout(poll, 0);

  return {
    endpoint,
    stream: STREAM,
    /** The collector route for POST /v1/events. */
    route: (req, res) => invoke(counted, req, res),
    close() {
      stopped = true;
      clearTimeout(timer);
      client.destroy();
      return new Promise((ok) => kinesalite.close(() => ok()));
    },
  };
}
