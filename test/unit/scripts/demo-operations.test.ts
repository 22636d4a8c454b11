import { describe, expect, it } from "vitest";

interface Operation {
  object_name: string;
  sync_mode: string;
  json_schema?: { properties?: Record<string, unknown> };
  matching_keys?: string[][];
}

// The demo is plain JavaScript, without type declarations: imported by a path TypeScript does not resolve.
const DEMO_OPERATIONS = "../../../scripts/demo-operations.mjs";
const { describeOperations } = (await import(DEMO_OPERATIONS)) as {
  describeOperations: (operations: Operation[]) => string[];
};

describe("the demo's discover step", () => {
  it("shows a static list as list members and an event as an event, never a list as an event", () => {
    const lines = describeOperations([
      { object_name: "CONTACT", sync_mode: "append_dedup", matching_keys: [["email"]] },
      { object_name: "EVENTS", sync_mode: "append" },
      { object_name: "event:signed_up", sync_mode: "append" },
      { object_name: "list:Newsletter", sync_mode: "append", json_schema: { properties: { email: {} } } },
      { object_name: "list:Newsletter", sync_mode: "overwrite" },
    ]);
    const newsletter = lines.find((line) => line.includes("list:Newsletter"));
    expect(newsletter).toContain("static list (segment) members");
    expect(newsletter).not.toContain("event");
    expect(lines.find((line) => line.includes("EVENTS"))).toContain("custom behavioral events");
    expect(lines.filter((line) => line.includes("list:Newsletter"))).toHaveLength(1);
  });
});
