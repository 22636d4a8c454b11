import type { MessageWriter } from "../protocol/writer.js";
import { buildSpecification } from "../config/spec.js";

export async function runSpec(writer: MessageWriter): Promise<void> {
  await writer.spec(buildSpecification());
}
