import type { Client } from "@hubspot/api-client";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Sandbox } from "../support/sandbox.js";
import { expectNotImplemented, startWithClient } from "./helpers.js";

let sandbox: Sandbox;
let client: Client;

beforeEach(async () => {
  ({ sandbox, client } = await startWithClient());
});
afterEach(async () => {
  await sandbox.close();
});

describe("what the sandbox does not implement, through @hubspot/api-client", () => {
  it("refuses a route it does not serve with a 501 saying so", async () => {
    await expectNotImplemented(
      client.crm.contacts.basicApi.purge({ objectId: "1" }),
      /does not implement POST \/crm\/v3\/objects\/contacts\/gdpr-delete/,
    );
    await expectNotImplemented(
      client.crm.lists.foldersApi.getAll(),
      /does not implement GET \/crm\/v3\/lists\/folders/,
    );
    await expectNotImplemented(
      client.crm.properties.coreApi.update("contacts", "email", { label: "E-mail" }),
      /PATCH/,
    );
  });

  it("refuses an object it does not serve with a 501 naming it", async () => {
    await expectNotImplemented(client.crm.quotes.basicApi.getPage(), /does not serve the object quotes/);
    await expectNotImplemented(
      client.crm.objects.basicApi.getPage("communications"),
      /does not serve the object communications/,
    );
  });

  it("refuses a parameter or field it does not honour with a 501 naming it, and changes nothing", async () => {
    await expectNotImplemented(
      client.crm.properties.coreApi.getAll("contacts", false, "email"),
      /query parameter properties/,
    );
    await expectNotImplemented(
      client.crm.lists.listsApi.create({
        name: "Active",
        objectTypeId: "0-1",
        processingType: "DYNAMIC",
        filterBranch: {
          filterBranchType: "OR",
          filterBranchOperator: "OR",
          filterBranches: [],
          filters: [],
        } as never,
      }),
      /field filterBranch/,
    );
    expect(sandbox.store.lists.byName("Active")).toBeUndefined();
  });
});
