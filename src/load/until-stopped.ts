/** Input lines that end early when the run is stopped or halted, without waiting for a line that may never come. */
import type { InputLine } from "../protocol/reader.js";

/**
 * The lines, ending early (without waiting for the next one) once `stop` is aborted. Each wait listens to the
 * signal only while it lasts: racing every line against one promise that never settles would keep a reaction per
 * line alive, and memory would grow with the input.
 */
export async function* untilStopped(lines: AsyncIterable<InputLine>, stop: AbortSignal | undefined) {
  if (!stop) {
    yield* lines;
    return;
  }
  const iterator = lines[Symbol.asyncIterator]();
  try {
    while (!stop.aborted) {
      const next = await nextUnlessStopped(iterator, stop);
      if (next === undefined || next.done) return;
      yield next.value;
    }
  } finally {
    // Leaves stdin to the process's exit: a pending read cannot be cancelled, and nothing waits for it.
    void iterator.return?.();
  }
}

function nextUnlessStopped(
  iterator: AsyncIterator<InputLine>,
  stop: AbortSignal,
): Promise<IteratorResult<InputLine> | undefined> {
  return new Promise((resolve, reject) => {
    const onStop = () => resolve(undefined);
    stop.addEventListener("abort", onStop, { once: true });
    iterator.next().then(
      (result) => {
        stop.removeEventListener("abort", onStop);
        resolve(result);
      },
      (error: unknown) => {
        stop.removeEventListener("abort", onStop);
        reject(error);
      },
    );
  });
}
