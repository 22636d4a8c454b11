/** Builders for the Airbyte messages and catalogs the integration tests feed the CLI, and readers of its answers. */

export function stream(
  name: string,
  objectName: string,
  key: string,
  mode = "append_dedup",
  namespace?: string,
) {
  return {
    stream: {
      name,
      ...(namespace ? { namespace } : {}),
      json_schema: {},
      supported_sync_modes: ["full_refresh"],
    },
    sync_mode: "full_refresh",
    destination_sync_mode: mode,
    destination_object_name: objectName,
    primary_key: [[key]],
    sync_id: 42,
    generation_id: 1,
  };
}

export function recordLine(streamName: string, data: unknown, emittedAt = 1_736_500_000_000): string {
  return JSON.stringify({ type: "RECORD", record: { stream: streamName, data, emitted_at: emittedAt } });
}

export function stateLine(streamName: string, cursor: unknown): string {
  return JSON.stringify({
    type: "STATE",
    state: { type: "STREAM", stream: { stream_descriptor: { name: streamName }, stream_state: { cursor } } },
  });
}

export function globalStateLine(cursor: unknown): string {
  return JSON.stringify({
    type: "STATE",
    state: { type: "GLOBAL", global: { shared_state: { cursor }, stream_states: [] } },
  });
}

type StateOut = {
  type: "STATE";
  state: {
    type?: string;
    stream?: { stream_descriptor: { name: string }; stream_state?: { cursor?: unknown } };
    destinationStats?: { recordCount?: number; rejectedRecordCount?: number };
  };
};

/** Echoed STREAM states in order: stream name and the stats they carry. */
export function streamStates(messages: unknown[]) {
  return (messages as StateOut[])
    .filter((message) => message.type === "STATE")
    .map((message) => ({
      name: message.state.stream?.stream_descriptor.name ?? message.state.type ?? "?",
      recordCount: message.state.destinationStats?.recordCount,
      rejectedRecordCount: message.state.destinationStats?.rejectedRecordCount,
    }));
}

/** The cursor of the last STREAM state among `messages`, as the platform would resume from it (none: undefined). */
export function lastCursor(messages: unknown[]): unknown {
  const states = (messages as StateOut[]).filter((message) => message.type === "STATE");
  return states.at(-1)?.state.stream?.stream_state?.cursor;
}
