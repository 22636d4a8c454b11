/**
 * A request whose caller goes away while the sandbox is still handling it: the write is applied after the latency,
 * as HubSpot applies a write its caller no longer waits for, and the request counts as in flight until then. Crash
 * tests wait for `stats.inFlight` to reach 0 before counting what HubSpot received from a killed run.
 */
import { connect } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, describe, expect, it } from "vitest";
import { type Sandbox, startSandbox } from "../../src/sandbox/server.js";

let sandbox: Sandbox;

afterEach(async () => {
  await sandbox.close();
});

/** Sends one raw upsert request and closes the connection `closeAfterMs` later, without reading the answer. */
async function sendAndHangUp(url: string, email: string, closeAfterMs: number): Promise<void> {
  const { hostname, port } = new URL(url);
  const body = JSON.stringify({
    inputs: [{ id: email, idProperty: "email", properties: { firstname: "Ada" } }],
  });
  const socket = connect(Number(port), hostname);
  await new Promise<void>((resolve, reject) => socket.once("connect", resolve).once("error", reject));
  socket.write(
    `POST /crm/objects/2026-09/contacts/batch/upsert HTTP/1.1\r\nHost: ${hostname}\r\n` +
      `Authorization: Bearer sandbox-private-app-token\r\nContent-Type: application/json\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
  );
  await sleep(closeAfterMs);
  socket.destroy();
}

describe("the sandbox's requests in flight", () => {
  it("counts a write whose caller hung up until it is applied, and applies it", async () => {
    sandbox = await startSandbox({ latencyMs: 400 });
    await sendAndHangUp(sandbox.url, "gone@example.com", 50);
    await sleep(100);
    expect(sandbox.stats.inFlight).toBe(1);
    expect(sandbox.ledger.get("contacts", "email=gone@example.com")).toBeUndefined();
    for (let waited = 0; sandbox.stats.inFlight > 0 && waited < 3_000; waited += 20) await sleep(20);
    expect(sandbox.stats.inFlight).toBe(0);
    expect(sandbox.ledger.get("contacts", "email=gone@example.com")?.received).toBe(1);
  });
});
