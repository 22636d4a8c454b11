/**
 * What an HTTP header value may hold, checked before Node's HTTP client sees it. Node refuses a value with a
 * control character (ERR_INVALID_CHAR) as a bug in the caller; a token with a stray line break is the user's to
 * fix, so credentials are checked when the config is read, and every request's headers before it is sent.
 * What a value may hold is config/header-values.ts's rule (RFC 9110 §5.5).
 */

import { headerValueProblem } from "../config/header-values.js";
import { ConfigError, SystemError } from "../errors.js";

/** Error codes with which Node refuses a request's arguments: retrying the same request cannot help. */
export const INVALID_REQUEST_CODES: ReadonlySet<string> = new Set([
  "ERR_UNESCAPED_CHARACTERS",
  "ERR_INVALID_ARG_TYPE",
  "ERR_INVALID_ARG_VALUE",
  "ERR_INVALID_CHAR",
  "ERR_INVALID_HTTP_TOKEN",
  "ERR_HTTP_INVALID_HEADER_VALUE",
  "ERR_INVALID_URL",
]);

/** True for an error (or its cause) by which Node refused the request as built. */
export function isInvalidRequestError(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && typeof current === "object" && current !== null; depth += 1) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string" && INVALID_REQUEST_CODES.has(code)) return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/**
 * Throws before a request whose headers Node would refuse is sent: a bad token is the user's to fix (a
 * ConfigError naming the credential), any other header our bug.
 */
export function checkRequestHeaders(
  headers: Record<string, string>,
  request: { method: string; path: string },
  tokenKind: "private-app" | "oauth" | undefined,
): void {
  for (const [name, value] of Object.entries(headers)) {
    const problem = headerValueProblem(value);
    if (problem === undefined) continue;
    if (name === "authorization") {
      const field = tokenKind === "private-app" ? "credentials.access_token" : "the OAuth access token";
      throw new ConfigError(
        `${field} contains ${problem.character} at character ${problem.position - "Bearer ".length}, which an HTTP header cannot carry; fix the credentials in the config.`,
      );
    }
    throw new SystemError(
      `The ${name} header of ${request.method} ${request.path} holds ${problem.character}; this is a bug, please report it.`,
    );
  }
}
