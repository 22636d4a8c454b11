import { describe, expect, it } from "vitest";
import { UsageError } from "../../../src/errors.js";
import { REJECTS_DEADLINE_ENV, rejectsDeadlineMsFrom } from "../../../src/run/rejects-deadline.js";
import {
  S3_ATTEMPT_TIMEOUT_MS,
  S3_RETRY_WINDOW_MS,
  S3_UPLOAD_DEADLINE_MS,
  uploadBounds,
} from "../../../src/rejects/s3-sink.js";

describe("the rejects store's upload deadline", () => {
  it("is the documented minute by default: attempts cut at 15 s, none started after 45 s", () => {
    expect(S3_UPLOAD_DEADLINE_MS).toBe(60_000);
    expect(uploadBounds()).toEqual({ attemptTimeoutMs: 15_000, retryWindowMs: 45_000 });
    expect(uploadBounds().attemptTimeoutMs).toBe(S3_ATTEMPT_TIMEOUT_MS);
    expect(uploadBounds().retryWindowMs).toBe(S3_RETRY_WINDOW_MS);
  });

  it("keeps those proportions for another deadline, so attempt and window end within it", () => {
    expect(uploadBounds(4_000)).toEqual({ attemptTimeoutMs: 1_000, retryWindowMs: 3_000 });
    const odd = uploadBounds(1_001);
    expect(odd.attemptTimeoutMs + odd.retryWindowMs).toBe(1_001);
  });

  it("is read in seconds, fractions allowed, from DESTINATION_HUBSPOT_REJECTS_DEADLINE_SECONDS", () => {
    expect(REJECTS_DEADLINE_ENV).toBe("DESTINATION_HUBSPOT_REJECTS_DEADLINE_SECONDS");
    expect(rejectsDeadlineMsFrom({ [REJECTS_DEADLINE_ENV]: "4" })).toBe(4_000);
    expect(rejectsDeadlineMsFrom({ [REJECTS_DEADLINE_ENV]: "0.5" })).toBe(500);
    expect(rejectsDeadlineMsFrom({ [REJECTS_DEADLINE_ENV]: " " })).toBeUndefined();
    expect(rejectsDeadlineMsFrom({})).toBeUndefined();
  });

  it.each(["soon", "0", "-1", "3601", "Infinity"])(
    "refuses %j as a usage error naming the variable",
    (text) => {
      const refuse = () => rejectsDeadlineMsFrom({ [REJECTS_DEADLINE_ENV]: text });
      expect(refuse).toThrow(UsageError);
      expect(refuse).toThrow(REJECTS_DEADLINE_ENV);
    },
  );
});
