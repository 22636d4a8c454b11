import { describe, expect, it } from "vitest";
import { REJECTS_DEADLINE_ENV } from "../../src/run/rejects-deadline.js";
import { runCli, writeTempJson } from "../support/cli.js";
import { freshPrefix, traceError, useS3, useSandbox } from "../support/harness.js";
import { recordLine, stateLine, stream } from "../support/messages.js";
import { acceptS3Key, s3StorageConfig } from "../support/s3.js";

const CANARY = {
  token: "pat-na1-canary-token-5f1e",
  clientId: "canary-client-id-77a2",
  clientSecret: "canary-client-secret-9b3c",
  refreshToken: "canary-refresh-token-c4d8",
  accessKey: "AKIACANARY0000000001",
  secretKey: "canary/secret+key=0001",
};

const s3 = useS3();
// The store knows the canary key, so the write that succeeds does store its rejected record with it.
acceptS3Key(CANARY.accessKey, CANARY.secretKey);
const sandbox = useSandbox(
  {
    privateAppTokens: [
      {
        token: CANARY.token,
        scopes: ["crm.objects.contacts.write", "crm.objects.contacts.read", "crm.schemas.contacts.read"],
      },
    ],
    oauthClients: [
      {
        clientId: CANARY.clientId,
        clientSecret: CANARY.clientSecret,
        refreshTokens: [CANARY.refreshToken],
        scopes: ["oauth"],
      },
    ],
  },
  { per: "file" },
);

const catalog = () => writeTempJson({ streams: [stream("people", "CONTACT", "email")] });
const lines = [
  recordLine("people", { email: "a@x.co" }),
  recordLine("people", { firstname: "no key" }),
  stateLine("people", 1),
].join("\n");
const storage = (prefix: string, extra: Record<string, unknown> = {}) =>
  s3StorageConfig(s3, {
    bucket_path: prefix,
    access_key_id: CANARY.accessKey,
    secret_access_key: CANARY.secretKey,
    ...extra,
  });

function expectNoCanary(text: string) {
  for (const secret of Object.values(CANARY)) {
    expect(text).not.toContain(secret);
    expect(text).not.toContain(encodeURIComponent(secret));
  }
}

/** What the write of each case must end with: the case's failure must happen for its check to mean anything. */
type Expected =
  | { exit: 0; stored: number }
  | { exit: 1; failure: "config_error" | "transient_error"; says: RegExp };

describe("reliability: secrets", () => {
  it.each<[string, () => Record<string, unknown>, Expected]>([
    [
      "a write that succeeds",
      () => ({ credentials: { type: "Private App", access_token: CANARY.token } }),
      { exit: 0, stored: 1 },
    ],
    [
      "an OAuth app HubSpot refuses to refresh",
      () => ({
        credentials: {
          type: "OAuth",
          client_id: CANARY.clientId,
          client_secret: "wrong",
          refresh_token: CANARY.refreshToken,
        },
      }),
      { exit: 1, failure: "config_error", says: /rejected the OAuth client id or client secret/ },
    ],
    [
      "an OAuth token without the CRM scopes",
      () => ({
        credentials: {
          type: "OAuth",
          client_id: CANARY.clientId,
          client_secret: CANARY.clientSecret,
          refresh_token: CANARY.refreshToken,
        },
      }),
      { exit: 1, failure: "config_error", says: /lacks scopes/ },
    ],
    [
      "an S3 store that cannot be reached",
      () => ({
        credentials: { type: "Private App", access_token: CANARY.token },
        s3: { s3_endpoint: "http://127.0.0.1:1" },
      }),
      { exit: 1, failure: "transient_error", says: /unreachable/ },
    ],
    [
      "a config that does not validate",
      () => ({
        credentials: { type: "Private App", access_token: CANARY.token },
        batch_size: CANARY.secretKey,
      }),
      { exit: 1, failure: "config_error", says: /batch_size/ },
    ],
  ])("keeps every secret out of stdout, stderr and the rejected store: %s", async (_case, make, expected) => {
    const { s3: s3Extra, ...rest } = make() as Record<string, unknown> & { s3?: Record<string, unknown> };
    const prefix = freshPrefix("secrets");
    const config = await writeTempJson({
      api_base_url: sandbox.url,
      object_storage_config: storage(prefix, s3Extra),
      request_timeout_seconds: 5,
      ...rest,
    });
    for (const command of [
      ["check", "--config", config],
      ["discover", "--config", config],
      ["write", "--config", config, "--catalog", await catalog()],
    ]) {
      // A store that cannot be reached fails the write within its deadline: a few seconds, not the minute.
      const result = await runCli(command, { stdin: `${lines}\n`, env: { [REJECTS_DEADLINE_ENV]: "2" } });
      expectNoCanary(result.stdout);
      expectNoCanary(result.stderr);
      if (command[0] !== "write") continue;
      expect(result.exitCode, result.stderr).toBe(expected.exit);
      if (expected.exit === 1) {
        expect(traceError(result)?.failure_type).toBe(expected.failure);
        expect(traceError(result)?.message).toMatch(expected.says);
      }
    }
    const rows = await s3.jsonLines(prefix).catch(() => []);
    expect(rows).toHaveLength(expected.exit === 0 ? expected.stored : 0);
    expectNoCanary(JSON.stringify(rows));
  });
});
