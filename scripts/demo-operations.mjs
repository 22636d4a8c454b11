// How the demo shows what `discover` offers: one line per object, saying what kind of target it is, so a list
// (segment) is not shown as an event.

const fields = (op) => Object.keys(op.json_schema?.properties ?? {}).length;

/** Lines for the discover step: CRM objects with their keys, then events and lists, then the count. */
export function describeOperations(operations) {
  const lines = [];
  for (const op of operations.filter((o) => o.sync_mode === "append_dedup")) {
    lines.push(
      `  ${op.object_name.padEnd(10)} ${String(fields(op)).padStart(3)} writable properties, matching keys ${JSON.stringify(op.matching_keys)}`,
    );
  }
  for (const op of operations.filter((o) => o.sync_mode === "append")) {
    const list = op.object_name.startsWith("list:") || op.object_name.startsWith("list[");
    const what = list
      ? "static list (segment) members: append, overwrite, soft_delete"
      : "custom behavioral events, append";
    lines.push(`  ${op.object_name.padEnd(20)} ${String(fields(op)).padStart(3)} fields (${what})`);
  }
  lines.push(
    `  (${operations.length} operations in all: append_dedup, update and soft_delete per CRM object; append per event; append, overwrite and soft_delete per static list)`,
  );
  return lines;
}
