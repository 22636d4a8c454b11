import type { Config } from "../config.js";
import { NoneSink } from "./none-sink.js";
import type { RejectContext } from "./rejected-record.js";
import { S3Sink } from "./s3-sink.js";
import { createS3Client } from "./s3-client.js";
import type { RejectsSink } from "./sink.js";

export function createRejectsSink(
  config: Config,
  context: RejectContext,
  warn: (message: string) => void,
): RejectsSink {
  const storage = config.object_storage_config;
  // Uploads retry in the sink's own bounded loop, so the SDK makes one attempt each.
  if (storage.storage_type === "S3")
    return new S3Sink(createS3Client(storage, { maxAttempts: 1 }), storage, context);
  return new NoneSink(warn);
}
