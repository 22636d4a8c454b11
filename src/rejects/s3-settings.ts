/**
 * What the S3 store's settings say before any of the AWS SDK is loaded: where the records go, and whether the keys
 * are given as a pair. Kept apart from s3-client.ts so a run can check and name the store at once.
 */
import type { S3StorageConfig } from "../config/storage.js";
import { ConfigError } from "../errors.js";

/** `s3://bucket/prefix/`: where the rejected records of this store go, for people. */
export function s3Location(config: S3StorageConfig): string {
  const prefix = config.bucket_path.replace(/^\/+|\/+$/g, "");
  return `s3://${config.s3_bucket_name}/${prefix ? `${prefix}/` : ""}`;
}

/** Both keys or neither (the default AWS credential chain); one alone is the user's to fix. */
export function checkKeyPair(config: S3StorageConfig): void {
  if (Boolean(config.access_key_id) !== Boolean(config.secret_access_key)) {
    throw new ConfigError(
      "object_storage_config: give both access_key_id and secret_access_key, or neither to use the default AWS credential chain.",
    );
  }
}
