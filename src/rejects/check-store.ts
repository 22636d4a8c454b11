/**
 * Proves the rejected-records store works before a sync depends on it: write a small object under the configured
 * prefix, list it back, delete it (what Airbyte's own connectors check). Failures become a sentence a person can act on.
 */
import {
  DeleteObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3ServiceException,
} from "@aws-sdk/client-s3";
import type { S3StorageConfig } from "../config/storage.js";
import { buildFolderKey } from "./object-key.js";
import { createS3Client } from "./s3-client.js";

export type StoreCheckResult = { ok: true; key: string } | { ok: false; reason: string };

export async function checkS3Store(config: S3StorageConfig, now = new Date()): Promise<StoreCheckResult> {
  const client = createS3Client(config);
  const bucket = config.s3_bucket_name;
  const folder = buildFolderKey(
    { bucketPath: config.bucket_path, pathFormat: config.path_format },
    { syncId: "check", namespace: "testing", streamName: "test", uuid: "check", now },
  );
  const key = `${folder}/_check_test_${now.getTime()}`;
  try {
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: '{"data":1}\n' }));
    const listed = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: key, MaxKeys: 10 }));
    const found = (listed.Contents ?? []).some((item) => item.Key === key);
    await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
    if (!found) {
      return { ok: false, reason: `wrote s3://${bucket}/${key} but could not list it back` };
    }
    return { ok: true, key };
  } catch (error) {
    return { ok: false, reason: describeS3Failure(error, bucket) };
  } finally {
    client.destroy();
  }
}

/** Names the cause by S3's error code or the network error code, never by the message text alone. */
export function describeS3Failure(error: unknown, bucket: string): string {
  if (error instanceof S3ServiceException) {
    switch (error.name) {
      case "NoSuchBucket":
        return `the bucket "${bucket}" does not exist`;
      case "AccessDenied":
      case "AllAccessDisabled":
        return `access to the bucket "${bucket}" was denied (check the keys, role and bucket policy)`;
      case "InvalidAccessKeyId":
        return "the S3 access key ID is not known to the store";
      case "SignatureDoesNotMatch":
        return "the S3 secret access key does not match the access key ID";
      case "PermanentRedirect":
      case "AuthorizationHeaderMalformed":
        return `the bucket "${bucket}" is in another region than s3_bucket_region`;
      default:
        return `S3 answered ${error.$metadata.httpStatusCode ?? "an error"} ${error.name}`;
    }
  }
  const code = (error as { code?: unknown } | null)?.code;
  if (code === "ECONNREFUSED" || code === "ENOTFOUND" || code === "EAI_AGAIN" || code === "ETIMEDOUT") {
    return `the S3 endpoint is unreachable (${code})`;
  }
  if (error instanceof Error && error.name === "CredentialsProviderError") {
    return "no AWS credentials were found: give access_key_id and secret_access_key, or run with an AWS role";
  }
  const name = error instanceof Error ? error.name : "error";
  return `the S3 store could not be used (${name})`;
}
