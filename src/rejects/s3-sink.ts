/**
 * Rejected records in S3 (or an S3-compatible store), in bounded memory.
 *
 * 1. Records are serialized at once (JSONL or CSV) into a per-stream buffer; their `onDurable` waits beside them.
 * 2. `flush()` writes each non-empty buffer as its own part object (`…_{part_number}.jsonl[.gz]`), then keeps the
 *    promises. Flushes run one at a time; a flush asked for during another runs right after it.
 * 3. A buffer past MAX_BUFFERED_BYTES flushes by itself, so memory stays flat whatever the reject rate.
 * 4. A store that stays down makes `flush()` (and every later call) fail with a TransientError within the upload
 *    deadline (S3_UPLOAD_DEADLINE_MS unless the run sets another: each attempt is cut at a quarter of it, and no
 *    attempt starts past three quarters): those records are never settled, so no STATE covering them is echoed.
 */
import { randomUUID } from "node:crypto";
import { promisify } from "node:util";
import { gzip } from "node:zlib";
import { PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import pRetry from "p-retry";
import type { S3StorageConfig } from "../config/storage.js";
import { TransientError } from "../errors.js";
import { describeS3Failure } from "./check-store.js";
import { buildObjectKey } from "./object-key.js";
import {
  CSV_HEADER,
  type RejectContext,
  type RejectedRecord,
  toCsvLine,
  toJsonLine,
  toStoredRow,
} from "./rejected-record.js";
import { s3Location } from "./s3-settings.js";
import { countCode, type RejectsSink } from "./sink.js";

const gzipAsync = promisify(gzip);

const PERMANENT_S3_ERRORS = new Set([
  "NoSuchBucket",
  "AccessDenied",
  "AllAccessDisabled",
  "InvalidAccessKeyId",
  "SignatureDoesNotMatch",
  "InvalidBucketName",
]);

/** An S3 failure that waiting will not heal: a missing bucket, refused or unknown keys. */
export function isPermanentS3Error(error: unknown): boolean {
  return error instanceof Error && PERMANENT_S3_ERRORS.has(error.name);
}

/** Above this many buffered bytes a flush starts by itself. @default 8 MiB */
export const MAX_BUFFERED_BYTES = 8 * 1024 * 1024;
/** Retries of one part upload (the SDK's own retries are off for uploads: this loop owns them). */
export const S3_UPLOAD_RETRIES = 8;
/** An upload attempt that has not finished by then is abandoned (a store that accepts but never answers). */
export const S3_ATTEMPT_TIMEOUT_MS = 15_000;
/** No new attempt starts after this long since the first. */
export const S3_RETRY_WINDOW_MS = 45_000;
/** So a part either is stored or fails the run within this long. @default 60 s */
export const S3_UPLOAD_DEADLINE_MS = S3_RETRY_WINDOW_MS + S3_ATTEMPT_TIMEOUT_MS;

/** How one part's upload is bounded: each attempt, and the window in which attempts may start. */
export interface UploadBounds {
  attemptTimeoutMs: number;
  retryWindowMs: number;
}

/** The bounds that store a part or fail within `deadlineMs`, in the default's proportions (a quarter per attempt). */
export function uploadBounds(deadlineMs = S3_UPLOAD_DEADLINE_MS): UploadBounds {
  const attemptTimeoutMs = Math.round((deadlineMs * S3_ATTEMPT_TIMEOUT_MS) / S3_UPLOAD_DEADLINE_MS);
  return { attemptTimeoutMs, retryWindowMs: deadlineMs - attemptTimeoutMs };
}

interface StreamBuffer {
  stream: string;
  namespace: string;
  chunks: string[];
  bytes: number;
  callbacks: (() => void)[];
  nextPart: number;
}

export class S3Sink implements RejectsSink {
  readonly location: string;
  readonly countsByCode = new Map<string, number>();
  private readonly buffers = new Map<string, StreamBuffer>();
  private bufferedBytes = 0;
  private flushing: Promise<void> = Promise.resolve();
  private failure: TransientError | undefined;
  private readonly csv: boolean;
  private readonly gzipped: boolean;
  private readonly extension: string;

  constructor(
    private readonly client: S3Client,
    private readonly config: S3StorageConfig,
    private readonly context: RejectContext,
    private readonly now: () => Date = () => new Date(),
    private readonly bounds: UploadBounds = uploadBounds(),
  ) {
    this.csv = config.format.format_type === "CSV";
    this.gzipped = config.compression.compression_type === "GZIP";
    this.extension = `${this.csv ? ".csv" : ".jsonl"}${this.gzipped ? ".gz" : ""}`;
    this.location = s3Location(config);
  }

  add(record: RejectedRecord, onDurable: () => void): void {
    if (this.failure) throw this.failure;
    countCode(this.countsByCode, record.rejection.code);
    const row = toStoredRow(record, this.context);
    const line = this.csv ? toCsvLine(row) : toJsonLine(row);
    const key = `${record.namespace ?? ""}\u0000${record.stream}`;
    let buffer = this.buffers.get(key);
    if (!buffer) {
      buffer = {
        stream: record.stream,
        namespace: record.namespace ?? "",
        chunks: [],
        bytes: 0,
        callbacks: [],
        nextPart: 0,
      };
      this.buffers.set(key, buffer);
    }
    buffer.chunks.push(line);
    buffer.bytes += line.length;
    buffer.callbacks.push(onDurable);
    this.bufferedBytes += line.length;
    if (this.bufferedBytes >= MAX_BUFFERED_BYTES) {
      // Errors surface through `failure` on the next call; the caller's flush() reports them too.
      this.flush().catch(() => {});
    }
  }

  flush(): Promise<void> {
    const run = this.flushing.then(() => this.flushNow());
    this.flushing = run.catch(() => {});
    return run;
  }

  async close(): Promise<void> {
    await this.flush();
    this.client.destroy();
  }

  private async flushNow(): Promise<void> {
    if (this.failure) throw this.failure;
    for (const buffer of this.buffers.values()) {
      if (buffer.chunks.length === 0) continue;
      const chunks = buffer.chunks;
      const callbacks = buffer.callbacks;
      const bytes = buffer.bytes;
      buffer.chunks = [];
      buffer.callbacks = [];
      buffer.bytes = 0;
      this.bufferedBytes -= bytes;
      const part = buffer.nextPart;
      buffer.nextPart += 1;
      try {
        await this.upload(buffer, part, chunks);
      } catch (error) {
        this.failure = new TransientError(
          `Could not store rejected records in ${this.location}: ${describeS3Failure(error, this.config.s3_bucket_name)}. ` +
            "No checkpoint past them was emitted; the next sync resumes from the last one.",
          { cause: error },
        );
        throw this.failure;
      }
      for (const callback of callbacks) callback();
    }
  }

  private async upload(buffer: StreamBuffer, part: number, chunks: string[]): Promise<void> {
    const text = (this.csv ? CSV_HEADER : "") + chunks.join("");
    const body = this.gzipped ? await gzipAsync(Buffer.from(text, "utf8")) : Buffer.from(text, "utf8");
    const key = buildObjectKey(
      {
        bucketPath: this.config.bucket_path,
        pathFormat: this.config.path_format,
        fileNameFormat: this.config.file_name_format,
      },
      {
        syncId: String(this.context.syncId ?? 0),
        namespace: buffer.namespace,
        streamName: buffer.stream,
        partNumber: part,
        formatExtension: this.extension,
        uuid: randomUUID(),
        now: this.now(),
      },
    );
    await pRetry(
      () =>
        this.client.send(
          new PutObjectCommand({
            Bucket: this.config.s3_bucket_name,
            Key: key,
            Body: body,
            ContentType: this.csv ? "text/csv" : "application/x-ndjson",
            ...(this.gzipped ? { ContentEncoding: "gzip" } : {}),
          }),
          { abortSignal: AbortSignal.timeout(this.bounds.attemptTimeoutMs) },
        ),
      {
        retries: S3_UPLOAD_RETRIES,
        minTimeout: 500,
        maxTimeout: 8_000,
        factor: 2,
        randomize: true,
        maxRetryTime: this.bounds.retryWindowMs,
        // A missing bucket or a refused key will not heal by waiting: fail at once.
        shouldRetry: ({ error }) => !isPermanentS3Error(error),
      },
    );
  }
}
