/** Which of a mapping's properties an event carries: HubSpot takes at most 50 per event. */
import type { EventMappingConfig } from "../../config/events.js";
import { EVENT_LIMITS } from "./wire.js";

/** One property a mapping sends: its HubSpot name, where it comes from in the source event, and its type. */
export interface SelectedProperty {
  name: string;
  source: string;
  from: "event" | "user";
  type: EventMappingConfig["event_properties"][number]["type"];
}

/**
 * The HubSpot properties a mapping sends, by HubSpot name: event properties first, then user properties, a name
 * taken once. Past HubSpot's 50, the first 50 in name order are kept, the same ones every run, and the rest are
 * returned as `dropped` to be reported.
 */
export function selectedProperties(mapping: EventMappingConfig): {
  kept: SelectedProperty[];
  dropped: string[];
} {
  const all = new Map<string, SelectedProperty>();
  for (const property of mapping.event_properties) {
    const name = property.name ?? property.source;
    if (!all.has(name)) all.set(name, { name, source: property.source, from: "event", type: property.type });
  }
  for (const property of mapping.user_properties) {
    const name = property.name ?? property.source;
    if (!all.has(name)) all.set(name, { name, source: property.source, from: "user", type: property.type });
  }
  if (all.size <= EVENT_LIMITS.propertiesPerEvent) return { kept: [...all.values()], dropped: [] };
  const names = [...all.keys()].sort();
  const keep = new Set(names.slice(0, EVENT_LIMITS.propertiesPerEvent));
  return {
    kept: [...all.values()].filter((property) => keep.has(property.name)),
    dropped: names.slice(EVENT_LIMITS.propertiesPerEvent),
  };
}
