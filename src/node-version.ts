/**
 * The oldest Node.js the CLI runs on: the project is built and tested on Node 24 (`engines` in package.json), and
 * an older one fails somewhere later with a stack trace (the bundle's syntax, or an API it lacks), so the CLI asks
 * for 24 first.
 *
 * This module must stay free of imports and of syntax newer than ES2020: `main.ts` runs it before loading
 * anything else, under whatever Node the user started.
 */

/** @default 24 (package.json `engines.node` is `>=24`) */
export const MINIMUM_NODE_MAJOR = 24;

/** The one line to print when `version` (such as `v20.20.2`) is too old; undefined when it is new enough. */
export function nodeVersionProblem(version: string): string | undefined {
  const major = Number(/^v?(\d+)\./.exec(version)?.[1]);
  if (Number.isInteger(major) && major >= MINIMUM_NODE_MAJOR) return undefined;
  return (
    `destination-hubspot needs Node.js ${MINIMUM_NODE_MAJOR} or newer, but this is Node.js ${version}: ` +
    `install Node.js ${MINIMUM_NODE_MAJOR}, or run it through npm (npx node dist/main.js …, npm run sandbox) ` +
    `to use the project's own Node ${MINIMUM_NODE_MAJOR}.`
  );
}
