import { afterEach, describe, expect, it } from "vitest";
import { type Sandbox, type SandboxOptions, startSandbox } from "../../src/sandbox/server.js";
import { batch, call, paths } from "./helpers.js";

let sandbox: Sandbox;

afterEach(async () => {
  await sandbox.close();
});

const start = async (options: SandboxOptions = {}) => {
  sandbox = await startSandbox(options);
};

const contact = (email: string, properties: Record<string, string> = {}, trace?: string) => ({
  id: email,
  idProperty: "email",
  properties,
  ...(trace ? { objectWriteTraceId: trace } : {}),
});

describe("the sandbox's write ledger", () => {
  it("counts a create and an update for a key written twice, by email and by record id", async () => {
    await start();
    await batch(sandbox, "legacy", "contacts", "upsert", { inputs: [contact("ada@example.com")] });
    await batch(sandbox, "2026-09", "contacts", "upsert", { inputs: [contact("ADA@example.com")] });
    const byEmail = sandbox.ledger.get("contacts", { property: "email", value: "ada@example.com" });
    expect(byEmail).toMatchObject({ received: 2, creates: 1, updates: 1, archives: 0 });
    const id = sandbox.store.findRecord("contacts", "email", "ada@example.com")?.id;
    expect(sandbox.ledger.get("contacts", `id:${id}`)).toMatchObject({ creates: 1, updates: 1 });
    expect(sandbox.ledger.writtenMoreThan("contacts", 1, "email=")).toEqual(["email=ada@example.com"]);
    expect(byEmail?.history).toBeUndefined();
  });

  it("counts inputs it received but refused, and applies nothing for them", async () => {
    await start();
    const refused = await batch(sandbox, "legacy", "contacts", "upsert", {
      inputs: [contact("ok@example.com"), contact("bad@example.con")],
    });
    expect(refused.status).toBe(400);
    expect(sandbox.ledger.get("contacts", "email=ok@example.com")).toMatchObject({ received: 1, creates: 0 });
    expect(sandbox.ledger.totals("contacts")).toEqual({ creates: 0, updates: 0, archives: 0, records: 0 });
  });

  it("keeps the property maps written to each key in order when ledgerHistory is on", async () => {
    await start({ ledgerHistory: true });
    for (const name of ["First", "Second", "Third"]) {
      await batch(sandbox, "2026-03", "contacts", "upsert", {
        inputs: [contact("ada@example.com", { firstname: name })],
      });
    }
    const entry = sandbox.ledger.get("contacts", "email=ada@example.com");
    expect(entry?.history?.map((written) => written.firstname)).toEqual(["First", "Second", "Third"]);
    expect(entry?.history?.at(-1)?.firstname).toBe(
      sandbox.store.findRecord("contacts", "email", "ada@example.com")?.properties.firstname,
    );
  });

  it("counts single-record creates, updates and archives by record id", async () => {
    await start();
    const created = await call(sandbox, "POST", paths.objects("2026-09", "cars"), {
      properties: { car_id: "V1" },
    });
    const id = String(created.body.id);
    await call(sandbox, "PATCH", `${paths.objects("2026-09", "cars")}/${id}`, {
      properties: { make: "Saab" },
    });
    await call(sandbox, "DELETE", `${paths.objects("2026-09", "cars")}/${id}`);
    expect(sandbox.ledger.get("cars", `id:${id}`)).toMatchObject({ creates: 1, updates: 1, archives: 1 });
    expect(sandbox.ledger.get("cars", "car_id=V1")).toMatchObject({ creates: 1, updates: 1, archives: 1 });
    expect(sandbox.ledger.totals("cars")).toEqual({ creates: 1, updates: 1, archives: 1, records: 1 });
  });

  it("counts every receipt of an event uuid, though the store keeps only the first", async () => {
    await start();
    const event = (uuid: string) => ({ eventName: `pe${sandbox.portalId}_signed_up`, email: "a@x.co", uuid });
    await call(sandbox, "POST", "/events/v3/send/batch", { inputs: [event("u1"), event("u2")] });
    await call(sandbox, "POST", "/events/2026-03/send/batch", { inputs: [event("u1")] });
    await call(sandbox, "POST", "/events/v3/send/batch", { inputs: [event("u3"), { eventName: "nope" }] });
    expect(sandbox.store.events.list()).toHaveLength(2);
    expect(sandbox.ledger.eventReceipts("u1")).toBe(2);
    expect(sandbox.ledger.eventReceipts("u3")).toBe(0);
    expect(sandbox.ledger.duplicateUuids()).toEqual(["u1"]);
  });

  it("counts inputs per route kind next to requests, so inputs per request can be reported", async () => {
    await start();
    await batch(sandbox, "legacy", "contacts", "upsert", {
      inputs: [contact("a@example.com"), contact("b@example.com"), contact("c@example.com")],
    });
    await batch(sandbox, "2026-09", "contacts", "upsert", { inputs: [contact("d@example.com")] });
    expect(sandbox.stats.byRoute.get("upsert")).toBe(2);
    expect(sandbox.stats.inputsByRoute.get("upsert")).toBe(4);
  });
});
