/**
 * Streams over the process's fds 0–2 that wait out EAGAIN. The CLI reads and writes its stdio itself (cli-host.ts),
 * but a pipe it shares can be made non-blocking under it: Node opens `process.stderr` as a stream when any socket
 * is destroyed (net.Socket's `_destroy` compares itself with it), which puts a pipe in non-blocking mode, and with
 * `2>&1` stdout is that same pipe. A write to a full non-blocking pipe, or a read of an empty one, then fails with
 * EAGAIN: that means "not now", never "closed" (a closed pipe is EPIPE, or a read of 0 bytes), so these streams try
 * again after a short wait, as a blocking write or read would have waited.
 */
import { read, write } from "node:fs";
import { Readable, Writable } from "node:stream";
import { isatty } from "node:tty";

/** The longest pause between two tries of a read or write the OS said would block. */
const MAX_PAUSE_MS = 50;

const wouldBlock = (error: NodeJS.ErrnoException | null) => error?.code === "EAGAIN";
const nextPause = (pause: number) => Math.min(pause * 2, MAX_PAUSE_MS);

export type FdWritable = Writable & { fd: number; isTTY: boolean };
export type FdReadable = Readable & { fd: number; isTTY: boolean };

/** Writes all of `chunk` to `fd`, waiting out EAGAIN; `done` gets any other error. */
function writeAll(fd: number, chunk: Buffer, done: (error?: Error | null) => void, pause = 1): void {
  write(fd, chunk, 0, chunk.length, null, (error, written) => {
    if (wouldBlock(error)) return void setTimeout(() => writeAll(fd, chunk, done, nextPause(pause)), pause);
    if (error) return done(error);
    if (written < chunk.length) return writeAll(fd, chunk.subarray(written), done);
    done();
  });
}

/** A writable stream on `fd` (1 or 2), left open when the stream ends. */
export function fdWriter(fd: number): FdWritable {
  const stream = new Writable({
    highWaterMark: 64 * 1024,
    write(chunk: Buffer, _encoding, callback) {
      if (chunk.length === 0) return callback();
      writeAll(fd, chunk, callback);
    },
    // Lines queued while a write was under way go out in one.
    writev(chunks, callback) {
      writeAll(fd, Buffer.concat(chunks.map(({ chunk }) => chunk as Buffer)), callback);
    },
  });
  return Object.assign(stream, { fd, isTTY: isatty(fd) });
}

/** A readable stream on `fd` (0), left open when it ends. */
export function fdReader(fd: number, chunkBytes = 64 * 1024): FdReadable {
  const readOnce = (stream: Readable, pause: number) => {
    const buffer = Buffer.allocUnsafe(chunkBytes);
    read(fd, buffer, 0, chunkBytes, null, (error, bytes) => {
      if (wouldBlock(error)) return void setTimeout(() => readOnce(stream, nextPause(pause)), pause);
      if (error) return void stream.destroy(error);
      if (bytes === 0) return void stream.push(null);
      // A short read is copied out, so the rest of the buffer is not kept alive by what holds the bytes.
      stream.push(
        bytes < chunkBytes / 4 ? Buffer.copyBytesFrom(buffer, 0, bytes) : buffer.subarray(0, bytes),
      );
    });
  };
  const stream: Readable = new Readable({
    highWaterMark: chunkBytes,
    read() {
      readOnce(stream, 1);
    },
  });
  return Object.assign(stream, { fd, isTTY: isatty(fd) });
}
