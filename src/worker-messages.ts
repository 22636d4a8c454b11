/** What `main.ts` and the thread running the CLI tell each other. */
import type { StopSignal } from "./exit-codes.js";

/** CLI → main: how the run ends. */
export type EndMessage =
  /** End the process now with this code (a second signal, the grace period over). */
  | { kind: "exit-now"; code: number }
  /** The CLI finished with this code. */
  | { kind: "done"; code: number };

export type WorkerMessage =
  /** main → worker: the process received a stop signal. */
  { kind: "signal"; signal: StopSignal } | EndMessage;
