/**
 * `destination-hubspot sandbox`: the HubSpot-compatible server on loopback, for trying a pipeline without a portal.
 * It is not an Airbyte command, but it still keeps stdout empty and speaks to people on stderr.
 */
import type { Writable } from "node:stream";
import { ConfigError } from "../errors.js";
import { loadSandboxOptions, startSandbox } from "../sandbox/server.js";
import { readJsonFile } from "./inputs.js";

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|::1|\[::1\])$/;

export async function runSandbox(
  options: { host: string; port: string; options?: string },
  stderr: Writable,
): Promise<void> {
  if (!LOOPBACK.test(options.host)) {
    throw new ConfigError(`The sandbox listens on loopback addresses only; ${options.host} is not one.`);
  }
  const port = Number(options.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new ConfigError(`--port must be a whole number from 0 to 65535, not ${options.port}.`);
  }
  const fileOptions = options.options
    ? loadSandboxOptions(await readJsonFile(options.options, "sandbox options"))
    : {};
  const sandbox = await startSandbox({
    ...fileOptions,
    host: options.host,
    port,
    logger: (line) => stderr.write(`${line}\n`),
  });
  stderr.write(
    `HubSpot sandbox listening on ${sandbox.url} (portal ${sandbox.portalId}). ` +
      `Use it as api_base_url with the private app token from the README. Ctrl-C stops it.\n`,
  );
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once("SIGINT", stop);
    process.once("SIGTERM", stop);
  });
  await sandbox.close();
}
