/**
 * Rejected records in a local JSONL file (`write --rejects FILE.jsonl`), for shell users: the same line format as
 * the S3 store (`toStoredRow`), appended to the file.
 *
 * 1. `add` serializes the record at once and queues the line with its `onDurable`.
 * 2. One writer at a time appends everything queued, fsyncs, then calls the queued `onDurable`s: a STATE covering
 *    a rejected record is echoed only once its line is on disk. Lines queued during a write go in the next one.
 * 3. A write (with its fsync) that takes longer than FILE_WRITE_TIMEOUT_MS, or fails, fails the sink: every later
 *    call throws, so no STATE past the lost lines is echoed.
 * 4. `writeQueuedSync` appends what is queued synchronously, for a process that must exit at once (a second
 *    signal): lines handed to the OS survive the exit.
 */
import { writeSync } from "node:fs";
import { type FileHandle, open } from "node:fs/promises";
import { resolve } from "node:path";
import { ConfigError, TransientError } from "../errors.js";
import { type RejectContext, type RejectedRecord, toJsonLine, toStoredRow } from "./rejected-record.js";
import { countCode, type RejectsSink } from "./sink.js";

/** A local write and fsync slower than this means the disk is gone (a dead network mount). @default 30 s */
export const FILE_WRITE_TIMEOUT_MS = 30_000;

export class FileSink implements RejectsSink {
  readonly countsByCode = new Map<string, number>();
  private queued: string[] = [];
  private callbacks: (() => void)[] = [];
  private writing: Promise<void> | undefined;
  /** Text an asynchronous append has taken and not yet confirmed, which an exit now could lose. */
  private unconfirmed: string | undefined;
  private failure: TransientError | undefined;
  private closed = false;

  private constructor(
    private readonly handle: FileHandle,
    readonly location: string,
    private readonly context: RejectContext,
  ) {}

  /** Opens (or creates) the file for appending; a file that cannot be opened is the user's to fix. */
  static async open(path: string, context: RejectContext): Promise<FileSink> {
    const location = resolve(path);
    try {
      return new FileSink(await open(location, "a"), location, context);
    } catch (error) {
      const code = (error as { code?: string }).code ?? "unwritable";
      throw new ConfigError(`Cannot open the rejects file ${location} for appending (${code}).`, {
        cause: error,
      });
    }
  }

  add(record: RejectedRecord, onDurable: () => void): void {
    if (this.failure) throw this.failure;
    countCode(this.countsByCode, record.rejection.code);
    this.queued.push(toJsonLine(toStoredRow(record, this.context)));
    this.callbacks.push(onDurable);
    this.writing ??= this.writeQueued();
  }

  async flush(): Promise<void> {
    while (this.writing) await this.writing;
    if (this.failure) throw this.failure;
  }

  async close(): Promise<void> {
    await this.flush();
    if (this.closed) return;
    this.closed = true;
    await this.handle.close();
  }

  /**
   * Appends what is queued now, synchronously (no fsync: the OS keeps what it was handed past our exit), with what an
   * append under way has not confirmed yet: its lines may then be in the file twice, which the store's at-least-once
   * rule (one `_airbyte_raw_id` each) allows, rather than not at all.
   */
  writeQueuedSync(): void {
    if (this.failure || this.closed) return;
    const text = (this.unconfirmed ?? "") + this.queued.join("");
    this.unconfirmed = undefined;
    this.queued = [];
    if (text === "") return;
    try {
      writeSync(this.handle.fd, text);
    } catch {
      // The process is exiting; the summary says where the records should have gone.
    }
  }

  private async writeQueued(): Promise<void> {
    try {
      while (this.queued.length > 0 && !this.failure) {
        const text = this.queued.join("");
        const callbacks = this.callbacks;
        this.queued = [];
        this.callbacks = [];
        this.unconfirmed = text;
        await this.appendAndSync(text);
        this.unconfirmed = undefined;
        for (const callback of callbacks) callback();
      }
    } finally {
      this.writing = undefined;
    }
  }

  private async appendAndSync(text: string): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`no answer from the disk in ${FILE_WRITE_TIMEOUT_MS / 1000} s`)),
        FILE_WRITE_TIMEOUT_MS,
      );
    });
    try {
      await Promise.race([this.handle.appendFile(text, "utf8").then(() => this.handle.sync()), timeout]);
    } catch (error) {
      const reason = (error as { code?: string }).code ?? (error as Error).message;
      this.failure = new TransientError(
        `Could not write rejected records to ${this.location} (${reason}). ` +
          "No checkpoint past them was emitted; the next run resumes from the last one.",
        { cause: error },
      );
    } finally {
      clearTimeout(timer);
    }
  }
}
