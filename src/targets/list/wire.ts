/**
 * The Lists API's answers as the connector reads them
 * (https://developers.hubspot.com/docs/api-reference/latest/crm/lists/guide). Only what the connector relies on is
 * required; ids may come as numbers or strings and are kept as strings.
 */
import * as z from "zod";

const id = z.union([z.string().min(1), z.number()]).transform(String);

/** `PublicObjectList`, as get, get-by-name, create and search show it. */
export const HubSpotListSchema = z.looseObject({
  listId: id,
  name: z.string(),
  objectTypeId: z.string(),
  /** MANUAL | DYNAMIC | SNAPSHOT (a plain string in the spec). */
  processingType: z.string(),
  size: z.number().nullish(),
  additionalProperties: z.record(z.string(), z.unknown()).nullish(),
});
export type HubSpotList = z.output<typeof HubSpotListSchema>;

/** `{list}`: get by id, get by name, create. */
export const ListAnswerSchema = z.looseObject({ list: HubSpotListSchema });

/** `POST …/lists/search`: offset paging. */
export const ListSearchAnswerSchema = z.looseObject({
  lists: z.array(HubSpotListSchema).default([]),
  offset: z.number().nullish(),
  hasMore: z.boolean().nullish(),
});

/** `GET …/memberships`: ascending record ids, cursor paging. */
export const MembershipPageSchema = z.looseObject({
  results: z.array(z.looseObject({ recordId: id })).default([]),
  paging: z.looseObject({ next: z.looseObject({ after: z.string().min(1) }).nullish() }).nullish(),
});

/**
 * `MembershipsUpdateResponse`. HubSpot spells the first field `recordsIdsAdded`; some clients read `recordIdsAdded`,
 * and an empty list may be left out (§12.3), so both spellings are read and every field is optional.
 */
export const MembershipsUpdateSchema = z.looseObject({
  recordsIdsAdded: z.array(id).nullish(),
  recordIdsAdded: z.array(id).nullish(),
  recordIdsRemoved: z.array(id).nullish(),
  recordIdsMissing: z.array(id).nullish(),
});

/** The size a list reports: `size` on get, `hs_list_size` (a string) in search hits; 0 when neither says. */
export function listSize(list: HubSpotList): number {
  if (typeof list.size === "number") return list.size;
  const fromSearch = Number(list.additionalProperties?.hs_list_size);
  return Number.isFinite(fromSearch) ? fromSearch : 0;
}
