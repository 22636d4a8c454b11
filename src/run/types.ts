/** What a write run is given and answers: its input, its options, its process streams, and how it ended. */
import type { Readable } from "node:stream";
import type { Config } from "../config/schema.js";
import type { StreamSpec } from "../contract.js";
import type { RejectLimit } from "../guards/max-rejects.js";
import type { PipelineResult } from "../load/pipeline.js";
import type { HumanOutput } from "../protocol/human-output.js";
import type { InputLine } from "../protocol/reader.js";
import type { MessageWriter } from "../protocol/writer.js";
import type { Shutdown, StopReason } from "./shutdown.js";

export type Log = (level: "INFO" | "WARN", message: string) => void;

export interface WriteIo {
  writer: MessageWriter;
  stdin: Readable;
  stderr: HumanOutput;
  /** Signals and other stops; without it the run only ends with its input. */
  shutdown?: Shutdown;
  /** @default process.env */
  env?: Record<string, string | undefined>;
}

/** What a command (`write`, `replay`) hands the run, once it has read the config and resolved the streams. */
export interface RunInput {
  command: "write" | "replay";
  config: Config;
  specs: StreamSpec[];
  /** The input lines: stdin when undefined (`replay` reads its own). */
  lines?: AsyncIterable<InputLine> | undefined;
  /** Raw pipe mode (`--object`): plain JSON records, all for the one stream. */
  raw: boolean;
  /** Output for people (raw pipe mode, replay): a summary on stderr rather than LOG messages. */
  human: boolean;
}

export interface RunOptions {
  /** `--rejects FILE.jsonl`: also (or instead of S3) append rejected records to this local file. */
  rejects?: string | undefined;
  /** `--max-rejects N` or `N%`, read: stop early past this many rejected records. */
  maxRejects?: RejectLimit | undefined;
  /** `--plan FILE`: write nothing to HubSpot; write what the write would do to this file (src/dry-run). */
  plan?: string | undefined;
  /** `--receipt FILE`: also write the run receipt to this file. */
  receipt?: string | undefined;
}

export interface WriteResult {
  stats: PipelineResult;
  /** Output for people (raw pipe mode, replay): rejected records make exit code 3. */
  raw: boolean;
  /** Why the run ended before its input did; undefined when it read everything. */
  stopReason: StopReason | undefined;
}
