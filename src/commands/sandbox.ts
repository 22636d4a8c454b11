/**
 * `destination-hubspot sandbox`: the HubSpot-compatible server on loopback, for trying a pipeline without a portal.
 * It is not an Airbyte command, but it still keeps stdout empty and speaks to people on stderr. A bad option
 * (a host that is not loopback, a port that is not a number or is taken) is a usage error: exit 2, with a hint.
 * SIGINT or SIGTERM stops it cleanly: exit 0.
 */
import type { HumanOutput } from "../protocol/human-output.js";
import { loadSandboxOptions, startSandbox, type Sandbox } from "../sandbox/server.js";
import { UsageError } from "../errors.js";
import { readJsonFile } from "../config/read.js";
import type { SignalSource } from "../run/shutdown.js";

const LOOPBACK = /^(127\.\d+\.\d+\.\d+|localhost|::1|\[::1\])$/;

export async function runSandbox(
  options: { host: string; port: string; options?: string; openapiDir?: string },
  stderr: HumanOutput,
  signals: SignalSource,
): Promise<void> {
  if (!LOOPBACK.test(options.host)) {
    throw new UsageError(`The sandbox listens on loopback addresses only; ${options.host} is not one.`);
  }
  const port = Number(options.port);
  if (!/^\d+$/.test(options.port.trim()) || !Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new UsageError(`--port must be a whole number from 0 to 65535, not ${options.port}.`);
  }
  const json = options.options ? await readJsonFile(options.options, "sandbox options") : undefined;
  const loaded = json === undefined ? {} : loadSandboxOptions(json);
  const fileOptions = options.openapiDir ? { ...loaded, openapiDir: options.openapiDir } : loaded;
  const sandbox = await listen(options.host, port, fileOptions, stderr);
  const unchecked = sandbox.schemas?.unchecked ?? [];
  const checking = sandbox.schemas
    ? ` Requests are checked against ${sandbox.schemas.files} OpenAPI files in ${fileOptions.openapiDir}` +
      (unchecked.length > 0
        ? `; not checked (no file for them): ${unchecked.join(", ")}.`
        : " on every served path.")
    : "";
  stderr.write(
    `HubSpot sandbox listening on ${sandbox.url} (portal ${sandbox.portalId}). ` +
      `Use it as api_base_url with the private app token from the README.${checking} Ctrl-C stops it.\n`,
  );
  await new Promise<void>((resolve) => {
    const stop = () => {
      signals.off("SIGINT", stop);
      signals.off("SIGTERM", stop);
      resolve();
    };
    signals.on("SIGINT", stop);
    signals.on("SIGTERM", stop);
  });
  await sandbox.close();
}

async function listen(
  host: string,
  port: number,
  fileOptions: ReturnType<typeof loadSandboxOptions>,
  stderr: HumanOutput,
): Promise<Sandbox> {
  try {
    return await startSandbox({ ...fileOptions, host, port, logger: (line) => stderr.write(`${line}\n`) });
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === "EADDRINUSE") {
      throw new UsageError(
        `Port ${port} on ${host} is already in use; pick another with --port, or --port 0 for a free one.`,
      );
    }
    if (code === "EADDRNOTAVAIL" || code === "EACCES") {
      throw new UsageError(`Cannot listen on ${host} port ${port} (${code}); try --port 0.`);
    }
    throw error;
  }
}
