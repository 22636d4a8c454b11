/** What every target of the event kind carries: an occurrence names no record, has no values HubSpot screens, no links. */
export const EVENT_TARGET = {
  kind: "event",
  locksRecord: false,
  screensValues: false,
  linkable: false,
} as const;
