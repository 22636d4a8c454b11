/**
 * Pure: the object names that write list memberships, and the names of the staging lists an overwrite keeps.
 *
 * - `list:<list name>` writes the list of that name, whatever object it holds; a list created on demand holds
 *   contacts. `list[<OBJECT>]:<list name>` pins the object (CONTACT, COMPANY, DEAL, HubSpot's `contacts` or `0-1`,
 *   a custom object's name): the list must hold it, and one created on demand does. Everything after the first
 *   `:` is the name, colons included.
 * - An overwrite stream keeps the members it has written in a MANUAL list named `<list name> · sync generation <n>`
 *   (the stream's Airbyte generation id), so a resumed sync knows what the earlier attempts wrote.
 * - A raw pipe mode overwrite marks that it runs with an empty MANUAL list named `<list name> · overwrite run <id>`.
 */

import { canonicalObjectName, STANDARD_OBJECTS } from "../../hubspot/policies.js";

/** The prefix of every object name that writes a list. */
export const LIST_OBJECT_PREFIX = "list";

/** The object a list created on demand holds when the object name does not pin one. */
export const DEFAULT_LIST_OBJECT = "CONTACT";

const LIST_OBJECT = /^list(?:\[([^\]]*)\])?:(.*)$/s;

/** A list object name, read. */
export interface ListObjectName {
  /** The list's name in HubSpot, as given (HubSpot compares names without case). */
  listName: string;
  /** The object pinned with `list[OBJECT]:`, if any. */
  objectName: string | undefined;
}

/** Whether a stream's object name writes list memberships. */
export const isListObject = (objectName: string): boolean => LIST_OBJECT.test(objectName);

/** Reads `list:<name>` or `list[OBJECT]:<name>`; undefined for any other object name, or an empty list name. */
export function parseListObject(objectName: string): ListObjectName | undefined {
  const match = LIST_OBJECT.exec(objectName);
  const listName = match?.[2]?.trim();
  if (!match || !listName) return undefined;
  const pinned = match[1]?.trim();
  return { listName, objectName: pinned ? canonicalObjectName(pinned) : undefined };
}

/** The connector's name of a standard object type id (`0-2` → COMPANY); the type id itself for any other. */
export function objectNameOfType(objectTypeId: string): string {
  const standard = Object.entries(STANDARD_OBJECTS).find(
    ([, object]) => object.objectTypeId === objectTypeId,
  );
  return standard ? standard[0] : objectTypeId;
}

/** The object name that writes a list, as discover offers it. */
export const listObjectName = (listName: string): string => `${LIST_OBJECT_PREFIX}:${listName}`;

const STAGING_MARK = " · sync generation ";

/** The staging list of one list and one sync generation. */
export const stagingListName = (listName: string, generationId: number): string =>
  `${listName}${STAGING_MARK}${generationId}`;

/** The text every list the connector keeps beside `listName` starts with: its staging lists and overwrite markers. */
export const keptListsPrefix = (listName: string): string => `${listName} · `;

/** The text every staging list of a list starts with (for the search that finds stale ones). */
export const stagingListPrefix = (listName: string): string => `${listName}${STAGING_MARK}`;

/** The generation a list name stages for `listName`, or undefined when it is not one of its staging lists. */
export function stagingGeneration(listName: string, candidate: string): number | undefined {
  const prefix = stagingListPrefix(listName).toLowerCase();
  if (!candidate.toLowerCase().startsWith(prefix)) return undefined;
  const rest = candidate.slice(prefix.length);
  return /^\d+$/.test(rest) ? Number(rest) : undefined;
}

const OVERWRITE_MARK = " · overwrite run ";

/** The marker list a raw pipe mode overwrite of `listName` keeps while it runs (overwrite-marker.ts). */
export const overwriteMarkerName = (listName: string, runId: string): string =>
  `${listName}${OVERWRITE_MARK}${runId}`;

/** The text every overwrite marker of a list starts with (for the search that finds them). */
export const overwriteMarkerPrefix = (listName: string): string => `${listName}${OVERWRITE_MARK}`;

/** Whether `candidate` is an overwrite marker of `listName` (names compare without case, as HubSpot's do). */
export function isOverwriteMarkerOf(listName: string, candidate: string): boolean {
  const prefix = overwriteMarkerPrefix(listName).toLowerCase();
  return candidate.toLowerCase().startsWith(prefix) && /^[0-9a-f]+$/i.test(candidate.slice(prefix.length));
}

/** Whether a list is some list's staging list or overwrite marker, which discover does not offer. */
export const isStagingList = (name: string): boolean =>
  /^.+ · sync generation \d+$/s.test(name) || /^.+ · overwrite run [0-9a-f]+$/is.test(name);
