/** A real S3-compatible server (s3rver) on loopback for integration tests, with helpers to read what was stored. */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { GetObjectCommand, ListObjectsV2Command, S3Client } from "@aws-sdk/client-s3";
import S3rver from "s3rver";
import { DUMMY_ACCOUNT } from "s3rver/lib/models/account.js";

/** s3rver's built-in credentials. */
export const S3_KEY = { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" } as const;

export interface TestS3 {
  endpoint: string;
  bucket: string;
  client: S3Client;
  /** Keys of rejected-record parts (and anything else but run receipts) under a prefix, sorted. */
  keys(prefix?: string): Promise<string[]>;
  /** Every JSONL line of the rejected-record parts stored under a prefix, parsed (gzip handled). */
  jsonLines(prefix?: string): Promise<Record<string, unknown>[]>;
  /** The run receipts stored under a prefix (in `_receipts/` folders), parsed, oldest first. */
  receipts(prefix?: string): Promise<Record<string, unknown>[]>;
  text(key: string): Promise<string>;
  /** Takes the store down (connections refused) and brings it back on the same port with the same data. */
  stop(): Promise<void>;
  start(): Promise<void>;
  close(): Promise<void>;
}

export async function startS3(bucket = "rejects"): Promise<TestS3> {
  const directory = await mkdtemp(join(tmpdir(), "s3rver-"));
  const options = {
    address: "127.0.0.1",
    silent: true,
    directory,
    configureBuckets: [{ name: bucket, configs: [] }],
  };
  let server: S3rver | undefined = new S3rver({ ...options, port: 0 });
  const { port } = await server.run();
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new S3Client({ region: "us-east-1", endpoint, forcePathStyle: true, credentials: S3_KEY });
  const allKeys = async (prefix = "") => {
    const listed = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
    return (listed.Contents ?? []).map((item) => item.Key as string).sort();
  };
  const isReceipt = (key: string) => key.includes("/_receipts/");
  const keys = async (prefix = "") => (await allKeys(prefix)).filter((key) => !isReceipt(key));
  const text = async (key: string) => {
    const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
    const bytes = Buffer.from(
      await (object.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray(),
    );
    return (key.endsWith(".gz") ? gunzipSync(bytes) : bytes).toString("utf8");
  };
  return {
    endpoint,
    bucket,
    client,
    keys,
    text,
    async receipts(prefix = "") {
      const found: Record<string, unknown>[] = [];
      for (const key of (await allKeys(prefix)).filter(isReceipt)) found.push(JSON.parse(await text(key)));
      return found;
    },
    async jsonLines(prefix = "") {
      const lines: Record<string, unknown>[] = [];
      for (const key of (await keys(prefix)).filter((name) => /\.jsonl(\.gz)?$/.test(name))) {
        for (const line of (await text(key)).split("\n")) if (line.trim()) lines.push(JSON.parse(line));
      }
      return lines;
    },
    async stop() {
      await server?.close();
      server = undefined;
    },
    async start() {
      server = new S3rver({ ...options, port });
      await server.run();
    },
    async close() {
      client.destroy();
      await server?.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}

/** Makes s3rver accept another access key (as its built-in S3_KEY), for tests that watch where a key goes. */
export function acceptS3Key(accessKeyId: string, secretAccessKey: string): void {
  DUMMY_ACCOUNT.createKeyPair(accessKeyId, secretAccessKey);
}

/** The config block pointing the connector at this store. */
export function s3StorageConfig(s3: TestS3, extra: Record<string, unknown> = {}) {
  return {
    storage_type: "S3",
    s3_bucket_name: s3.bucket,
    s3_bucket_region: "us-east-1",
    s3_endpoint: s3.endpoint,
    bucket_path: "rejected",
    access_key_id: S3_KEY.accessKeyId,
    secret_access_key: S3_KEY.secretAccessKey,
    ...extra,
  };
}
