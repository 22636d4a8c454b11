/** Input lines that end early when the run is stopped or halted, without waiting for a line that may never come. */
import type { InputLine } from "../protocol/reader.js";

/** The lines, ending early (without waiting for the next one) once `stop` is aborted. */
export async function* untilStopped(lines: AsyncIterable<InputLine>, stop: AbortSignal | undefined) {
  if (!stop) {
    yield* lines;
    return;
  }
  const iterator = lines[Symbol.asyncIterator]();
  const stopped = new Promise<"stopped">((resolve) => {
    if (stop.aborted) resolve("stopped");
    else stop.addEventListener("abort", () => resolve("stopped"), { once: true });
  });
  try {
    for (;;) {
      const next = await Promise.race([iterator.next(), stopped]);
      if (next === "stopped" || next.done) return;
      yield next.value;
    }
  } finally {
    // Leaves stdin to the process's exit: a pending read cannot be cancelled, and nothing waits for it.
    void iterator.return?.();
  }
}
