/**
 * HubSpot's objects the sandbox does not serve. A path or parameter naming one answers 501 saying so, rather than
 * HubSpot's 400 "Unable to infer object type", which would tell a user's code that the object does not exist.
 * Names and type ids from HubSpot's object type table
 * (https://developers.hubspot.com/docs/guides/api/crm/understanding-the-crm#object-type-ids).
 */
import { error, type SandboxResponse } from "./responses.js";

const UNSERVED: ReadonlyArray<[id: string, plural: string, singular: string]> = [
  ["0-14", "quotes", "quote"],
  ["0-18", "communications", "communication"],
  ["0-19", "feedback_submissions", "feedback_submission"],
  ["0-53", "invoices", "invoice"],
  ["0-54", "marketing_events", "marketing_event"],
  ["0-69", "subscriptions", "subscription"],
  ["0-101", "payments", "payment"],
  ["0-115", "users", "user"],
  ["0-116", "postal_mail", "postal_mail"],
  ["0-123", "orders", "order"],
  ["0-142", "carts", "cart"],
  ["0-162", "services", "service"],
  ["0-410", "courses", "course"],
  ["0-420", "listings", "listing"],
  ["0-421", "appointments", "appointment"],
];

/** Every name and id of an object HubSpot has and the sandbox does not serve, lower-cased. */
export const KNOWN_UNSERVED: ReadonlySet<string> = new Set(UNSERVED.flat());

/** The 501 for a HubSpot object the sandbox does not serve. */
export const unservedObject = (name: string): SandboxResponse =>
  error(
    501,
    "NOT_IMPLEMENTED",
    `The sandbox does not serve the object ${name}; it serves contacts, companies, deals, products, tickets, line items, leads, notes, calls, tasks, meetings, emails and its custom objects (cars, pets).`,
  );
