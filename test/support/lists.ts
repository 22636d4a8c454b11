/** Builders and setup for the list (segment) tests: list streams, stream statuses, contacts and members. */
import type { Sandbox } from "../../src/sandbox/server.js";

/** A configured list stream: `destination_object_name` is `list:<name>` (or `list[OBJECT]:<name>`). */
export function listStream(
  name: string,
  objectName: string,
  mode: "append" | "overwrite" | "soft_delete",
  options: { key?: string; generationId?: number; syncMode?: "full_refresh" | "incremental" } = {},
) {
  return {
    stream: { name, json_schema: {}, supported_sync_modes: ["full_refresh", "incremental"] },
    sync_mode: options.syncMode ?? "full_refresh",
    destination_sync_mode: mode,
    destination_object_name: objectName,
    primary_key: [[options.key ?? "email"]],
    sync_id: 42,
    generation_id: options.generationId ?? 1,
    minimum_generation_id: options.generationId ?? 1,
  };
}

/** The TRACE STREAM_STATUS the platform forwards at the end of a stream's records. */
export function statusLine(streamName: string, status: "STARTED" | "COMPLETE" | "INCOMPLETE"): string {
  return JSON.stringify({
    type: "TRACE",
    trace: {
      type: "STREAM_STATUS",
      emitted_at: 1_736_500_000_000,
      stream_status: { stream_descriptor: { name: streamName }, status },
    },
  });
}

/** Contacts made straight in the store (test setup): record id by email. */
export function makeContacts(sandbox: Sandbox, emails: readonly string[]): Map<string, string> {
  const state = sandbox.store.resolve("contacts");
  if (!state) throw new Error("The sandbox has no contacts");
  return new Map(emails.map((email) => [email, sandbox.store.create(state, { email }).id]));
}

/** A seeded list by name. */
export function listNamed(sandbox: Sandbox, name: string) {
  const list = sandbox.store.lists.byName(name);
  if (!list) throw new Error(`The sandbox has no list ${name}`);
  return list;
}

/** The emails of a contact list's members, sorted. */
export function memberEmails(sandbox: Sandbox, listName: string): string[] {
  const list = listNamed(sandbox, listName);
  const state = sandbox.store.resolve(list.objectTypeId);
  if (!state) throw new Error(`No object ${list.objectTypeId}`);
  return sandbox.store.lists
    .membersOf(list.listId)
    .map((id) => sandbox.store.lookup(state, id, undefined)?.properties.email ?? `#${id}`)
    .sort();
}

/** Sets a list's members directly (test setup), by contact email. */
export function seedMembers(sandbox: Sandbox, listName: string, ids: Iterable<string>): void {
  sandbox.store.lists.seedMembers(listNamed(sandbox, listName).listId, [...ids]);
}
