/**
 * The `object_storage_config` part of the config: where rejected records go (None, or S3 and S3-compatible
 * stores), with Airbyte's own destination-hubspot field names and S3 layout, so its configs carry over.
 */
import * as z from "zod";

const NoStorage = z
  .object({ storage_type: z.literal("None") })
  .meta({ title: "None", description: "Rejected records are counted and logged, but not stored." });

const S3_FORMATS = ["JSONL", "CSV"] as const;
/** Airbyte's S3 layout, which existing tooling expects (see rejects/object-key.ts). */
export const DEFAULT_PATH_FORMAT = "{sync_id}/{namespace}/{stream_name}/";
export const DEFAULT_FILE_NAME_FORMAT = "{date}_{timestamp}_{part_number}{format_extension}";

export const S3Storage = z
  .object({
    storage_type: z.literal("S3"),
    access_key_id: z
      .string()
      .optional()
      .meta({
        title: "Access Key ID",
        order: 1,
        airbyte_secret: true,
        always_show: true,
        description:
          "Leave empty to use the default AWS credential chain (environment, profile, instance role).",
        examples: ["A012345678910EXAMPLE"],
      }),
    secret_access_key: z
      .string()
      .optional()
      .meta({ title: "Secret Access Key", order: 2, airbyte_secret: true, always_show: true }),
    role_arn: z
      .string()
      .optional()
      .meta({
        title: "Role ARN",
        order: 3,
        description: "The ARN of an AWS role to assume for writing rejected records.",
        examples: ["arn:aws:iam::123456789:role/ExternalIdIsYourWorkspaceId"],
      }),
    s3_bucket_name: z
      .string()
      .min(1, "must not be empty")
      .meta({ title: "S3 Bucket Name", order: 4, examples: ["airbyte_sync"] }),
    s3_bucket_region: z.string().default("").meta({
      title: "S3 Bucket Region",
      order: 5,
      description: "For example us-east-1. Empty means us-east-1.",
    }),
    s3_endpoint: z
      .string()
      .optional()
      .meta({
        title: "S3 Endpoint",
        order: 6,
        description:
          "Leave empty for AWS. For MinIO and other S3-compatible stores give the endpoint URL; path-style addressing is then used.",
        examples: ["http://localhost:9000"],
      }),
    bucket_path: z
      .string()
      .default("")
      .meta({
        title: "Prefix Path in the Bucket",
        order: 7,
        description: "All files in the bucket will be prefixed by this.",
        examples: ["prefix/"],
      }),
    format: z
      .object({
        format_type: z.enum(S3_FORMATS).default("JSONL"),
      })
      .default({ format_type: "JSONL" })
      .meta({ title: "Output Format", order: 8, description: "JSONL (one JSON object a line) or CSV." }),
    compression: z
      .object({ compression_type: z.enum(["No Compression", "GZIP"]).default("No Compression") })
      .default({ compression_type: "No Compression" })
      .meta({ title: "Compression", order: 9 }),
    path_format: z.string().default(DEFAULT_PATH_FORMAT).meta({
      title: "Path Format",
      order: 10,
      description:
        "Folder layout under the prefix. Variables: {sync_id}, {namespace}, {stream_name}, {year}, {month}, {day}, {hour}, {minute}, {second}, {millisecond}, {epoch}, {uuid}.",
    }),
    file_name_format: z.string().default(DEFAULT_FILE_NAME_FORMAT).meta({
      title: "File Name Format",
      order: 11,
      description: "Variables: {date}, {timestamp}, {part_number}, {sync_id}, {format_extension}.",
    }),
  })
  .meta({ title: "S3", description: "Store rejected records in Amazon S3 or an S3-compatible store." });

export const ObjectStorage = z.discriminatedUnion("storage_type", [NoStorage, S3Storage]).meta({
  title: "Object Storage Configuration",
  description: "Where rejected records go, each with the reason it was rejected.",
  order: 1,
});

export type S3StorageConfig = z.output<typeof S3Storage>;
