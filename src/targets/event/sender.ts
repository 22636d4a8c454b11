/**
 * Sending custom event occurrences: `POST …/send/batch`, up to 500 a request
 * (https://developers.hubspot.com/docs/api-reference/legacy/events/send-event-data/guide).
 */
import type { BatchSender, WireInput } from "../../contract.js";
import type { RequestGate } from "../../hubspot/http-types.js";
import { type IsolationOptions, type Outcomes, sendIsolating } from "../../hubspot/isolate.js";
import { ENVELOPE, type EventsTransport } from "./wire.js";

/** Turns a pipeline input back into HubSpot's occurrence body. */
export function occurrenceBody(input: WireInput): Record<string, unknown> {
  const properties: Record<string, string> = {};
  const body: Record<string, unknown> = { uuid: input.id, properties };
  for (const [name, value] of Object.entries(input.properties)) {
    switch (name) {
      case ENVELOPE.eventName:
        body.eventName = value;
        break;
      case ENVELOPE.email:
        body.email = value;
        break;
      case ENVELOPE.utk:
        body.utk = value;
        break;
      case ENVELOPE.objectId:
        body.objectId = value;
        break;
      case ENVELOPE.occurredAt:
        body.occurredAt = value;
        break;
      default:
        properties[name] = value;
    }
  }
  return body;
}

/**
 * Sends occurrences in batches of up to 500. HubSpot answers 204 for a whole batch and gives no per-item result,
 * so a refused batch (400) is isolated (hubspot/isolate.ts): what the refusal names is rejected with HubSpot's message,
 * else the batch is split until each bad occurrence stands alone; the others go through. Replays are harmless:
 * HubSpot keeps the first occurrence of a uuid.
 */
export function createEventSender(
  client: EventsTransport,
  gate: RequestGate,
  isolation: IsolationOptions = {},
): BatchSender {
  const send = async (inputs: readonly WireInput[]): Promise<Outcomes> => {
    await client.request<unknown>({
      method: "POST",
      path: client.paths.eventSendBatch(),
      json: { inputs: inputs.map(occurrenceBody) },
      gate,
    });
    return new Map(inputs.map((input) => [input.traceId, { status: "written", effect: "sent" }]));
  };
  const statuses = new Set([400]);
  return (_target, inputs, screen) => sendIsolating(inputs, send, { ...isolation, statuses, screen });
}
