/**
 * What every target of the list kind carries: a membership names its member's record (it holds that record's
 * lock, so it follows a CRM write of the record earlier in the input, and a remove follows an add); its other
 * fields matter only to create a missing record, so no value is screened; a membership has no links.
 */
export const LIST_TARGET = {
  kind: "list",
  locksRecord: true,
  screensValues: false,
  linkable: false,
} as const;
