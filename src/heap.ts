/**
 * The CLI's heap bound, and whether this process already has it.
 *
 * Why bound it: V8 sizes its young generation from the machine's memory (up to 128 MB on this 2-core, 24 GB
 * machine), and the write loop's allocation rate makes it grow to that: peak RSS reached ~330 MB at 300k records
 * although the live heap stayed near 40 MB. A young generation of 48 MB keeps the loop's garbage cheap to collect
 * (a 2 MB semi-space cost a third of the throughput); 256 MB of old generation is ten times what a run keeps alive.
 *
 * Two ways to get it: the bin (`#!/usr/bin/env -S node --max-semi-space-size=16 …`) and the Docker entrypoint
 * start Node with the flags, and the CLI runs in the main thread; a process started without them (`node
 * dist/main.js`) runs the CLI in a worker thread whose `resourceLimits` are the same bound (main.ts). The worker
 * costs about 0.1 s of CPU and 20 MB at every start, so the flags are the way the CLI is shipped.
 *
 * Like node-version.ts, this module imports nothing: main.ts reads it before loading anything else.
 */

/** The bound, in MB. */
export const HEAP = { youngGenerationMb: 48, oldGenerationMb: 256 } as const;

/**
 * The same bound as Node flags. V8's young generation is three semi-spaces (the two it copies between and the new
 * large-object space, `Heap::YoungGenerationSizeFromSemiSpaceSize`), so 48 MB of young generation is a 16 MB
 * semi-space. The bin's first line and the Dockerfile's entrypoint carry these (a unit test compares them).
 */
export const HEAP_FLAGS = [
  `--max-semi-space-size=${HEAP.youngGenerationMb / 3}`,
  `--max-old-space-size=${HEAP.oldGenerationMb}`,
] as const;

const SEMI_SPACE_FLAG = /^--max[-_]semi[-_]space[-_]size(?:=(\S*))?$/;

/**
 * True when Node was started with a young-generation bound of its own (`--max-semi-space-size`, on the command
 * line or in NODE_OPTIONS), so the CLI may run in the main thread. The young generation is what grows with the
 * write loop; the old generation is then left at whatever the process was given (Node's default, or the bin's
 * 256 MB). The last occurrence wins, as for Node.
 */
export function youngGenerationBounded(
  execArgv: readonly string[],
  nodeOptions: string | undefined,
): boolean {
  const flags = [...(nodeOptions ?? "").split(/\s+/).filter((flag) => flag !== ""), ...execArgv];
  let bound: number | undefined;
  flags.forEach((flag, index) => {
    const match = SEMI_SPACE_FLAG.exec(flag);
    if (match === null) return;
    bound = Number(match[1] ?? flags[index + 1]);
  });
  return bound !== undefined && Number.isFinite(bound) && bound > 0;
}
