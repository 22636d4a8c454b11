/**
 * The CLI's exit codes, one table for the code, the README and the tests. Signals follow the shell's convention
 * (128 + the signal's number), so `$?` reads the same as if the signal had killed the process.
 */
export const EXIT = {
  /** Done: every record written (raw mode), or the run ended normally (Airbyte mode, whatever was rejected). */
  ok: 0,
  /** A failure, reported as a TRACE ERROR on stdout (and an `error:` line on stderr outside Airbyte mode). */
  failure: 1,
  /** A command-line mistake: unknown command or option, a missing or conflicting option, a bad option value. */
  usage: 2,
  /** Raw pipe mode: the run finished, but some records were rejected (the summary says how many and where). */
  rejected: 3,
  /** Stopped by SIGINT (Ctrl-C): 128 + 2. */
  interrupted: 130,
  /** Airbyte mode: stdout was closed (the platform or a `| head` went away): 128 + 13, the shell's SIGPIPE code. */
  stdoutClosed: 141,
  /** Stopped by SIGTERM (how Airbyte cancels a sync): 128 + 15. */
  terminated: 143,
} as const;

/** The signals that stop a run, with the exit code each one ends it with. */
export const STOP_SIGNALS = { SIGINT: EXIT.interrupted, SIGTERM: EXIT.terminated } as const;
export type StopSignal = keyof typeof STOP_SIGNALS;
