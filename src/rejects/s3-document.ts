/**
 * One JSON document (a run receipt) stored beside the rejected records: under the same bucket path and path
 * format, in the folder of the stream `_receipts` (`<bucket_path>/<sync_id>/_receipts/` with the default layout),
 * named `<date>_<timestamp>_receipt.json`. A replay reads only `.jsonl` and `.csv` parts, so it never takes one
 * for rejected records.
 */
import { randomUUID } from "node:crypto";
import { PutObjectCommand } from "@aws-sdk/client-s3";
import type { S3StorageConfig } from "../config/storage.js";
import { describeS3Failure } from "./check-store.js";
import { buildObjectKey } from "./object-key.js";
import { createS3Client, S3_REQUEST_TIMEOUT_MS } from "./s3-client.js";

/** The folder name receipts take where a stream's name would go. */
export const RECEIPTS_FOLDER = "_receipts";

/** Stores the document and answers its `s3://` address; throws an Error whose message says what went wrong. */
export async function putReceiptDocument(
  config: S3StorageConfig,
  syncId: number | undefined,
  document: unknown,
  now = new Date(),
): Promise<string> {
  const key = buildObjectKey(
    {
      bucketPath: config.bucket_path,
      pathFormat: config.path_format,
      fileNameFormat: "{date}_{timestamp}_receipt.json",
    },
    {
      syncId: String(syncId ?? 0),
      namespace: "",
      streamName: RECEIPTS_FOLDER,
      partNumber: 0,
      formatExtension: ".json",
      uuid: randomUUID(),
      now,
    },
  );
  const client = createS3Client(config);
  try {
    await client.send(
      new PutObjectCommand({
        Bucket: config.s3_bucket_name,
        Key: key,
        Body: `${JSON.stringify(document, null, 2)}\n`,
        ContentType: "application/json",
      }),
      { abortSignal: AbortSignal.timeout(S3_REQUEST_TIMEOUT_MS) },
    );
    return `s3://${config.s3_bucket_name}/${key}`;
  } catch (error) {
    throw new Error(describeS3Failure(error, config.s3_bucket_name), { cause: error });
  } finally {
    client.destroy();
  }
}
