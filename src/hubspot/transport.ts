/** What the batch senders and readers need of the HubSpot client (client.ts): one JSON POST, with its answer. */
export interface JsonTransport {
  postJson<T>(path: string, body: unknown): Promise<{ status: number; body: T }>;
}
