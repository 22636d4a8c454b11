import type { Client } from "@hubspot/api-client";
import {
  PropertyCreateFieldTypeEnum,
  PropertyCreateTypeEnum,
} from "@hubspot/api-client/lib/codegen/crm/properties/models/PropertyCreate.js";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Sandbox } from "../support/sandbox.js";
import { startWithClient } from "./helpers.js";

let sandbox: Sandbox;
let client: Client;

beforeEach(async () => {
  ({ sandbox, client } = await startWithClient());
});
afterEach(async () => {
  await sandbox.close();
});

describe("properties, schemas and custom events through @hubspot/api-client", () => {
  it("creates a property and reads back what was sent, in a group it created", async () => {
    const group = await client.crm.properties.groupsApi.create("contacts", {
      name: "loyalty",
      label: "Loyalty",
      displayOrder: 4,
    });
    expect(group).toMatchObject({ name: "loyalty", label: "Loyalty", displayOrder: 4 });
    await client.crm.properties.coreApi.create("contacts", {
      name: "tier",
      label: "Tier",
      type: PropertyCreateTypeEnum.Enumeration,
      fieldType: PropertyCreateFieldTypeEnum.Select,
      groupName: "loyalty",
      description: "Loyalty tier",
      displayOrder: 2,
      hasUniqueValue: false,
      hidden: false,
      formField: true,
      options: [
        { label: "Gold", value: "gold", displayOrder: 0, hidden: false },
        { label: "Silver", value: "silver", displayOrder: 1, hidden: false, description: "second" },
      ],
    });
    const read = await client.crm.properties.coreApi.getByName("contacts", "tier");
    expect(read).toMatchObject({
      name: "tier",
      label: "Tier",
      description: "Loyalty tier",
      displayOrder: 2,
      groupName: "loyalty",
    });
    expect(read.options.map((option) => [option.value, option.displayOrder, option.description])).toEqual([
      ["gold", 0, undefined],
      ["silver", 1, "second"],
    ]);
    const all = await client.crm.properties.coreApi.getAll("contacts");
    expect(all.results.map((property) => property.name)).toContain("tier");
    const groups = await client.crm.properties.groupsApi.getAll("contacts");
    expect(groups.results.map((one) => one.name)).toContain("loyalty");
  });

  it("reads the custom object schemas by list and by type id", async () => {
    const all = await client.crm.schemas.coreApi.getAll();
    expect(all.results.map((schema) => schema.name).sort()).toEqual(["cars", "pets"]);
    const cars = await client.crm.schemas.coreApi.getById("2-3465404");
    expect(cars).toMatchObject({
      name: "cars",
      requiredProperties: ["car_id"],
      primaryDisplayProperty: "car_id",
    });
  });

  it("defines a custom event, sends occurrences one by one and in a batch, and the sandbox holds what was sent", async () => {
    const definition = await client.apiRequest({
      method: "POST",
      path: "/events/v3/event-definitions",
      body: {
        label: "Trial started",
        name: "trial_started",
        primaryObject: "CONTACT",
        includeDefaultProperties: false,
        propertyDefinitions: [{ name: "plan", label: "Plan", type: "string" }],
      },
    });
    expect(definition.status).toBe(201);
    const eventName = `pe${sandbox.portalId}_trial_started`;
    const occurredAt = new Date("2026-01-02T03:04:05.000Z");
    await client.events.send.basicApi.send({
      eventName,
      email: "ada@example.com",
      occurredAt,
      properties: { plan: "pro" },
      uuid: "e1",
    });
    await client.events.send.batchApi.send({
      inputs: [{ eventName, email: "bob@example.com", occurredAt, properties: { plan: "free" }, uuid: "e2" }],
    });
    expect(
      sandbox.store.events
        .list("trial_started")
        .map((event) => [event.email, event.properties, event.occurredAt]),
    ).toEqual([
      ["ada@example.com", { plan: "pro" }, occurredAt.toISOString()],
      ["bob@example.com", { plan: "free" }, occurredAt.toISOString()],
    ]);
    const listed = await client.apiRequest({
      method: "GET",
      path: "/events/v3/event-definitions?includeProperties=true",
    });
    const body = (await listed.json()) as {
      results: Array<{ name: string; properties: Array<{ name: string }> }>;
    };
    expect(
      body.results.find((one) => one.name === "trial_started")?.properties.map((one) => one.name),
    ).toEqual(["plan"]);
  });
});
