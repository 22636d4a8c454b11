import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Sandbox, startSandbox } from "../../src/sandbox/server.js";
import { runCli, writeTempJson } from "../support/cli.js";
import { recordLine, stateLine, stream } from "../support/messages.js";
import { s3StorageConfig, startS3, type TestS3 } from "../support/s3.js";

const CANARY = {
  token: "pat-na1-canary-token-5f1e",
  clientId: "canary-client-id-77a2",
  clientSecret: "canary-client-secret-9b3c",
  refreshToken: "canary-refresh-token-c4d8",
  accessKey: "AKIACANARY0000000001",
  secretKey: "canary/secret+key=0001",
};

let s3: TestS3;
let sandbox: Sandbox;

beforeAll(async () => {
  s3 = await startS3();
  sandbox = await startSandbox({
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
  });
});
afterAll(async () => {
  await sandbox.close();
  await s3.close();
});

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

describe("reliability: secrets", () => {
  it.each([
    ["a write that succeeds", () => ({ credentials: { type: "Private App", access_token: CANARY.token } })],
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
    ],
    [
      "an S3 store that cannot be reached",
      () => ({
        credentials: { type: "Private App", access_token: CANARY.token },
        s3: { s3_endpoint: "http://127.0.0.1:1" },
      }),
    ],
    [
      "a config that does not validate",
      () => ({
        credentials: { type: "Private App", access_token: CANARY.token },
        batch_size: CANARY.secretKey,
      }),
    ],
  ])(
    "keeps every secret out of stdout, stderr and the rejected store: %s",
    async (_case, make) => {
      const { s3: s3Extra, ...rest } = make() as Record<string, unknown> & { s3?: Record<string, unknown> };
      const prefix = `secrets-${Date.now()}-${Math.random().toString(36).slice(2)}`;
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
        const result = await runCli(command, { stdin: `${lines}\n`, timeoutMs: 120_000 });
        expectNoCanary(result.stdout);
        expectNoCanary(result.stderr);
      }
      const stored = JSON.stringify(await s3.jsonLines(prefix).catch(() => []));
      expectNoCanary(stored);
    },
    240_000,
  );
});
