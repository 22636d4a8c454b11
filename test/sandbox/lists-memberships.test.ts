import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type Sandbox, startSandbox } from "../../src/sandbox/server.js";
import { call, LIST_APIS, makeRecords } from "./helpers.js";

let sandbox: Sandbox;
let contacts: string[];

beforeEach(async () => {
  sandbox = await startSandbox({ lists: { maxMembers: 6, maxIdsPerRequest: 5 } });
  contacts = makeRecords(sandbox, "contacts", 8);
});

afterEach(async () => {
  await sandbox.close();
});

const NEWSLETTER = "1";
const ACTIVE_USERS = "2";
const WEBINAR = "3";
const TARGET_ACCOUNTS = "4";

describe.each(LIST_APIS)("list memberships ($version)", ({ base }) => {
  const memberships = (listId: string, action = "") =>
    `${base}/${listId}/memberships${action && `/${action}`}`;

  it("adds records, naming ids that do not exist as missing and ignoring existing members", async () => {
    const [a, b, c] = contacts as [string, string, string];
    const first = await call(sandbox, "PUT", memberships(NEWSLETTER, "add"), [a, b]);
    expect(first.status).toBe(200);
    expect(first.body).toEqual({ recordsIdsAdded: [a, b], recordIdsRemoved: [], recordIdsMissing: [] });
    const second = await call(sandbox, "PUT", memberships(NEWSLETTER, "add"), [b, c, "404404"]);
    expect(second.body).toEqual({ recordsIdsAdded: [c], recordIdsRemoved: [], recordIdsMissing: ["404404"] });
    expect(sandbox.store.lists.membersOf(NEWSLETTER)).toEqual([a, b, c]);
  });

  it("removes members, ignoring non-members and naming ids that do not exist as missing", async () => {
    const [a, b, c] = contacts as [string, string, string];
    await call(sandbox, "PUT", memberships(NEWSLETTER, "add"), [a, b]);
    const answer = await call(sandbox, "PUT", memberships(NEWSLETTER, "remove"), [a, c, "404404"]);
    expect(answer.body).toEqual({ recordsIdsAdded: [], recordIdsRemoved: [a], recordIdsMissing: ["404404"] });
    expect(sandbox.store.lists.membersOf(NEWSLETTER)).toEqual([b]);
  });

  it("adds and removes in one request, and needs both fields", async () => {
    const [a, b, c] = contacts as [string, string, string];
    await call(sandbox, "PUT", memberships(WEBINAR, "add"), [a]);
    const answer = await call(sandbox, "PUT", memberships(WEBINAR, "add-and-remove"), {
      recordIdsToAdd: [b, c],
      recordIdsToRemove: [a],
    });
    expect(answer.body).toEqual({ recordsIdsAdded: [b, c], recordIdsRemoved: [a], recordIdsMissing: [] });
    expect(sandbox.store.lists.membersOf(WEBINAR)).toEqual([b, c]);
    const both = await call(sandbox, "PUT", memberships(WEBINAR, "add-and-remove"), {
      recordIdsToAdd: [b],
      recordIdsToRemove: [b],
    });
    expect(both.body).toEqual({ recordsIdsAdded: [b], recordIdsRemoved: [b], recordIdsMissing: [] });
    expect(sandbox.store.lists.membersOf(WEBINAR)).toEqual([b, c]);
    const half = await call(sandbox, "PUT", memberships(WEBINAR, "add-and-remove"), { recordIdsToAdd: [a] });
    expect(half.status).toBe(400);
    expect(String(half.body.message)).toContain("[recordIdsToRemove]");
  });

  it("takes only records of the list's object", async () => {
    const [company] = makeRecords(sandbox, "companies", 1) as [string];
    const answer = await call(sandbox, "PUT", memberships(TARGET_ACCOUNTS, "add"), [company, contacts[0]]);
    expect(answer.body).toEqual({
      recordsIdsAdded: [company],
      recordIdsRemoved: [],
      recordIdsMissing: [contacts[0]],
    });
  });

  it("refuses membership writes to a DYNAMIC list, whose filters decide", async () => {
    for (const [method, action, body] of [
      ["PUT", "add", [contacts[0]]],
      ["PUT", "remove", [contacts[0]]],
      ["PUT", "add-and-remove", { recordIdsToAdd: [], recordIdsToRemove: [] }],
      ["DELETE", "", undefined],
    ] as const) {
      const answer = await call(sandbox, method, memberships(ACTIVE_USERS, action), body);
      expect(answer.status).toBe(400);
      expect(String(answer.body.message)).toContain("DYNAMIC");
    }
    expect(sandbox.store.lists.membersOf(ACTIVE_USERS)).toEqual([]);
  });

  it("reads a DYNAMIC list's members as they were seeded", async () => {
    sandbox.store.lists.seedMembers(ACTIVE_USERS, [contacts[1] as string, contacts[0] as string]);
    const answer = await call(sandbox, "GET", memberships(ACTIVE_USERS));
    expect((answer.body.results ?? []).map((result) => result.recordId)).toEqual([contacts[0], contacts[1]]);
  });

  it("pages members in ascending id order with limit and after, and back with before", async () => {
    await call(sandbox, "PUT", memberships(NEWSLETTER, "add"), contacts.slice(0, 5).reverse());
    const first = await call(sandbox, "GET", `${memberships(NEWSLETTER)}?limit=2`);
    expect(first.status).toBe(200);
    const ids = (answer: typeof first) => (answer.body.results ?? []).map((result) => result.recordId);
    expect(ids(first)).toEqual(contacts.slice(0, 2));
    expect(first.body.results?.[0]?.membershipTimestamp).toEqual(
      expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
    );
    expect(first.body.total).toBe(5);
    const after = (first.body.paging as { next: { after: string } }).next.after;
    const second = await call(sandbox, "GET", `${memberships(NEWSLETTER)}?limit=2&after=${after}`);
    expect(ids(second)).toEqual(contacts.slice(2, 4));
    const cursor = (second.body.paging as { next: { after: string } }).next.after;
    const back = await call(sandbox, "GET", `${memberships(NEWSLETTER)}?limit=2&before=${cursor}`);
    expect(ids(back)).toEqual([contacts[2], contacts[1]]);
    const afterWins = await call(
      sandbox,
      "GET",
      `${memberships(NEWSLETTER)}?limit=2&after=${after}&before=${cursor}`,
    );
    expect(ids(afterWins)).toEqual(contacts.slice(2, 4));
    const last = await call(sandbox, "GET", `${memberships(NEWSLETTER)}?after=${cursor}`);
    expect(ids(last)).toEqual([contacts[4]]);
    expect(last.body.paging).toBeUndefined();
  });

  it("refuses a page larger than 250", async () => {
    expect((await call(sandbox, "GET", `${memberships(NEWSLETTER)}?limit=251`)).status).toBe(400);
    expect((await call(sandbox, "GET", `${memberships(NEWSLETTER)}?limit=250`)).status).toBe(200);
  });

  it("empties a list with DELETE …/memberships and keeps the list", async () => {
    await call(sandbox, "PUT", memberships(NEWSLETTER, "add"), contacts.slice(0, 3));
    const answer = await call(sandbox, "DELETE", memberships(NEWSLETTER));
    expect(answer.status).toBe(204);
    expect(sandbox.store.lists.membersOf(NEWSLETTER)).toEqual([]);
    expect((await call(sandbox, "GET", `${base}/${NEWSLETTER}`)).status).toBe(200);
  });

  it("does not count archived records as members", async () => {
    await call(sandbox, "PUT", memberships(NEWSLETTER, "add"), contacts.slice(0, 2));
    const state = sandbox.store.resolve("contacts");
    sandbox.store.archive(state!, sandbox.store.lookup(state!, contacts[0] as string, undefined)!);
    expect(sandbox.store.lists.membersOf(NEWSLETTER)).toEqual([contacts[1]]);
    const list = await call(sandbox, "GET", `${base}/${NEWSLETTER}`);
    expect((list.body.list as { size: number }).size).toBe(1);
  });

  it("refuses an add that would take a list past its maximum size, changing nothing", async () => {
    await call(sandbox, "PUT", memberships(NEWSLETTER, "add"), contacts.slice(0, 5));
    const answer = await call(sandbox, "PUT", memberships(NEWSLETTER, "add"), contacts.slice(5, 7));
    expect(answer.status).toBe(400);
    expect(String(answer.body.message)).toContain("at most 6");
    expect(sandbox.store.lists.membersOf(NEWSLETTER)).toHaveLength(5);
    const swap = await call(sandbox, "PUT", memberships(NEWSLETTER, "add-and-remove"), {
      recordIdsToAdd: contacts.slice(5, 7),
      recordIdsToRemove: contacts.slice(0, 1),
    });
    expect(swap.status).toBe(200);
    expect(sandbox.store.lists.membersOf(NEWSLETTER)).toHaveLength(6);
  });

  it("refuses a request carrying more ids than the per-request cap", async () => {
    const answer = await call(sandbox, "PUT", memberships(NEWSLETTER, "add"), contacts.slice(0, 6));
    expect(answer.status).toBe(400);
    expect(String(answer.body.message)).toContain("at most 5");
    expect(sandbox.store.lists.membersOf(NEWSLETTER)).toEqual([]);
  });

  it("answers 404 for memberships of a list that does not exist or was deleted", async () => {
    expect((await call(sandbox, "PUT", memberships("77", "add"), [contacts[0]])).status).toBe(404);
    await call(sandbox, "DELETE", `${base}/${NEWSLETTER}`);
    expect((await call(sandbox, "GET", memberships(NEWSLETTER))).status).toBe(404);
  });

  it("counts the membership changes it receives, per list", async () => {
    const [a, b] = contacts as [string, string];
    await call(sandbox, "PUT", memberships(NEWSLETTER, "add"), [a, b, "404404"]);
    await call(sandbox, "PUT", memberships(NEWSLETTER, "add"), [a]);
    await call(sandbox, "PUT", memberships(WEBINAR, "remove"), [a]);
    expect(sandbox.store.lists.received(NEWSLETTER)).toEqual({
      requests: 2,
      idsToAdd: 4,
      idsToRemove: 0,
      added: 2,
      removed: 0,
      missing: 1,
    });
    expect(sandbox.store.lists.received()).toMatchObject({ requests: 3, idsToRemove: 1 });
  });
});

describe("list membership limits", () => {
  it("cannot empty a list of 100,000 members at once, but can one just below", async () => {
    const big = await startSandbox();
    try {
      const ids = makeRecords(big, "contacts", 100_000);
      big.store.lists.seedMembers(NEWSLETTER, ids);
      const refused = await call(big, "DELETE", `/crm/v3/lists/${NEWSLETTER}/memberships`);
      expect(refused.status).toBe(400);
      expect(String(refused.body.message)).toContain("fewer than 100000");
      big.store.lists.seedMembers(NEWSLETTER, ids.slice(1));
      expect((await call(big, "DELETE", `/crm/v3/lists/${NEWSLETTER}/memberships`)).status).toBe(204);
    } finally {
      await big.close();
    }
  });
});
