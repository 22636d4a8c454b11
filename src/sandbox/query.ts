/**
 * Query parameters that take a list (`properties`, `propertiesWithHistory`, `associations`, `listIds`): HubSpot takes
 * them repeated (`?properties=email&properties=firstname`, as its SDKs send them) and comma-separated
 * (`?properties=email,firstname`, as its guides write them), and both at once.
 */
export function listParam(query: URLSearchParams, name: string): string[] {
  return query
    .getAll(name)
    .flatMap((value) => value.split(","))
    .map((value) => value.trim())
    .filter(Boolean);
}

/** `true`/`false` query flags; anything else is the route's 400 (undefined here). */
export function flagParam(query: URLSearchParams, name: string): boolean | undefined {
  const value = query.get(name);
  if (value === null) return false;
  return value === "true" ? true : value === "false" ? false : undefined;
}
