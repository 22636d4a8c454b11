/** What `main.ts` and the CLI's worker thread tell each other. */
import type { StopSignal } from "./exit-codes.js";

export type WorkerMessage =
  /** main → worker: the process received a stop signal. */
  | { kind: "signal"; signal: StopSignal }
  /** worker → main: end the process now with this code (a second signal, the grace period over). */
  | { kind: "exit-now"; code: number }
  /** worker → main: the CLI finished with this code. */
  | { kind: "done"; code: number };
