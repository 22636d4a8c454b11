/** How the connector names a stream of the protocol: its key, by which records, states and totals are tallied. */

/** A stream's key: `namespace.name`, or the name alone when it has no namespace. */
export function streamKey(name: string, namespace?: string | null): string {
  return namespace ? `${namespace}.${name}` : name;
}

/** The key under which records that belong to no configured stream are tallied (bad lines, unknown streams). */
export const UNATTRIBUTED = "";
