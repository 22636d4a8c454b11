/** Record ids and the opaque paging cursors built from them, shared by the associations and lists routes. */

/** An opaque paging cursor for "everything after this record id" (HubSpot's cursors are opaque strings too). */
export const encodeCursor = (recordId: string) => Buffer.from(`after-${recordId}`).toString("base64url");

/** The record id a cursor stands for, or undefined when it is not one of the sandbox's cursors. */
export function decodeCursor(cursor: string): string | undefined {
  const text = Buffer.from(cursor, "base64url").toString("utf8");
  return /^after-\d+$/.test(text) ? text.slice("after-".length) : undefined;
}

/** Orders numeric record ids as numbers without parsing them (ids have no leading zeros). */
export const compareIds = (a: string, b: string) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);

/** True for a record id HubSpot could have issued: digits only. */
export const isRecordId = (id: string) => /^\d+$/.test(id);
