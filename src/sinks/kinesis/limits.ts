// Kinesis PutRecords limits: https://docs.aws.amazon.com/kinesis/latest/APIReference/API_PutRecords.html
// ("Each PutRecords request can support up to 500 records. Each record in the request can be as
// large as 1 MiB, up to a limit of 5 MiB for the entire request, including partition keys.")
export const MAX_RECORDS = 500;
export const MAX_REQUEST_BYTES = 5 * 1024 * 1024;
export const MAX_RECORD_BYTES = 1024 * 1024;
