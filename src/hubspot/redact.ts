/**
 * Keeps OAuth tokens out of everything the client shows: a token travels as a path segment on the introspection
 * endpoints, so such paths are shown with the segment replaced, and text that might echo it is scrubbed.
 */
import { REDACTED } from "../secrets.js";
import { SECRET_PATH_PREFIXES } from "./api-paths.js";

export { REDACTED, scrub } from "../secrets.js";

/** The secret segment of a path such as `/oauth/v1/access-tokens/{token}`, if it has one. */
export function secretInPath(path: string): string | undefined {
  const bare = path.split("?")[0] ?? path;
  for (const prefix of SECRET_PATH_PREFIXES) {
    if (bare.startsWith(prefix)) {
      const segment = bare.slice(prefix.length).split("/")[0];
      return segment ? segment : undefined;
    }
  }
  return undefined;
}

/** The path as it may be shown: secret segments replaced, the query string dropped. */
export function redactPath(path: string): string {
  const bare = path.split("?")[0] ?? path;
  for (const prefix of SECRET_PATH_PREFIXES) {
    if (bare.startsWith(prefix)) {
      const rest = bare.slice(prefix.length);
      const slash = rest.indexOf("/");
      return `${prefix}${REDACTED}${slash < 0 ? "" : rest.slice(slash)}`;
    }
  }
  return bare;
}
