/**
 * Rejected records in a local JSONL file (`write --rejects FILE.jsonl`), for shell users: the same line format as
 * the S3 store (`toStoredRow`), appended to the file (line-file.ts) and fsynced before a record's `onDurable`,
 * so a STATE covering a rejected record is echoed only once its line is on disk. A write that fails or hangs fails
 * the sink: no STATE past the lost lines is echoed.
 */
import { ConfigError, TransientError } from "../errors.js";
import { LineFile } from "./line-file.js";
import { type RejectContext, type RejectedRecord, toJsonLine, toStoredRow } from "./rejected-record.js";
import { countCode, type RejectsSink } from "./sink.js";

export { FILE_WRITE_TIMEOUT_MS } from "./line-file.js";

export class FileSink implements RejectsSink {
  readonly countsByCode = new Map<string, number>();

  private constructor(
    private readonly file: LineFile,
    private readonly context: RejectContext,
  ) {}

  get location(): string {
    return this.file.location;
  }

  /** Opens (or creates) the file for appending; a file that cannot be opened is the user's to fix. */
  static async open(path: string, context: RejectContext): Promise<FileSink> {
    const file = await LineFile.open(path, {
      flags: "a",
      sync: true,
      openError: (location, code) =>
        new ConfigError(`Cannot open the rejects file ${location} for appending (${code}).`),
      writeError: (location, reason, cause) =>
        new TransientError(
          `Could not write rejected records to ${location} (${reason}). ` +
            "No checkpoint past them was emitted; the next run resumes from the last one.",
          { cause },
        ),
    });
    return new FileSink(file, context);
  }

  add(record: RejectedRecord, onDurable: () => void): void {
    this.file.add(toJsonLine(toStoredRow(record, this.context)), onDurable);
    countCode(this.countsByCode, record.rejection.code);
  }

  flush(): Promise<void> {
    return this.file.flush();
  }

  close(): Promise<void> {
    return this.file.close();
  }

  /** Appends what is queued synchronously, for a process that must exit at once (see line-file.ts). */
  writeQueuedSync(): void {
    this.file.writeQueuedSync();
  }
}
