import { describe, expect, it } from "vitest";
import {
  isListObject,
  isOverwriteMarkerOf,
  isStagingList,
  objectNameOfType,
  parseListObject,
  stagingGeneration,
  overwriteMarkerName,
  stagingListName,
} from "../../../../src/targets/list/names.js";

describe("list object names", () => {
  it.each([
    ["list:Newsletter", { listName: "Newsletter", objectName: undefined }],
    ["list: Q3: churn risk ", { listName: "Q3: churn risk", objectName: undefined }],
    ["list[COMPANY]:Target accounts", { listName: "Target accounts", objectName: "COMPANY" }],
    ["list[cars]:Q3: fleet", { listName: "Q3: fleet", objectName: "cars" }],
    ["list[]:Plain", { listName: "Plain", objectName: undefined }],
  ])("reads %j", (objectName, expected) => {
    expect(isListObject(objectName)).toBe(true);
    expect(parseListObject(objectName)).toEqual(expected);
  });

  it.each(["CONTACT", "event:pe123_signup", "lists:Newsletter", "List:Newsletter", "list:", "list:   "])(
    "does not read %j as a list, or as one without a name",
    (objectName) => {
      expect(parseListObject(objectName)).toBeUndefined();
    },
  );

  it("names standard object types, and leaves a custom one's type id as it is", () => {
    expect(objectNameOfType("0-2")).toBe("COMPANY");
    expect(objectNameOfType("2-1234")).toBe("2-1234");
  });
});

describe("staging list names", () => {
  it("names a generation's staging list after the list, and reads the generation back whatever the case", () => {
    expect(stagingListName("Newsletter", 7)).toBe("Newsletter · sync generation 7");
    expect(stagingGeneration("Newsletter", "newsletter · SYNC generation 12")).toBe(12);
  });

  it("reads no generation from another list's staging list or from a name that merely starts the same", () => {
    expect(stagingGeneration("Newsletter", "Newsletter 2 · sync generation 3")).toBeUndefined();
    expect(stagingGeneration("Newsletter", "Newsletter · sync generation 3b")).toBeUndefined();
    expect(stagingGeneration("Newsletter", "Newsletter")).toBeUndefined();
  });

  it("tells staging lists from the lists discover offers", () => {
    expect(isStagingList("Newsletter · sync generation 3")).toBe(true);
    expect(isStagingList("Newsletter · sync generation")).toBe(false);
    expect(isStagingList("Webinar attendees 2025")).toBe(false);
    expect(isStagingList("Newsletter · overwrite run 3fa2c1d0")).toBe(true);
  });
});

describe("overwrite marker names", () => {
  it("names a run's marker after the list, and knows it from another list's and from a look-alike", () => {
    const marker = overwriteMarkerName("Newsletter", "3fa2c1d0");
    expect(marker).toBe("Newsletter · overwrite run 3fa2c1d0");
    expect(isOverwriteMarkerOf("Newsletter", marker)).toBe(true);
    expect(isOverwriteMarkerOf("newsletter", marker.toUpperCase())).toBe(true);
    expect(isOverwriteMarkerOf("Newsletter 2", marker)).toBe(false);
    expect(isOverwriteMarkerOf("Newsletter", "Newsletter 2 · overwrite run 3fa2c1d0")).toBe(false);
    expect(isOverwriteMarkerOf("Newsletter", "Newsletter · overwrite run soon")).toBe(false);
    expect(isOverwriteMarkerOf("Newsletter", "Newsletter · sync generation 3")).toBe(false);
  });
});
