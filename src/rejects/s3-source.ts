/**
 * Reads rejected records back from an S3 prefix of this connector's layout, for `replay`: the parts under the
 * prefix (`.jsonl`/`.csv`, gzipped or not; receipts and check objects are left alone), in the order they were
 * stored (part-order.ts: by the time in their keys, as S3's own time has whole seconds), each part's rows in stored
 * order. Parts are at most 8 MiB, so one part at a time is held.
 */
import { gunzipSync } from "node:zlib";
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from "@aws-sdk/client-s3";
import { DEFAULT_FILE_NAME_FORMAT, DEFAULT_PATH_FORMAT, type S3StorageConfig } from "../config/storage.js";
import { ConfigError, TransientError } from "../errors.js";
import { describeS3Failure } from "./check-store.js";
import { inStoredOrder, type ListedPart, type PartLayout } from "./part-order.js";
import { isPermanentS3Error } from "./s3-sink.js";
import { createS3Client, S3_REQUEST_TIMEOUT_MS } from "./s3-client.js";
import { isCsvPart, isRejectsPart, type ParsedRows, parseStoredText } from "./stored-rows.js";

export type S3Part = ListedPart;

/** This connector's default layout under a bucket path, for parts written before a layout change. */
const defaultLayout = (bucketPath: string): PartLayout => ({
  bucketPath,
  pathFormat: DEFAULT_PATH_FORMAT,
  fileNameFormat: DEFAULT_FILE_NAME_FORMAT,
});

export class S3RejectsSource {
  private readonly client: S3Client;
  /** The layouts part keys are read back with: the configured one, then the default. */
  private readonly layouts: PartLayout[];
  /** Whether the config has an S3 store (else the default AWS credential chain is used). */
  private readonly configured: boolean;

  /**
   * `storage` gives the endpoint and credentials (the config's S3 store, when it has one); the bucket comes from
   * the address being read.
   */
  constructor(
    private readonly bucket: string,
    private readonly prefix: string,
    storage: S3StorageConfig | undefined,
  ) {
    this.client = createS3Client(storage ?? defaultStorage(bucket));
    this.configured = storage !== undefined;
    this.layouts = storage
      ? [
          {
            bucketPath: storage.bucket_path,
            pathFormat: storage.path_format,
            fileNameFormat: storage.file_name_format,
          },
          defaultLayout(storage.bucket_path),
        ]
      : [defaultLayout("")];
  }

  /** The rejects parts under the prefix, in the order they were stored. */
  async parts(): Promise<S3Part[]> {
    const parts: S3Part[] = [];
    let token: string | undefined;
    do {
      const command = new ListObjectsV2Command({
        Bucket: this.bucket,
        Prefix: this.prefix,
        ContinuationToken: token,
      });
      const page = await this.guarded((abortSignal) => this.client.send(command, { abortSignal }));
      for (const item of page.Contents ?? []) {
        if (item.Key && isRejectsPart(item.Key))
          parts.push({ key: item.Key, lastModified: item.LastModified?.getTime() ?? 0 });
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
    return inStoredOrder(parts, this.layouts);
  }

  /** One part's rows. */
  async rows(part: S3Part): Promise<ParsedRows> {
    const command = new GetObjectCommand({ Bucket: this.bucket, Key: part.key });
    const { object, bytes } = await this.guarded(async (abortSignal) => {
      const answer = await this.client.send(command, { abortSignal });
      const body = answer.Body as { transformToByteArray(): Promise<Uint8Array> } | undefined;
      return { object: answer, bytes: Buffer.from((await body?.transformToByteArray()) ?? new Uint8Array()) };
    });
    const gzipped = part.key.endsWith(".gz") || object.ContentEncoding === "gzip";
    const text = (gzipped && bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes).toString(
      "utf8",
    );
    return parseStoredText(text, isCsvPart(part.key));
  }

  close(): void {
    this.client.destroy();
  }

  /** Runs one S3 call, bounded in time, with a failure a person can act on. */
  private async guarded<T>(call: (signal: AbortSignal) => Promise<T>): Promise<T> {
    try {
      return await call(AbortSignal.timeout(S3_REQUEST_TIMEOUT_MS));
    } catch (error) {
      const message = `Cannot read s3://${this.bucket}/${this.prefix}: ${describeS3Failure(error, this.bucket)}.`;
      // No credentials anywhere is not healed by waiting: the config (or the environment) must give some.
      const noCredentials = error instanceof Error && error.name === "CredentialsProviderError";
      if (noCredentials && !this.configured) {
        throw new ConfigError(
          `${message} The config has no S3 store (object_storage_config with storage_type S3), whose keys or role a replay reads with.`,
          { cause: error },
        );
      }
      throw isPermanentS3Error(error) || noCredentials
        ? new ConfigError(message, { cause: error })
        : new TransientError(message, { cause: error });
    }
  }
}

/** S3 with the default credential chain and region, for a config whose store is not S3. */
function defaultStorage(bucket: string): S3StorageConfig {
  return {
    storage_type: "S3",
    s3_bucket_name: bucket,
    s3_bucket_region: "",
    bucket_path: "",
    format: { format_type: "JSONL" },
    compression: { compression_type: "No Compression" },
    path_format: "",
    file_name_format: "",
  };
}
