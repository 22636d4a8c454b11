/**
 * A local file written a line at a time, for the `--rejects` file and the `--plan` file.
 *
 * 1. `add` queues a line with its `onWritten`.
 * 2. One writer at a time appends everything queued (and fsyncs, when asked), then calls the queued callbacks:
 *    a caller that waits for them holds no more lines in memory than the file has not taken yet. Lines queued
 *    during a write go in the next one.
 * 3. A write (with its fsync) that takes longer than FILE_WRITE_TIMEOUT_MS, or fails, fails the file: every later
 *    call throws, so nothing that depends on the lost lines goes ahead.
 * 4. `writeQueuedSync` appends what is queued synchronously, for a process that must exit at once (a second
 *    signal): lines handed to the OS survive the exit. `removeIfUntouchedSync` removes a file that never got a
 *    line then, rather than leave it empty.
 */
import { unlinkSync, writeSync } from "node:fs";
import { type FileHandle, open } from "node:fs/promises";
import { resolve } from "node:path";
import { ConfigError, type TransientError } from "../errors.js";

/** A local write and fsync slower than this means the disk is gone (a dead network mount). @default 30 s */
export const FILE_WRITE_TIMEOUT_MS = 30_000;

export interface LineFileOptions {
  /** `a`: append to what the file holds; `w`: start it afresh. */
  flags: "a" | "w";
  /** fsync after each write: a line counts as written only once it is on disk. */
  sync: boolean;
  /** The ConfigError for a file that cannot be opened (`code`: ENOENT, EACCES, …). */
  openError: (location: string, code: string) => ConfigError;
  /** The TransientError for a write that failed or timed out. */
  writeError: (location: string, reason: string, cause: unknown) => TransientError;
}

export class LineFile {
  private queued: string[] = [];
  private callbacks: (() => void)[] = [];
  private writing: Promise<void> | undefined;
  /** Text an asynchronous append has taken and not yet confirmed, which an exit now could lose. */
  private unconfirmed: string | undefined;
  private failure: TransientError | undefined;
  private closed = false;
  /** Whether any line was ever handed to the file. */
  private touched = false;

  private constructor(
    private readonly handle: FileHandle,
    readonly location: string,
    private readonly options: LineFileOptions,
  ) {}

  static async open(path: string, options: LineFileOptions): Promise<LineFile> {
    const location = resolve(path);
    try {
      return new LineFile(await open(location, options.flags), location, options);
    } catch (error) {
      throw withCause(options.openError(location, (error as { code?: string }).code ?? "unwritable"), error);
    }
  }

  add(line: string, onWritten: () => void): void {
    if (this.failure) throw this.failure;
    this.touched = true;
    this.queued.push(line);
    this.callbacks.push(onWritten);
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
   * Appends what is queued now, synchronously (no fsync: the OS keeps what it was handed past our exit), with what
   * an append under way has not confirmed yet: those lines may then be in the file twice rather than not at all.
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
      // The process is exiting; the summary says where the lines should have gone.
    }
  }

  /**
   * Removes the file when no line was ever handed to it, synchronously, for a process that must exit at once: a
   * file opened for a document the run never got to write (the receipt) is not left behind empty.
   */
  removeIfUntouchedSync(): void {
    if (this.touched) return;
    try {
      unlinkSync(this.location);
    } catch {
      // Gone already, or not ours to remove: the process is exiting either way.
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
        await this.append(text);
        this.unconfirmed = undefined;
        if (this.failure) break;
        for (const callback of callbacks) callback();
      }
    } finally {
      this.writing = undefined;
    }
  }

  private async append(text: string): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`no answer from the disk in ${FILE_WRITE_TIMEOUT_MS / 1000} s`)),
        FILE_WRITE_TIMEOUT_MS,
      );
    });
    const write = this.handle
      .appendFile(text, "utf8")
      .then(() => (this.options.sync ? this.handle.sync() : undefined));
    try {
      await Promise.race([write, timeout]);
    } catch (error) {
      const reason = (error as { code?: string }).code ?? (error as Error).message;
      this.failure = this.options.writeError(this.location, reason, error);
    } finally {
      clearTimeout(timer);
    }
  }
}

function withCause(error: ConfigError, cause: unknown): ConfigError {
  return new ConfigError(error.message, { cause });
}
