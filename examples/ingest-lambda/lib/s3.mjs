// Writes a batch to S3 as one NDJSON object, under Hive-style date and hour partitions
// (dt=2026-12-04/hour=20/) that Athena and Glue crawlers read as partition columns.
import { PutObjectCommand } from '@aws-sdk/client-s3';

/** The object key of a batch received at `date`: `<prefix>dt=YYYY-MM-DD/hour=HH/<ms>-<requestId>.ndjson`. */
export function objectKey(prefix, date, requestId) {
  const iso = date.toISOString();
  const safe = String(requestId).replace(/[^A-Za-z0-9=_-]/g, '');
  return `${prefix}dt=${iso.slice(0, 10)}/hour=${iso.slice(11, 13)}/${date.getTime()}-${safe}.ndjson`;
}

export async function putToS3(client, bucket, key, lines) {
  await client.send(
    new PutObjectCommand({ Bucket: bucket, Key: key, Body: lines.join('\n') + '\n', ContentType: 'application/x-ndjson' }),
  );
}
