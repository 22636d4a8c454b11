/**
 * The rejects store of a run: S3 when configured, a local JSONL file with `--rejects`, both when both are given,
 * and otherwise the None store, which only counts and logs.
 */
import type { Config } from "../config/schema.js";
import { FileSink } from "./file-sink.js";
import { NoneSink } from "./none-sink.js";
import { PendingSink } from "./pending-sink.js";
import type { RejectContext } from "./rejected-record.js";
import { checkKeyPair, s3Location } from "./s3-settings.js";
import type { RejectsSink } from "./sink.js";
import { TeeSink } from "./tee-sink.js";

export interface RunSinks {
  sink: RejectsSink;
  /** The local file, when `--rejects` named one (for a synchronous last write before a forced exit). */
  file: FileSink | undefined;
  /** True when rejected records are kept nowhere (storage None and no file). */
  discarding: boolean;
}

export async function createRejectsSink(
  config: Config,
  context: RejectContext,
  warn: (message: string) => void,
  options: {
    file?: string | undefined;
    /** How long a part may take to reach S3 before the run fails. @default S3_UPLOAD_DEADLINE_MS */
    s3DeadlineMs?: number | undefined;
  } = {},
): Promise<RunSinks> {
  const storage = config.object_storage_config;
  // Uploads retry in the sink's own bounded loop, so the SDK makes one attempt each. The AWS SDK is loaded only
  // when S3 is configured (it alone adds some 35 MB to every run's memory), and while the run sets up: it takes
  // half a second, which the first HubSpot request would otherwise wait for (pending-sink.ts).
  let s3: RejectsSink | undefined;
  if (storage.storage_type === "S3") {
    checkKeyPair(storage);
    s3 = new PendingSink(s3Location(storage), async () => {
      const [{ S3Sink, uploadBounds }, { createS3Client }] = await Promise.all([
        import("./s3-sink.js"),
        import("./s3-client.js"),
      ]);
      const client = createS3Client(storage, { maxAttempts: 1 });
      return new S3Sink(client, storage, context, undefined, uploadBounds(options.s3DeadlineMs));
    });
  }
  const file = options.file === undefined ? undefined : await FileSink.open(options.file, context);
  if (s3 && file) return { sink: new TeeSink(s3, file), file, discarding: false };
  const kept = s3 ?? file;
  if (kept) return { sink: kept, file, discarding: false };
  return { sink: new NoneSink(warn), file: undefined, discarding: true };
}
