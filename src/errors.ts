/**
 * The connector's three kinds of failure, matching the Airbyte protocol's `failure_type`.
 * Classify by what the user can do about it, never by parsing message text:
 * - ConfigError: the user must fix something (bad token, missing scope, unknown object).
 * - TransientError: nothing is wrong with the setup; running again later should work (5xx, daily limit, network).
 * - SystemError: a bug or an unexpected state in the connector itself.
 * - UsageError: a ConfigError made on the command line (a bad option value, conflicting options): exit code 2.
 * Messages must be safe to show: they never contain a secret.
 */

export const FAILURE_TYPES = ["config_error", "transient_error", "system_error"] as const;
export type FailureType = (typeof FAILURE_TYPES)[number];

abstract class ConnectorError extends Error {
  abstract readonly failureType: FailureType;
  /** Technical detail for the TRACE `internal_message`; also secret-free. */
  readonly internalMessage: string | undefined;

  constructor(message: string, options?: { cause?: unknown; internalMessage?: string }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.internalMessage = options?.internalMessage;
  }
}

export class ConfigError extends ConnectorError {
  override readonly name = "ConfigError";
  readonly failureType = "config_error";
}

export class TransientError extends ConnectorError {
  override readonly name = "TransientError";
  readonly failureType = "transient_error";
}

export class SystemError extends ConnectorError {
  override readonly name = "SystemError";
  readonly failureType = "system_error";
}

/** A command-line mistake (a bad option value, conflicting options): exit code 2, like commander's own. */
export class UsageError extends ConfigError {
  readonly usage = true;
}

export const isUsageError = (error: unknown): error is UsageError => error instanceof UsageError;

export type AnyConnectorError = ConfigError | TransientError | SystemError;

export function isConnectorError(error: unknown): error is AnyConnectorError {
  return error instanceof ConfigError || error instanceof TransientError || error instanceof SystemError;
}

/** Wraps anything thrown into one of the three kinds; unknown throwables are our bugs. */
export function toConnectorError(error: unknown): AnyConnectorError {
  if (isConnectorError(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new SystemError(`Unexpected internal error: ${message}`, { cause: error });
}
