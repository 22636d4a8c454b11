/**
 * The text for people: stderr. It must never cost the run anything. Once stderr is gone (EPIPE from a
 * `2>&1 | head`, a closed descriptor), writes become no-ops instead of throwing or emitting an unhandled 'error',
 * and the run goes on; in Airbyte mode the platform still reads the LOG messages on stdout.
 */
import type { Writable } from "node:stream";

export class HumanOutput {
  private broken = false;

  constructor(private readonly out: Writable) {
    out.on("error", () => {
      this.broken = true;
    });
    out.on("close", () => {
      this.broken = true;
    });
  }

  /** True when the stream is a terminal (for the live progress line). */
  get isTTY(): boolean {
    return !this.broken && (this.out as { isTTY?: boolean }).isTTY === true;
  }

  /** False once the stream has failed or closed. */
  get open(): boolean {
    return !this.broken && !this.out.destroyed && this.out.writable;
  }

  write(text: string): void {
    if (!this.open) return;
    try {
      this.out.write(text);
    } catch {
      // A synchronous failure (a stream destroyed between the check and the write) is a closed stderr too.
      this.broken = true;
    }
  }
}
