import { describe, expect, it } from "vitest";
import { DEFAULT_FILE_NAME_FORMAT, DEFAULT_PATH_FORMAT } from "../../../src/config/storage.js";
import { buildObjectKey } from "../../../src/rejects/object-key.js";
import { compareNatural, inStoredOrder, readPartKey } from "../../../src/rejects/part-order.js";

const DEFAULT = {
  bucketPath: "hs",
  pathFormat: DEFAULT_PATH_FORMAT,
  fileNameFormat: DEFAULT_FILE_NAME_FORMAT,
};
const SECOND = Date.parse("2026-12-02T04:23:39.000Z");

/** A key as the S3 sink writes it, with the default layout under the bucket path `hs`. */
function keyOf(syncId: string, at: string, partNumber = 0, namespace = "", layout = DEFAULT) {
  return buildObjectKey(layout, {
    syncId,
    namespace,
    streamName: "users",
    partNumber,
    formatExtension: ".jsonl",
    uuid: "00000000-0000-4000-8000-000000000000",
    now: new Date(at),
  });
}

const order = (parts: { key: string; lastModified: number }[], layouts = [DEFAULT]) =>
  inStoredOrder(parts, layouts).map((part) => part.key);

describe("readPartKey", () => {
  it("reads the time to the millisecond, the sync id and the part number from a default key", () => {
    expect(readPartKey(keyOf("42", "2026-12-02T04:23:39.250Z", 3, "public"), [DEFAULT])).toEqual({
      time: Date.parse("2026-12-02T04:23:39.250Z"),
      syncId: "42",
      partNumber: 3,
    });
  });

  it("reads a key whose empty namespace folder was left out", () => {
    const key = keyOf("42", "2026-12-02T04:23:39.250Z", 1);
    expect(key).toBe("hs/42/users/2026-12-02_2026-12-02T04:23:39.250Z_1.jsonl");
    expect(readPartKey(key, [DEFAULT])).toEqual({
      time: Date.parse("2026-12-02T04:23:39.250Z"),
      syncId: "42",
      partNumber: 1,
    });
  });

  it("reads only the file name of a key under another bucket path, whose folders cannot be told apart", () => {
    const key = `other/prefix/${keyOf("42", "2026-12-02T04:23:39.250Z", 1)}`;
    expect(readPartKey(key, [DEFAULT])).toEqual({
      time: Date.parse("2026-12-02T04:23:39.250Z"),
      syncId: undefined,
      partNumber: 1,
    });
  });

  it("reads the time from {epoch} or from the date and time fields of a custom layout", () => {
    const epoch = {
      bucketPath: "hs",
      pathFormat: "{stream_name}/",
      fileNameFormat: "{sync_id}-{epoch}-{part_number}{format_extension}",
    };
    expect(readPartKey(keyOf("7", "2026-12-02T04:23:39.017Z", 0, "", epoch), [epoch])).toEqual({
      time: Date.parse("2026-12-02T04:23:39.017Z"),
      syncId: "7",
      partNumber: 0,
    });
    const fields = {
      bucketPath: "hs",
      pathFormat: "{year}/{month}/{day}/",
      fileNameFormat: "{hour}{minute}{second}{millisecond}_{part_number}{format_extension}",
    };
    expect(readPartKey(keyOf("7", "2026-12-02T04:23:39.017Z", 2, "", fields), [fields]).time).toBe(
      Date.parse("2026-12-02T04:23:39.017Z"),
    );
  });

  it("takes no time from a layout that holds it to the day only, and nothing from a key of no layout", () => {
    const daily = {
      bucketPath: "hs",
      pathFormat: "{date}/",
      fileNameFormat: "{part_number}{format_extension}",
    };
    expect(readPartKey(keyOf("7", "2026-12-02T04:23:39.017Z", 2, "", daily), [daily])).toEqual({
      time: undefined,
      syncId: undefined,
      partNumber: 2,
    });
    expect(readPartKey("hs/something-else.jsonl", [DEFAULT])).toEqual({});
  });
});

describe("inStoredOrder", () => {
  it("puts sync 9 before sync 10 when S3 gives both the same second, by the times in their keys", () => {
    const nine = keyOf("9", "2026-12-02T04:23:39.100Z");
    const ten = keyOf("10", "2026-12-02T04:23:39.900Z");
    expect(ten < nine).toBe(true); // the key string order a plain sort would use
    expect(
      order([
        { key: ten, lastModified: SECOND },
        { key: nine, lastModified: SECOND },
      ]),
    ).toEqual([nine, ten]);
  });

  it("puts a replay's part, stored later under its old sync id, after a newer sync's part", () => {
    const newerSync = keyOf("10", "2026-12-02T04:23:39.100Z");
    const replayOfNine = keyOf("9", "2026-12-02T04:23:39.700Z");
    expect(
      order([
        { key: replayOfNine, lastModified: SECOND },
        { key: newerSync, lastModified: SECOND },
      ]),
    ).toEqual([newerSync, replayOfNine]);
  });

  it("orders parts of one millisecond by sync id and part number as numbers", () => {
    const at = "2026-12-02T04:23:39.100Z";
    const keys = [keyOf("10", at, 0), keyOf("9", at, 10), keyOf("9", at, 2)];
    expect(order(keys.map((key) => ({ key, lastModified: SECOND })))).toEqual([keys[2], keys[1], keys[0]]);
  });

  it("falls back to S3's time, then to the key with its numbers compared as numbers, for keys of no layout", () => {
    const parts = [
      { key: "hs/10/a.jsonl", lastModified: SECOND },
      { key: "hs/9/a.jsonl", lastModified: SECOND },
      { key: "hs/1/a.jsonl", lastModified: SECOND + 1000 },
    ];
    expect(order(parts)).toEqual(["hs/9/a.jsonl", "hs/10/a.jsonl", "hs/1/a.jsonl"]);
  });

  it("reads keys of the configured layout and of the default one side by side", () => {
    const epoch = {
      bucketPath: "hs",
      pathFormat: "{sync_id}/",
      fileNameFormat: "{epoch}_{part_number}{format_extension}",
    };
    const before = keyOf("9", "2026-12-02T04:23:39.100Z");
    const after = keyOf("9", "2026-12-02T04:23:39.400Z", 0, "", epoch);
    expect(
      order(
        [
          { key: after, lastModified: SECOND },
          { key: before, lastModified: SECOND },
        ],
        [epoch, DEFAULT],
      ),
    ).toEqual([before, after]);
  });
});

describe("compareNatural", () => {
  it.each([
    ["hs/9/x", "hs/10/x", -1],
    ["hs/10/x", "hs/9/x", 1],
    ["part_2.jsonl", "part_10.jsonl", -1],
    ["same", "same", 0],
    ["a", "b", -1],
    ["99999999999999999999", "100000000000000000000", -1],
  ])("compares %s with %s as %i", (a, b, sign) => {
    expect(Math.sign(compareNatural(a, b))).toBe(sign);
  });
});
