import { describe, expect, it } from "vitest";
import { ConfigError } from "../../../src/errors.js";
import { catalogSpecs, rawSpec } from "../../../src/targets/streams.js";
import { parseConfiguredCatalog } from "../../../src/protocol/catalog.js";

const stream = (objectName: string, mode: string, extra: Record<string, unknown> = {}) => ({
  stream: { name: "audience", json_schema: {}, supported_sync_modes: ["full_refresh"] },
  sync_mode: "full_refresh",
  destination_sync_mode: mode,
  destination_object_name: objectName,
  primary_key: [["email"]],
  generation_id: 3,
  ...extra,
});

const plan = (objectName: string, mode: string, extra: Record<string, unknown> = {}) =>
  catalogSpecs(parseConfiguredCatalog({ streams: [stream(objectName, mode, extra)] }))[0];

const refusal = (run: () => unknown): string => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error("expected a ConfigError");
};

describe("planning list streams", () => {
  it.each([
    ["append", "add"],
    ["append_dedup", "add"],
    ["soft_delete", "remove"],
    ["overwrite", "replace"],
  ])("maps %s to %s for a list", (syncMode, writeMode) => {
    expect(plan("list:Newsletter", syncMode)?.mode).toBe(writeMode);
  });

  it("keeps append an upsert for CRM objects, and refuses overwrite for them, pointing to lists", () => {
    expect(plan("CONTACT", "append")?.mode).toBe("upsert");
    expect(refusal(() => plan("CONTACT", "overwrite"))).toContain("overwrite is for lists");
  });

  it("refuses update for a list", () => {
    expect(refusal(() => plan("list:Newsletter", "update"))).toContain("a list takes append");
  });

  it("refuses an overwrite from an incremental read, which would remove every unchanged member", () => {
    expect(refusal(() => plan("list:Newsletter", "overwrite", { sync_mode: "incremental" }))).toContain(
      "incremental",
    );
  });

  it("refuses an overwrite without a generation id, which cannot tell a resumed sync from a new one", () => {
    expect(refusal(() => plan("list:Newsletter", "overwrite", { generation_id: null }))).toContain(
      "generation_id",
    );
    expect(plan("list:Newsletter", "append", { generation_id: null })?.mode).toBe("add");
  });

  it("keys a list's members by email unless it pins another object", () => {
    expect(plan("list:Newsletter", "append", { primary_key: null })?.idProperty).toBe("email");
    expect(rawSpec({ object: "list[CONTACT]:Newsletter" }).idProperty).toBe("email");
    expect(refusal(() => rawSpec({ object: "list[COMPANY]:Accounts" }))).toContain(
      "unique-value property of COMPANY",
    );
  });

  it("adds by default in raw pipe mode for a list, upserts for an object, sends for events", () => {
    expect(rawSpec({ object: "list:Newsletter" }).mode).toBe("add");
    expect(rawSpec({ object: "contacts" })).toMatchObject({
      kind: "crm-object",
      objectName: "CONTACT",
      mode: "upsert",
    });
    expect(rawSpec({ object: "event:pe1_signup" })).toMatchObject({
      kind: "event",
      mode: "send",
      idProperty: "uuid",
    });
  });
});
