/**
 * The one owner of stdout. Everything the connector says to the platform goes through here as one JSON line per
 * Airbyte message; nothing else is ever written to stdout. Every line but a STATE is masked for the run's secrets.
 */
import { once } from "node:events";
import type { Writable } from "node:stream";
import type { AnyConnectorError } from "../errors.js";
import { SecretMask } from "../secrets.js";
import { encodeLine, STATE_TEXT, withLastMember } from "./state-text.js";
import type { ConnectionStatus, DestinationOperation, LogLevel } from "./messages.js";

type OutputMessage = { type: string } & Record<string, unknown>;

const NEWLINE = Buffer.from("\n");

/** Stats the protocol types as doubles: written with a decimal point, as Airbyte's own destinations do. */
const DOUBLE_STATS = ["recordCount", "rejectedRecordCount"] as const;

export class MessageWriter {
  /** The run's secrets: masked in every line but a STATE's, whose content is the platform's and never altered. */
  readonly mask = new SecretMask();
  private draining: Promise<unknown> | undefined;
  private broken: Error | undefined;
  private readonly goneController = new AbortController();
  /**
   * Aborted once stdout has failed (EPIPE: the reader went away) or closed: nothing written from then on can
   * reach anyone, so an Airbyte-mode run should stop rather than spend the portal's API budget.
   */
  readonly gone: AbortSignal = this.goneController.signal;

  constructor(private readonly out: Writable) {
    // A closed pipe (the platform went away) must not crash the process with an unhandled 'error'.
    out.on("error", (error: Error) => {
      this.broken ??= error;
      this.goneController.abort(error);
    });
    out.on("close", () => {
      this.broken ??= new Error("stdout was closed");
      this.goneController.abort(this.broken);
    });
  }

  /** The file descriptor stdout writes to, when it has one: no output file of the run may be that file. */
  get descriptor(): number | undefined {
    const fd = (this.out as { fd?: unknown }).fd;
    return typeof fd === "number" ? fd : undefined;
  }

  /** Secrets to mask from now on (tokens, client secret, S3 keys, OAuth access tokens as they are obtained). */
  setSecrets(secrets: readonly (string | undefined)[]): void {
    this.mask.add(...secrets);
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

  /**
   * Echoes a STATE (with the destination's stats already set on it): as the text it came in with when the reader
   * kept it (state-text.ts), byte for byte, with `destinationStats` as its last member.
   */
  state(state: Record<string, unknown>): void {
    const text = (state as { [STATE_TEXT]?: unknown })[STATE_TEXT];
    if (typeof text !== "string") return this.emit({ type: "STATE", state });
    const stats =
      state.destinationStats === undefined
        ? text
        : withLastMember(text, "destinationStats", withDoubleStats(state.destinationStats));
    this.write(encodeLine(`{"type":"STATE","state":${stats}}`));
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
    // A STATE is echoed exactly as received (plus its stats): a cursor that happens to contain a secret's text
    // must not be corrupted. Everything else can carry our own text or HubSpot's, so it is masked.
    const text = serialize(message);
    this.write(message.type === "STATE" ? text : this.mask.apply(text));
  }

  /** Writes one line (text, or the bytes of a STATE echoed as received). */
  private write(line: string | Buffer): void {
    if (this.broken) return;
    let accepted: boolean;
    try {
      accepted = this.out.write(typeof line === "string" ? `${line}\n` : Buffer.concat([line, NEWLINE]));
    } catch (error) {
      // A stream destroyed under us throws instead of emitting 'error': the same closed stdout.
      this.broken ??= error as Error;
      this.goneController.abort(error);
      return;
    }
    if (!accepted && !this.draining) {
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
  return withDoubleStats(message);
}

/** A value's JSON with the state stats in it written as doubles. */
function withDoubleStats(value: unknown): string {
  return JSON.stringify(value, (key, value: unknown) =>
    (DOUBLE_STATS as readonly string[]).includes(key) && typeof value === "number" && Number.isInteger(value)
      ? `\u0000${value}`
      : value,
  ).replace(/"\\u0000(-?\d+)"/g, "$1.0");
}
