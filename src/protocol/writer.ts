/**
 * The one owner of stdout. Everything the connector says to the platform goes through here as one JSON line per
 * Airbyte message; nothing else is ever written to stdout. Every line is scrubbed of the run's secrets first.
 */
import { once } from "node:events";
import type { Writable } from "node:stream";
import type { AnyConnectorError } from "../errors.js";
import { allSecretForms, scrubForms } from "../secrets.js";
import type { ConnectionStatus, DestinationOperation, LogLevel } from "./messages.js";

type OutputMessage = { type: string } & Record<string, unknown>;

/** Stats the protocol types as doubles: written with a decimal point, as Airbyte's own destinations do. */
const DOUBLE_STATS = ["recordCount", "rejectedRecordCount"] as const;

export class MessageWriter {
  private secretForms: string[] = [];
  private draining: Promise<unknown> | undefined;
  private broken: Error | undefined;

  constructor(private readonly out: Writable) {
    // A closed pipe (the platform went away) must not crash the process with an unhandled 'error'.
    out.on("error", (error: Error) => {
      this.broken ??= error;
    });
  }

  /** Secrets to scrub from every line from now on (tokens, client secret, S3 keys); their forms are worked out once. */
  setSecrets(secrets: readonly (string | undefined)[]): void {
    this.secretForms = allSecretForms(secrets);
  }

  spec(specification: Record<string, unknown>): Promise<void> {
    this.emit({ type: "SPEC", spec: specification });
    return this.flush();
  }

  connectionStatus(status: ConnectionStatus, message: string): Promise<void> {
    this.emit({ type: "CONNECTION_STATUS", connectionStatus: { status, message } });
    return this.flush();
  }

  destinationCatalog(operations: readonly DestinationOperation[]): Promise<void> {
    this.emit({ type: "DESTINATION_CATALOG", destination_catalog: { operations } });
    return this.flush();
  }

  /** Echoes a STATE (with the destination's stats already set on it). */
  state(state: Record<string, unknown>): void {
    this.emit({ type: "STATE", state });
  }

  log(level: LogLevel, message: string): void {
    this.emit({ type: "LOG", log: { level, message } });
  }

  streamStatus(
    name: string,
    namespace: string | undefined,
    status: "STARTED" | "RUNNING" | "COMPLETE" | "INCOMPLETE",
  ): void {
    const stream_descriptor = namespace ? { name, namespace } : { name };
    this.emit({
      type: "TRACE",
      trace: { type: "STREAM_STATUS", emitted_at: Date.now(), stream_status: { stream_descriptor, status } },
    });
  }

  /** The TRACE ERROR the platform shows to the user; the stack stays out of it (it can hold request details). */
  traceError(error: AnyConnectorError): Promise<void> {
    const detail: Record<string, unknown> = { message: error.message, failure_type: error.failureType };
    if (error.internalMessage) detail.internal_message = error.internalMessage;
    this.emit({ type: "TRACE", trace: { type: "ERROR", emitted_at: Date.now(), error: detail } });
    return this.flush();
  }

  /** Resolves once everything written so far has been handed to the OS (or stdout is gone). */
  async flush(): Promise<void> {
    while (this.draining && !this.broken) {
      const waiting = this.draining;
      await waiting;
      if (this.draining === waiting) this.draining = undefined;
    }
  }

  private emit(message: OutputMessage): void {
    if (this.broken) return;
    const line = scrubForms(serialize(message), this.secretForms);
    if (!this.out.write(`${line}\n`) && !this.draining) {
      this.draining = Promise.race([
        once(this.out, "drain"),
        once(this.out, "close"),
        once(this.out, "error"),
      ]).catch(() => undefined);
    }
  }
}

/** JSON.stringify, but the state stats come out as doubles (`5.0`), the protocol's type for them. */
export function serialize(message: OutputMessage): string {
  if (message.type !== "STATE") return JSON.stringify(message);
  return JSON.stringify(message, (key, value: unknown) =>
    (DOUBLE_STATS as readonly string[]).includes(key) && typeof value === "number" && Number.isInteger(value)
      ? `\u0000${value}`
      : value,
  ).replace(/"\\u0000(-?\d+)"/g, "$1.0");
}
