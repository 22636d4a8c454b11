/**
 * Object keys for rejected-record files, following Airbyte's S3 layout so existing tooling finds them:
 * `<bucket_path>/<path_format>/<file_name_format>`, with the default path format
 * `{sync_id}/{namespace}/{stream_name}/` and file name `{date}_{timestamp}_{part_number}{format_extension}`.
 * Empty segments (no namespace) collapse, as Airbyte's own connector does.
 */

export interface KeyVariables {
  syncId: string;
  namespace: string;
  streamName: string;
  partNumber: number;
  /** `.jsonl`, `.csv`, with `.gz` appended when compressed. */
  formatExtension: string;
  uuid: string;
  now: Date;
}

const pad = (value: number, width = 2) => String(value).padStart(width, "0");

/** Replaces every `{name}` with its value; an unknown variable is left as written so a typo is visible. */
function fill(template: string, values: Record<string, string>): string {
  return template.replace(/\{([a-z_]+)\}/gi, (whole, name: string) => values[name.toLowerCase()] ?? whole);
}

/** Keeps keys free of characters that break S3 tooling; stream names come from sources we do not control. */
function safeSegment(value: string): string {
  return value.replace(/[^A-Za-z0-9._=-]+/g, "_");
}

export function buildObjectKey(
  layout: { bucketPath: string; pathFormat: string; fileNameFormat: string },
  vars: KeyVariables,
): string {
  const t = vars.now;
  const date = `${t.getUTCFullYear()}-${pad(t.getUTCMonth() + 1)}-${pad(t.getUTCDate())}`;
  const values: Record<string, string> = {
    sync_id: safeSegment(vars.syncId),
    namespace: vars.namespace ? safeSegment(vars.namespace) : "",
    stream_name: safeSegment(vars.streamName),
    year: String(t.getUTCFullYear()),
    month: pad(t.getUTCMonth() + 1),
    day: pad(t.getUTCDate()),
    hour: pad(t.getUTCHours()),
    minute: pad(t.getUTCMinutes()),
    second: pad(t.getUTCSeconds()),
    millisecond: pad(t.getUTCMilliseconds(), 3),
    epoch: String(t.getTime()),
    uuid: vars.uuid,
    date,
    timestamp: t.toISOString(),
    part_number: String(vars.partNumber),
    format_extension: vars.formatExtension,
  };
  const folder = fill(layout.pathFormat, values);
  const file = fill(layout.fileNameFormat, values);
  const joined = [layout.bucketPath, folder, file].join("/");
  return joined
    .split("/")
    .filter((segment) => segment.length > 0)
    .join("/");
}

/** The folder part only (for listing and for the check's test object). */
export function buildFolderKey(
  layout: { bucketPath: string; pathFormat: string },
  vars: Omit<KeyVariables, "partNumber" | "formatExtension">,
): string {
  return buildObjectKey({ ...layout, fileNameFormat: "" }, { ...vars, partNumber: 0, formatExtension: "" });
}
