/**
 * The parts of event mapping that concern one event: checking a mapping against the account's definition, and
 * converting property values by the definition's types within HubSpot's event limits.
 */
import type { EventMappingConfig } from "../../config/events.js";
import { EVENT_PROPERTY_NAME_MAX, propertyNameProblem } from "../crm-object/properties/names.js";
import { selectedProperties } from "./selected.js";
import { ConfigError } from "../../errors.js";
import { EVENT_LIMITS, type EventDefinition } from "./wire.js";
import type { Property } from "../../hubspot/types.js";
import type { Rejection } from "../../contract.js";
import {
  REJECTION_CODES as CODES,
  EVENT_REJECTION_CODES as EVENT_CODES,
  type ValueProblem,
} from "../../mapping/codes.js";
import { checkString, type Converter, converterFor } from "../../mapping/convert-value.js";

export interface CompiledEvent {
  fullyQualifiedName: string;
  primaryObject: string;
  /** Set when every record of this event must be rejected, with why. */
  broken?: Rejection;
  converters: Map<string, Converter>;
}

export const reject = (
  code: string,
  message: string,
  field?: string,
): { ok: false; rejection: Rejection } => ({
  ok: false,
  rejection: field === undefined ? { code, message } : { code, message, field },
});

export const problemRejection = (name: string, problem: ValueProblem) =>
  reject(problem.code, `Property ${name}: ${problem.problem}.`, name);

/** A mapping's event, or why its records cannot be sent. Problems in the config itself throw. */
export function checkMapping(
  mapping: EventMappingConfig,
  definition: EventDefinition | undefined,
  compile: (definition: EventDefinition) => CompiledEvent,
): CompiledEvent {
  const label = `Event mapping ${mapping.source_event} → ${mapping.event_name}`;
  for (const property of [...mapping.event_properties, ...mapping.user_properties]) {
    const name = property.name ?? property.source;
    if (propertyNameProblem(name, EVENT_PROPERTY_NAME_MAX) !== undefined) {
      throw new ConfigError(
        `${label}: ${property.source} is not a valid HubSpot property name; give it a name of lowercase letters, digits and _.`,
      );
    }
  }
  if (!definition) {
    return {
      fullyQualifiedName: mapping.event_name,
      primaryObject: mapping.primary_object,
      converters: new Map(),
      broken: {
        code: EVENT_CODES.EVENT_DEFINITION_NOT_FOUND,
        message: `HubSpot has no event definition ${mapping.event_name}; create it, or set events.create_definitions.`,
      },
    };
  }
  const event = compile(definition);
  if (event.broken) return event;
  for (const property of selectedProperties(mapping).kept) {
    const name = property.name;
    const existing = definition.properties.find((candidate) => candidate.name === name);
    if (!existing) {
      return {
        ...event,
        broken: {
          code: EVENT_CODES.EVENT_DEFINITION_NOT_FOUND,
          message: `The HubSpot event ${definition.name} has no property ${name}; add it, or set events.create_definitions.`,
          field: name,
        },
      };
    }
    if (!sameType(existing.type, property.type)) {
      return {
        ...event,
        broken: {
          code: EVENT_CODES.PROPERTY_TYPE_CLASH,
          message: `The HubSpot event ${definition.name} has property ${name} as ${existing.type}, but the mapping sends it as ${property.type}.`,
          field: name,
        },
      };
    }
  }
  return event;
}

/** An enumeration accepts what a string mapping sends, as long as the values are among its options. */
const sameType = (existing: string, wanted: string) =>
  existing === wanted || (existing === "enumeration" && wanted === "string");

export function eventConverter(
  property: { name: string; type: string; options?: { value: string }[] | undefined },
  zone: string,
): Converter {
  const limit = /url|referrer|link/.test(property.name)
    ? EVENT_LIMITS.urlValueLength
    : EVENT_LIMITS.valueLength;
  const base = converterFor(
    { name: property.name, type: property.type, options: property.options } as Property,
    zone,
  );
  return (value) => {
    const converted = base(value);
    if (typeof converted !== "string") return converted;
    if (converted.length > limit) {
      return {
        code: CODES.VALUE_TOO_LONG,
        problem: `is ${converted.length} characters long, over HubSpot's limit of ${limit} for event properties`,
      };
    }
    return checkString(converted);
  };
}

export function convertAll(
  event: CompiledEvent,
  values: Record<string, unknown>,
  unknown: "reject" | "drop",
): { ok: true; properties: Record<string, string> } | { ok: false; rejection: Rejection } {
  const properties: Record<string, string> = {};
  for (const [name, value] of Object.entries(values)) {
    if (value === undefined || value === null) continue;
    const convert = event.converters.get(name);
    if (!convert) {
      if (unknown === "drop") continue;
      return reject(
        CODES.UNKNOWN_PROPERTY,
        `${name} is not a property of the HubSpot event ${event.fullyQualifiedName}.`,
        name,
      );
    }
    const converted = convert(value);
    if (typeof converted !== "string") return problemRejection(name, converted);
    properties[name] = converted;
  }
  return { ok: true, properties };
}
