/**
 * Builds the S3 client for the rejected-records store. This folder is the only place that imports the AWS SDK.
 * - A custom `s3_endpoint` (MinIO, Ceph, s3rver…) uses path-style addressing, which such stores expect.
 * - Keys given: static credentials. A role ARN: assume it (on top of the keys, or of the default chain).
 *   Nothing given: the SDK's default credential chain (environment, profile, instance or task role).
 */
import { S3Client, type S3ClientConfig } from "@aws-sdk/client-s3";
import { fromTemporaryCredentials } from "@aws-sdk/credential-providers";
import type { S3StorageConfig } from "../config/storage.js";
import { checkKeyPair } from "./s3-settings.js";

/** S3's own default when a bucket's region is not given. */
export const DEFAULT_S3_REGION = "us-east-1";
/** Bounded waits: a store that does not answer must fail the check or the run, not hang it. */
export const S3_REQUEST_TIMEOUT_MS = 30_000;
export const S3_MAX_ATTEMPTS = 3;

export function createS3Client(config: S3StorageConfig, tuning: { maxAttempts?: number } = {}): S3Client {
  const region = config.s3_bucket_region || DEFAULT_S3_REGION;
  const options: S3ClientConfig = {
    region,
    maxAttempts: tuning.maxAttempts ?? S3_MAX_ATTEMPTS,
    requestHandler: { requestTimeout: S3_REQUEST_TIMEOUT_MS, connectionTimeout: 10_000 },
  };
  if (config.s3_endpoint) {
    options.endpoint = config.s3_endpoint;
    options.forcePathStyle = true;
  }
  checkKeyPair(config);
  const staticCredentials =
    config.access_key_id && config.secret_access_key
      ? { accessKeyId: config.access_key_id, secretAccessKey: config.secret_access_key }
      : undefined;
  if (config.role_arn) {
    options.credentials = fromTemporaryCredentials({
      params: { RoleArn: config.role_arn, RoleSessionName: "destination-hubspot" },
      clientConfig: { region, ...(staticCredentials ? { credentials: staticCredentials } : {}) },
    });
  } else if (staticCredentials) {
    options.credentials = staticCredentials;
  }
  return new S3Client(options);
}
