// Loaded with import() on the first flush: the only module that pulls in the AWS SDK, so the
// page's first script carries none of it. Modular imports keep the chunk to one command.
import { KinesisClient, PutRecordsCommand, type KinesisClientConfig, type PutRecordsOutput } from '@aws-sdk/client-kinesis';

export interface PutRecordsEntry {
  Data: Uint8Array;
  PartitionKey: string;
}

export type PutRecords = (records: PutRecordsEntry[], signal?: AbortSignal) => Promise<PutRecordsOutput>;

export interface Putter {
  put: PutRecords;
  /** Clock offset the SDK learnt from a skewed answer, carried into a replacement client. */
  offset(): number;
}

export function createPutter(streamName: string, config: KinesisClientConfig): Putter {
  const client = new KinesisClient(config);
  return {
    put: (Records, abortSignal) => client.send(new PutRecordsCommand({ StreamName: streamName, Records }), { abortSignal }),
    offset: () => client.config.systemClockOffset || 0,
  };
}
