/**
 * The commander program. Each command builds its parts and runs them; this file only maps what they throw to the
 * protocol's TRACE ERROR and an exit code:
 * 0 success (and `check` whatever its answer), 1 a failure reported as TRACE ERROR, 2 a usage error.
 * Help and usage text go to stderr: stdout carries nothing but Airbyte messages.
 */
import type { Readable, Writable } from "node:stream";
import { Command, CommanderError, Option } from "commander";
import { runCheck } from "./commands/check.js";
import { runDiscover } from "./commands/discover.js";
import { runSandbox } from "./commands/sandbox.js";
import { runSpec } from "./commands/spec.js";
import { runWrite } from "./commands/write.js";
import { WRITE_MODES } from "./contract.js";
import { ConfigError, toConnectorError } from "./errors.js";
import { MessageWriter } from "./protocol/writer.js";

export interface CliStreams {
  stdin: Readable;
  stdout: Writable;
  stderr: Writable;
}

export const EXIT = { ok: 0, failure: 1, usage: 2 } as const;

export async function runCli(argv: string[], streams: CliStreams): Promise<number> {
  const writer = new MessageWriter(streams.stdout);
  const program = buildProgram(writer, streams);
  try {
    await program.parseAsync(argv, { from: "user" });
    await writer.flush();
    return EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.exitCode === 0) return EXIT.ok; // --help, --version
      await writer.traceError(
        new ConfigError(`Invalid command line: ${error.message.replace(/^error: /, "")}`),
      );
      await writer.flush();
      return EXIT.usage;
    }
    const failure = toConnectorError(error);
    await writer.traceError(failure);
    await writer.flush();
    return EXIT.failure;
  }
}

function buildProgram(writer: MessageWriter, streams: CliStreams): Command {
  const program = new Command("destination-hubspot")
    .description("Airbyte destination for HubSpot: CRM upserts and custom behavioral events")
    .exitOverride()
    .configureOutput({
      writeOut: (text) => streams.stderr.write(text),
      writeErr: (text) => streams.stderr.write(text),
    })
    .showHelpAfterError(false);

  program
    .command("spec")
    .description("print the connector specification (a SPEC message)")
    .action(async () => runSpec(writer));

  program
    .command("check")
    .description("verify the credentials, scopes and rejected-records store; prints a CONNECTION_STATUS")
    .requiredOption("--config <path>", "config JSON file")
    .action(async (options: { config: string }) => runCheck(options.config, writer));

  program
    .command("discover")
    .description("list the HubSpot objects that can be written (a DESTINATION_CATALOG message)")
    .requiredOption("--config <path>", "config JSON file")
    .action(async (options: { config: string }) => runDiscover(options.config, writer));

  program
    .command("write")
    .description(
      "write Airbyte RECORD messages from stdin into HubSpot; or, with --object instead of --catalog, plain JSON records",
    )
    .requiredOption("--config <path>", "config JSON file")
    .option("--catalog <path>", "configured catalog JSON file (Airbyte mode)")
    .option(
      "--object <name>",
      "raw pipe mode: CONTACT, COMPANY, DEAL, PRODUCT, a custom object's name, EVENTS or event:<name>",
    )
    .option("--key <property>", "raw pipe mode: the matching key property (default email for CONTACT)")
    .addOption(new Option("--mode <mode>", "raw pipe mode: what to do with each record").choices(WRITE_MODES))
    .action(
      async (options: { config: string; catalog?: string; object?: string; key?: string; mode?: string }) => {
        await runWrite(options, { writer, stdin: streams.stdin, stderr: streams.stderr });
      },
    );

  program
    .command("sandbox")
    .description("run the HubSpot-compatible sandbox server on loopback until interrupted")
    .option("--host <host>", "loopback address to listen on", "127.0.0.1")
    .option("--port <port>", "port (0 picks a free one)", "8080")
    .option("--options <path>", "JSON file of sandbox options (tier, rate limits, latency, tokens)")
    .action(async (options: { host: string; port: string; options?: string }) =>
      runSandbox(options, streams.stderr),
    );

  return program;
}
