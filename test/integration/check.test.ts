import { describe, expect, it } from "vitest";
import { ALL_SCOPES } from "../../src/sandbox/server.js";
import { runCli, writeTempJson } from "../support/cli.js";
import { TOKEN, useS3, useSandbox } from "../support/harness.js";
import { s3StorageConfig } from "../support/s3.js";

const CONTACTS_ONLY = "pat-contacts-only";
const NO_CRM = "pat-no-crm";
const UNKNOWN_TO_TOKEN_INFO = "pat-na2-service-key";
const OAUTH = {
  client_id: "demo-client",
  client_secret: "demo-secret-value",
  refresh_token: "demo-refresh-token",
};

const sandbox = useSandbox(
  {
    privateAppTokens: [
      { token: TOKEN, scopes: [...ALL_SCOPES] },
      {
        token: CONTACTS_ONLY,
        scopes: ["crm.objects.contacts.read", "crm.objects.contacts.write", "crm.schemas.contacts.read"],
      },
      { token: NO_CRM, scopes: ["oauth"] },
      { token: UNKNOWN_TO_TOKEN_INFO, scopes: [...ALL_SCOPES], introspectable: false },
    ],
    oauthClients: [
      {
        clientId: OAUTH.client_id,
        clientSecret: OAUTH.client_secret,
        refreshTokens: [OAUTH.refresh_token],
        scopes: [...ALL_SCOPES],
      },
    ],
  },
  { per: "file" },
);
const s3 = useS3();

async function check(config: Record<string, unknown>) {
  const result = await runCli(["check", "--config", await writeTempJson(config)]);
  expect(result.exitCode).toBe(0);
  const statuses = result.messages.filter((m) => m.type === "CONNECTION_STATUS");
  expect(statuses).toHaveLength(1);
  return {
    ...result,
    status: (statuses[0] as { connectionStatus: { status: string; message?: string } }).connectionStatus,
  };
}

const privateApp = (token: string, extra: Record<string, unknown> = {}) => ({
  credentials: { type: "Private App", access_token: token },
  api_base_url: sandbox.url,
  ...extra,
});

describe("check", () => {
  it("succeeds with a private app token that can reach the CRM", async () => {
    const { status } = await check(privateApp(TOKEN));
    expect(status.status).toBe("SUCCEEDED");
    expect(status.message).toContain("CONTACT");
  });

  it("succeeds with OAuth credentials and reports the portal", async () => {
    const { status } = await check({ credentials: { type: "OAuth", ...OAUTH }, api_base_url: sandbox.url });
    expect(status.status).toBe("SUCCEEDED");
    expect(status.message).toContain(String(sandbox.portalId));
  });

  it("fails with the cause when the access token is unknown to HubSpot", async () => {
    const { status, stdout, stderr } = await check(privateApp("pat-na1-not-a-real-token"));
    expect(status.status).toBe("FAILED");
    expect(status.message).toMatch(/rejected the access token/);
    expect(stdout + stderr).not.toContain("pat-na1-not-a-real-token");
  });

  it("fails naming the refresh token when HubSpot refuses it", async () => {
    const { status, stdout, stderr } = await check({
      credentials: { type: "OAuth", ...OAUTH, refresh_token: "revoked-refresh-token" },
      api_base_url: sandbox.url,
    });
    expect(status.status).toBe("FAILED");
    expect(status.message).toMatch(/refresh token/);
    expect(stdout + stderr).not.toContain("revoked-refresh-token");
    expect(stdout + stderr).not.toContain(OAUTH.client_secret);
  });

  it("names the missing scopes when the token can reach no CRM object", async () => {
    const { status } = await check(privateApp(NO_CRM));
    expect(status.status).toBe("FAILED");
    expect(status.message).toMatch(/CONTACT needs crm\.objects\.contacts\.write/);
  });

  it("succeeds with a token limited to contacts and lists what it lacks for the others", async () => {
    const { status } = await check(privateApp(CONTACTS_ONLY));
    expect(status.status).toBe("SUCCEEDED");
    expect(status.message).toMatch(
      // Activities are written with the contacts' scopes.
      /writable: CONTACT, NOTE, CALL, TASK, MEETING, EMAIL; missing write scopes: .*DEAL needs crm\.objects\.deals\.write/,
    );
  });

  it("says write scopes were not verified when HubSpot's token info does not know the token (a service key)", async () => {
    const { status } = await check(privateApp(UNKNOWN_TO_TOKEN_INFO));
    expect(status.status).toBe("SUCCEEDED");
    expect(status.message).toMatch(/write scopes were not verified/);
  });

  it("fails naming the field when the config is invalid, without echoing any secret", async () => {
    const { status, stdout } = await check({
      credentials: { type: "Private App", access_token: "pat-secret-canary-123" },
      api_base_url: "http://api.example.com",
      batch_size: 500,
    });
    expect(status.status).toBe("FAILED");
    expect(status.message).toContain("api_base_url");
    expect(status.message).toContain("batch_size");
    expect(stdout).not.toContain("pat-secret-canary-123");
  });

  it("writes, lists and deletes a test object in the S3 store", async () => {
    const { status } = await check(privateApp(TOKEN, { object_storage_config: s3StorageConfig(s3) }));
    expect(status.status).toBe("SUCCEEDED");
    expect(status.message).toContain(`s3://${s3.bucket}/rejected`);
    expect(await s3.keys("rejected/")).toEqual([]);
  });

  it("fails when the S3 bucket does not exist", async () => {
    const { status } = await check(
      privateApp(TOKEN, { object_storage_config: s3StorageConfig(s3, { s3_bucket_name: "no-such-bucket" }) }),
    );
    expect(status.status).toBe("FAILED");
    expect(status.message).toContain('bucket "no-such-bucket" does not exist');
  });

  it("fails when the S3 endpoint is unreachable", async () => {
    const { status } = await check(
      privateApp(TOKEN, {
        object_storage_config: s3StorageConfig(s3, { s3_endpoint: "http://127.0.0.1:1" }),
      }),
    );
    expect(status.status).toBe("FAILED");
    expect(status.message).toMatch(/unreachable/);
  });

  it("fails when HubSpot itself cannot be reached", async () => {
    const { status } = await check({
      credentials: { type: "Private App", access_token: TOKEN },
      api_base_url: "http://127.0.0.1:1",
      request_timeout_seconds: 5,
    });
    expect(status.status).toBe("FAILED");
    expect(status.message).toMatch(/refused|could not complete/i);
  });

  it("fails, naming both portals, when guards.expected_portal_id names another portal than the token's", async () => {
    const other = sandbox.portalId + 1;
    for (const token of [TOKEN, UNKNOWN_TO_TOKEN_INFO]) {
      const { status } = await check(privateApp(token, { guards: { expected_portal_id: other } }));
      expect(status.status).toBe("FAILED");
      expect(status.message).toContain(`expects HubSpot portal ${other}`);
      expect(status.message).toContain(`belong to portal ${sandbox.portalId}`);
    }
    const same = await check(privateApp(TOKEN, { guards: { expected_portal_id: sandbox.portalId } }));
    expect(same.status.status).toBe("SUCCEEDED");
  });

  it("fails, exit 0, when HubSpot answers 431 to a token far longer than any (a file pasted in its place)", async () => {
    const token = `pat-na1-${"x".repeat(100_000)}`;
    const { status, stdout, stderr } = await check(privateApp(token));
    expect(status.status).toBe("FAILED");
    expect(status.message).toContain("431 Request Header Fields Too Large");
    expect(stdout + stderr).not.toContain("x".repeat(50));
  });

  it("fails, exit 0, on a failure it did not foresee, saying so", async () => {
    sandbox.faults.add({ kind: "status", status: 418, path: "/access-token-info", times: 5 });
    const { status, messages } = await check(privateApp(TOKEN));
    expect(status.status).toBe("FAILED");
    expect(status.message).toContain("418");
    expect(status.message).toContain("The connector did not expect this failure");
    expect(messages.some((message) => message.type === "TRACE")).toBe(false);
    sandbox.faults.clear();
  });
});
